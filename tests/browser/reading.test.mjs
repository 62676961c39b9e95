// The reader's text: what a copy puts on the clipboard and what a printed page says.
// Run: node --test tests/browser/reading.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { buildSite, serve, launch, openPage, ensureScreenshots } from './helpers.mjs';

let site, browser, paragraphs;

before(async () => {
  const dir = buildSite();
  site = { dir, server: await serve(dir) };
  // The open data holds each paragraph's text without footnote references: an independent
  // source of the words a copy must give.
  paragraphs = JSON.parse(readFileSync(join(dir, 'data', 'paragraphs.json'), 'utf8')).paragraphs;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await site?.server.close();
  if (site?.dir) rmSync(site.dir, { recursive: true, force: true });
});

function words(slug, n) {
  const p = paragraphs.find((x) => x.slug === slug && x.paragraph === n);
  assert.ok(p, `${slug} p${n} in the open data`);
  return p.text;
}

/** A copied block compared with the open data: footnote refs and list markers dropped. */
function plain(block) {
  return block.replace(/\[\d+\]/g, '').replace(/^• /gm, '').replace(/\s+/g, '');
}

async function withPage(path, fn, { width = 1280 } = {}) {
  const context = await browser.newContext({
    viewport: { width, height: 900 }, permissions: ['clipboard-read', 'clipboard-write'],
  });
  try {
    const { page, log } = await openPage(context, site.server.url(path));
    await fn(page);
    assert.deepEqual(log.consoleErrors, [], 'console errors');
  } finally {
    await context.close();
  }
}

/** Drags the mouse from just inside the start of `from` to the end of `to`, copies with Ctrl+C. */
async function dragCopy(page, from, to, { startX = 2 } = {}) {
  await page.locator(to).scrollIntoViewIfNeeded();
  await page.locator(from).scrollIntoViewIfNeeded();
  const start = await page.evaluate(([sel, dx]) => {
    // The first character of the UN's text, past the paragraph number.
    const el = document.querySelector(sel);
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT, {
      acceptNode: (n) => (n.parentElement.closest('a.pn') || !n.data.trim() ? 2 : 1),
    });
    const r = document.createRange();
    const t = walker.nextNode();
    r.setStart(t, 0); r.setEnd(t, 1);
    const b = r.getBoundingClientRect();
    return { x: b.left + dx, y: b.top + b.height / 2 };
  }, [from, startX]);
  const end = await page.locator(to).evaluate((el) => {
    const b = el.getBoundingClientRect();
    return { x: b.right - 1, y: b.bottom - 4 };
  });
  await page.mouse.move(start.x - 1, start.y);
  await page.mouse.down();
  await page.mouse.move(end.x, end.y, { steps: 12 });
  await page.mouse.up();
  await page.keyboard.press('Control+C');
  return page.evaluate(() => navigator.clipboard.readText());
}

const SITE_WORDS = /涉及的概念|引用|第 \d+ 段|↩|返回正文|#/;

test('a drag across paragraphs with tags and a footnote copies only the words, a blank line apart', async () => {
  await withPage('states/france/', async (page) => {
    const text = await dragCopy(page, '#p10', '#p12');
    assert.doesNotMatch(text, SITE_WORDS, text);
    const blocks = text.split('\n\n');
    assert.equal(blocks.length, 3, text);
    blocks.forEach((b, i) => assert.equal(plain(b), plain(words('france', 10 + i)), `block ${i}`));
    assert.match(blocks[1], /提交了《巴黎呼吁》，\[2\]证明/, 'the footnote reference written [2]');
    assert.doesNotMatch(text, /^\d/m, 'no paragraph number glued to a paragraph');
  });
});

test('a drag across list items copies each item with its bullet, nested items included', async () => {
  await withPage('states/ukraine/', async (page) => {
    const text = await dragCopy(page, '#p7', '#p8');
    assert.doesNotMatch(text, SITE_WORDS, text);
    const blocks = text.split('\n\n');
    assert.ok(blocks.every((b) => b.startsWith('• ')), text);
    assert.equal(blocks.map(plain).join(''), plain(words('ukraine', 7) + words('ukraine', 8)));
  });
});

test('a drag from the last paragraph into the footnotes writes each note as [N] text, without ↩', async () => {
  await withPage('states/france/', async (page) => {
    const last = await page.evaluate(() => [...document.querySelectorAll('.body .para')].pop().id);
    const text = await dragCopy(page, `#${last}`, '.footnotes li:last-child');
    assert.doesNotMatch(text, SITE_WORDS, text);
    const blocks = text.split('\n\n');
    const notes = await page.locator('.footnotes li').count();
    assert.equal(blocks.length, 1 + notes, text);
    const labels = await page.locator('.footnotes li').evaluateAll((lis) => lis.map((li) => li.value));
    blocks.slice(1).forEach((b, i) => assert.match(b, new RegExp(`^\\[${labels[i]}\\] \\S`), b));
  });
});

test('on a phone, where numbers and buttons are inline, a drag copies the same words', async () => {
  await withPage('states/france/', async (page) => {
    const text = await dragCopy(page, '#p11', '#p12');
    assert.doesNotMatch(text, SITE_WORDS, text);
    assert.deepEqual(text.split('\n\n').map(plain), [11, 12].map((n) => plain(words('france', n))));
  }, { width: 375 });
});

test('the keyboard (Shift+Down from a paragraph) copies the words, not the numbers', async () => {
  await withPage('states/france/', async (page) => {
    await page.locator('#p11').scrollIntoViewIfNeeded();
    const box = await page.locator('#p11').boundingBox();
    await page.mouse.click(box.x + 2, box.y + 10);
    for (let i = 0; i < 14; i++) await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Control+C');
    const text = await page.evaluate(() => navigator.clipboard.readText());
    assert.doesNotMatch(text, SITE_WORDS, text);
    assert.ok(text.split('\n\n').length >= 2, text);
    assert.doesNotMatch(text, /^\d+\S/m, text);
  });
});

test('a drag across quotations on a concept page copies the quotations, not their labels', async () => {
  await withPage('concepts/international-law/', async (page) => {
    const quotes = '#r-australia .passage .quote';
    const text = await dragCopy(page, `#r-australia .passage:nth-of-type(2) .quote`, `#r-australia .passage:nth-of-type(3) .quote`);
    assert.ok(await page.locator(quotes).count() >= 3);
    assert.doesNotMatch(text, SITE_WORDS, text);
    assert.deepEqual(text.split('\n\n').map(plain), [4, 5].map((n) => plain(words('australia', n))));
  });
});

/** Prints the page to PDF in Chromium and reads the text back with pdftotext. */
async function printedText(page, name) {
  const pdf = join(ensureScreenshots(), `print-${name}.pdf`);
  writeFileSync(pdf, await page.pdf({ format: 'A4' }));
  return execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
}

const NO_PRINT = /↩|引用这份答复|下载引文|目录|首页|跳到正文|搜索|上一份答复|下一份答复|涉及的概念|只看选定的答复/;

test('a printed reply begins with its title and source and keeps numbers and footnotes, no controls', async () => {
  for (const width of [1280, 375]) {
    await withPage('states/france/', async (page) => {
      const text = await printedText(page, `reply-${width}`);
      const head = text.slice(0, 600);
      assert.match(head, /A\/75\/123《从国际安全角度促进网络空间负责任国家行为》/, head);
      assert.match(head, /第二节：从各国政府收到的答复/, head);
      assert.match(head, /法国/, head);
      assert.ok(head.includes(site.server.url('states/france/')), `the page URL in:\n${head}`);
      assert.doesNotMatch(text, NO_PRINT, 'no buttons, back marks or navigation');
      assert.match(text, /^\s*10\s+法国积极参与欧洲安全与合作组织/m, 'paragraph numbers');
      assert.match(text, /可查阅：https:\/\/pariscall\.international\/en/, 'footnotes');
    }, { width });
  }
});

test('a printed concept page begins with its title and source and prints no controls', async () => {
  await withPage('concepts/international-law/', async (page) => {
    const text = await printedText(page, 'concept');
    const head = text.slice(0, 800);
    assert.match(head, /国际法/, head);
    assert.match(head, /来源：A\/75\/123《从国际安全角度促进网络空间负责任国家行为》/, head);
    assert.ok(head.includes(site.server.url('concepts/international-law/')), head);
    assert.doesNotMatch(text, NO_PRINT);
    assert.match(text, /第 4 段/, 'each quotation keeps its paragraph');
  });
});

test('a drag across a whole section copies its heading and paragraphs, not its anchor or tags', async () => {
  await withPage('states/france/', async (page) => {
    const text = await dragCopy(page, '#s1', '#p4');
    const blocks = text.split('\n\n');
    assert.equal(blocks[0], '1. 对网络安全问题的总体评估', text);
    assert.deepEqual(blocks.slice(1).map(plain), [2, 3, 4].map((n) => plain(words('france', n))), text);
  });
});
