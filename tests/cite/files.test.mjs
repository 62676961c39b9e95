// The citation files of every reply, read by an independent parser (citation-js, as citation
// managers read them): title, institutional author, report number, issued and received dates,
// URL and language. Run: node --test tests/cite/
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Cite } from '@citation-js/core';
import '@citation-js/plugin-bibtex';
import '@citation-js/plugin-ris';
import { buildSite, siteRoot } from '../browser/helpers.mjs';

const BASE = 'https://example.org/wenji/';
let dir, replies;

/** Every reply's slug, names and received date, from its front matter. */
function frontMatter() {
  const folder = join(siteRoot(), 'content', 'replies');
  return readdirSync(folder).filter((f) => f.endsWith('.md')).map((f) => {
    const text = readFileSync(join(folder, f), 'utf8');
    const field = (k) => (text.match(new RegExp(`^${k}: (.*)$`, 'm')) || [])[1]?.trim();
    return { slug: field('slug'), title: field('title'), titleEn: field('title_en'), received: field('received') };
  });
}

before(() => {
  dir = buildSite({ baseUrl: BASE });
  replies = frontMatter();
  assert.ok(replies.length >= 2, `${replies.length} replies`);
});

const toml = readFileSync(join(siteRoot(), 'wenji.toml'), 'utf8');
/** A string key of a [section] of wenji.toml. */
const config = (section, k) => {
  const body = toml.split(/^\[/m).find((s) => s.startsWith(`${section}]`));
  return body.match(new RegExp(`^${k} = "(.*)"$`, 'm'))[1];
};
const SYMBOL = config('report', 'symbol');
const TITLE = config('report', 'title');
const LANGUAGE = config('site', 'language');

function parse(r, ext) {
  const file = join(dir, 'states', r.slug, `cite.${ext}`);
  assert.ok(existsSync(file), file);
  const data = new Cite(readFileSync(file, 'utf8')).data;
  assert.equal(data.length, 1, `${file}: one record`);
  return data[0];
}

/** What every format must say, as citation-js reads it. */
function checkRecord(r, item, ext) {
  const where = `${r.slug} cite.${ext}`;
  assert.equal(item.type, 'report', where);
  assert.equal(item.title, `${r.title}的答复：${TITLE}`, where);
  assert.equal(item.author.length, 1, where);
  const [author] = item.author;
  // One institutional name, never split into given and family names.
  assert.equal(author.given, undefined, `${where}: ${JSON.stringify(author)}`);
  assert.equal(author.literal ?? author.family, r.title, where);
  assert.equal(item.number, SYMBOL, where);
  assert.equal(item.issued['date-parts'][0][0], 2020, where);
  assert.equal(item.URL, `${BASE}states/${r.slug}/`, where);
  assert.equal(item.language, LANGUAGE, where);
  // The date the reply was received is in the note of every format.
  assert.ok(item.note.includes(`received ${r.received}`), `${where}: ${item.note}`);
  assert.ok(item.note.includes(`Reply of ${r.titleEn}`), `${where}: ${item.note}`);
}

for (const ext of ['json', 'bib', 'ris']) {
  test(`every reply's cite.${ext} reads as the reply, in the report, by its State or organization`, () => {
    for (const r of replies) checkRecord(r, parse(r, ext), ext);
  });
}

test('CSL-JSON gives the received date as the date submitted', () => {
  for (const r of replies) {
    const item = parse(r, 'json');
    assert.deepEqual(item.submitted['date-parts'][0], r.received.split('-').map(Number), r.slug);
    assert.deepEqual(item.author, [{ literal: r.title }], r.slug);
  }
});

test('RIS gives the symbol in SN, where readers of a report take its number, and no RN', () => {
  for (const r of replies) {
    const text = readFileSync(join(dir, 'states', r.slug, 'cite.ris'), 'utf8');
    assert.match(text, new RegExp(`^SN  - ${SYMBOL.replace(/\//g, '\\/')}\\r$`, 'm'), r.slug);
    assert.doesNotMatch(text, /^RN {2}- /m, r.slug);
    assert.equal(text.match(/^ER {2}- /gm).length, 1, r.slug);
  }
});

test('the reply page names the same report number and author in its metadata', () => {
  const r = replies[0];
  const html = readFileSync(join(dir, 'states', r.slug, 'index.html'), 'utf8');
  const meta = (name) => {
    const tag = html.match(new RegExp(`<meta [^>]*name="?${name}"?[ >][^>]*>|<meta [^>]*name="?${name}"?>`));
    assert.ok(tag, name);
    return tag[0].match(/content="([^"]*)"|content=([^ >]*)/).slice(1).find((v) => v !== undefined);
  };
  assert.equal(meta('citation_technical_report_number'), SYMBOL);
  assert.equal(meta('citation_author'), r.title);
  assert.equal(meta('citation_public_url'), `${BASE}states/${r.slug}/`);
  const ld = JSON.parse(html.match(/<script type="?application\/ld\+json"?>(.*?)<\/script>/s)[1]);
  assert.equal(ld.isPartOf.reportNumber, SYMBOL);
  assert.equal(ld.dateReceived, r.received);
  assert.equal(ld.url, `${BASE}states/${r.slug}/`);
});

test('a name with spaces stays one institutional author in every format', async () => {
  const { fixtureRoot } = await import('../browser/helpers.mjs');
  const root = fixtureRoot();
  const file = join(root, 'content', 'replies', 'arcadia.md');
  writeFileSync(file, readFileSync(file, 'utf8').replace('title: 阿卡迪亚\n', 'title: Kingdom of Arcadia\n'));
  const out = buildSite({ root, baseUrl: BASE });
  for (const ext of ['json', 'bib', 'ris']) {
    const [item] = new Cite(readFileSync(join(out, 'states', 'arcadia', `cite.${ext}`), 'utf8')).data;
    assert.equal(item.author.length, 1, ext);
    assert.equal(item.author[0].given, undefined, `${ext}: ${JSON.stringify(item.author)}`);
    assert.equal(item.author[0].literal ?? item.author[0].family, 'Kingdom of Arcadia', ext);
  }
});
