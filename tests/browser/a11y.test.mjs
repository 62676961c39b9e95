// axe-core with no violation of any impact, and no text under 12 px, on every kind of page,
// light and dark, at 375 and 1280 px. Run: node --test tests/browser/a11y.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { buildSite, serve, launch, pagesByKind, openPage, AXE_SOURCE, formatViolations } from './helpers.mjs';

let site, browser;

before(async () => {
  const dir = buildSite();
  const kinds = pagesByKind(dir);
  // Bosnia and Herzegovina's page had a link told from its text by colour alone.
  kinds['reply (Bosnia and Herzegovina)'] = 'states/bosnia-and-herzegovina/';
  site = { dir, server: await serve(dir), kinds };
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await site?.server.close();
  if (site?.dir) rmSync(site.dir, { recursive: true, force: true });
});

/** Every violation, whatever its impact. */
async function axeAll(page) {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1, 2).join(' ')}`),
    }));
  });
}

/** Visible text set smaller than 12 px, and controls smaller than 12 px of text. */
async function smallText(page) {
  return page.evaluate(() => {
    const out = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let t = walker.nextNode(); t; t = walker.nextNode()) {
      if (!t.data.trim()) continue;
      const el = t.parentElement;
      if (el.closest('.visually-hidden, [hidden], [aria-hidden="true"] title, script, style, .chart-table caption')) continue;
      const box = el.getBoundingClientRect();
      if (!box.width || !box.height || getComputedStyle(el).visibility === 'hidden') continue;
      let size = parseFloat(getComputedStyle(el).fontSize);
      // SVG text is scaled with its picture.
      const svg = el.closest('svg');
      if (svg && svg.viewBox.baseVal && svg.viewBox.baseVal.width) {
        size *= svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
      }
      if (size < 11.95) out.push(`${el.tagName.toLowerCase()}.${el.className.baseVal ?? el.className} ${size.toFixed(1)} px: ${t.data.trim().slice(0, 20)}`);
    }
    return [...new Set(out)].slice(0, 10);
  });
}

for (const width of [1280, 375]) {
  for (const scheme of ['light', 'dark']) {
    test(`axe-core finds nothing at ${width} px, ${scheme}, on every kind of page; no text under 12 px`, async () => {
      const failures = [];
      for (const [kind, path] of Object.entries(site.kinds)) {
        const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: scheme });
        try {
          const { page } = await openPage(context, site.server.url(path), { allow404: kind === '404' });
          const vs = await axeAll(page);
          if (vs.length) failures.push(`${kind} (${path}):\n${formatViolations(vs)}`);
          const small = await smallText(page);
          if (small.length) failures.push(`${kind} (${path}) text under 12 px:\n    ${small.join('\n    ')}`);
        } finally {
          await context.close();
        }
      }
      assert.equal(failures.length, 0, failures.join('\n'));
    });
  }
}
