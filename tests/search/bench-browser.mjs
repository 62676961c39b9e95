// Search benchmark in Chromium on the built site (run `cargo run --release -- build` first):
//   node tests/search/bench-browser.mjs [site]
// (a site without `states/france/`, such as a bench corpus, is searched from its first reply)
// Prints the index size (raw and gzip; a gzipped index's files as they are), the bytes a first search downloads in total (script +
// index + snippet text, gzip), and query latency (median and p95 over 125 queries) measured
// in the page with the site's own engine.
import { createServer } from 'node:http';
import { readFile, readdir, stat } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { chromium } from 'playwright-core';

const dir = path.resolve(process.argv[2] || 'site');
const replies = (await readdir(path.join(dir, 'states'), { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
const startPage = `/states/${replies.includes('france') ? 'france' : replies[0]}/`;
const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.json': 'application/json', '.css': 'text/css', '.svg': 'image/svg+xml' };
const server = createServer(async (req, res) => {
  let p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  if (p.endsWith('/')) p += 'index.html';
  const file = path.join(dir, p);
  if (!file.startsWith(dir)) { res.writeHead(403).end(); return; }
  try {
    const body = await readFile(file);
    res.writeHead(200, { 'Content-Type': types[path.extname(file)] || 'application/octet-stream' }).end(body);
  } catch { res.writeHead(404).end(); }
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;

async function walk(d) {
  const out = [];
  for (const e of await readdir(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) out.push(...await walk(p)); else out.push(p);
  }
  return out;
}
let raw = 0, gz = 0, files = 0;
for (const f of await walk(path.join(dir, 'search'))) {
  if (!/\.(json|bin)(\.gz)?$/.test(f)) continue;
  const b = await readFile(f);
  raw += b.length; gz += f.endsWith('.gz') ? b.length : gzipSync(b, { level: 9 }).length; files++;
}
console.log(`index: ${files} files, ${(raw / 1e3).toFixed(1)} kB raw, ${(gz / 1e3).toFixed(1)} kB gzip`);

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
// a gzipped index file (a large site's `….gz`) is sent as it is; anything else gzipped
const gzipOf = async (resp) => {
  try {
    const b = await resp.body();
    return resp.url().endsWith('.gz') ? b.length : gzipSync(b, { level: 9 }).length;
  } catch { return 0; }
};

// First search: what a reader downloads for search, from a fresh reply page.
const firstSearch = [];
for (const q of ['国际法', '的', '5G', 'A/70/174', '第 70/237 号决议', '建立信任措施']) {
  const page = await browser.newPage();
  const sizes = [];
  page.on('response', (r) => { const u = r.url(); if (u.includes('/search/') || /search\.[0-9a-f]+\.js/.test(u)) sizes.push(gzipOf(r)); });
  await page.goto(`${base}${startPage}`);
  await page.fill('header [data-search-input]', q);
  await page.waitForSelector('header [data-search-results] a[role=option], header [data-search-results] [role=status]:not(:empty)', { timeout: 10000 });
  await page.waitForTimeout(300);
  const total = (await Promise.all(sizes)).reduce((a, b) => a + b, 0);
  firstSearch.push(total);
  console.log(`first search ${q.padEnd(14)} downloads ${(total / 1e3).toFixed(1)} kB gzip (${sizes.length} files incl. search.js)`);
  await page.close();
}

{
  const s = [...firstSearch].sort((a, b) => a - b);
  const mid = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  console.log(`first search: median ${(mid / 1e3).toFixed(1)} kB gzip, max ${(s[s.length - 1] / 1e3).toFixed(1)} kB over ${s.length} queries`);
}

// Latency: 25 queries × 5 rounds with the site's engine, grouped results plus their snippets.
const page = await browser.newPage();
await page.goto(`${base}/search/`);
await page.waitForFunction(() => window.wenjiSearch);
const times = await page.evaluate(async () => {
  const queries = ['国际法', '的', '5G', 'A/70/174', '建立信任措施', 'ISO/IEC 27001', '第 70/237 号决议', '网络安全', '信', '国际', '关键基础设施', '能力建设', '联合国宪章', '网络空间', 'COVID-19', '规范', '人权', '不限成员名额工作组', '政府专家组', '私营部门', '事件应对', '亚美尼亚', '信息和通信技术', '2015', '漏洞'];
  const basePath = document.documentElement.dataset.base || '/';
  const fetchJson = async (p) => { const r = await fetch(basePath + p); return r.ok ? r.json() : null; };
  const fetchBytes = async (p) => { const r = await fetch(basePath + p); return r.ok ? new Uint8Array(await r.arrayBuffer()) : null; };
  const engine = window.wenjiSearch.createEngine(fetchJson, fetchBytes);
  const cold = [], warm = [], all = [];
  for (let round = 0; round < 5; round++) {
    for (const q of queries) {
      const t = performance.now();
      // what the search page does: whole-query hits grouped by reply, snippets of the first
      // group's paragraphs (at most 10) and of the best paragraph of the others
      const r = await engine.grouped(q, { partialLimit: 20 });
      const g = await engine.groups();
      const ids = r.groups.map((x) => (x.docs.length ? x.docs[0] : g.starts[x.group]));
      if (r.groups.length) ids.push(...r.groups[0].docs.slice(1, 10));
      ids.push(...r.partial.map((h) => h.doc));
      const docs = await Promise.all(ids.map((id) => engine.doc(id)));
      for (const d of docs) if (d) window.wenjiSearch.snippet(d.text, q);
      const ms = performance.now() - t;
      all.push(ms);
      if (round === 0) cold.push(ms); else warm.push(ms);
    }
  }
  return { cold, warm, all };
});
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };
console.log(`query latency over ${times.all.length} queries: median ${pct(times.all, 0.5).toFixed(2)} ms, p95 ${pct(times.all, 0.95).toFixed(2)} ms`);
console.log(`repeated queries (index parts loaded), ${times.warm.length}: median ${pct(times.warm, 0.5).toFixed(2)} ms, p95 ${pct(times.warm, 0.95).toFixed(2)} ms`);
console.log(`first time each query (fetching its index parts from the local server): median ${pct(times.cold, 0.5).toFixed(2)} ms, p95 ${pct(times.cold, 0.95).toFixed(2)} ms`);
await browser.close();
server.close();
