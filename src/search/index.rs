//! Building the sharded index (format: `docs/search.md`).

use std::collections::HashMap;
use std::fmt::Write as _;

use rayon::prelude::*;

use super::tokenize::{token_hash, tokenize};
use super::{SearchDoc, SearchError, SearchFile};

/// Format version written to `meta.json` as `v`.
pub const FORMAT_VERSION: u32 = 1;
/// BM25 parameters.
pub const K1: f64 = 1.2;
pub const B: f64 = 0.75;
/// Impacts are quantized to 1..=IMPACT_MAX.
pub const IMPACT_MAX: u32 = 99;

/// Documents per tokenizing chunk. Fixed (not derived from the thread count) so that the
/// output does not depend on the number of threads.
const CHUNK_DOCS: usize = 1024;
/// Partitions for the parallel merge (a power of two).
const PARTITIONS: usize = 64;

/// Knobs of the index layout. `Default` is what `build_index` uses.
#[derive(Clone, Debug)]
pub struct IndexOptions {
    /// Posting lists longer than this are stored in block files of this many postings.
    pub block: usize,
    /// Aim for posting shards of about this many bytes (raw JSON).
    pub shard_bytes: usize,
    /// Aim for doc-store files of about this many bytes (raw JSON).
    pub doc_bytes: usize,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions {
            block: 1024,
            shard_bytes: 16 * 1024,
            doc_bytes: 8 * 1024,
        }
    }
}

/// Builds the search index files for `docs` (doc id = position in `docs`).
pub fn build_index(docs: &[SearchDoc]) -> Result<Vec<SearchFile>, SearchError> {
    build_index_with(docs, &IndexOptions::default())
}

type Postings = Vec<(u32, u32)>; // (doc id, tf)
/// Per tokenizing chunk: doc lengths, and token -> postings per partition.
type Chunk = (Vec<u32>, Vec<HashMap<String, Postings>>);

/// Builds the index with explicit layout options. Deterministic: the same docs and options
/// give byte-identical files whatever the thread count.
pub fn build_index_with(
    docs: &[SearchDoc],
    opts: &IndexOptions,
) -> Result<Vec<SearchFile>, SearchError> {
    if docs.len() > i32::MAX as usize {
        return Err(SearchError::TooManyDocs(docs.len()));
    }
    if let Some((index, d)) = docs
        .iter()
        .enumerate()
        .find(|(_, d)| d.url.is_empty() || d.url.starts_with('/'))
    {
        return Err(SearchError::BadUrl {
            index,
            url: d.url.clone(),
        });
    }
    let block = opts.block.max(1);
    let n = docs.len();

    // 1. Tokenize in fixed chunks, in parallel: per chunk, doc lengths and a partitioned map
    //    token -> postings (in doc order).
    let chunks: Vec<Chunk> = docs
        .par_chunks(CHUNK_DOCS)
        .enumerate()
        .map(|(ci, chunk)| {
            let mut lens = Vec::with_capacity(chunk.len());
            let mut parts: Vec<HashMap<String, Postings>> =
                (0..PARTITIONS).map(|_| HashMap::new()).collect();
            let mut counts: HashMap<String, u32> = HashMap::new();
            for (i, doc) in chunk.iter().enumerate() {
                let id = (ci * CHUNK_DOCS + i) as u32;
                counts.clear();
                let tokens = tokenize(&doc.text);
                lens.push(tokens.len() as u32);
                for t in tokens {
                    *counts.entry(t).or_insert(0) += 1;
                }
                for (t, tf) in counts.drain() {
                    let p = token_hash(&t) as usize & (PARTITIONS - 1);
                    parts[p].entry(t).or_default().push((id, tf));
                }
            }
            // postings of a doc were pushed in doc order, but `drain` order within one doc
            // does not matter: each token gets at most one posting per doc.
            (lens, parts)
        })
        .collect();

    let lens: Vec<u32> = chunks.iter().flat_map(|(l, _)| l.iter().copied()).collect();
    let total_len: u64 = lens.iter().map(|&l| l as u64).sum();
    let avg = if n == 0 {
        1.0
    } else {
        (total_len as f64 / n as f64).max(1.0)
    };

    // transpose: partition-major
    let mut by_part: Vec<Vec<HashMap<String, Postings>>> =
        (0..PARTITIONS).map(|_| Vec::new()).collect();
    for (_, parts) in chunks {
        for (p, m) in parts.into_iter().enumerate() {
            by_part[p].push(m);
        }
    }

    // 2. Merge per partition in chunk order, compute impacts, encode entries.
    let encoded: Vec<Vec<Entry>> = by_part
        .into_par_iter()
        .map(|maps| {
            let mut merged: HashMap<String, Postings> = HashMap::new();
            for m in maps {
                for (t, list) in m {
                    merged.entry(t).or_default().extend(list);
                }
            }
            let mut entries: Vec<Entry> = merged
                .into_iter()
                .map(|(token, list)| encode_entry(token, &list, &lens, avg, block))
                .collect();
            entries.sort_by(|a, b| a.token.cmp(&b.token));
            entries
        })
        .collect();

    // 3. Choose the number of posting shards from the encoded size; group entries.
    let inline_bytes: usize = encoded
        .iter()
        .flatten()
        .map(|e| e.token.len() + e.inline.len() + 8)
        .sum();
    let shards = (inline_bytes / opts.shard_bytes.max(1))
        .max(1)
        .next_power_of_two();
    let mut shard_entries: Vec<Vec<Entry>> = (0..shards).map(|_| Vec::new()).collect();
    for e in encoded.into_iter().flatten() {
        let s = token_hash(&e.token) as usize & (shards - 1);
        shard_entries[s].push(e);
    }

    let mut files: Vec<SearchFile> = shard_entries
        .into_par_iter()
        .enumerate()
        .map(|(s, mut entries)| shard_files(s, &mut entries))
        .collect::<Result<Vec<_>, SearchError>>()?
        .into_iter()
        .flatten()
        .collect();

    // 4. Doc store.
    let doc_json: Vec<String> = docs
        .par_iter()
        .map(|d| serde_json::to_string(&(&d.url, &d.title, &d.section, &d.text)))
        .collect::<Result<_, _>>()?;
    let doc_total: usize = doc_json.iter().map(|s| s.len() + 1).sum();
    let dpf = if n == 0 {
        1
    } else {
        (opts.doc_bytes * n / doc_total.max(1)).max(1)
    };
    for (k, group) in doc_json.chunks(dpf).enumerate() {
        let mut s = String::with_capacity(group.iter().map(|g| g.len() + 1).sum::<usize>() + 2);
        s.push('[');
        for (i, g) in group.iter().enumerate() {
            if i > 0 {
                s.push(',');
            }
            s.push_str(g);
        }
        s.push(']');
        files.push(SearchFile {
            path: format!("search/d/{k}.json"),
            bytes: s.into_bytes(),
        });
    }

    // 5. Meta.
    let meta = format!(
        "{{\"v\":{FORMAT_VERSION},\"n\":{n},\"ps\":{shards},\"dpf\":{dpf},\"blk\":{block},\
         \"k1\":{K1},\"b\":{B},\"w\":{IMPACT_MAX}}}"
    );
    files.push(SearchFile {
        path: "search/meta.json".into(),
        bytes: meta.into_bytes(),
    });
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// One token's encoded posting data.
struct Entry {
    token: String,
    df: usize,
    /// For a short list: the JSON array `[df,d0,w0,Δd1,w1,…]`; empty when blocked.
    inline: String,
    /// For a long list: (first doc id, JSON array `[d0,w0,Δd1,w1,…]`) per block.
    blocks: Vec<(u32, String)>,
}

fn impact(tf: u32, len: u32, avg: f64) -> u32 {
    let tf = tf as f64;
    let w = tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * len as f64 / avg));
    ((w / (K1 + 1.0) * IMPACT_MAX as f64).round() as u32).clamp(1, IMPACT_MAX)
}

fn encode_list(list: &[(u32, u32)], lens: &[u32], avg: f64, out: &mut String) {
    let mut prev = 0u32;
    for (i, &(d, tf)) in list.iter().enumerate() {
        let delta = if i == 0 { d } else { d - prev };
        prev = d;
        if i > 0 {
            out.push(',');
        }
        let _ = write!(out, "{},{}", delta, impact(tf, lens[d as usize], avg));
    }
}

fn encode_entry(token: String, list: &[(u32, u32)], lens: &[u32], avg: f64, block: usize) -> Entry {
    let df = list.len();
    if df <= block {
        let mut s = String::with_capacity(df * 6 + 8);
        let _ = write!(s, "[{df},");
        encode_list(list, lens, avg, &mut s);
        s.push(']');
        Entry {
            token,
            df,
            inline: s,
            blocks: Vec::new(),
        }
    } else {
        let blocks = list
            .chunks(block)
            .map(|c| {
                let mut s = String::with_capacity(c.len() * 6 + 2);
                s.push('[');
                encode_list(c, lens, avg, &mut s);
                s.push(']');
                (c[0].0, s)
            })
            .collect();
        Entry {
            token,
            df,
            inline: String::new(),
            blocks,
        }
    }
}

fn shard_files(s: usize, entries: &mut [Entry]) -> Result<Vec<SearchFile>, SearchError> {
    entries.sort_by(|a, b| a.token.cmp(&b.token));
    let mut files = Vec::new();
    let mut out = String::from("{");
    let mut j = 0usize;
    for (i, e) in entries.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&serde_json::to_string(&e.token)?);
        out.push(':');
        if e.blocks.is_empty() {
            out.push_str(&e.inline);
        } else {
            let _ = write!(out, "{{\"df\":{},\"j\":{j},\"b\":[", e.df);
            for (k, (first, body)) in e.blocks.iter().enumerate() {
                if k > 0 {
                    out.push(',');
                }
                let _ = write!(out, "{first}");
                files.push(SearchFile {
                    path: format!("search/b/{s}-{j}-{k}.json"),
                    bytes: body.clone().into_bytes(),
                });
            }
            out.push_str("]}");
            j += 1;
        }
    }
    out.push('}');
    files.push(SearchFile {
        path: format!("search/p/{s}.json"),
        bytes: out.into_bytes(),
    });
    Ok(files)
}
