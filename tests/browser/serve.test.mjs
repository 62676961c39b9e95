// `wenji serve` in a browser: a failed build shows its diagnostics (an error page while there is
// no good site, then over the open page) without breaking the page's Content-Security-Policy,
// and a good build reloads the page. Run: node --test --test-concurrency=1 tests/browser/
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, fixtureRoot, launch, ensureScreenshots } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** `wenji serve --port 0` on `root`; resolves with its URL once it serves. */
function startServe(root) {
  const [cmd, pre] = process.env.WENJI_BIN ? [process.env.WENJI_BIN, []] : ['cargo', ['run', '-q', '--release', '--']];
  const child = spawn(cmd, [...pre, '--root', root, 'serve', '--port', '0', '--output', join(root, 'site')], {
    cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill(); reject(new Error(`serve did not start:\n${err}`)); }, 300_000);
    child.stderr.on('data', (d) => {
      err += d;
      const m = err.match(/serving .* at (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (m) { clearTimeout(timer); resolve({ url: m[1], stop: () => child.kill() }); }
    });
    child.on('exit', () => reject(new Error(`serve exited:\n${err}`)));
  });
}

test('a failed build shows its diagnostics; a good one reloads the page', async () => {
  const root = fixtureRoot();
  const file = join(root, 'content', 'replies', 'arcadia.md');
  const good = readFileSync(file, 'utf8');
  const broken = good.replace('iso3: ARM', 'iso3: "<img src=x onerror=alert(1)>"');
  writeFileSync(file, broken);
  const server = await startServe(root);
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error' && !/status of 500/.test(m.text())) errors.push(m.text()); });
  page.on('dialog', (d) => { errors.push(`dialog: ${d.message()}`); d.dismiss(); });
  try {
    // No good site yet: the error page, with the diagnostics as text.
    await page.goto(`${server.url}states/arcadia/`);
    const pre = await page.locator('pre').first().textContent();
    assert.match(pre, /arcadia\.md:8: `iso3: <img src=x onerror=alert\(1\)>` is not an ISO 3166-1 code/);

    // Fixed: the error page reloads into the site.
    writeFileSync(file, good);
    await page.waitForURL(`${server.url}states/arcadia/`, { waitUntil: 'load' });
    await page.locator('h1').first().waitFor({ timeout: 60_000 });
    await page.waitForFunction(() => !document.querySelector('pre') || !/build failed/.test(document.body.textContent), null, { timeout: 60_000 });
    assert.match(await page.locator('h1').first().textContent(), /阿卡迪亚/);

    // Broken again: the page stays, the diagnostics show over it.
    writeFileSync(file, broken);
    const overlay = page.locator('#wenji-build-error');
    await overlay.waitFor({ state: 'visible', timeout: 60_000 });
    assert.match(await overlay.textContent(), /the last build failed[\s\S]*is not an ISO 3166-1 code/);
    assert.match(await page.locator('h1').first().textContent(), /阿卡迪亚/);
    await page.screenshot({ path: join(ensureScreenshots(), 'serve-build-error-overlay.png') });

    // Fixed: the page reloads without the overlay.
    writeFileSync(file, good.replace('阿卡迪亚高度重视', '改过的段落。阿卡迪亚高度重视'));
    await page.waitForFunction(() => document.body.textContent.includes('改过的段落'), null, { timeout: 60_000 });
    assert.equal(await page.locator('#wenji-build-error').count(), 0);
    assert.deepEqual(errors, [], 'no script error, CSP violation or dialog');
  } finally {
    await context.close();
    server.stop();
    rmSync(root, { recursive: true, force: true });
  }
});
