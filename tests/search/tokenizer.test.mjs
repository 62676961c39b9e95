// The JS tokenizer against the shared vectors (the Rust side checks the same file).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
const search = require('../../assets/search.js');
const vectors = JSON.parse(readFileSync(new URL('./vectors.json', import.meta.url), 'utf8'));

test('shared vectors: tokens, query tokens, phrase key', () => {
  assert.ok(vectors.vectors.length >= 20);
  for (const v of vectors.vectors) {
    assert.deepEqual(search.tokenize(v.input), v.tokens, `tokens of ${JSON.stringify(v.input)}`);
    assert.deepEqual(search.queryTokens(v.input), v.query, `query of ${JSON.stringify(v.input)}`);
    assert.equal(search.phraseKey(v.input), v.phrase, `phrase of ${JSON.stringify(v.input)}`);
    assert.deepEqual(search.queryParts(v.input), v.parts, `parts of ${JSON.stringify(v.input)}`);
  }
});

test('shared vectors: token hash', () => {
  for (const [t, h] of vectors.hashes) assert.equal(search.tokenHash(t), h, t);
});

test('fold and classify of every code point match the Rust side', () => {
  // FNV-1a over "cp:fold:class;" for all code points, compared with the value the Rust test
  // computes (vectors.json "fold_checksum").
  let h = 0x811c9dc5;
  const enc = new TextEncoder();
  for (let cp = 0; cp < 0x30000; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const f = search.fold(String.fromCodePoint(cp));
    const c = search.classify(cp);
    const bytes = enc.encode(`${cp}:${f}:${c};`);
    for (const b of bytes) { h ^= b; h = Math.imul(h, 0x01000193); }
  }
  assert.equal(h >>> 0, vectors.fold_checksum);
});

test('highlight ranges and snippets', () => {
  const text = '日本认为，现有国际法，包括《联合国宪章》，适用于网络空间。见第 70/237 号决议。';
  const segs = search.snippet(text, '国际法');
  assert.deepEqual(segs.filter((s) => s.mark).map((s) => s.text), ['国际法']);
  assert.equal(segs.map((s) => s.text).join(''), text);
  // a symbol typed without spaces marks the spaced form in the text
  const marked = search.snippet(text, '第70/237号决议').filter((s) => s.mark).map((s) => s.text);
  assert.deepEqual(marked, ['第 70/237 号决议']);
  // word tokens are marked only as whole pieces
  const r = search.markRanges('information in it', 'in');
  assert.deepEqual(r, [[12, 14]]);
  // long text is cut around the first match, with ellipses
  const long = '前'.repeat(300) + '建立信任措施' + '后'.repeat(300);
  const s2 = search.snippet(long, '建立信任措施', 60);
  assert.equal(s2[0].text, '…');
  assert.equal(s2[s2.length - 1].text, '…');
  assert.ok(s2.some((s) => s.mark && s.text === '建立信任措施'));
});

test('search.js stays CSP-safe and builds DOM from data with textContent only', () => {
  const src = readFileSync(new URL('../../assets/search.js', import.meta.url), 'utf8');
  for (const bad of ['innerHTML', 'outerHTML', 'insertAdjacentHTML', 'eval(', 'new Function',
    'document.write', 'setAttribute(\'on', 'http://', 'https://']) {
    assert.ok(!src.includes(bad), `search.js contains ${bad}`);
  }
});
