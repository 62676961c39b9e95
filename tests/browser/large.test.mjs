// The large-site form in Chromium (README, "Large sites"): the fixture built small and with
// site.large_site_from = 2. A reply page's passages get the cite buttons the small site writes
// (reply.js adds them), and they cite the same; its citation downloads, kept in a gzipped part,
// save the small site's files; the header search box reads the gzipped index
// (DecompressionStream) and offers what the small site's plain index gives; a concept page
// over the quote limit (set to 2) makes its compare options as a quoting page writes them.
// The scripts read the interface strings from assets/strings.<hash>.js instead of the page;
// the matrix's cells carry no labels of their own and stay accessible.
// Run: node --test --test-concurrency=1 tests/browser/large.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildSite, fixtureRoot, serve, launch, openPage, AXE_SOURCE } from './helpers.mjs';

let browser, small, large;

before(async () => {
  const sdir = buildSite({ root: fixtureRoot() });
  const root = fixtureRoot();
  const toml = join(root, 'wenji.toml');
  writeFileSync(toml, readFileSync(toml, 'utf8').replace('[site]\n', '[site]\nlarge_site_from = 2\nconcept_quote_limit = 2\n'));
  const ldir = buildSite({ root });
  assert.ok(existsSync(join(ldir, 'search', 'g.json.gz')) && !existsSync(join(ldir, 'search', 'g.json')));
  small = { dir: sdir, server: await serve(sdir) };
  large = { dir: ldir, server: await serve(ldir) };
  browser = await launch();
});

/** The ids of axe's violations, whatever their impact. */
async function axeViolations(page) {
  await page.evaluate(AXE_SOURCE);
  // eslint-disable-next-line no-undef
  return page.evaluate(async () => (await axe.run(document, { resultTypes: ['violations'] })).violations.map((v) => v.id));
}

after(async () => {
  await browser?.close();
  for (const s of [small, large]) await s?.server.close();
});

test('a large site writes no cite buttons or texts; reply.js adds the small site\'s, which cite the same', async () => {
  const html = readFileSync(join(large.dir, 'states', 'arcadia', 'index.html'), 'utf8');
  assert.ok(!html.includes('class="cite" data-p="1"'), 'no button in the HTML');
  assert.ok(!/data-(cite-zh|cite-en|cite-url|para-zh|para-en)/.test(html) && !html.includes('(received '), 'no citation texts in the HTML');
  const ctx = await browser.newContext();
  const body = {};
  const cited = {};
  for (const [name, s] of [['small', small], ['large', large]]) {
    const { page, log } = await openPage(ctx, s.server.url('states/arcadia/'));
    body[name] = await page.evaluate(() => document.querySelector('article .body').innerHTML);
    await page.click('button.cite[data-p="3"]');
    cited[name] = await page.evaluate(() => [...document.querySelectorAll('[data-cite-out]')].map((e) => e.textContent));
    await page.keyboard.press('Escape');
    // the whole reply's citation, on this page and on another reply's
    await page.click('button.cite-all');
    cited[name].push(...await page.evaluate(() => [...document.querySelectorAll('[data-cite-out]')].map((e) => e.textContent)));
    await page.goto(s.server.url('states/borduria/'));
    await page.click('button.cite-all');
    cited[name].push(...await page.evaluate(() => [...document.querySelectorAll('[data-cite-out]')].map((e) => e.textContent)));
    assert.deepEqual(log.consoleErrors, []);
    await page.close();
  }
  assert.ok(body.small.includes('class="cite" data-p="3"'));
  assert.equal(body.large, body.small);
  assert.deepEqual(cited.large.map((t) => t.replaceAll(large.server.url(''), small.server.url(''))), cited.small);
  assert.ok(cited.small[0].includes('第 3 段'), cited.small[0]);
  assert.equal(cited.small.length, 6);
  assert.ok(cited.small[5].startsWith('Reply of ') && !cited.small[5].includes('{'), cited.small[5]);
  await ctx.close();
});

test('a large site\'s citation downloads save the small site\'s files', async () => {
  const ctx = await browser.newContext({ acceptDownloads: true });
  const { page, log } = await openPage(ctx, large.server.url('states/borduria/'));
  for (const ext of ['json', 'bib', 'ris']) {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click(`a[data-cite-download="${ext}"]`),
    ]);
    assert.equal(download.suggestedFilename(), `cite.${ext}`);
    const saved = readFileSync(await download.path());
    assert.deepEqual(saved, readFileSync(join(small.dir, 'states', 'borduria', `cite.${ext}`)), ext);
  }
  assert.deepEqual(log.consoleErrors, []);
  await ctx.close();
});

test('a concept page over the quote limit makes the compare options a quoting page writes', async () => {
  const html = readFileSync(join(large.dir, 'concepts', 'international-law', 'index.html'), 'utf8');
  assert.ok(html.includes('passage-links') && !html.includes('data-compare-option'));
  const ctx = await browser.newContext();
  const options = {};
  for (const [name, s] of [['small', small], ['large', large]]) {
    const { page, log } = await openPage(ctx, s.server.url('concepts/international-law/'));
    options[name] = await page.evaluate(() => [...document.querySelectorAll('[data-compare] label')]
      .map((l) => [l.querySelector('input').value, l.textContent]));
    // its groups of links, no named regions, pass axe
    if (name === 'large') assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(log.consoleErrors, []);
    await page.close();
  }
  assert.ok(options.small.length > 0);
  assert.deepEqual(options.large, options.small);
  await ctx.close();
});

test('the header box reads the gzipped index and offers what the plain one gives', async () => {
  const ctx = await browser.newContext();
  for (const q of ['国际法', '5G', 'A/70/174', '建立信任措施']) {
    const shown = {};
    for (const [name, s] of [['small', small], ['large', large]]) {
      const { page, log } = await openPage(ctx, s.server.url('states/arcadia/'));
      await page.fill('header [data-search-input]', q);
      await page.locator('header .search-status', { hasText: q }).waitFor();
      shown[name] = await page.evaluate(() => [...document.querySelectorAll('header [data-search-results] a[role=option]')]
        .map((a) => [new URL(a.href).pathname + new URL(a.href).hash, a.textContent]));
      assert.deepEqual(log.consoleErrors, [], q);
      await page.close();
    }
    assert.ok(shown.small.length > 0, q);
    assert.deepEqual(shown.large, shown.small, q);
  }
  await ctx.close();
});

test('a large site\'s scripts read the small site\'s interface strings from one file', async () => {
  const ctx = await browser.newContext();
  const strings = {};
  for (const [name, s] of [['small', small], ['large', large]]) {
    const { page, log } = await openPage(ctx, s.server.url('states/arcadia/'));
    strings[name] = await page.evaluate(() => {
      const el = document.getElementById('wenji-strings');
      return { inPage: !!el, strings: el ? JSON.parse(el.textContent) : window.wenjiStrings };
    });
    // site.js says the copy's outcome in a string of the file
    await page.click('button.cite[data-p="2"]');
    const status = await page.locator('[data-cite-status]').textContent();
    strings[name].status = status;
    assert.deepEqual(log.consoleErrors, []);
    await page.close();
  }
  assert.equal(strings.small.inPage, true);
  assert.equal(strings.large.inPage, false);
  assert.ok(Object.keys(strings.small.strings).length > 10);
  // and, for reply.js, what the citation texts are made of (site.cite_text_in_html)
  const { cite_format_zh, cite_format_en, cite_para_zh, cite_para_en, cite_report, ...rest } = strings.large.strings;
  assert.deepEqual(rest, strings.small.strings);
  assert.ok(cite_format_zh.includes('{entity}') && cite_format_en.includes('{entity_en}'));
  assert.ok(cite_para_zh && cite_para_en && cite_report.symbol, JSON.stringify(cite_report));
  assert.ok([strings.small.strings.cite_copied, strings.small.strings.cite_copy_failed].includes(strings.large.status), strings.large.status);
  await ctx.close();
});

test('a large site\'s matrix names its cells by the headers, passes axe and says the same on focus', async () => {
  const html = readFileSync(join(large.dir, 'matrix', 'index.html'), 'utf8');
  assert.ok(html.includes('<td></td>') && !html.includes('<td class="h1"><a aria-label'));
  const ctx = await browser.newContext();
  const said = {};
  for (const [name, s] of [['small', small], ['large', large]]) {
    const { page, log } = await openPage(ctx, s.server.url('matrix/'));
    if (name === 'large') assert.deepEqual(await axeViolations(page), []);
    said[name] = [];
    for (const sel of ['tbody tr:nth-child(1) td:has(a)', 'tbody tr:nth-child(1) td:not(:has(a))']) {
      await page.hover(sel);
      said[name].push(await page.locator('[data-matrix-focus]').textContent());
    }
    assert.deepEqual(log.consoleErrors, []);
    await page.close();
  }
  assert.ok(said.small[1].endsWith(' — 0'), said.small[1]);
  assert.deepEqual(said.large, said.small);
  await ctx.close();
});
