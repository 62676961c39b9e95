// Query time of the JS engine on an index written by the Rust bench:
//   WENJI_BENCH_OUT=/tmp/wenji-bench-idx cargo test --release --lib search::bench -- --ignored --nocapture
//   node tests/search/bench.mjs /tmp/wenji-bench-idx
// Files are read from disk (no network): "cold" includes reading and parsing the files a query
// needs, "warm" repeats the query on the same engine (files cached). Prints p50/p95.
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

const require = createRequire(import.meta.url);
const search = require('../../assets/search.js');
const dir = process.argv[2];
if (!dir) {
  console.error('usage: node tests/search/bench.mjs INDEX_DIR');
  process.exit(2);
}
const fetchJson = async (p) => {
  try { return JSON.parse(await readFile(path.join(dir, p), 'utf8')); } catch { return null; }
};
const fetchBytes = async (p) => {
  try { return new Uint8Array(await readFile(path.join(dir, p))); } catch { return null; }
};
const queries = ['国际法', '的', '5G', 'A/70/174', '建立信任措施', 'ISO/IEC 27001', '第 70/237 号决议',
  '网络安全', '信', '国际', '关键基础设施', '能力建设', '联合国宪章', '网络空间', 'COVID-19', '规范', '人权',
  '不限成员名额工作组', '政府专家组', '私营部门', '事件应对', '亚美尼亚', '信息和通信技术', '2015', '是一段'];
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };
const cold = [];
const warm = [];
for (const q of queries) {
  const e = search.createEngine(fetchJson, fetchBytes);
  let t = performance.now();
  const r = await e.search(q, 10, 0);
  await Promise.all(r.hits.slice(0, 10).map((h) => e.doc(h.doc)));
  cold.push(performance.now() - t);
  for (let i = 0; i < 20; i++) {
    t = performance.now();
    const r2 = await e.search(q, 10, 0);
    const ds = await Promise.all(r2.hits.slice(0, 10).map((h) => e.doc(h.doc)));
    for (const d of ds) if (d) search.snippet(d.text, q);
    warm.push(performance.now() - t);
  }
  console.log(`${q.padEnd(16)} ${String(r.total).padStart(6)}${r.more ? '+' : ' '} results  cold ${cold[cold.length - 1].toFixed(1)} ms`);
}
console.log(`cold (disk read + parse + query): p50 ${pct(cold, 0.5).toFixed(1)} ms, p95 ${pct(cold, 0.95).toFixed(1)} ms`);
console.log(`warm (query + snippets, files cached): p50 ${pct(warm, 0.5).toFixed(2)} ms, p95 ${pct(warm, 0.95).toFixed(2)} ms`);
