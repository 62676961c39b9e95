//! A reader of the index format that answers queries exactly as `assets/search.js` does.
//! Used by the tests (index round trip, fixture expectations shared with the node tests) and by
//! the bench (which files a first query downloads).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::Value;

use super::tokenize::{contains_parts, phrase_key, query_parts, query_tokens, token_hash};

/// A stored document as the browser sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredDoc {
    pub url: String,
    pub title: String,
    pub section: String,
    pub text: String,
}

/// One result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    pub doc: u32,
    /// 0: contains the whole query (phrase key); 1: all tokens (or not verified); 2: some.
    pub tier: u8,
    /// Σ idf_q(df) × impact over the matched tokens (integer, same in JS).
    pub score: i64,
    /// How many query tokens the doc contains.
    pub matched: usize,
}

/// Results of one query.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Results {
    pub hits: Vec<Hit>,
    /// Number of matching docs known (in the current window).
    pub total: usize,
    /// More windows (blocks of a very frequent token) can be fetched with `page + 1`.
    pub more: bool,
}

/// Reads the index files of one folder (`search/` unless `Reader::in_folder` says otherwise)
/// through `fetch` (path relative to the site root, e.g. `search/meta.json`), caching each
/// parsed file (block files `search/b/*.bin` decoded from their varints) and recording the
/// fetched paths in order.
pub struct Reader<F: FnMut(&str) -> Option<Vec<u8>>> {
    fetch: F,
    /// The index folder, with its trailing `/`.
    dir: String,
    cache: HashMap<String, Option<Value>>,
    /// Paths fetched so far, in order.
    pub fetched: Vec<String>,
}

struct Meta {
    n: u32,
    ps: u32,
    dpf: u32,
}

enum TokenData {
    Inline(u64, Vec<(u32, u32)>),
    Blocked {
        df: u64,
        shard: u32,
        j: u64,
        starts: Vec<u32>,
    },
}

impl TokenData {
    fn df(&self) -> u64 {
        match self {
            TokenData::Inline(df, _) | TokenData::Blocked { df, .. } => *df,
        }
    }
}

/// idf quantized to an integer: round(1000 · ln(1 + (n − df + 0.5)/(df + 0.5))).
pub fn idf_q(n: u32, df: u64) -> i64 {
    let n = n as f64;
    let df = df as f64;
    (1000.0 * (1.0 + (n - df + 0.5) / (df + 0.5)).ln()).round() as i64
}

fn decode_postings(arr: &[Value]) -> Vec<(u32, u32)> {
    let mut out = Vec::with_capacity(arr.len() / 2);
    let mut d = 0u32;
    for (i, pair) in arr.chunks(2).enumerate() {
        let delta = pair[0].as_u64().unwrap_or(0) as u32;
        d = if i == 0 { delta } else { d + delta };
        out.push((d, pair[1].as_u64().unwrap_or(0) as u32));
    }
    out
}

/// The numbers of a block file (varints, see `index::get_varint`), as JSON numbers so that
/// `decode_postings` reads them as it reads JSON arrays. A truncated last number or one past
/// `u32` makes the file unreadable (`None`).
fn decode_varints(bytes: &[u8]) -> Option<Value> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut pos = 0;
    while pos < bytes.len() {
        out.push(Value::from(super::index::get_varint(bytes, &mut pos)?));
    }
    Some(Value::Array(out))
}

/// A gzipped index file's bytes, decompressed; `None` if they are not gzip.
fn gunzip(bytes: &[u8]) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .ok()?;
    Some(out)
}

impl<F: FnMut(&str) -> Option<Vec<u8>>> Reader<F> {
    /// A reader of the index in `search/`.
    pub fn new(fetch: F) -> Self {
        Self::in_folder(super::index::DEFAULT_FOLDER, fetch)
    }

    /// A reader of the index in `folder` (site-relative, e.g. `search/en/`).
    pub fn in_folder(folder: &str, fetch: F) -> Self {
        Reader {
            fetch,
            dir: super::index::folder_prefix(folder),
            cache: HashMap::new(),
            fetched: Vec::new(),
        }
    }

    fn get(&mut self, path: &str) -> Option<&Value> {
        if !self.cache.contains_key(path) {
            // A gzipped index (`"gz"` in meta.json): every other file is `path + ".gz"`.
            let meta = format!("{}meta.json", self.dir);
            let gz = path != meta
                && self
                    .get(&meta)
                    .is_some_and(|m| m.get("gz").is_some_and(|g| g == 1));
            self.fetched.push(path.to_string());
            let bin = path.ends_with(".bin");
            let bytes = if gz {
                (self.fetch)(&format!("{path}.gz")).and_then(|b| gunzip(&b))
            } else {
                (self.fetch)(path)
            };
            let v = bytes.and_then(|b| {
                if bin {
                    decode_varints(&b)
                } else {
                    serde_json::from_slice(&b).ok()
                }
            });
            self.cache.insert(path.to_string(), v);
        }
        self.cache.get(path).and_then(|v| v.as_ref())
    }

    fn meta(&mut self) -> Option<Meta> {
        let m = self.get(&format!("{}meta.json", self.dir))?;
        Some(Meta {
            n: m["n"].as_u64()? as u32,
            ps: m["ps"].as_u64()? as u32,
            dpf: m["dpf"].as_u64()? as u32,
        })
    }

    fn token(&mut self, meta: &Meta, t: &str) -> Option<TokenData> {
        let shard = token_hash(t) & (meta.ps - 1);
        let e = self.get(&format!("{}p/{shard}.json", self.dir))?.get(t)?;
        if let Some(arr) = e.as_array() {
            let df = arr.first()?.as_u64()?;
            Some(TokenData::Inline(df, decode_postings(&arr[1..])))
        } else {
            Some(TokenData::Blocked {
                df: e["df"].as_u64()?,
                shard,
                j: e["j"].as_u64()?,
                starts: e["b"]
                    .as_array()?
                    .iter()
                    .map(|v| v.as_u64().unwrap_or(0) as u32)
                    .collect(),
            })
        }
    }

    fn block(&mut self, shard: u32, j: u64, k: usize) -> Vec<(u32, u32)> {
        match self.get(&format!("{}b/{shard}-{j}-{k}.bin", self.dir)) {
            Some(Value::Array(a)) => decode_postings(a),
            _ => Vec::new(),
        }
    }

    /// The stored doc `id`.
    pub fn doc(&mut self, id: u32) -> Option<StoredDoc> {
        let meta = self.meta()?;
        let k = id / meta.dpf;
        let arr = self.get(&format!("{}d/{k}.json", self.dir))?.as_array()?;
        let d = arr.get((id % meta.dpf) as usize)?.as_array()?;
        let s = |i: usize| d.get(i).and_then(|v| v.as_str()).unwrap_or("").to_string();
        Some(StoredDoc {
            url: s(0),
            title: s(1),
            section: s(2),
            text: s(3),
        })
    }

    /// Answers `query`: the first `limit` results in order (tier 0 = phrase verified first),
    /// and the number of matching docs in the window. `page` selects the window when every
    /// query token is very frequent (blocked).
    pub fn search(&mut self, query: &str, limit: usize, page: usize) -> Results {
        let qt = query_tokens(query);
        let Some(meta) = self.meta() else {
            return Results::default();
        };
        if qt.is_empty() || meta.n == 0 {
            return Results::default();
        }
        let parts = query_parts(query);
        let data: Vec<Option<TokenData>> = qt.iter().map(|t| self.token(&meta, t)).collect();
        let present: Vec<usize> = (0..qt.len()).filter(|&i| data[i].is_some()).collect();
        if present.is_empty() {
            return Results::default();
        }
        // the anchor: the present token with the smallest df, first in query order on ties
        let anchor = *present
            .iter()
            .min_by_key(|&&i| (data[i].as_ref().unwrap().df(), i))
            .unwrap();
        let (lo, hi, more, anchor_docs): (u32, u32, bool, Option<Vec<u32>>) =
            match data[anchor].as_ref().unwrap() {
                TokenData::Inline(_, list) => {
                    (0, meta.n, false, Some(list.iter().map(|p| p.0).collect()))
                }
                TokenData::Blocked { starts, .. } => {
                    if page >= starts.len() {
                        return Results::default();
                    }
                    let lo = starts[page];
                    let hi = starts.get(page + 1).copied().unwrap_or(meta.n);
                    (lo, hi, page + 1 < starts.len(), None)
                }
            };
        // per doc: (matched, score)
        let mut acc: BTreeMap<u32, (usize, i64)> = BTreeMap::new();
        for &i in &present {
            let td = data[i].as_ref().unwrap();
            let idf = idf_q(meta.n, td.df());
            let postings: Vec<(u32, u32)> = match td {
                TokenData::Inline(_, list) => list.clone(),
                TokenData::Blocked {
                    shard, j, starts, ..
                } => {
                    let (shard, j) = (*shard, *j);
                    let wanted: BTreeSet<usize> = match &anchor_docs {
                        Some(ds) => ds.iter().map(|&d| block_of(starts, d)).collect(),
                        None => (block_of(starts, lo)..=block_of(starts, hi - 1)).collect(),
                    };
                    wanted
                        .into_iter()
                        .flat_map(|k| self.block(shard, j, k))
                        .collect()
                }
            };
            for (d, w) in postings {
                if d >= lo && d < hi {
                    let e = acc.entry(d).or_insert((0, 0));
                    e.0 += 1;
                    e.1 += idf * w as i64;
                }
            }
        }
        let mut all: Vec<Hit> = Vec::new();
        let mut partial: Vec<Hit> = Vec::new();
        for (d, (matched, score)) in acc {
            let h = Hit {
                doc: d,
                tier: 1,
                score,
                matched,
            };
            if matched == qt.len() {
                all.push(h);
            } else {
                partial.push(Hit { tier: 2, ..h });
            }
        }
        all.sort_by(|a, b| b.score.cmp(&a.score).then(a.doc.cmp(&b.doc)));
        partial.sort_by(|a, b| {
            b.matched
                .cmp(&a.matched)
                .then(b.score.cmp(&a.score))
                .then(a.doc.cmp(&b.doc))
        });
        let total = all.len() + partial.len();
        let mut hits: Vec<Hit> = Vec::with_capacity(total);
        if qt.len() == 1 {
            hits.extend(all.into_iter().map(|h| Hit { tier: 0, ..h }));
        } else {
            // verify in batches of `limit`, up to 3 × limit docs or `limit` phrase matches
            let batch = limit.max(1);
            let max_verify = batch * 3;
            let mut verified_phrase = Vec::new();
            let mut verified_other = Vec::new();
            let mut next = 0;
            while next < all.len() && verified_phrase.len() < batch && next < max_verify {
                let end = (next + batch).min(all.len());
                for h in &all[next..end] {
                    let key = self.doc(h.doc).map(|d| phrase_key(&d.text));
                    if key.is_some_and(|k| contains_parts(&k, &parts)) {
                        verified_phrase.push(Hit {
                            tier: 0,
                            ..h.clone()
                        });
                    } else {
                        verified_other.push(h.clone());
                    }
                }
                next = end;
            }
            hits.extend(verified_phrase);
            hits.extend(verified_other);
            hits.extend(all.into_iter().skip(next));
        }
        hits.extend(partial);
        hits.truncate(limit.max(1));
        // the shown results need their stored docs
        for h in hits.iter().take(limit) {
            let _ = self.doc(h.doc);
        }
        Results { hits, total, more }
    }
}

/// Index of the block whose range holds doc `d` (blocks start at `starts[k]`).
fn block_of(starts: &[u32], d: u32) -> usize {
    starts.partition_point(|&s| s <= d).saturating_sub(1)
}
