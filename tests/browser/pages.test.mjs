// Every kind of page in Chromium at 1280 px and 375 px: no console errors, no failed or foreign
// requests, no sideways scrolling, no serious or critical axe-core violations (light and dark),
// and within the weight budget. Run: node --test --test-concurrency=1 tests/browser/
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { rmSync, existsSync } from 'node:fs';
import {
  buildSite, siteRoot, serve, launch, pagesByKind, biggestReply, htmlFiles, urlOf, openPage, overflow, axe,
  ensureScreenshots, formatViolations, BUDGET, siteWeight,
} from './helpers.mjs';

const WIDTHS = [1280, 375];
let dir, server, browser;
const weights = {};

before(async () => {
  dir = buildSite();
  server = await serve(dir);
  browser = await launch();
  ensureScreenshots();
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (Object.keys(weights).length) {
    const rows = Object.entries(weights).map(([k, v]) => `  ${k.padEnd(10)} ${(v / 1024).toFixed(1)} kB`);
    console.log(`gzip weight per page kind (budget ${BUDGET / 1024} kB):\n${rows.join('\n')}`);
  }
});

function kinds() {
  const k = pagesByKind(dir);
  const big = biggestReply(dir);
  if (big) k.reply = big;
  delete k.redirect;
  return k;
}

test('the site has every kind of page', () => {
  const k = kinds();
  const wanted = ['home', 'replies', 'reply', 'concepts', 'matrix', 'documents', 'data', 'search', 'about', '404'];
  // Concept and norm pages exist once the site has concepts.
  if (existsSync(join(siteRoot(), 'content', 'concepts'))) wanted.push('concept', 'norm');
  for (const want of wanted) {
    assert.ok(k[want] !== undefined, `no ${want} page in ${JSON.stringify(k)}`);
  }
});

for (const width of WIDTHS) {
  test(`every kind of page at ${width} px`, async (t) => {
    const context = await browser.newContext({ viewport: { width, height: width > 800 ? 900 : 760 } });
    try {
      for (const [kind, path] of Object.entries(kinds())) {
        await t.test(`${kind} (${path || '/'})`, async () => {
          const { page, log } = await openPage(context, server.url(path), { allow404: kind === '404' });
          try {
            assert.deepEqual(log.consoleErrors, [], 'console errors');
            assert.deepEqual(log.failed, [], 'failed requests');
            assert.deepEqual(log.foreign, [], 'requests to other hosts');
            assert.equal(await overflow(page), null, 'the page scrolls sideways');
            const own = await siteWeight(page, log);
            assert.ok(own <= BUDGET, `${kind}: ${own} B gzip besides quoted UN text > ${BUDGET}: ${JSON.stringify(log.responses)}`);
            weights[kind] = Math.max(weights[kind] || 0, log.weight);
            const violations = await axe(page);
            assert.equal(violations.length, 0, formatViolations(violations));
            await page.screenshot({ path: join(ensureScreenshots(), `${kind}-${width}.png`), fullPage: true });
          } finally {
            await page.close();
          }
        });
      }
    } finally {
      await context.close();
    }
  });
}

test('dark theme: no serious or critical axe-core violations', async (t) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'dark' });
  try {
    for (const [kind, path] of Object.entries(kinds())) {
      await t.test(kind, async () => {
        const { page, log } = await openPage(context, server.url(path), { allow404: kind === '404' });
        try {
          assert.deepEqual(log.consoleErrors, []);
          const violations = await axe(page);
          assert.equal(violations.length, 0, formatViolations(violations));
          const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
          assert.notEqual(bg, 'rgb(251, 250, 247)', 'the dark theme applies');
          if (['home', 'reply', 'matrix'].includes(kind)) {
            await page.screenshot({ path: join(ensureScreenshots(), `${kind}-1280-dark.png`), fullPage: false });
          }
        } finally {
          await page.close();
        }
      });
    }
  } finally {
    await context.close();
  }
});

test('every page: no sideways scrolling at 360 px, no errors, within the weight budget', async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const problems = [];
  try {
    for (const f of htmlFiles(dir)) {
      if (f === '404.html') continue;
      const { page, log } = await openPage(context, server.url(urlOf(f)));
      const finalUrl = page.url();
      const o = await overflow(page);
      if (o) problems.push(`${f}: overflow ${JSON.stringify(o)}`);
      if (log.consoleErrors.length) problems.push(`${f}: console ${log.consoleErrors.join('; ')}`);
      if (log.failed.length) problems.push(`${f}: failed ${log.failed.join('; ')}`);
      if (log.foreign.length) problems.push(`${f}: foreign ${log.foreign.join('; ')}`);
      const own = await siteWeight(page, log);
      if (own > BUDGET) problems.push(`${f}: ${own} B gzip besides quoted UN text (${log.weight} B in all)`);
      if (!finalUrl.startsWith(server.url(''))) problems.push(`${f}: left the site for ${finalUrl}`);
      await page.close();
    }
  } finally {
    await context.close();
  }
  assert.deepEqual(problems, []);
});

test('typography: zh-Hans, Chinese system fonts, line height 1.8, 35–40 characters a line, autospace', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const { page } = await openPage(context, server.url(biggestReply(dir)));
    const r = await page.evaluate(() => {
      const p = document.querySelector('.body p.para');
      const s = getComputedStyle(p);
      return {
        lang: document.documentElement.lang,
        font: s.fontFamily, lineHeight: parseFloat(s.lineHeight) / parseFloat(s.fontSize),
        chars: p.getBoundingClientRect().width / parseFloat(s.fontSize),
        autospace: s.textAutospace,
        fonts: [...document.fonts].length,
      };
    });
    assert.equal(r.lang, 'zh-Hans');
    assert.match(r.font, /PingFang SC.*Noto Sans CJK SC.*Microsoft YaHei.*sans-serif/);
    assert.ok(Math.abs(r.lineHeight - 1.8) < 0.05, `line height ${r.lineHeight}`);
    assert.ok(r.chars >= 35 && r.chars <= 40, `${r.chars} characters a line`);
    if (r.autospace !== undefined) assert.equal(r.autospace, 'normal');
    assert.equal(r.fonts, 0, 'no web fonts');
    await page.close();
  } finally {
    await context.close();
  }
});

test('no style attributes and a CSP that allows only the site itself', async () => {
  const { readFileSync } = await import('node:fs');
  for (const f of htmlFiles(dir)) {
    const html = readFileSync(join(dir, f), 'utf8');
    assert.doesNotMatch(html, /\sstyle=/i, `${f} has a style attribute`);
    assert.doesNotMatch(html, /<style[\s>]/i, `${f} has a <style> element`);
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)(?![^>]*type="?application\/(ld\+)?json)[^>]*>/i, `${f} has an inline script`);
    if (/class="?kind-/.test(html)) {
      const csp = /http-equiv="?Content-Security-Policy"?[^>]*content="([^"]+)"|content="([^"]+)"[^>]*http-equiv="?Content-Security-Policy/i.exec(html);
      assert.ok(csp, `${f} has no CSP`);
      const policy = csp[1] || csp[2];
      assert.match(policy, /script-src 'self'(;|$)/);
      assert.match(policy, /style-src 'self'(;|$)/);
      assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval|https?:/);
    }
  }
});
