//! Index size and first-query download at scale. Prints figures; asserts nothing about time.
//!
//! ```text
//! cargo test -p wenji-core --release --lib search::bench -- --ignored --nocapture
//! ```
//!
//! Environment: `WENJI_BENCH_DOCS` (default 300000; 0 = the seed's own paragraphs), `WENJI_SEED` (default
//! `../shared/seeds/000_0f53a030fa3cfd89.txt` beside the repository), `WENJI_BENCH_OUT` (a
//! directory to write the index to, e.g. for `node tests/search/bench.mjs DIR`);
//! `WENJI_BENCH_BLOCK`, `WENJI_BENCH_SHARD`, `WENJI_BENCH_DOC` override `IndexOptions`.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::PathBuf;
use std::time::Instant;

use flate2::Compression;
use flate2::write::GzEncoder;
use rayon::prelude::*;

use super::reader::Reader;
use super::{IndexOptions, SearchDoc, build_index_with};

/// Paragraphs of the seed: a line indented by one space starts one, unindented lines continue
/// it (running heads and page numbers are left in: they are realistic noise).
pub(crate) fn seed_paragraphs(seed: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur: Option<String> = None;
    for line in seed.lines() {
        if line.trim().is_empty() {
            continue;
        }
        let indent = line.len() - line.trim_start_matches(' ').len();
        if indent == 1 {
            if let Some(p) = cur.take() {
                out.push(p);
            }
            cur = Some(line.trim().to_string());
        } else if indent == 0 {
            if let Some(p) = cur.as_mut() {
                p.push_str(line.trim());
            }
        } else if let Some(p) = cur.take() {
            out.push(p);
        }
    }
    out.extend(cur);
    out.retain(|p| p.chars().count() >= 20);
    out
}

/// `n` synthetic paragraphs: sentences of the seed drawn at random (fixed seed) until the
/// length of a randomly drawn seed paragraph is reached.
pub(crate) fn synthetic(paras: &[String], n: usize) -> Vec<SearchDoc> {
    let sentences: Vec<&str> = paras
        .iter()
        .flat_map(|p| p.split_inclusive(['。', '；']))
        .filter(|s| !s.is_empty())
        .collect();
    let lens: Vec<usize> = paras.iter().map(|p| p.len()).collect();
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut rnd = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    (0..n)
        .map(|i| {
            let target = lens[rnd() as usize % lens.len()];
            let mut text = String::new();
            while text.len() < target {
                text.push_str(sentences[rnd() as usize % sentences.len()]);
            }
            SearchDoc {
                url: format!("states/s{}/#p{}", i / 30, i % 30 + 1),
                title: format!("国家 {}", i / 30),
                section: if i % 7 == 0 {
                    "国际法".into()
                } else {
                    String::new()
                },
                text,
            }
        })
        .collect()
}

fn gz_len(bytes: &[u8]) -> usize {
    let mut e = GzEncoder::new(Vec::new(), Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap().len()
}

#[test]
#[ignore]
fn search_bench() {
    let n: usize = std::env::var("WENJI_BENCH_DOCS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300_000);
    let root = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."));
    let seed_path = std::env::var("WENJI_SEED")
        .map(PathBuf::from)
        .unwrap_or_else(|_| root.join("../shared/seeds/000_0f53a030fa3cfd89.txt"));
    let seed = std::fs::read_to_string(&seed_path).expect("seed text (set WENJI_SEED)");
    let paras = seed_paragraphs(&seed);
    // WENJI_BENCH_DOCS=0: the seed's own paragraphs, one doc each (the real site's size)
    let docs = if n == 0 {
        paras
            .iter()
            .enumerate()
            .map(|(i, p)| SearchDoc {
                url: format!("p/#p{}", i + 1),
                title: "seed".into(),
                section: String::new(),
                text: p.clone(),
            })
            .collect()
    } else {
        synthetic(&paras, n)
    };
    let text_bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let chars: usize = docs.iter().map(|d| d.text.chars().count()).sum();
    println!(
        "docs: {} ({} seed paragraphs), text {:.1} MB, {} chars, {} threads",
        docs.len(),
        paras.len(),
        text_bytes as f64 / 1e6,
        chars,
        rayon::current_num_threads()
    );

    // layout knobs to compare (default: IndexOptions::default())
    let mut opts = IndexOptions::default();
    let knob = |k: &str| std::env::var(k).ok().and_then(|v| v.parse::<usize>().ok());
    opts.block = knob("WENJI_BENCH_BLOCK").unwrap_or(opts.block);
    opts.shard_bytes = knob("WENJI_BENCH_SHARD").unwrap_or(opts.shard_bytes);
    opts.doc_bytes = knob("WENJI_BENCH_DOC").unwrap_or(opts.doc_bytes);
    println!("{opts:?}");
    let t = Instant::now();
    let files = build_index_with(&docs, &opts).unwrap();
    println!("build_index: {:.2} s", t.elapsed().as_secs_f64());

    let gz: Vec<usize> = files.par_iter().map(|f| gz_len(&f.bytes)).collect();
    let mut kinds: BTreeMap<&str, (usize, usize, usize, usize, usize)> = BTreeMap::new();
    for (f, &g) in files.iter().zip(&gz) {
        let kind = match f.path.split('/').nth(1) {
            Some("p") => "postings p/",
            Some("b") => "blocks b/",
            Some("d") => "docs d/",
            _ => "meta",
        };
        let e = kinds.entry(kind).or_default();
        e.0 += 1;
        e.1 += f.bytes.len();
        e.2 += g;
        e.3 = e.3.max(f.bytes.len());
        e.4 = e.4.max(g);
    }
    let raw_total: usize = files.iter().map(|f| f.bytes.len()).sum();
    let gz_total: usize = gz.iter().sum();
    println!(
        "index: {} files, {:.1} MB raw, {:.1} MB gzip",
        files.len(),
        raw_total as f64 / 1e6,
        gz_total as f64 / 1e6
    );
    println!("  kind            files    raw MB   gzip MB   max raw kB  max gzip kB");
    for (k, (c, r, g, mr, mg)) in &kinds {
        println!(
            "  {k:<14} {c:>6} {:>9.2} {:>9.2} {:>12.1} {:>12.1}",
            *r as f64 / 1e6,
            *g as f64 / 1e6,
            *mr as f64 / 1e3,
            *mg as f64 / 1e3
        );
    }
    println!(
        "  {}",
        String::from_utf8_lossy(
            &files
                .iter()
                .find(|f| f.path == "search/meta.json")
                .unwrap()
                .bytes
        )
    );

    let script = std::fs::read(root.join("assets/search.js")).unwrap();
    let script_gz = gz_len(&script);
    println!(
        "script assets/search.js: {:.1} kB raw, {:.1} kB gzip",
        script.len() as f64 / 1e3,
        script_gz as f64 / 1e3
    );

    let by_path: BTreeMap<&str, (&[u8], usize)> = files
        .iter()
        .zip(&gz)
        .map(|(f, &g)| (f.path.as_str(), (f.bytes.as_slice(), g)))
        .collect();
    println!(
        "first query (limit 10): files fetched, gzip kB fetched, total with script, results, Rust reader time"
    );
    for q in [
        "国际法",
        "的",
        "5G",
        "A/70/174",
        "建立信任措施",
        "ISO/IEC 27001",
        "第 70/237 号决议",
        "网络安全",
    ] {
        let mut r = Reader::new(|p: &str| by_path.get(p).map(|(b, _)| b.to_vec()));
        let t = Instant::now();
        let res = r.search(q, 10, 0);
        let ms = t.elapsed().as_secs_f64() * 1e3;
        let fetched: usize = r
            .fetched
            .iter()
            .map(|p| by_path.get(p.as_str()).map_or(0, |x| x.1))
            .sum();
        let tier0 = res.hits.iter().take(10).filter(|h| h.tier == 0).count();
        println!(
            "  {q:<18} {:>3} files {:>7.1} kB  total {:>6.1} kB  {} results{} ({} of top 10 whole-phrase)  {:.1} ms",
            r.fetched.len(),
            fetched as f64 / 1e3,
            (fetched + script_gz) as f64 / 1e3,
            res.total,
            if res.more { "+" } else { "" },
            tier0,
            ms
        );
    }

    if let Ok(out) = std::env::var("WENJI_BENCH_OUT") {
        let out = PathBuf::from(out);
        files.par_iter().for_each(|f| {
            let p = out.join(&f.path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, &f.bytes).unwrap();
        });
        println!("wrote {} files under {}", files.len(), out.display());
    }
}
