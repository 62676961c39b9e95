// What the reader does: cite a paragraph, compare replies on a concept page, sort and filter the
// replies, follow an old URL with its #fragment, use the keyboard, and read the site from a
// sub-path (`/wenji/`). Run: node --test --test-concurrency=1 tests/browser/
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  REPO, buildSite, fixtureRoot, serve, serveUnderSubPath, launch, pagesByKind, openPage, overflow,
  htmlFiles, ensureScreenshots,
} from './helpers.mjs';

let site, fixture, browser;

before(async () => {
  const dir = buildSite();
  site = { dir, server: await serve(dir), kinds: pagesByKind(dir) };
  const fdir = buildSite({ root: fixtureRoot() });
  fixture = { dir: fdir, server: await serve(fdir), kinds: pagesByKind(fdir) };
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await site?.server.close();
  await fixture?.server.close();
  for (const d of [site?.dir, fixture?.dir]) if (d) rmSync(d, { recursive: true, force: true });
});

async function withPage(url, width, fn, opts = {}) {
  const context = await browser.newContext({ viewport: { width, height: 800 }, ...opts });
  try {
    const { page, log } = await openPage(context, url);
    await fn(page, log);
    assert.deepEqual(log.consoleErrors, [], 'console errors');
    assert.deepEqual(log.failed, [], 'failed requests');
  } finally {
    await context.close();
  }
}

for (const width of [1280, 375]) {
  test(`cite a paragraph at ${width} px: the dialog gives its number and #pN URL`, async () => {
    const reply = site.kinds.reply;
    await withPage(site.server.url(reply), width, async (page) => {
      const button = page.locator('button.cite[data-p="2"]');
      await button.click();
      const dialog = page.locator('dialog[data-cite-dialog]');
      await assert.doesNotReject(dialog.waitFor({ state: 'visible', timeout: 3000 }));
      const zh = await dialog.locator('[data-cite-out="zh"]').textContent();
      const en = await dialog.locator('[data-cite-out="en"]').textContent();
      assert.match(zh, /第 2 段/);
      assert.match(en, /para\. 2/);
      assert.ok(zh.includes(`${site.server.url(reply)}#p2`), zh);
      assert.ok(en.endsWith('#p2'), en);
      await page.screenshot({ path: join(ensureScreenshots(), `cite-dialog-${width}.png`) });
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      assert.equal(await page.evaluate(() => document.activeElement.getAttribute('data-p')), '2', 'focus returns to the button');
    }, { permissions: [] });
  });
}

test('the cite button is reachable and usable by keyboard, with a visible focus', async () => {
  await withPage(site.server.url(site.kinds.reply), 1280, async (page) => {
    // Tab from the paragraph's number link to its cite button.
    await page.locator('#p1 a.pn').focus();
    let guard = 0;
    while (guard++ < 20) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => document.activeElement.matches('button.cite'))) break;
    }
    await page.waitForTimeout(300); // the button fades in
    const info = await page.evaluate(() => {
      const e = document.activeElement;
      const s = getComputedStyle(e);
      const r = e.getBoundingClientRect();
      return { p: e.getAttribute('data-p'), outline: s.outlineStyle, width: s.outlineWidth, opacity: s.opacity, w: r.width, h: r.height };
    });
    assert.equal(info.p, '1');
    assert.notEqual(info.outline, 'none');
    assert.equal(info.opacity, '1', 'the focused button is shown');
    assert.ok(info.w > 10 && info.h > 10);
    await page.keyboard.press('Enter');
    await page.locator('dialog[data-cite-dialog]').waitFor({ state: 'visible', timeout: 3000 });
    assert.match(await page.locator('[data-cite-out="zh"]').textContent(), /第 1 段/);
  });
});

test('the table of contents follows the reader on a wide screen', async () => {
  const { biggestReply } = await import('./helpers.mjs');
  await withPage(site.server.url(biggestReply(site.dir)), 1280, async (page) => {
    const links = page.locator('nav.toc a');
    if (await links.count() < 2) return;
    const last = await links.last().getAttribute('href');
    await page.locator(last).scrollIntoViewIfNeeded();
    await page.evaluate((id) => document.querySelector(id).scrollIntoView({ block: 'start' }), last);
    await page.waitForTimeout(300);
    const r = await page.evaluate(() => {
      const toc = document.querySelector('nav.toc');
      const sticky = toc.closest('.toc-box');
      const box = toc.getBoundingClientRect();
      const cur = toc.querySelector('a[aria-current]');
      return { top: box.top, bottom: box.bottom, position: getComputedStyle(sticky).position, current: cur && cur.getAttribute('href'), h: innerHeight };
    });
    assert.equal(r.position, 'sticky');
    assert.ok(r.top >= 0 && r.top < r.h, `the table of contents is in view (top ${r.top})`);
    assert.equal(r.current, last);
  });
});

test('the map and the charts have text equivalents, and the map is usable by keyboard', async () => {
  await withPage(site.server.url(''), 1280, async (page) => {
    const map = page.locator('svg.world-map');
    if (await map.count() === 0) return; // no map on this site
    const r = await page.evaluate(() => {
      const svg = document.querySelector('svg.world-map');
      const name = (id) => (document.getElementById(id) || {}).textContent || '';
      const hits = [...svg.querySelectorAll('a.map-hit')];
      return {
        title: name(svg.getAttribute('aria-labelledby')), desc: name(svg.getAttribute('aria-describedby')),
        hits: hits.map((a) => a.getAttribute('aria-label')),
        replies: [...document.querySelectorAll('.reply-grid .name')].map((e) => e.textContent),
        land: getComputedStyle(svg.querySelector('.map-land')).fill,
        hit: getComputedStyle(svg.querySelector('.map-hit path, .map-hit circle')).fill,
        charts: [...document.querySelectorAll('figure.chart')].map((f) => ({
          bars: f.querySelectorAll('.chart-row').length, rows: f.querySelectorAll('table tr').length,
        })),
      };
    });
    assert.ok(r.title.length > 0 && r.desc.length > 0);
    assert.ok(r.hits.length > 0 && r.hits.every((h) => h && r.replies.includes(h)), 'every State on the map is also in the list of replies');
    assert.notEqual(r.land, 'rgb(0, 0, 0)', 'the land is coloured by the stylesheet');
    assert.notEqual(r.land, r.hit);
    for (const c of r.charts) assert.equal(c.rows, c.bars, 'each chart has a table of its numbers');
    // Tab to the first State on the map and see the focus.
    await page.locator('a.map-hit').first().focus();
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, 'none');
  });
});

test('the skip link is the first stop and takes focus to the main content', async () => {
  await withPage(site.server.url(''), 375, async (page) => {
    await page.keyboard.press('Tab');
    const skip = await page.evaluate(() => {
      const e = document.activeElement;
      const r = e.getBoundingClientRect();
      return { cls: e.className, top: r.top, bottom: r.bottom, outline: getComputedStyle(e).outlineStyle };
    });
    assert.equal(skip.cls, 'skip');
    assert.ok(skip.top >= 0 && skip.bottom > 0, 'the skip link shows when focused');
    assert.notEqual(skip.outline, 'none');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'main');
  });
});

test('concept page: choosing replies narrows the groups and puts ?r= in the URL', async () => {
  const concept = site.kinds.concept || fixture.kinds.concept;
  const server = site.kinds.concept ? site.server : fixture.server;
  await withPage(server.url(concept), 375, async (page) => {
    const boxes = page.locator('[data-compare-option]');
    const n = await boxes.count();
    if (n < 2) return; // nothing to compare
    assert.equal(await page.locator('[data-compare]').isVisible(), true);
    const slug = await boxes.nth(1).getAttribute('value');
    await boxes.nth(1).check();
    const visible = await page.locator('section.group:visible').evaluateAll((gs) => gs.map((g) => g.dataset.reply));
    assert.deepEqual(visible, [slug]);
    assert.equal(new URL(page.url()).searchParams.get('r'), slug);
    const slug0 = await boxes.nth(0).getAttribute('value');
    await boxes.nth(0).check();
    assert.equal(await page.locator('section.group:visible').count(), 2);
    assert.deepEqual(new URL(page.url()).searchParams.get('r').split(',').sort(), [slug, slug0].sort());
    await page.screenshot({ path: join(ensureScreenshots(), 'concept-compare-375.png'), fullPage: true });
    // The URL can be shared: loading it shows the same choice.
    const shared = page.url();
    await page.goto(shared);
    assert.equal(await page.locator('section.group:visible').count(), 2);
    await page.locator('[data-compare-reset]').click();
    assert.equal(await page.locator('section.group:visible').count(), n);
    assert.equal(new URL(page.url()).searchParams.get('r'), null);
  });
});

test('replies table: sorts by a column and filters by name and region', async () => {
  await withPage(site.server.url(site.kinds.replies), 375, async (page) => {
    const rows = page.locator('table[data-sortable] tbody tr');
    const total = await rows.count();
    assert.ok(total >= 2);
    const col = await page.locator('table[data-sortable] thead th').evaluateAll((ths) => ths.findIndex((th) => th.dataset.sort === 'number' && /段/.test(th.textContent)));
    const numbers = () => page.locator('table[data-sortable] tbody tr').evaluateAll((trs, c) => trs.map((tr) => Number(tr.cells[c].dataset.value)), col);
    const sortButton = page.locator('table[data-sortable] thead th').nth(col).locator('button.sort');
    await sortButton.click();
    const asc = await numbers();
    assert.deepEqual(asc, [...asc].sort((a, b) => a - b));
    assert.equal(await page.locator('table[data-sortable] thead th').nth(col).getAttribute('aria-sort'), 'ascending');
    await sortButton.press('Enter');
    const desc = await numbers();
    assert.deepEqual(desc, [...desc].sort((a, b) => b - a));
    // Filter by name (Chinese or English).
    const first = await page.locator('table[data-sortable] tbody tr th a').first().textContent();
    await page.locator('[data-filter-text]').fill(first);
    assert.ok(await page.locator('table[data-sortable] tbody tr:visible').count() >= 1);
    assert.ok(await page.locator('table[data-sortable] tbody tr:visible').count() < total);
    await page.locator('[data-filter-text]').fill('');
    const region = await page.locator('[data-filter-region] option').nth(1).getAttribute('value');
    await page.locator('[data-filter-region]').selectOption(region);
    const regions = await page.locator('table[data-sortable] tbody tr:visible').evaluateAll((trs) => trs.map((tr) => tr.dataset.region));
    assert.ok(regions.length >= 1);
    assert.ok(regions.every((r) => r === region), JSON.stringify(regions));
    assert.equal(await overflow(page), null);
  });
});

test('an old URL redirects to its new page with the #fragment', async () => {
  const from = fixture.kinds.redirect;
  assert.ok(from, 'the fixture has an alias');
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(fixture.server.url(from) + '#p3');
    await page.waitForURL(/#p3$/, { timeout: 5000 });
    const u = new URL(page.url());
    assert.notEqual(u.pathname, '/' + from);
    assert.equal(u.hash, '#p3');
    assert.ok(await page.locator('#p3').count(), 'the target has the paragraph');
    // Where a host has no redirect page (only the 404 page), the 404 page's script redirects.
    const redirects = JSON.parse(/<script id="?wenji-redirects"?[^>]*>(.*?)<\/script>/s.exec(readFileSync(join(fixture.dir, '404.html'), 'utf8'))[1]);
    const [old, target] = Object.entries(redirects)[0];
    await page.route(fixture.server.origin + old, (route) => route.fulfill({
      status: 404, contentType: 'text/html; charset=utf-8', body: readFileSync(join(fixture.dir, '404.html')),
    }));
    await page.goto(fixture.server.origin + old + '#p2');
    await page.waitForURL(/#p2$/, { timeout: 5000 });
    assert.equal(new URL(page.url()).pathname, target);
    assert.equal(new URL(page.url()).hash, '#p2');
  } finally {
    await context.close();
  }
});

test('sub-path hosting: links, assets and search requests stay under /wenji/', { timeout: 300_000 }, async () => {
  const { dir, server } = await serveUnderSubPath();
  try {
    const kinds = pagesByKind(dir);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const requests = [];
    context.on('request', (r) => requests.push(r.url()));
    for (const [kind, path] of Object.entries(kinds)) {
      if (kind === 'redirect') continue;
      const { page, log } = await openPage(context, server.url(path), { allow404: kind === '404' });
      assert.deepEqual(log.failed, [], `${kind}: failed requests`);
      assert.deepEqual(log.consoleErrors, [], `${kind}: console errors`);
      const hrefs = await page.evaluate(() => [...document.querySelectorAll('a[href], link[href], script[src]')]
        .map((e) => new URL(e.getAttribute('href') || e.getAttribute('src'), location.href).href)
        .filter((h) => h.startsWith(location.origin)));
      const outside = hrefs.filter((h) => !new URL(h).pathname.startsWith('/wenji/'));
      assert.deepEqual(outside, [], `${kind}: links outside /wenji/`);
      if (kind === 'home') {
        // The search box fetches its index from under the base.
        const search = page.locator('header [data-search-input]');
        await search.fill('国际法');
        await page.waitForTimeout(800);
      }
      await page.close();
    }
    const own = requests.filter((u) => u.startsWith(server.origin));
    assert.ok(own.length > 0);
    assert.deepEqual(own.filter((u) => !new URL(u).pathname.startsWith('/wenji/')), []);
    // Every link of every page resolves on the server.
    const { existsSync } = await import('node:fs');
    const missing = [];
    for (const f of htmlFiles(dir)) {
      const html = readFileSync(join(dir, f), 'utf8');
      for (const m of html.matchAll(/(?:href|src)="?(\/[^"\s>#?]*)/g)) {
        const p = m[1];
        if (!p.startsWith('/wenji/')) { missing.push(`${f}: ${p}`); continue; }
        const rel = p.slice('/wenji/'.length);
        const file = join(dir, rel.endsWith('/') || rel === '' ? rel + 'index.html' : rel);
        if (!existsSync(file) && !existsSync(join(dir, rel, 'index.html'))) missing.push(`${f}: ${p}`);
      }
    }
    assert.deepEqual(missing.slice(0, 20), []);
    await context.close();
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('print: a reply prints with its paragraph numbers and URLs, without navigation or buttons', async () => {
  const context = await browser.newContext();
  try {
    const { biggestReply } = await import('./helpers.mjs');
    const { page } = await openPage(context, site.server.url(biggestReply(site.dir)));
    await page.emulateMedia({ media: 'print' });
    const r = await page.evaluate(() => {
      const shown = (sel) => [...document.querySelectorAll(sel)].some((e) => getComputedStyle(e).display !== 'none' && e.getClientRects().length);
      const ext = document.querySelector('.body a[href^="http"]');
      return {
        header: shown('header.top'), cite: shown('button.cite'), toc: shown('nav.toc'), search: shown('form.search'),
        pn: shown('a.pn'), after: ext ? getComputedStyle(ext, '::after').content : null,
        offPage: [...document.querySelectorAll('a.pn')].filter((a) => a.getBoundingClientRect().left < 0).map((a) => a.textContent),
      };
    });
    assert.deepEqual({ header: r.header, cite: r.cite, toc: r.toc, search: r.search, pn: r.pn }, { header: false, cite: false, toc: false, search: false, pn: true });
    if (r.after !== null) assert.match(r.after, /http/);
    assert.deepEqual(r.offPage, [], 'paragraph numbers off the page');
    const pdf = await page.pdf({ format: 'A4' });
    assert.ok(pdf.length > 1000);
  } finally {
    await context.close();
  }
});
