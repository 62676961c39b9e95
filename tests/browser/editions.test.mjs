// Editions (#21) on a real build: the editions test site (tests/editions/README.md), the real
// A/75/123 Chinese edition with an English edition and a test report X/TEST/2024 whose text is
// invented for these tests. Checks the HTML contract of the editions design: the language
// switcher, the timeline of a State's replies across reports, the edition notice on every page
// of an invented edition, search in both languages and by report, the citations, axe-core and
// the Nu HTML Checker.
// Run: node --test tests/browser/editions.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  REPO, buildSite, editionsRoot, serve, launch, openPage, htmlFiles, axe, formatViolations,
  vnu, VNU, ensureScreenshots,
} from './helpers.mjs';

/** The editions of tests/editions/editions.toml, all invented, by URL prefix. */
const INVENTED = {
  'en/': { lang: 'en', notice: /invented for wenji's tests/ },
  'test-2024/': { lang: 'zh-Hans', notice: /并非联合国文本/ },
};
const EN_TITLE = 'Advancing responsible State behaviour in cyberspace in the context of international security';

let site, browser;

before(async () => {
  const root = editionsRoot();
  const dir = buildSite({ root });
  site = { dir, server: await serve(dir) };
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await site?.server.close();
  if (site?.dir) rmSync(site.dir, { recursive: true, force: true });
});

/** Opens `path` of the built site at 1280 px and runs `fn`; no console errors, no failed requests. */
async function withPage(path, fn, width = 1280) {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  try {
    const { page, log } = await openPage(context, site.server.url(path));
    await fn(page, log);
    assert.deepEqual(log.consoleErrors, [], `console errors on /${path}`);
    assert.deepEqual(log.failed, [], `failed requests on /${path}`);
  } finally {
    await context.close();
  }
}

/** The path (with hash) of a link's href, resolved against the page. */
function pathOf(href, pageUrl) {
  const u = new URL(href, pageUrl);
  return u.pathname + u.hash;
}

/** The keys of a TOML table `[name]` of `text`: each `key =` or `"key" =` line up to the next table. */
function tomlKeys(text, name) {
  const start = text.indexOf(`\n[${name}]\n`);
  assert.ok(start >= 0, `no [${name}]`);
  const body = text.slice(start + name.length + 4).split(/\n\[/)[0];
  return new Set([...body.matchAll(/^"?([^"=\s#]+)"?\s*=/gm)].map((m) => m[1]));
}

test('the test site\'s English strings have every key of the repository\'s [strings], and English region names', () => {
  const repo = readFileSync(join(REPO, 'wenji.toml'), 'utf8');
  const ours = readFileSync(join(REPO, 'tests', 'editions', 'editions.toml'), 'utf8');
  const zh = tomlKeys(repo, 'strings');
  const en = tomlKeys(ours, 'languages.en.strings');
  assert.ok(zh.size > 150, `only ${zh.size} keys read`);
  assert.deepEqual([...zh].filter((k) => !en.has(k)), [], 'missing in [languages.en.strings]');
  assert.deepEqual([...en].filter((k) => !zh.has(k)), [], 'not in [strings]');
  const regions = new Set([...repo.matchAll(/^\[regions\.([^\]]+)\]/gm)].map((m) => m[1]));
  assert.deepEqual([...tomlKeys(ours, 'languages.en.regions')].sort(), [...regions].sort());
});

test('the language switcher: hreflang alternates, nav.languages, and the English page in English with its notice', async () => {
  await withPage('states/france/', async (page) => {
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-Hans');
    const alternates = await page.$$eval('head link[rel="alternate"][hreflang]',
      (ls) => ls.map((l) => [l.getAttribute('hreflang'), l.href]));
    const byLang = Object.fromEntries(alternates.map(([l, h]) => [l, new URL(h).pathname]));
    assert.deepEqual(byLang, { 'zh-Hans': '/states/france/', en: '/en/states/france/' }, JSON.stringify(alternates));
    const nav = page.locator('nav.languages');
    assert.equal(await nav.count(), 1, 'one nav.languages');
    assert.ok((await nav.getAttribute('aria-label'))?.trim(), 'nav.languages has an aria-label');
    assert.equal(await nav.locator('[aria-current="true"]').count(), 1, 'the current language as aria-current="true"');
    const link = nav.locator('a[hreflang="en"]');
    assert.equal(await link.count(), 1, 'a link hreflang="en"');
    assert.equal(await link.getAttribute('lang'), 'en');
    assert.equal(pathOf(await link.getAttribute('href'), page.url()), '/en/states/france/');
    assert.equal(await page.locator('.edition-notice').count(), 0, 'no notice on the real Chinese edition');
    await Promise.all([page.waitForURL(site.server.url('en/states/france/')), link.click()]);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    const navText = await page.locator('header nav.nav').textContent();
    assert.match(navText, /Responses/, 'the English navigation');
    assert.doesNotMatch(navText, /答复|概念/, 'no Chinese interface string in the navigation');
    assert.equal(await page.locator('header [data-search-input]').getAttribute('aria-label'),
      'Search the full text of the responses');
    const notice = page.locator('.edition-notice');
    assert.equal(await notice.count(), 1, 'one .edition-notice');
    assert.ok(await notice.isVisible(), 'the notice is visible');
    assert.match(await notice.textContent(), /invented for wenji's tests/);
    assert.equal(await notice.evaluate((e) => e.tagName), 'P');
    assert.ok(await notice.evaluate((e) => !!e.closest('.editorial')), 'the notice is inside an element marked .editorial');
    const back = page.locator('nav.languages a[hreflang="zh-Hans"]');
    assert.equal(await back.count(), 1, 'a link back to the Chinese version');
    assert.equal(pathOf(await back.getAttribute('href'), page.url()), '/states/france/');
    await page.screenshot({ path: join(ensureScreenshots(), 'editions-en-france.png') });
  });
});

/** The text of the page's interface in Chinese characters where the page says it is English. */
async function chineseInEnglish(page) {
  return page.evaluate(() => {
    const out = [];
    const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      const el = n.parentElement;
      if (!el || el.closest('script, style, [hidden]')) continue;
      if ((el.closest('[lang]')?.getAttribute('lang') || '') !== 'en') continue;
      if (/[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/.test(n.textContent)) {
        out.push(`${el.tagName.toLowerCase()}.${el.className}: ${n.textContent.trim().slice(0, 60)}`);
      }
    }
    return out;
  });
}

test('the English pages are in English: no Chinese text outside an element marked with another lang', async () => {
  const found = [];
  for (const path of ['en/', 'en/states/france/', 'en/states/japan/', 'en/test-2024/', 'en/test-2024/states/france/']) {
    await withPage(path, async (page) => {
      const lang = await page.getAttribute('html', 'lang');
      if (lang !== 'en') found.push(`/${path} <html lang="${lang}">`);
      for (const t of await chineseInEnglish(page)) found.push(`/${path} ${t}`);
    });
  }
  assert.deepEqual(found, [], 'Chinese text in elements of lang="en"');
});

test('the invented report is never presented as a UN document: its footer and citations', async () => {
  await withPage('test-2024/states/france/', async (page) => {
    const said = await page.evaluate(() => {
      const a = document.querySelector('article.reply');
      return [document.querySelector('footer.foot')?.textContent ?? '', a?.dataset.citeZh ?? '', a?.dataset.citeEn ?? ''];
    });
    const un = /联合国文件\s*X\/TEST|联合国秘书长报告|UN Doc\.\s*X\/TEST|Report of the Secretary-General|in United Nations/;
    assert.deepEqual(said.filter((text) => un.test(text)), [], 'X/TEST/2024 called a UN document (footer, data-cite-zh, data-cite-en)');
  });
});

test('no switcher where a reply has no other language version', async () => {
  await withPage('test-2024/states/australia/', async (page) => {
    assert.equal(await page.locator('nav.languages').count(), 0);
    const langs = await page.$$eval('head link[rel="alternate"][hreflang]', (ls) => ls.map((l) => l.getAttribute('hreflang')));
    assert.ok(langs.length <= 1 && langs.every((l) => l === 'zh-Hans'), JSON.stringify(langs));
  });
});

/** The timeline's items: text, link path, and whether the item or its link is aria-current="page". */
async function timeline(page) {
  return page.$$eval('section.timeline#timeline li', (lis) => lis.map((li) => {
    const a = li.querySelector('a[href]');
    return {
      text: li.textContent.replace(/\s+/g, ' ').trim(),
      href: a ? new URL(a.href).pathname : null,
      current: li.getAttribute('aria-current') === 'page' || !!li.querySelector('[aria-current="page"]'),
    };
  }));
}

test('the timeline lists a State\'s replies in every report, newest first, the current one marked', async () => {
  await withPage('states/france/', async (page) => {
    const items = await timeline(page);
    assert.equal(items.length, 2, JSON.stringify(items));
    assert.match(items[0].text, /X\/TEST\/2024/);
    assert.match(items[0].text, /2024/);
    assert.equal(items[0].href, '/test-2024/states/france/');
    assert.equal(items[0].current, false);
    assert.match(items[1].text, /A\/75\/123/);
    assert.match(items[1].text, /2020/);
    assert.equal(items[1].current, true, 'A/75/123 is aria-current="page"');
    assert.equal(await page.locator('section.timeline [aria-current="page"]').count(), 1);
  });
  await withPage('test-2024/states/france/', async (page) => {
    const items = await timeline(page);
    assert.deepEqual(items.map((i) => i.current), [true, false], JSON.stringify(items));
    assert.equal(items[1].href, '/states/france/');
  });
  // In English, the timeline goes to the English versions.
  await withPage('en/states/france/', async (page) => {
    const items = await timeline(page);
    assert.equal(items.length, 2, JSON.stringify(items));
    assert.equal(items[0].href, '/en/test-2024/states/france/');
    assert.equal(items[1].current, true);
  });
  for (const path of ['states/japan/', 'en/states/japan/']) {
    await withPage(path, async (page) => {
      assert.equal(await page.locator('section.timeline').count(), 0, `no timeline on /${path} (one report only)`);
    });
  }
});

test('every page of an invented edition shows the edition notice; the real A/75/123 Chinese pages do not', async () => {
  const files = htmlFiles(site.dir);
  const missing = [];
  const wrong = [];
  const unexpected = [];
  const counts = { 'en/': 0, 'test-2024/': 0, real: 0 };
  for (const f of files) {
    const html = readFileSync(join(site.dir, f), 'utf8');
    const has = /<p[^>]*class="?[^">]*\bedition-notice\b/.test(html);
    const prefix = Object.keys(INVENTED).find((p) => f.startsWith(p));
    if (prefix) {
      if (!/<body/.test(html) || /data-target=/.test(html)) continue; // a redirect page
      counts[prefix]++;
      if (!has) missing.push(f);
      else {
        // en/test-2024/ is the English test report: its own notice
        const notice = f.startsWith('en/test-2024/') ? /not a United Nations document/ : INVENTED[prefix].notice;
        const text = (/class="?[^">]*\bedition-notice\b[^>]*>([\s\S]*?)<\/p>/.exec(html)?.[1] ?? '')
          .replace(/&#39;|&#x27;|&apos;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');
        if (!notice.test(text)) wrong.push(`${f}: ${text.slice(0, 80)}`);
      }
    } else if (!f.startsWith('search/')) {
      counts.real++;
      if (has) unexpected.push(f);
    }
  }
  assert.ok(counts['en/'] >= 4 && counts['test-2024/'] >= 3 && counts.real > 30, JSON.stringify(counts));
  assert.deepEqual(missing, [], 'pages of an invented edition without .edition-notice');
  assert.deepEqual(wrong, [], 'pages with another edition\'s notice');
  assert.deepEqual(unexpected, [], 'real A/75/123 Chinese pages with a notice');
  // In the browser, the notice is shown (not hidden) at both widths.
  for (const path of ['en/', 'en/states/france/', 'test-2024/', 'test-2024/states/france/', 'en/test-2024/states/france/']) {
    for (const width of [1280, 375]) {
      await withPage(path, async (page) => {
        assert.ok(await page.locator('.edition-notice').first().isVisible(), `notice visible on /${path} at ${width} px`);
      }, width);
    }
  }
});

/** Types `q` into the header search box and returns the paths of the options it lists. */
async function headerSearch(page, q) {
  const input = page.locator('header [data-search-input]');
  await input.fill(q);
  const options = page.locator('header [data-search-form] a[role="option"][href]');
  await options.first().waitFor({ timeout: 10_000 });
  const hrefs = await options.evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  return { paths: hrefs.map((h) => pathOf(h, page.url())), status: await page.locator('header .search-status').textContent() };
}

/** Runs the search page's query and returns the paths of every result, each group opened. */
async function pageResults(page) {
  await page.locator('.search-groups, .search-body').first().waitFor({ timeout: 10_000 });
  await page.waitForFunction(() => document.querySelector('.search-groups li, .search-list li'), null, { timeout: 10_000 });
  await page.$$eval('.search-groups details', (ds) => ds.forEach((d) => { d.open = true; }));
  await page.waitForFunction(() => [...document.querySelectorAll('.search-groups details')]
    .every((d) => d.querySelector('.search-list li')), null, { timeout: 10_000 });
  const hrefs = await page.$$eval('[data-search-results] .search-body a[href]', (as) => as.map((a) => a.getAttribute('href')));
  return hrefs.map((h) => pathOf(h, page.url()));
}

test('search in English: the header box of an English page folds case and finds only English paragraphs', async () => {
  await withPage('states/france/', async (page) => {
    assert.equal(await page.getAttribute('html', 'data-search'), 'search/');
  });
  await withPage('en/states/france/', async (page) => {
    assert.equal(await page.getAttribute('html', 'data-search'), 'search/en/');
    const indexRequests = [];
    page.on('request', (r) => { if (/\/search\/.*\.(json|bin)$/.test(r.url())) indexRequests.push(new URL(r.url()).pathname); });
    const { paths, status } = await headerSearch(page, 'LIGHTHOUSE');
    assert.ok(paths.some((p) => p.startsWith('/en/states/france/#p')), JSON.stringify(paths));
    assert.deepEqual(paths.filter((p) => !p.startsWith('/en/') && !p.startsWith('/search/en/')), [], 'only English results');
    assert.match(status, /paragraph/, `the status in English: ${status}`);
    assert.ok(indexRequests.length && indexRequests.every((p) => p.startsWith('/search/en/')), JSON.stringify(indexRequests));
  });
  await withPage('search/en/?q=lighthouses', async (page) => {
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    const paths = await pageResults(page);
    assert.ok(paths.includes('/en/states/france/#p3'), `the plural "Lighthouses" paragraph: ${JSON.stringify(paths)}`);
    assert.deepEqual(paths.filter((p) => !p.startsWith('/en/')), [], 'only English results');
  });
});

test('search in Chinese: a Chinese page\'s header box finds the test report\'s Chinese replies', async () => {
  await withPage('states/france/', async (page) => {
    const { paths } = await headerSearch(page, '灯塔协议');
    assert.ok(paths.some((p) => p.startsWith('/test-2024/states/france/#p')), JSON.stringify(paths));
    assert.ok(paths.some((p) => p.startsWith('/test-2024/states/australia/#p')), JSON.stringify(paths));
    assert.deepEqual(paths.filter((p) => p.startsWith('/en/')), [], 'no English results');
  });
});

test('the search page scopes to one report with edition=, and shows the report select', async () => {
  let all;
  await withPage('search/?q=国际法', async (page) => {
    all = await pageResults(page);
    assert.ok(all.some((p) => p.startsWith('/states/')), 'A/75/123 results');
    assert.ok(all.some((p) => p.startsWith('/test-2024/')), 'X/TEST/2024 results');
    assert.equal(await page.locator('select[name="edition"]').count(), 1, 'a report select (two editions in the index)');
  });
  await withPage('search/?q=国际法&edition=test-2024', async (page) => {
    const paths = await pageResults(page);
    assert.ok(paths.length > 0);
    assert.deepEqual(paths.filter((p) => !p.startsWith('/test-2024/')), [], 'only X/TEST/2024 results');
    const select = page.locator('select[name="edition"]');
    assert.ok(await select.isVisible(), 'the report select is shown');
    const chosen = await select.evaluate((s) => s.selectedOptions[0]?.textContent ?? '');
    assert.match(chosen, /X\/TEST\/2024/, 'the select names the chosen report');
    // Back to every report: the select's first option, and the URL follows.
    await select.selectOption('');
    await page.waitForFunction(() => !new URL(location.href).searchParams.get('edition'));
    const again = await pageResults(page);
    assert.ok(again.some((p) => p.startsWith('/states/')), 'A/75/123 results again');
  });
});

test('citations and JSON-LD carry the edition\'s language, title, symbol and URL', async () => {
  await withPage('en/states/france/', async (page) => {
    const jsonHref = await page.getAttribute('head link[rel="alternate"][type="application/vnd.citationstyles.csl+json"]', 'href');
    const [csl] = await (await page.request.get(new URL(jsonHref, page.url()).href)).json();
    assert.equal(csl.language, 'en');
    assert.equal(csl.number, 'A/75/123');
    assert.ok(csl.title.includes(EN_TITLE), csl.title);
    assert.ok(csl.URL.endsWith('/en/states/france/'), csl.URL);
    assert.doesNotMatch(csl.publisher ?? '', /联合国/);
    const ld = JSON.parse(await page.locator('script[type="application/ld+json"]').first().textContent());
    assert.equal(ld.inLanguage, 'en');
    assert.ok(String(ld.url).endsWith('/en/states/france/'), ld.url);
    assert.ok(JSON.stringify(ld.isPartOf).includes(EN_TITLE), JSON.stringify(ld.isPartOf));
    await page.locator('button.cite[data-p="2"]').click();
    const dialog = page.locator('dialog[data-cite-dialog]');
    await dialog.waitFor({ state: 'visible', timeout: 3000 });
    const outs = await dialog.locator('[data-cite-out]').allTextContents();
    assert.ok(outs.length >= 1);
    for (const o of outs) {
      assert.ok(o.includes('/en/states/france/#p2'), o);
      assert.ok(o.includes(EN_TITLE), o);
      assert.doesNotMatch(o, /[\u4e00-\u9fff]/, `an English citation: ${o}`);
    }
  });
  await withPage('test-2024/states/france/', async (page) => {
    const jsonHref = await page.getAttribute('head link[rel="alternate"][type="application/vnd.citationstyles.csl+json"]', 'href');
    const [csl] = await (await page.request.get(new URL(jsonHref, page.url()).href)).json();
    assert.equal(csl.number, 'X/TEST/2024');
    assert.equal(csl.language, 'zh-Hans');
    assert.match(csl.title, /wenji 测试报告/);
    assert.match(JSON.stringify(csl.issued), /2024/);
    const ld = JSON.parse(await page.locator('script[type="application/ld+json"]').first().textContent());
    assert.equal(ld.inLanguage, 'zh-Hans');
    assert.ok(JSON.stringify(ld.isPartOf).includes('X/TEST/2024'), JSON.stringify(ld.isPartOf));
  });
});

test('axe-core: no serious or critical violations on the English and test-report pages', async () => {
  for (const path of ['en/states/france/', 'en/', 'test-2024/states/france/', 'states/france/']) {
    await withPage(path, async (page) => {
      const violations = await axe(page);
      assert.equal(violations.length, 0, `/${path}:\n${formatViolations(violations)}`);
    });
  }
});

test('Nu HTML Checker: no errors on /states/france/ and on the pages of the invented editions', { timeout: 300_000 }, () => {
  const files = htmlFiles(site.dir);
  assert.ok(files.includes('en/states/france/index.html'), 'en/states/france/ is built');
  const { status, messages } = vnu(join(site.dir, 'states', 'france', 'index.html'), join(site.dir, 'en'),
    join(site.dir, 'test-2024'), join(site.dir, 'search'));
  const shown = messages.map((m) => m.replace(site.dir, '')).slice(0, 60).join('\n');
  assert.equal(messages.length, 0, `${messages.length} errors (vnu at ${VNU}):\n${shown}`);
  assert.equal(status, 0);
});
