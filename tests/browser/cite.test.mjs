// Citing and following permalinks in Chromium: the cite dialog says the paragraph number is
// this website's, an anchor whose words moved is sent to where they are now (a fragment alias
// from the URL ledger), and a redirect page keeps the query string and the fragment.
// Run: node --test --test-concurrency=1 tests/browser/cite.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, buildSite, fixtureRoot, serve, launch, openPage } from './helpers.mjs';

let browser, real, moved;

/** Runs wenji with `args` on the site root `root`, as buildSite does. */
function wenji(root, args) {
  const [cmd, pre] = process.env.WENJI_BIN ? [process.env.WENJI_BIN, []] : ['cargo', ['run', '-q', '--release', '--']];
  execFileSync(cmd, [...pre, '--root', root, ...args], { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'] });
}

before(async () => {
  const dir = buildSite();
  real = { dir, server: await serve(dir) };
  // The fixture, published, then a paragraph inserted at the top of Arcadia's reply and each
  // shifted anchor sent on to where its words are now.
  const root = fixtureRoot();
  wenji(root, ['ledger']);
  const file = join(root, 'content', 'replies', 'arcadia.md');
  writeFileSync(file, readFileSync(file, 'utf8').replace('---\n阿卡迪亚高度重视', '---\n新插入的一段。\n\n阿卡迪亚高度重视'));
  const moves = [];
  for (let n = 1; n <= 5; n++) moves.push('--move', `/states/arcadia/#p${n}`, '--to', `#p${n + 1}`);
  wenji(root, ['ledger', ...moves]);
  const mdir = buildSite({ root });
  moved = { dir: mdir, server: await serve(mdir) };
  browser = await launch();
});

after(async () => {
  await browser?.close();
  for (const s of [real, moved]) {
    await s?.server.close();
    if (s?.dir) rmSync(s.dir, { recursive: true, force: true });
  }
});

async function withPage(url, fn) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const { page, log } = await openPage(context, url);
    await fn(page);
    assert.deepEqual(log.consoleErrors, [], 'console errors');
    assert.deepEqual(log.failed, [], 'failed requests');
  } finally {
    await context.close();
  }
}

test('the cite dialog gives the paragraph number as this website\'s, with the page\'s origin', async () => {
  const url = real.server.url('states/honduras/');
  await withPage(url, async (page) => {
    await page.locator('button.cite[data-p="12"]').click();
    const dialog = page.locator('dialog[data-cite-dialog]');
    await dialog.waitFor({ state: 'visible', timeout: 3000 });
    const zh = await dialog.locator('[data-cite-out="zh"]').textContent();
    const en = await dialog.locator('[data-cite-out="en"]').textContent();
    assert.ok(zh.startsWith('洪都拉斯的答复（2020 年 4 月 17 日收到），载于联合国秘书长报告《'), zh);
    assert.ok(zh.includes('联合国文件 A/75/123，2020 年，本网站所编第 12 段（联合国文件未给答复各段编号），'), zh);
    assert.ok(zh.endsWith(`，${url}#p12`), zh);
    assert.ok(en.startsWith('Reply of Honduras (received 2020-04-17), in United Nations, '), en);
    assert.ok(en.includes("UN Doc. A/75/123 (2020), this website's para. 12 (the UN document does not number the paragraphs of the replies), "), en);
    assert.ok(en.endsWith(`${url}#p12`), en);
    // Nothing in either reads as a paragraph of the UN document.
    assert.doesNotMatch(zh, /，第 12 段/);
    assert.doesNotMatch(en, /\(2020\), para\. 12/);
    const note = dialog.locator('.cite-note');
    assert.match(await note.textContent(), /段号由本网站所编/);
    assert.equal(await note.locator('a').getAttribute('href'), '/how-to-cite/');
  });
});

test('citing the whole reply gives no paragraph number', async () => {
  await withPage(real.server.url('states/honduras/'), async (page) => {
    await page.locator('button.cite-all').click();
    const en = await page.locator('[data-cite-out="en"]').textContent();
    assert.doesNotMatch(en, /para/);
    assert.ok(en.endsWith(real.server.url('states/honduras/')), en);
  });
});

test('a published anchor whose words moved is sent to where they are now', async () => {
  await withPage(moved.server.url('states/arcadia/#p1'), async (page) => {
    await page.waitForFunction(() => location.hash === '#p2', null, { timeout: 3000 });
    const text = await page.locator('#p2').textContent();
    assert.match(text, /^2阿卡迪亚高度重视/);
  });
  // The last one goes to the anchor the insertion made.
  await withPage(moved.server.url('states/arcadia/#p5'), async (page) => {
    await page.waitForFunction(() => location.hash === '#p6', null, { timeout: 3000 });
    assert.match(await page.locator('#p6').textContent(), /第二项/);
  });
  // An anchor with no alias stays where it is.
  await withPage(moved.server.url('states/arcadia/#s1'), async (page) => {
    await page.waitForTimeout(200);
    assert.equal(await page.evaluate(() => location.hash), '#s1');
  });
});

test('the paragraph now at a moved number is cited by the reply\'s URL, not the number\'s', async () => {
  // Arriving without a fragment, then citing the inserted paragraph (now #p1, which leads
  // to the words published as #p1, now #p2).
  await withPage(moved.server.url('states/arcadia/'), async (page) => {
    await page.locator('button.cite[data-p="1"]').click();
    const en = await page.locator('[data-cite-out="en"]').textContent();
    assert.ok(en.endsWith(moved.server.url('states/arcadia/')), en);
    assert.match(en, /this website's para\. 1 /);
    await page.keyboard.press('Escape');
    // The last paragraph's number was never published: its anchor is cited.
    await page.locator('button.cite[data-p="6"]').click();
    const en6 = await page.locator('[data-cite-out="en"]').textContent();
    assert.ok(en6.endsWith(moved.server.url('states/arcadia/#p6')), en6);
  });
});

test('a redirect page keeps the query string and the fragment', async () => {
  await withPage(moved.server.url('old/arcadia/?from=paper#p3'), async (page) => {
    await page.waitForURL(/\/states\/arcadia\//, { timeout: 3000 });
    const loc = await page.evaluate(() => location.pathname + location.search);
    assert.equal(loc, '/states/arcadia/?from=paper');
    // #p3 then goes on by its fragment alias to #p4, where its words are now.
    await page.waitForFunction(() => location.hash === '#p4', null, { timeout: 3000 });
  });
});
