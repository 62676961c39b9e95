// The JS query engine against the fixture index built by the Rust side
// (tests/search/fixture/index, kept up to date by `cargo test --lib search::tests`), with the
// expectations the Rust reader computed (tests/search/fixture/queries.json): same hits, same
// tiers and scores, same files fetched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const require = createRequire(import.meta.url);
const search = require('../../assets/search.js');
const root = new URL('./fixture/index/', import.meta.url);
const queries = JSON.parse(readFileSync(new URL('./fixture/queries.json', import.meta.url), 'utf8'));

function engine() {
  return search.createEngine(async (path) => {
    const u = new URL(path, root);
    return existsSync(u) ? JSON.parse(readFileSync(u, 'utf8')) : null;
  }, async (path) => {
    const u = new URL(path, root);
    return existsSync(u) ? new Uint8Array(readFileSync(u)) : null;
  });
}

for (const q of queries) {
  test(`query ${JSON.stringify(q.q)} page ${q.page}`, async () => {
    const e = engine();
    const res = await e.search(q.q, q.limit, q.page);
    const hits = [];
    for (const h of res.hits) hits.push([(await e.doc(h.doc)).url, h.tier, h.score, h.matched]);
    assert.deepEqual(hits, q.hits);
    assert.equal(res.total, q.total);
    assert.equal(res.more, q.more);
    // the fetched files: those of the search plus the shown docs (the Rust reader fetches
    // the shown docs' files inside search)
    const e2 = engine();
    const r2 = await e2.search(q.q, q.limit, q.page);
    await Promise.all(r2.hits.slice(0, q.limit).map((h) => e2.doc(h.doc)));
    assert.deepEqual([...e2.cache.keys()].sort(), q.fetched);
  });
}

test('a query answers well under 10 ms on the fixture (warm cache)', async () => {
  const e = engine();
  await e.search('国际法', 10, 0);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < 50; i++) await e.search('国际法', 10, 0);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6 / 50;
  assert.ok(ms < 10, `${ms} ms`);
});

// grouped(): the hits are exactly the docs whose text contains every part of the query, as
// computed here from tests/search/fixture/docs.json; groups are the runs of docs of one page.
const fixtureDocs = JSON.parse(readFileSync(new URL('./fixture/docs.json', import.meta.url), 'utf8'));
for (const q of ['国际法', '国际 法', '5G', 'A/70/174', '第 70/237 号决议', '建立信任措施', '量子计算']) {
  test(`grouped ${JSON.stringify(q)}: whole-query hits only, grouped by page`, async () => {
    const e = engine();
    const res = await e.grouped(q, { maxFiles: 1000 });
    const parts = q.split(/\s+/).map((p) => search.phraseKey(p));
    const want = new Map();
    fixtureDocs.forEach((d, i) => {
      const key = search.phraseKey(d.text);
      if (parts.every((p) => key.includes(p))) {
        const page = d.url.split('#')[0];
        if (!want.has(page)) want.set(page, []);
        want.get(page).push(i);
      }
    });
    if (res.more) return; // a window of a blocked token: counted per window (see browser tests)
    assert.equal(res.hits, [...want.values()].reduce((a, b) => a + b.length, 0));
    const got = new Map();
    for (const g of res.groups) {
      const page = (await e.doc(g.docs[0])).url.split('#')[0];
      got.set(page, g.docs);
    }
    assert.deepEqual(got, want);
    for (let i = 1; i < res.groups.length; i++) {
      assert.ok(res.groups[i - 1].docs.length >= res.groups[i].docs.length);
    }
    // partial docs are never hits
    const hitIds = new Set([...want.values()].flat());
    assert.ok(res.partial.every((h) => !hitIds.has(h.doc)));
  });
}

// A large site's gzipped index (meta.json says "gz"): every other file is fetched as
// `path + '.gz'` and decompressed with DecompressionStream; the answers, and the files the
// engine asks for, are those of the plain index. A host that decodes the gzip itself
// (Content-Encoding: gzip) hands over the plain bytes, which are read as they are.
function gzEngine(decodedByHost) {
  const asked = [];
  const read = (path) => {
    if (path === 'search/meta.json') {
      return Buffer.from(JSON.stringify({ ...JSON.parse(readFileSync(new URL(path, root), 'utf8')), gz: 1 }));
    }
    assert.ok(path.endsWith('.gz'), path);
    const u = new URL(path.slice(0, -3), root);
    if (!existsSync(u)) return null;
    asked.push(path);
    const plain = readFileSync(u);
    return decodedByHost ? plain : gzipSync(plain);
  };
  const e = search.createEngine(async (path) => {
    const b = read(path);
    return b && JSON.parse(b.toString('utf8'));
  }, async (path) => {
    const b = read(path);
    return b && new Uint8Array(b);
  });
  return { e, asked };
}

for (const decodedByHost of [false, true]) {
  test(`a gzipped index answers as the plain one${decodedByHost ? ' (decoded by the host)' : ''}`, async () => {
    let compared = 0;
    for (const q of queries) {
      const { e, asked } = gzEngine(decodedByHost);
      const res = await e.search(q.q, q.limit, q.page);
      const hits = [];
      for (const h of res.hits) hits.push([(await e.doc(h.doc)).url, h.tier, h.score, h.matched]);
      assert.deepEqual(hits, q.hits, q.q);
      assert.equal(res.total, q.total);
      const files = asked.map((p) => p.slice(0, -3));
      assert.deepEqual(q.fetched.length ? ['search/meta.json', ...files].sort() : files, q.fetched, q.q);
      compared += hits.length;
    }
    assert.ok(compared > 50, `only ${compared} hits compared`);
    const { e } = gzEngine(decodedByHost);
    const g = await e.grouped('国际法', { maxFiles: 1000 });
    const plain = await engine().grouped('国际法', { maxFiles: 1000 });
    assert.deepEqual(g, plain);
  });
}

// An index in another folder (a second language's, `search/en/`): the engine fetches every
// file under that folder and answers as from `search/`. Here the fixture is served at
// `search/en/…`, and nothing else.
test('an index in another folder answers as the fixture and is read from that folder only', async () => {
  const asked = [];
  const under = (path) => {
    asked.push(path);
    if (!path.startsWith('search/en/')) return null;
    const u = new URL('search/' + path.slice('search/en/'.length), root);
    return existsSync(u) ? readFileSync(u) : null;
  };
  const en = search.createEngine(async (p) => { const b = under(p); return b && JSON.parse(b.toString('utf8')); },
    async (p) => { const b = under(p); return b && new Uint8Array(b); }, 'search/en');
  for (const q of queries) {
    const res = await en.search(q.q, q.limit, q.page);
    const hits = [];
    for (const h of res.hits) hits.push([(await en.doc(h.doc)).url, h.tier, h.score, h.matched]);
    assert.deepEqual(hits, q.hits, q.q);
  }
  assert.deepEqual(await en.grouped('国际法', { maxFiles: 1000 }), await engine().grouped('国际法', { maxFiles: 1000 }));
  assert.ok(asked.length > 10 && asked.every((p) => p.startsWith('search/en/')), asked.join(' '));
});

// The report filter: f.json's `editions` and each group's edition index. The fixture's
// groups (intro, armenia, japan, france, canada, eu) get editions -1, 0, 1, 0, 1, 0; the
// hits of one report are those of its groups, and the counts of the two reports add up.
test('the report filter keeps the hits of one edition, the first one as "/"', async () => {
  const f = {
    regions: [], concepts: [], docs: [],
    editions: [['', 'A/75/123'], ['a76', 'A/76/136']],
    groups: [['', -1, -1], ['armenia', -1, 0], ['japan', -1, 1], ['france', -1, 0], ['canada', -1, 1], ['eu', -1, 0]],
  };
  const e = search.createEngine(async (path) => {
    if (path === 'search/f.json') return f;
    const u = new URL(path, root);
    return existsSync(u) ? JSON.parse(readFileSync(u, 'utf8')) : null;
  }, async (path) => {
    const u = new URL(path, root);
    return existsSync(u) ? new Uint8Array(readFileSync(u)) : null;
  });
  const facets = await e.facets();
  assert.deepEqual(facets.editions, f.editions);
  const res = await e.grouped('国际法', { maxFiles: 1000 });
  const none = { edition: '', region: '', reply: '', concept: '' };
  const all = search.applyFilters(res, facets, none);
  assert.equal(all.res.hits, res.hits);
  const hitsIn = (ed) => res.groups.filter((g) => f.groups[g.group][2] === ed).reduce((n, g) => n + g.docs.length, 0);
  assert.ok(hitsIn(0) > 0 && hitsIn(1) > 0, 'the query has hits in both editions');
  assert.equal(all.counts.edition.get('/'), hitsIn(0));
  assert.equal(all.counts.edition.get('/a76'), hitsIn(1));
  for (const [value, ed] of [['/', 0], ['/a76', 1]]) {
    const v = search.applyFilters(res, facets, { ...none, edition: value });
    assert.equal(v.res.hits, hitsIn(ed), value);
    assert.ok(v.res.groups.every((g) => f.groups[g.group][2] === ed), value);
    // the other filters' counts are those of the chosen edition
    assert.equal([...v.counts.reply.values()].reduce((a, b) => a + b, 0), hitsIn(ed));
  }
  // an index of one edition has no `editions`: every group passes, none is counted
  const one = search.applyFilters(res, { ...facets, editions: [], groups: f.groups.map((g) => g.slice(0, 2)) }, none);
  assert.equal(one.res.hits, res.hits);
  assert.equal(one.counts.edition.size, 0);
});
