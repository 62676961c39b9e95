// The search box in headless Chromium, against a static harness (tests/search/fixture/site)
// and the fixture index the Rust side builds (tests/search/fixture/index), served by a tiny
// HTTP server on 127.0.0.1 with a strict Content-Security-Policy.
//
//   apt-get install -y chromium && npm install
//   node --test tests/search/browser.mjs      (npm run test:browser)
//
// WENJI_CHROMIUM overrides the browser path (default /usr/bin/chromium). Without a browser,
// or without playwright-core, the tests are skipped (and say so).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const site = path.join(here, 'fixture/site');
const index = path.join(here, 'fixture/index');
const exe = process.env.WENJI_CHROMIUM || '/usr/bin/chromium';

let chromium = null;
try {
  ({ chromium } = await import('playwright-core'));
} catch {
  chromium = null;
}
const skip = !chromium ? 'playwright-core is not installed (npm install)'
  : !existsSync(exe) ? `no browser at ${exe} (apt-get install -y chromium)` : false;

const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
  + "connect-src 'self'; base-uri 'none'; form-action 'self'; object-src 'none'";
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json', '.css': 'text/css; charset=utf-8' };

/** Serves the harness at / and again at /repo/ (with data-base="/repo/"). */
function serve() {
  const log = [];
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    let p = decodeURIComponent(url.pathname);
    log.push(p);
    let base = '/';
    if (p.startsWith('/repo/')) { base = '/repo/'; p = p.slice(5); }
    let file;
    if (p === '/assets/search.js') file = path.join(repo, 'assets/search.js');
    else if (p.startsWith('/search/') && /\.(json|bin)$/.test(p)) file = path.join(index, p);
    else file = path.join(site, p.endsWith('/') ? p + 'index.html' : p);
    if (p === '/favicon.ico') { res.writeHead(204); res.end(); return; }
    if (p.endsWith('/') && !existsSync(file)) {
      // a stand-in for the reply pages the results link to
      res.writeHead(200, { 'content-type': TYPES['.html'], 'content-security-policy': CSP });
      res.end('<!doctype html><html lang="zh-Hans"><title>stand-in</title><p>stand-in page</p></html>');
      return;
    }
    if (!file.startsWith(repo) || !existsSync(file)) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    let body = await readFile(file);
    const ext = path.extname(file);
    if (ext === '.html' && base !== '/') {
      body = body.toString('utf8')
        .replace('data-base="/"', `data-base="${base}"`)
        .replace(/(href|src|action)="\//g, `$1="${base}`);
    }
    res.writeHead(200, { 'content-type': TYPES[ext] || 'application/octet-stream',
      'content-security-policy': CSP });
    res.end(body);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ server, log, origin: `http://127.0.0.1:${server.address().port}` }));
  });
}

let srv;
let browser;

before(async () => {
  if (skip) return;
  srv = await serve();
  browser = await chromium.launch({
    executablePath: exe,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await new Promise((r) => srv.server.close(r));
});

async function openPage(urlPath) {
  const page = await browser.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(srv.origin + urlPath);
  return { page, problems };
}

const box = '[data-search-form]';

test('fetches nothing until the search box is used; results as the reader types', { skip }, async () => {
  srv.log.length = 0;
  const { page, problems } = await openPage('/');
  await page.waitForLoadState('load');
  assert.deepEqual(srv.log.filter((p) => p.startsWith('/search/')), [], 'no index fetch on load');
  const input = page.locator(`${box} [data-search-input]`);
  await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/search/meta.json')),
    input.focus(),
  ]);
  await input.pressSequentially('国际法', { delay: 30 });
  const options = page.locator(`${box} a[role="option"][href]`);
  await options.first().waitFor();
  assert.ok(await options.count() >= 3);
  assert.equal(await input.getAttribute('role'), 'combobox');
  assert.equal(await input.getAttribute('aria-expanded'), 'true');
  const listId = await input.getAttribute('aria-controls');
  assert.equal(await page.locator(`#${listId}`).getAttribute('role'), 'listbox');
  const first = options.first();
  assert.match(await first.getAttribute('href'), /^\/(states|intro)\//);
  assert.equal(await first.locator('mark').first().textContent(), '国际法');
  assert.match(await page.locator(`${box} .search-status`).textContent(), /^\d+ 个段落含有“国际法”，分布在 \d+ 份答复中$/);
  // arrows move the active option; Escape closes; Enter follows the active option
  await input.press('ArrowDown');
  const id0 = await options.nth(0).getAttribute('id');
  assert.equal(await input.getAttribute('aria-activedescendant'), id0);
  await input.press('ArrowDown');
  assert.equal(await input.getAttribute('aria-activedescendant'), await options.nth(1).getAttribute('id'));
  await input.press('ArrowUp');
  assert.equal(await input.getAttribute('aria-activedescendant'), id0);
  await input.press('Escape');
  assert.equal(await page.locator(`${box} [data-search-results]`).isHidden(), true);
  assert.equal(await input.getAttribute('aria-expanded'), 'false');
  await input.press('ArrowDown');
  await input.press('ArrowDown');
  const href = await options.nth(1).getAttribute('href');
  await Promise.all([page.waitForURL(srv.origin + href), input.press('Enter')]);
  assert.deepEqual(problems, []);
  await page.close();
});

test('no results, symbols and full-width input', { skip }, async () => {
  const { page, problems } = await openPage('/');
  const input = page.locator(`${box} [data-search-input]`);
  await input.focus();
  // some tokens but no paragraph with the whole query: said plainly, then the partial ones
  await input.fill('国际法xyz');
  await page.locator(`${box} .search-status`, { hasText: '没有段落含有完整的“国际法xyz”' }).waitFor();
  assert.equal(await page.locator(`${box} .tier-0 [role="option"]`).count(), 0);
  assert.ok(await page.locator(`${box} .tier-2 [role="option"]`).count() > 0);
  await input.fill('xyzxyz');
  await page.locator(`${box} .search-status`, { hasText: '没有找到结果。' }).waitFor();
  assert.equal(await page.locator(`${box} [role="option"]`).count(), 0);
  for (const q of ['第70/237号决议', '第 70/237 号决议', '第７０／２３７号决议']) {
    await input.fill(q);
    await page.locator(`${box} .search-status`, { hasText: q }).waitFor();
    const first = page.locator(`${box} [role="option"]`).first();
    await first.locator('mark').first().waitFor();
    const marks = await page.locator(`${box} [role="option"] mark`).allTextContents();
    assert.ok(marks.some((m) => m.replace(/\s/g, '') === '第70/237号决议'), `${q}: ${marks}`);
  }
  assert.deepEqual(problems, []);
  await page.close();
});

test('search page: fills from ?q=, groups by page, updates the URL as the reader types', { skip }, async () => {
  const { page, problems } = await openPage('/search/?q=5G');
  const area = page.locator('[data-search-page]');
  const input = area.locator('[data-search-input]');
  assert.equal(await input.inputValue(), '5G');
  // the first group is open, its links are in the tab order
  const link = area.locator('.search-group a[href]').first();
  await link.waitFor();
  assert.notEqual(await link.getAttribute('tabindex'), '-1');
  const texts = await area.locator('.search-group mark').allTextContents();
  assert.ok(texts.some((t) => t.replace(/\s/g, '').toLowerCase() === '5g'), texts.join('|'));
  await input.fill('建立信任措施');
  await page.waitForURL(/q=%E5%BB%BA%E7%AB%8B/);
  await area.locator('.search-group mark', { hasText: '建立信任措施' }).first().waitFor();
  // "more results": 的 is blocked in the fixture index, so the page moves window by window;
  // focus stays in the results
  await input.fill('的');
  const more = area.locator('button.search-more');
  await more.waitFor();
  const before = await area.locator('.search-group summary').allTextContents();
  await more.focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction((b) => {
    const s = [...document.querySelectorAll('[data-search-page] .search-group summary')].map((x) => x.textContent);
    return s.join('|') !== b;
  }, before.join('|'));
  await page.waitForFunction(() => document.activeElement && document.activeElement.closest('[data-search-results]'));
  assert.deepEqual(problems, []);
  await page.close();
});

test('base path: index and links under data-base', { skip }, async () => {
  srv.log.length = 0;
  const { page, problems } = await openPage('/repo/');
  const input = page.locator(`${box} [data-search-input]`);
  await input.focus();
  await input.fill('A/70/174');
  const first = page.locator(`${box} [role="option"]`).first();
  await first.waitFor();
  assert.match(await first.getAttribute('href'), /^\/repo\/states\//);
  const fetched = srv.log.filter((p) => p.includes('/search/'));
  assert.ok(fetched.length && fetched.every((p) => p.startsWith('/repo/search/')), fetched.join(' '));
  assert.deepEqual(problems, []);
  if (process.env.WENJI_SCREENSHOT) await page.screenshot({ path: process.env.WENJI_SCREENSHOT });
  await page.close();
});

// ---------------------------------------------------------------------------------------------
// The real site (content/): counts, groups, footnotes, names, digit groups, keyboard, landing.
// Expected figures are computed here from the stored text of the built index.
// ---------------------------------------------------------------------------------------------

let real = null; // { dir, server, docs }

async function realSite() {
  if (real) return real;
  const { buildSite, serve: serveSite } = await import('../browser/helpers.mjs');
  const { readdirSync, readFileSync } = await import('node:fs');
  const dir = buildSite();
  const server = await serveSite(dir, '/');
  const docs = [];
  const files = readdirSync(path.join(dir, 'search/d')).sort((a, b) => parseInt(a, 10) - parseInt(b, 10));
  for (const f of files) {
    for (const [url, title, section, text] of JSON.parse(readFileSync(path.join(dir, 'search/d', f), 'utf8'))) {
      docs.push({ url, title, section, text });
    }
  }
  real = { dir, server, docs };
  return real;
}

after(async () => { if (real) await real.server.close(); });

/** Paragraphs (and footnotes) whose text satisfies `has`, grouped by reply page. */
function expected(docs, has) {
  const paras = docs.filter((d) => d.url.includes('#') && has(d.text));
  const byPage = new Map();
  for (const d of paras) {
    const p = d.url.split('#')[0];
    byPage.set(p, (byPage.get(p) || 0) + 1);
  }
  return { n: paras.length, byPage, paras };
}

async function searchPage(q) {
  const r = await realSite();
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(`${r.server.origin}/search/?q=${encodeURIComponent(q)}`);
  const area = page.locator('[data-search-page]');
  await page.waitForFunction(() => {
    const s = document.querySelector('[data-search-page] .search-status');
    return s && s.textContent && !/加载|载入/.test(s.textContent);
  });
  return { page, area, problems };
}

/** The groups on the page: [{href of the page, count shown}]. */
async function groupsShown(area) {
  return area.locator('.search-group').evaluateAll((gs) => gs.map((g) => ({
    title: g.querySelector('.search-result-title').textContent,
    count: parseInt(g.querySelector('.search-result-count').textContent, 10),
  })));
}

for (const q of ['国际法', '5G', '网络欺凌', '巴黎网络空间信任与安全呼吁', '网络安全']) {
  test(`real site: ${q} counts only whole-query paragraphs, one group per reply`, { skip, timeout: 600_000 }, async () => {
    const r = await realSite();
    const want = expected(r.docs, (t) => t.replace(/\s/g, '').toLowerCase().includes(q.toLowerCase()));
    assert.ok(want.n > 0, `${q} is in the text`);
    const { page, area, problems } = await searchPage(q);
    const status = await area.locator('.search-status').textContent();
    assert.equal(status, `${want.n} 个段落含有“${q}”，分布在 ${want.byPage.size} 份答复中`);
    // every reply with the query is a group on the page, with its own count, most hits first
    const groups = await groupsShown(area);
    const titleOf = new Map(r.docs.filter((d) => !d.url.includes('#')).map((d) => [d.url, d.title]));
    const wantGroups = [...want.byPage].map(([p, n]) => ({ title: titleOf.get(p), count: n }));
    assert.deepEqual([...groups].sort((a, b) => a.title.localeCompare(b.title)),
      wantGroups.sort((a, b) => a.title.localeCompare(b.title)));
    for (let i = 1; i < groups.length; i++) assert.ok(groups[i - 1].count >= groups[i].count, JSON.stringify(groups));
    // every reply with the query is on the first screen: the overview names them all
    const viewport = page.viewportSize();
    if (groups.length > 1) {
      const items = area.locator('.search-overview-item');
      assert.deepEqual(await items.locator('.search-result-title').allTextContents(), groups.map((g) => g.title));
      const last = await items.last().boundingBox();
      assert.ok(last.y + last.height <= viewport.height, `last reply at ${last.y} of ${viewport.height}`);
      // a button opens its group and takes focus there
      await items.last().click();
      assert.equal(await area.locator('.search-group details').last().getAttribute('open'), '');
      assert.ok(await page.evaluate(() => document.activeElement.tagName === 'SUMMARY'));
    }
    // the open group lists its paragraphs with the query marked
    const first = area.locator('.search-group').first();
    assert.equal(await first.locator('a[href]').count(), groups[0].count);
    // partial matches, if any, come after the groups under their own label
    const partial = area.locator('.search-partial a[href]');
    if (await partial.count()) {
      const order = await area.locator('.search-groups, .search-partial').evaluateAll((xs) => xs.map((x) => x.className));
      assert.deepEqual(order[0], 'search-groups');
    }
    assert.deepEqual(problems, []);
    await page.close();
  });
}

test('real site: a query that is not in the text says so before the partial matches', { skip, timeout: 600_000 }, async () => {
  const r = await realSite();
  assert.equal(expected(r.docs, (t) => t.includes('量子计算')).n, 0);
  const { page, area } = await searchPage('量子计算');
  assert.equal(await area.locator('.search-status').textContent(), '没有段落含有完整的“量子计算”。');
  assert.equal(await area.locator('.search-group').count(), 0);
  assert.ok(await area.locator('.search-partial a[href]').count() > 0);
  await page.close();
});

test('real site: footnotes are found and a hit lands on the footnote', { skip, timeout: 600_000 }, async () => {
  const r = await realSite();
  const fn = expected(r.docs, (t) => t.includes('A/HRC/RES/20/8')).paras;
  assert.ok(fn.length >= 1 && fn.every((d) => /#fn-/.test(d.url)), 'the symbol is only in footnotes');
  const { page, area } = await searchPage('A/HRC/RES/20/8');
  const hrefs = await area.locator('.search-group a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(hrefs, fn.map((d) => '/' + d.url));
  // 海 in France's reply is only in a footnote
  const sea = expected(r.docs, (t) => t.includes('海'));
  const france = sea.paras.filter((d) => d.url.startsWith('states/france/'));
  assert.ok(france.length && france.every((d) => d.url.includes('#fn-')));
  await page.goto(`${r.server.origin}/search/?q=${encodeURIComponent('海')}`);
  await area.locator('.search-group summary', { hasText: '法国' }).waitFor();
  await page.close();
});

test('real site: pages are found by their names, first', { skip, timeout: 600_000 }, async () => {
  const r = await realSite();
  const names = r.docs.filter((d) => !d.url.includes('#'));
  const pageOf = (name) => names.find((d) => d.text.split(' · ').includes(name)).url;
  for (const [q, name] of [['法国', '法国'], ['France', 'France'], ['FRA', 'FRA'], ['规范(j)', '规范(j)'], ['norm (j)', 'norm (j)'], ['international law', null]]) {
    const want = name ? pageOf(name) : names.find((d) => d.text.toLowerCase().includes(q)).url;
    const { page, area } = await searchPage(q);
    const first = area.locator('.search-pages a[href]').first();
    await first.waitFor();
    assert.equal(await first.getAttribute('href'), '/' + want, q);
    await page.close();
  }
  // the header box offers it first too, even when its own paragraphs name it (法国)
  const page = await browser.newPage();
  await page.goto(`${r.server.origin}/`);
  for (const q of ['France', '法国']) {
    await page.fill('header [data-search-input]', q);
    await page.locator('header .search-status', { hasText: q }).waitFor();
    const opt = page.locator('header [role="option"]').first();
    assert.equal(await opt.getAttribute('href'), '/' + pageOf('France'), q);
  }
  await page.close();
});

test('real site: numbers with a space between digit groups match the digits together', { skip, timeout: 600_000 }, async () => {
  const r = await realSite();
  const want = expected(r.docs, (t) => /(^|[^\d])4[ \u00a0\u2009\u202f]?500(?!\d)/.test(t));
  assert.ok(want.n >= 1);
  for (const q of ['4500', '4 500', '4\u2009500']) {
    const { page, area } = await searchPage(q);
    const hrefs = await area.locator('.search-group a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.deepEqual(hrefs.sort(), want.paras.map((d) => '/' + d.url).sort(), q);
    await page.close();
  }
});

test('real site: keyboard — Enter opens the search page, Tab and arrows reach results, landing highlight', { skip, timeout: 600_000 }, async () => {
  const r = await realSite();
  const page = await browser.newPage();
  await page.goto(`${r.server.origin}/states/france/`);
  const input = page.locator('header [data-search-input]');
  await input.fill('国际法');
  await Promise.all([page.waitForURL(/\/search\/\?q=%E5%9B%BD%E9%99%85%E6%B3%95$/), input.press('Enter')]);
  const area = page.locator('[data-search-page]');
  await area.locator('.search-group a[href]').first().waitFor();
  // Tab from the input reaches the results (the search button first)
  await area.locator('[data-search-input]').focus();
  let reached = false;
  for (let i = 0; i < 4 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => !!document.activeElement.closest('[data-search-results]'));
  }
  assert.ok(reached, 'Tab reaches a result');
  // arrows: from the input to the first result, then the next
  await area.locator('[data-search-input]').focus();
  await page.keyboard.press('ArrowDown');
  const a0 = await page.evaluate(() => document.activeElement.outerHTML.slice(0, 80));
  await page.keyboard.press('ArrowDown');
  const a1 = await page.evaluate(() => document.activeElement.outerHTML.slice(0, 80));
  assert.notEqual(a0, a1);
  assert.ok(await page.evaluate(() => !!document.activeElement.closest('[data-search-results]')));
  // following a paragraph highlights the query where it lands
  const link = area.locator('.search-group a[href*="#"]').first();
  const href = await link.getAttribute('href');
  await Promise.all([page.waitForURL(r.server.origin + href), link.click()]);
  const id = decodeURIComponent(href.split('#')[1]);
  const marked = await page.locator(`[id="${id}"] mark.search-landing`).allTextContents();
  assert.ok(marked.length && marked.every((m) => m === '国际法'), marked.join('|'));
  await page.close();
});

test('real site: filters by concept, region and reply, with counts, kept in the URL', { skip, timeout: 600_000 }, async () => {
  const r = await realSite();
  const { readFileSync } = await import('node:fs');
  const f = JSON.parse(readFileSync(path.join(r.dir, 'search/f.json'), 'utf8'));
  // doc ids are positions in the doc store; groups are runs of one page, as in g.json
  const ids = new Map(r.docs.map((d, i) => [d, i]));
  const pages = [];
  for (const d of r.docs) { const p = d.url.split('#')[0]; if (pages[pages.length - 1] !== p) pages.push(p); }
  const groupOf = (d) => pages.indexOf(d.url.split('#')[0]);
  const docsOf = (k) => { let x = 0; return new Set(f.docs[k].map((v, j) => (x = j ? x + v : v))); };
  const ci = f.concepts.findIndex((c) => c[0] === 'international-law');
  assert.ok(ci >= 0);
  const tagged = docsOf(ci);
  const hits = expected(r.docs, (t) => t.includes('国际法')).paras;
  const inConcept = hits.filter((d) => tagged.has(ids.get(d)));
  assert.ok(inConcept.length > 0 && inConcept.length < hits.length);
  const { page, area } = await searchPage('国际法');
  await area.locator('select[name="concept"]').waitFor();
  // the concept option shows its count
  const label = await area.locator(`select[name="concept"] option[value="international-law"]`).textContent();
  assert.equal(label, `${f.concepts[ci][1]} (${inConcept.length})`);
  await area.locator('select[name="concept"]').selectOption('international-law');
  const replies = new Set(inConcept.map((d) => d.url.split('#')[0]));
  await area.locator('.search-status', { hasText: `${inConcept.length} 个段落` }).waitFor();
  assert.equal(await area.locator('.search-status').textContent(), `${inConcept.length} 个段落含有“国际法”，分布在 ${replies.size} 份答复中`);
  assert.equal(new URL(page.url()).searchParams.get('concept'), 'international-law');
  // combined with a region: the URL carries both, and a fresh load gives the same count
  const france = f.groups[groupOf(r.docs.find((d) => d.url === 'states/france/'))];
  const region = f.regions[france[1]][0];
  const both = inConcept.filter((d) => { const g = f.groups[groupOf(d)]; return g[1] >= 0 && f.regions[g[1]][0] === region; });
  await area.locator('select[name="region"]').selectOption(region);
  await area.locator('.search-status', { hasText: `${both.length} 个段落` }).waitFor();
  const url = page.url();
  assert.equal(new URL(url).searchParams.get('region'), region);
  await page.goto(url);
  await area.locator('.search-status', { hasText: `${both.length} 个段落` }).waitFor();
  // and a reply
  await area.locator('select[name="reply"]').selectOption('france');
  const fr = both.filter((d) => d.url.startsWith('states/france/'));
  await area.locator('.search-status', { hasText: `${fr.length} 个段落` }).waitFor();
  assert.deepEqual(await groupsShown(area), [{ title: '法国', count: fr.length }]);
  await page.close();
});
