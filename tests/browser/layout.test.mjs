// The reader's site on every screen: a reply on a phone, the contents' mark after any jump,
// the matrix, the map, side-by-side comparison, the 404 page, text that does not spread out.
// Run: node --test tests/browser/layout.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { buildSite, serve, launch, openPage, htmlFiles, urlOf } from './helpers.mjs';

let site, browser, replies;

before(async () => {
  const dir = buildSite();
  site = { dir, server: await serve(dir) };
  replies = htmlFiles(dir).filter((f) => /^states\/[^/]+\/index\.html$/.test(f)).map(urlOf);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await site?.server.close();
  if (site?.dir) rmSync(site.dir, { recursive: true, force: true });
});

async function withPage(path, fn, { width = 1280, height = 900, ...opts } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, ...opts });
  try {
    const { page, log } = await openPage(context, site.server.url(path), { allow404: true });
    await fn(page);
    assert.deepEqual(log.consoleErrors, [], 'console errors');
  } finally {
    await context.close();
  }
}

test('on a phone (375×740) every reply starts its text on the first screen', async () => {
  assert.ok(replies.length >= 20, `${replies.length} replies`);
  const context = await browser.newContext({ viewport: { width: 375, height: 740 } });
  try {
    const page = await context.newPage();
    for (const path of replies) {
      await page.goto(site.server.url(path));
      const r = await page.evaluate(() => ({
        first: document.querySelector('.body .para').getBoundingClientRect().top,
        metaOpen: document.querySelector('.meta-card').open,
        summary: document.querySelector('.meta-card > summary').getBoundingClientRect().height,
      }));
      assert.ok(r.first < 740 - 40, `${path}: the first paragraph starts at ${Math.round(r.first)} px`);
      assert.equal(r.metaOpen, false, `${path}: the metadata is folded`);
      assert.ok(r.summary > 0, `${path}: its summary line shows`);
    }
  } finally {
    await context.close();
  }
});

test('on a phone the metadata opens from its summary line, and the contents stay one tap away', async () => {
  await withPage('states/france/', async (page) => {
    await page.locator('.meta-card > summary').click();
    assert.ok(await page.locator('.meta-card .tags a').first().isVisible(), 'the concept chips show');
    // Read on, deep into the reply: the contents' bar is still at the top of the window.
    await page.evaluate(() => document.querySelector('#p40').scrollIntoView());
    await page.waitForTimeout(100);
    const bar = page.locator('.toc-box > summary');
    const box = await bar.boundingBox();
    assert.ok(box && box.y >= 0 && box.y < 5, `the contents' bar is at the top (y ${box && box.y})`);
    assert.notEqual((await page.locator('[data-toc-now]').textContent()).trim(), '', 'it names the section being read');
    await bar.click();
    const links = page.locator('nav.toc a');
    const target = await links.nth(1).getAttribute('href');
    await links.nth(1).click();
    await page.waitForTimeout(200);
    const r = await page.evaluate((id) => ({
      top: document.querySelector(id).getBoundingClientRect().top,
      bar: document.querySelector('.toc-box').getBoundingClientRect().bottom,
      open: document.querySelector('.toc-box').open,
    }), target);
    assert.equal(r.open, false, 'the contents close after a choice');
    assert.ok(r.top >= r.bar - 1 && r.top < 200, `the section starts below the bar (${r.top} vs ${r.bar})`);
  }, { width: 375, height: 740 });
});

/** The href of the contents' marked link, and the id of the section heading before `sel`. */
async function markAndSection(page, sel) {
  // Keyboard scrolling is animated: wait until the page stands still, then one frame more.
  await page.evaluate(() => new Promise((done) => {
    let last = -1, still = 0;
    const tick = () => {
      if (scrollY === last && ++still > 3) return requestAnimationFrame(() => requestAnimationFrame(done));
      if (scrollY !== last) still = 0;
      last = scrollY;
      setTimeout(tick, 40);
    };
    tick();
  }));
  return page.evaluate((sel) => {
    const cur = document.querySelector('nav.toc a[aria-current]');
    const ids = new Set([...document.querySelectorAll('nav.toc a')].map((a) => a.getAttribute('href').slice(1)));
    const target = sel && document.querySelector(sel);
    let section = null;
    if (target) {
      for (const h of document.querySelectorAll('.body [id]')) {
        if (!ids.has(h.id)) continue;
        if (h.compareDocumentPosition(target) & Node.DOCUMENT_POSITION_FOLLOWING) section = '#' + h.id; else break;
      }
    }
    return { mark: cur && cur.getAttribute('href'), section };
  }, sel);
}

for (const width of [1280, 375]) {
  test(`at ${width} px the contents mark the section right after any jump`, async () => {
    await withPage('states/france/#p12', async (page) => {
      let r = await markAndSection(page, '#p12');
      assert.equal(r.mark, r.section, 'opened at #p12');
      await page.evaluate(() => { location.hash = '#p67'; });
      r = await markAndSection(page, '#p67');
      assert.equal(r.mark, r.section, 'after a jump to #p67');
      await page.keyboard.press('Home');
      r = await markAndSection(page, null);
      assert.equal(r.mark, null, 'after Home, above the first section');
      await page.keyboard.press('End');
      r = await markAndSection(page, '.footnotes');
      assert.equal(r.mark, r.section, 'after End');
      await page.evaluate(() => { location.hash = '#p12'; });
      await page.waitForTimeout(150);
      await page.locator('#p11 sup.fnref a').click();
      r = await markAndSection(page, '.footnotes');
      assert.equal(r.mark, r.section, 'after a footnote link');
      await page.locator('.footnotes li:target a.back').click();
      r = await markAndSection(page, '#p11');
      assert.equal(r.mark, r.section, 'after the way back');
    }, { width });
  });
}

test('the matrix on a phone: a header row and name column that stay, no label behind the names', async () => {
  await withPage('matrix/', async (page) => {
    const wrap = page.locator('.matrix-wrap');
    await wrap.scrollIntoViewIfNeeded();
    await wrap.evaluate((w) => { w.scrollLeft = 260; w.scrollTop = 240; });
    await page.waitForTimeout(100);
    const r = await page.evaluate(() => {
      const w = document.querySelector('.matrix-wrap').getBoundingClientRect();
      const corner = document.querySelector('table.matrix thead th').getBoundingClientRect();
      const heads = [...document.querySelectorAll('table.matrix thead th')];
      // What shows at points across the corner and down the name column.
      const probe = (x, y) => {
        const el = document.elementFromPoint(x, y);
        return el && el.closest('th') ? el.closest('th') : el;
      };
      const leaks = [];
      for (let x = corner.left + 2; x < corner.right - 1; x += 6) {
        for (let y = corner.top + 2; y < corner.bottom - 1; y += 6) {
          const th = probe(x, y);
          if (th !== heads[0]) leaks.push(`${Math.round(x)},${Math.round(y)}: ${th && th.textContent}`);
        }
      }
      return {
        wrapTop: w.top, cornerTop: corner.top, cornerLeft: corner.left, wrapLeft: w.left,
        headTop: heads[5].getBoundingClientRect().top, leaks: leaks.slice(0, 5),
      };
    });
    assert.ok(Math.abs(r.headTop - r.wrapTop) < 2, `the header row stays at the top (${r.headTop} vs ${r.wrapTop})`);
    assert.ok(Math.abs(r.cornerLeft - r.wrapLeft) < 2, 'the corner stays at the left');
    assert.deepEqual(r.leaks, [], 'only the corner shows in the corner');
  }, { width: 375, height: 740 });
});

test('the matrix names the norms legibly: (a) across, the full name in a legend and on focus', async () => {
  await withPage('matrix/', async (page) => {
    const heads = await page.locator('table.matrix thead th.child a').evaluateAll((as) => as.map((a) => ({
      text: a.textContent, shown: a.querySelector('[aria-hidden]')?.textContent, mode: getComputedStyle(a).writingMode,
      size: parseFloat(getComputedStyle(a.querySelector('[aria-hidden]') || a).fontSize), full: a.dataset.full,
    })));
    assert.ok(heads.length >= 11, `${heads.length} norm columns`);
    for (const h of heads) {
      assert.match(h.shown, /^\([a-k]\)$/, h.text);
      assert.equal(h.mode, 'horizontal-tb', h.shown);
      assert.ok(h.size >= 12, `${h.shown} at ${h.size} px`);
    }
    const legend = await page.locator('.matrix-legend').textContent();
    for (const h of heads) assert.ok(legend.includes(h.shown) && legend.includes(h.full.split('：')[1]), h.full);
    await page.locator('table.matrix thead th.child a').first().focus();
    assert.equal(await page.locator('[data-matrix-focus]').textContent(), heads[0].full);
    await page.locator('table.matrix td a').first().focus();
    assert.match(await page.locator('[data-matrix-focus]').textContent(), /^\S+ · \S+：.+ — \d+$/);
  }, { width: 375, height: 740 });
});

test('the matrix has a per-reply list on phones, not on wide screens', async () => {
  await withPage('matrix/', async (page) => {
    assert.ok(await page.locator('.matrix-list').isVisible());
    assert.equal(await page.locator('.matrix-replies > li').count(), replies.length);
    const france = page.locator('.matrix-replies > li', { hasText: '法国' });
    assert.ok(await france.locator('.tags a').count() >= 10);
  }, { width: 375, height: 740 });
  await withPage('matrix/', async (page) => {
    assert.equal(await page.locator('.matrix-list').isVisible(), false);
  });
});

/**
 * The widest Chinese character of `sel`, in em: justification adds its spacing to each
 * character's box, so a spread-out line shows as characters wider than 1 em.
 */
async function widestGap(page, sel) {
  return page.locator(sel).evaluate((root) => {
    const han = /[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]/;
    let worst = { gap: 0, at: '' };
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const r = document.createRange();
    for (let t = walker.nextNode(); t; t = walker.nextNode()) {
      const em = parseFloat(getComputedStyle(t.parentElement).fontSize);
      for (let i = 0; i < t.data.length; i++) {
        if (!han.test(t.data[i])) continue;
        r.setStart(t, i); r.setEnd(t, i + 1);
        const rects = r.getClientRects();
        if (rects.length !== 1) continue;
        const gap = rects[0].width / em - 1;
        if (gap > worst.gap) worst = { gap, at: t.data.slice(Math.max(0, i - 3), i + 4) };
      }
    }
    return worst;
  });
}

for (const width of [1280, 768, 375]) {
  test(`at ${width} px no Chinese text is spread out beside a long URL`, async () => {
    await withPage('concepts/international-law/', async (page) => {
      for (const sel of ['#r-australia .passage:nth-of-type(2) .quote', '#r-australia .passage:nth-of-type(3) .quote']) {
        const w = await widestGap(page, sel);
        assert.ok(w.gap < 0.2, `${sel}: a character ${w.gap.toFixed(2)} em too wide in ${w.at}`);
      }
    }, { width });
    await withPage('states/australia/', async (page) => {
      for (const sel of ['#p4', '#p5']) {
        const w = await widestGap(page, sel);
        assert.ok(w.gap < 0.2, `${sel}: a character ${w.gap.toFixed(2)} em too wide in ${w.at}`);
      }
    }, { width });
  });
}

test('one tag where one is meant: a section\'s concept shows once on it, and every passage keeps its concepts', async () => {
  const { readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const data = JSON.parse(readFileSync(join(site.dir, 'data', 'paragraphs.json'), 'utf8')).paragraphs;
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    let viaHeading = 0;
    for (const path of replies) {
      await page.goto(site.server.url(path));
      // Each passage's tags: its own and those of the headings above it, by concept URL.
      const shown = await page.evaluate(() => {
        const out = {};
        const open = []; // [level, hrefs]
        for (const el of document.querySelectorAll('.body h2, .body h3, .body h4, .body h5, .body h6, .body ul.tags, .body .para')) {
          if (/^H\d$/.test(el.tagName)) {
            const level = +el.tagName[1];
            while (open.length && open[open.length - 1][0] >= level) open.pop();
            open.push([level, []]);
          } else if (el.matches('ul.tags')) {
            open[open.length - 1][1].push(...[...el.querySelectorAll('a')].map((a) => a.pathname));
          } else {
            const own = [...el.querySelectorAll(':scope > .tags.inline a')].map((a) => a.pathname);
            out[el.id.slice(1)] = { own, above: open.flatMap(([, h]) => h) };
          }
        }
        return out;
      });
      const slug = path.split('/')[1];
      for (const p of data.filter((x) => x.slug === slug)) {
        const s = shown[p.paragraph];
        assert.ok(s, `${slug} p${p.paragraph} on the page`);
        const all = new Set([...s.own, ...s.above].map((u) => u.split('/').filter(Boolean).pop()));
        for (const c of p.concepts) assert.ok(all.has(c), `${slug} p${p.paragraph}: ${c} shown`);
        const above = new Set(s.above.map((u) => u.split('/').filter(Boolean).pop()));
        viaHeading += p.concepts.filter((c) => above.has(c)).length;
        for (const u of s.own) assert.ok(!s.above.includes(u), `${slug} p${p.paragraph}: ${u} repeated under its heading`);
      }
    }
    assert.ok(viaHeading > 0, 'some sections carry a concept once, on their heading');
    // Honduras: the national-efforts tag shows fewer times than the passages that carry it.
    const tagged = data.filter((x) => x.slug === 'honduras' && x.concepts.includes('national-efforts')).length;
    await page.goto(site.server.url('states/honduras/'));
    const shownTimes = await page.locator('.body a[href$="/concepts/national-efforts/"]').count();
    assert.ok(shownTimes < tagged, `Honduras: 国家努力 shown ${shownTimes} times for ${tagged} passages`);
  } finally {
    await context.close();
  }
});

test('compare: two or three chosen replies stand side by side on wide screens, stacked on phones, ?r= kept', async () => {
  const path = 'concepts/international-law/';
  await withPage(path, async (page) => {
    const boxes = page.locator('[data-compare-option]');
    const slugs = await boxes.evaluateAll((bs) => bs.map((b) => b.value));
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    assert.equal(new URL(page.url()).searchParams.get('r'), `${slugs[0]},${slugs[1]}`);
    const rects = await page.locator('section.group:not([hidden])').evaluateAll((gs) => gs.map((g) => g.getBoundingClientRect().toJSON()));
    assert.equal(rects.length, 2);
    assert.ok(Math.abs(rects[0].top - rects[1].top) < 2 && rects[1].left > rects[0].right, 'two columns');
    assert.ok(rects[0].width > 300, `columns ${Math.round(rects[0].width)} px wide`);
    await boxes.nth(2).check();
    const three = await page.locator('section.group:not([hidden])').evaluateAll((gs) => gs.map((g) => g.getBoundingClientRect().left));
    assert.equal(new Set(three.map(Math.round)).size, 3, 'three columns');
    await boxes.nth(3).check();
    const four = await page.locator('section.group:not([hidden])').evaluateAll((gs) => gs.map((g) => g.getBoundingClientRect().left));
    assert.equal(new Set(four.map(Math.round)).size, 1, 'four or more are listed one under another');
  });
  // A shared URL opens side by side; on a phone the same choice is stacked.
  await withPage(`${path}?r=australia,canada`, async (page) => {
    const lefts = await page.locator('section.group:not([hidden])').evaluateAll((gs) => gs.map((g) => g.getBoundingClientRect().left));
    assert.equal(lefts.length, 2);
    assert.notEqual(Math.round(lefts[0]), Math.round(lefts[1]));
  });
  await withPage(`${path}?r=australia,canada`, async (page) => {
    const rects = await page.locator('section.group:not([hidden])').evaluateAll((gs) => gs.map((g) => g.getBoundingClientRect().toJSON()));
    assert.equal(rects.length, 2);
    assert.ok(rects[1].top > rects[0].bottom - 1 && Math.round(rects[0].left) === Math.round(rects[1].left), 'stacked');
  }, { width: 375, height: 740 });
});

test('404: a mistyped address gets the nearest pages and a search box with its words', async () => {
  const cases = [
    ['states/frnace/', '/states/france/'],
    ['states/bosnia/', '/states/bosnia-and-herzegovina/'],
    [`states/${encodeURIComponent('法囯')}/`, '/states/france/'],
    ['concepts/international-lwa/', '/concepts/international-law/'],
  ];
  for (const [path, want] of cases) {
    await withPage(path, async (page) => {
      const links = await page.locator('[data-suggest] a').evaluateAll((as) => as.map((a) => a.pathname));
      assert.ok(links.length >= 1 && links.length <= 3, `${path}: ${links}`);
      assert.equal(links[0], want, `${path}: ${links}`);
      assert.ok(await page.locator('[data-suggest]').isVisible());
      const q = page.locator('main form[role="search"] input[name="q"]');
      assert.ok(await q.isVisible(), 'a search box in the page');
      assert.notEqual(await q.inputValue(), '');
    }, { width: 375, height: 740 });
  }
  await withPage('zzzzqqqq/', async (page) => {
    assert.equal(await page.locator('[data-suggest]').isVisible(), false, 'no suggestion when nothing is near');
  });
});

for (const width of [1280, 768, 375]) {
  test(`at ${width} px every replying State on the map is a target of at least 24×24 px, named on focus and hover`, async () => {
    await withPage('', async (page) => {
      const hits = page.locator('a.map-hit');
      const n = await hits.count();
      assert.ok(n >= 19, `${n} States on the map`);
      for (let i = 0; i < n; i++) {
        const hit = hits.nth(i);
        const name = await hit.getAttribute('aria-label');
        await hit.scrollIntoViewIfNeeded();
        const r = await hit.evaluate((a) => {
          // The State's own target: its marker if it has one, else its shape.
          const t = a.querySelector('.map-dot') || a.querySelector('path');
          const b = t.getBoundingClientRect();
          const frame = a.closest('.map-frame').getBoundingClientRect();
          // Points of the target (inside the frame) where a click reaches this State's link.
          let own = 0;
          for (let y = b.top + 1; y < b.bottom; y += 3) {
            for (let x = Math.max(b.left, frame.left) + 1; x < Math.min(b.right, frame.right); x += 3) {
              const el = document.elementFromPoint(x, y);
              if (el && el.closest('a.map-hit') === a) own++;
            }
          }
          const c = document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2);
          return {
            w: b.width, h: b.height, marker: !!a.querySelector('.map-dot'), own,
            centre: !!c && c.closest('a.map-hit') === a,
          };
        });
        if (r.marker) {
          assert.ok(r.w >= 24 && r.h >= 24, `${name}: marker ${r.w.toFixed(1)}×${r.h.toFixed(1)} px`);
          assert.ok(r.centre, `${name}: its marker is not covered by another`);
        } else {
          // A State without a marker is at least 24 px across on the narrowest map.
          assert.ok(Math.max(r.w, r.h) >= 24, `${name}: ${r.w.toFixed(1)}×${r.h.toFixed(1)} px`);
          assert.ok(r.own > 0, `${name}: reachable by pointer`);
        }
        if (r.marker) {
          await hit.focus();
          assert.equal(await hit.locator('.map-label').evaluate((t) => getComputedStyle(t).opacity), '1', `${name} named on focus`);
          assert.equal(await hit.locator('.map-label').textContent(), name);
          await page.mouse.move(0, 0);
          await hit.locator('.map-dot').hover({ force: true });
          assert.equal(await hit.locator('.map-label').evaluate((t) => getComputedStyle(t).opacity), '1', `${name} named on hover`);
          await hit.evaluate((a) => a.blur());
        }
      }
      for (const small of ['亚美尼亚', '丹麦', '爱尔兰', '新加坡', '波斯尼亚和黑塞哥维那']) {
        assert.equal(await page.locator(`a.map-hit[aria-label="${small}"] .map-dot`).count(), 1, `${small} has a marker`);
      }
    }, { width, height: 900 });
  });
}
