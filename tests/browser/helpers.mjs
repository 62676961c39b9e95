// Shared helpers of the browser tests: build the site, serve it on 127.0.0.1, drive Chromium.
//
// WENJI_SITE   the site root to build (default: the repository itself)
// WENJI_BIN    a built wenji binary to use instead of `cargo run -q --release --`
// CHROMIUM     the browser (default /usr/bin/chromium)
import { execFileSync, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, readdirSync, statSync, existsSync, mkdirSync, rmSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, extname, dirname, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SCREENSHOTS = join(REPO, 'tests', 'browser', 'screenshots');
export const AXE_SOURCE = readFileSync(join(REPO, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
/** The weight budget: gzip bytes of HTML, CSS, JS and SVG a page loads before any search. */
export const BUDGET = 60 * 1024;

/**
 * What a page weighs beyond the UN's words it quotes: the gzip bytes it loaded, less the gzip
 * size of the text of the passages a concept page quotes in full. The budget holds what the
 * site adds (markup, styles, scripts); a concept page's quotations grow with the compilation and
 * are bounded by `site.concept_quote_limit` instead.
 */
export async function siteWeight(page, log) {
  const quoted = await page.evaluate(() =>
    [...document.querySelectorAll('.passage .quote')].map((q) => q.textContent).join('\n'));
  return log.weight - (quoted ? gzipSync(Buffer.from(quoted)).length : 0);
}

const temporary = [];
process.on('exit', () => { for (const d of temporary) rmSync(d, { recursive: true, force: true }); });
function tempDir(prefix) {
  const d = mkdtempSync(join(tmpdir(), prefix));
  temporary.push(d);
  return d;
}

/** The site root to build: $WENJI_SITE, or the repository. */
export function siteRoot() {
  return resolve(process.env.WENJI_SITE || REPO);
}

/** A temporary site root made of the fixture content and the repository's templates and assets. */
export function fixtureRoot() {
  const dir = tempDir('wenji-fixture-');
  cpSync(join(REPO, 'tests', 'fixtures', 'content'), join(dir, 'content'), { recursive: true });
  for (const name of ['templates', 'assets']) cpSync(join(REPO, name), join(dir, name), { recursive: true });
  cpSync(join(REPO, 'wenji.toml'), join(dir, 'wenji.toml'));
  return dir;
}

/**
 * A temporary site root of the editions test site (tests/editions/README.md): the repository's
 * content, templates, assets and URL ledger with tests/editions/content over them, and its
 * wenji.toml followed by tests/editions/editions.toml as the config, put together by
 * tests/editions/assemble.sh, as CI does.
 */
export function editionsRoot() {
  const dir = join(tempDir('wenji-editions-'), 'site');
  execFileSync('sh', [join(REPO, 'tests', 'editions', 'assemble.sh'), dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  return dir;
}

/** Builds `root` into a new temporary directory and returns it. */
export function buildSite({ root = siteRoot(), baseUrl } = {}) {
  const out = tempDir('wenji-site-');
  const args = ['--root', root, 'build', '--output', out];
  if (baseUrl) args.push('--base-url', baseUrl);
  const [cmd, pre] = process.env.WENJI_BIN ? [process.env.WENJI_BIN, []] : ['cargo', ['run', '-q', '--release', '--']];
  execFileSync(cmd, [...pre, ...args], { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'] });
  return out;
}

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.xml': 'application/xml',
  '.txt': 'text/plain; charset=utf-8', '.csv': 'text/csv; charset=utf-8', '.bib': 'text/plain; charset=utf-8',
  '.ris': 'text/plain; charset=utf-8', '.png': 'image/png', '.ico': 'image/x-icon',
};

/**
 * A static server for `dir` on 127.0.0.1 at a free port, under `prefix` ('/' or '/wenji/'),
 * like GitHub Pages: `x/` serves `x/index.html`, `x` redirects to `x/`, and anything missing
 * gets the site's 404.html with status 404.
 */
export async function serve(dir, prefix = '/') {
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    let path = decodeURIComponent(url.pathname);
    const notFound = () => {
      const page = join(dir, '404.html');
      res.writeHead(404, { 'content-type': TYPES['.html'] });
      res.end(existsSync(page) ? readFileSync(page) : 'not found');
    };
    if (!path.startsWith(prefix)) return notFound();
    const rel = path.slice(prefix.length);
    const file = resolve(dir, rel);
    if (file !== dir && !file.startsWith(dir + sep)) return notFound();
    let target = file;
    if (existsSync(target) && statSync(target).isDirectory()) {
      if (!path.endsWith('/')) {
        res.writeHead(301, { location: path + '/' + url.search });
        return res.end();
      }
      target = join(target, 'index.html');
    }
    if (!existsSync(target) || !statSync(target).isFile()) return notFound();
    res.writeHead(200, { 'content-type': TYPES[extname(target)] || 'application/octet-stream' });
    res.end(readFileSync(target));
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    url: (p = '') => `http://127.0.0.1:${port}${prefix}${p.replace(/^\//, '')}`,
    close: () => new Promise((ok) => { server.closeAllConnections?.(); server.close(ok); }),
  };
}

/** Starts a server at a free port first, then builds the site for that URL under `/wenji/`. */
export async function serveUnderSubPath(root = siteRoot()) {
  const out = tempDir('wenji-sub-');
  const server = await serve(out, '/wenji/');
  const dir = buildSite({ root, baseUrl: `${server.origin}/wenji/` });
  // Move the built site where the server looks.
  rmSync(out, { recursive: true, force: true });
  cpSync(dir, out, { recursive: true });
  rmSync(dir, { recursive: true, force: true });
  return { dir: out, server };
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Every HTML file of a built site, as paths relative to it with '/' separators. */
export function htmlFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.html')) out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  walk(dir);
  return out;
}

/** The URL path (relative to the base) of a built file: `states/x/index.html` → `states/x/`. */
export function urlOf(file) {
  return file === 'index.html' ? '' : file.replace(/index\.html$/, '');
}

/** One page of each kind, found by the `kind-*` class on <body>. */
export function pagesByKind(dir) {
  const kinds = {};
  const files = htmlFiles(dir);
  for (const f of files) {
    const html = readFileSync(join(dir, f), 'utf8');
    const m = /<body[^>]*class="?kind-([a-z0-9-]+)/.exec(html);
    if (/data-target=/.test(html) && !m) { kinds.redirect ??= urlOf(f); continue; }
    if (!m) continue;
    let kind = m[1];
    if (kind === 'concept' && /(^|\/)norm-[a-z]\/index\.html$/.test(f)) kind = 'norm';
    if (kind === 'page' && /(^|\/)about\/index\.html$/.test(f)) kind = 'about';
    if (kind === '404') { kinds['404'] = 'no-such-page/'; continue; }
    // Prefer a concept page that quotes passages from two or more replies.
    if (kind === 'concept' && kinds.concept) {
      const groups = (html.match(/class="?group"? /g) || []).length;
      if (groups > (kinds._conceptGroups || 0)) { kinds.concept = urlOf(f); kinds._conceptGroups = groups; }
      continue;
    }
    if (kind === 'concept') kinds._conceptGroups = (html.match(/class="?group"? /g) || []).length;
    kinds[kind] ??= urlOf(f);
  }
  delete kinds._conceptGroups;
  return kinds;
}

/** The biggest reply page: the worst case for the weight budget and for layout. */
export function biggestReply(dir) {
  let best = null;
  for (const f of htmlFiles(dir)) {
    const html = readFileSync(join(dir, f), 'utf8');
    if (!/class="?kind-reply/.test(html)) continue;
    if (!best || html.length > best.size) best = { path: urlOf(f), size: html.length };
  }
  return best && best.path;
}

/**
 * Opens `url` in a fresh page of `context`, recording console errors, failed requests, requests
 * to other hosts (which are aborted) and the gzip weight of what was loaded.
 */
export async function openPage(context, url, { allow404 = false } = {}) {
  const page = await context.newPage();
  const log = { consoleErrors: [], failed: [], foreign: [], weight: 0, responses: [] };
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    // The 404 page is served with status 404, which Chromium reports on the console.
    if (allow404 && /status of 404/.test(m.text()) && m.location()?.url === page.url()) return;
    log.consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => log.consoleErrors.push(String(e)));
  page.on('requestfailed', (r) => log.failed.push(`${r.url()} ${r.failure()?.errorText}`));
  await page.route('**/*', (route) => {
    const u = new URL(route.request().url());
    if (u.hostname !== '127.0.0.1') { log.foreign.push(u.href); return route.abort(); }
    return route.continue();
  });
  page.on('response', async (r) => {
    const u = new URL(r.url());
    if (r.status() >= 400 && !(allow404 && r.status() === 404 && r.request().isNavigationRequest())) {
      log.failed.push(`${r.url()} ${r.status()}`);
    }
    if (r.status() >= 300 && r.status() < 400) return;
    if (/\.(json|bin)$/.test(u.pathname)) return; // data, fetched only when the reader searches
    try {
      const body = await r.body();
      const gz = gzipSync(body).length;
      log.weight += gz;
      log.responses.push({ url: r.url(), bytes: body.length, gzip: gz });
    } catch { /* body gone with a navigation */ }
  });
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForLoadState('networkidle').catch(() => {});
  return { page, log };
}

/** True when the document scrolls sideways. */
export async function overflow(page) {
  return page.evaluate(() => {
    const d = document.documentElement;
    if (d.scrollWidth <= innerWidth) return null;
    // Name the widest offenders to make the failure useful.
    const wide = [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > innerWidth + 1)
      .filter((e) => !e.closest('.table-wrap, .visually-hidden, [hidden]'))
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}.${e.className} right=${Math.round(e.getBoundingClientRect().right)}`);
    return { scrollWidth: d.scrollWidth, innerWidth, wide };
  });
}

/**
 * axe-core on the page, serious and critical violations only. The script is evaluated through
 * the DevTools protocol, which the page's CSP does not govern (its `script-src 'self'` forbids
 * an injected inline <script>).
 */
export async function axe(page) {
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1, 2).join(' ')}`),
    }));
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export const VNU = join(REPO, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');

/**
 * The Nu HTML Checker (vnu.jar, errors only) on `paths` (HTML files or folders of them): its exit
 * status and its messages, one a line.
 */
export function vnu(...paths) {
  const r = spawnSync('java', ['-Xss8m', '-jar', VNU, '--errors-only', '--skip-non-html', '--format', 'gnu', ...paths], {
    encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { status: r.status, messages: (r.stderr + r.stdout).split('\n').filter(Boolean) };
}

export function ensureScreenshots() {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return SCREENSHOTS;
}

export function formatViolations(vs) {
  return vs.map((v) => `${v.impact} ${v.id}: ${v.help}\n    ${v.nodes.join('\n    ')}`).join('\n');
}
