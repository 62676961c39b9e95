//! Building the sharded index (format: `docs/search.md`).
//!
//! Built for size: at 300,000 docs the text has ~100 million token occurrences and ~75
//! million postings, so tokens are never turned into `String`s per occurrence (CJK tokens are
//! packed into a `u64`, word pieces interned per chunk), postings are held as varint bytes
//! until the files are written, and files are handed to the caller as they are made
//! (`build_index_each`) instead of all being kept.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::tokenize::{Token, for_each_token, token_hash};
use super::{SearchDoc, SearchError, SearchFile};
use crate::json_text;

/// Format version written to `meta.json` as `v`.
pub const FORMAT_VERSION: u32 = 3;
/// BM25 parameters.
pub const K1: f64 = 1.2;
pub const B: f64 = 0.75;
/// Impacts are quantized to 1..=IMPACT_MAX.
pub const IMPACT_MAX: u32 = 99;

/// Documents per tokenizing chunk. Fixed (not derived from the thread count) so that the
/// output does not depend on the number of threads. Every chunk keeps its own copy of each
/// term it has until the merge; at 1,024 a 10,000-reply build held ~130 MB more of them.
const CHUNK_DOCS: usize = 4096;
/// Partitions for the parallel merge (a power of two).
const PARTITIONS: usize = 64;

/// Where a site's (first language's) index goes.
pub const DEFAULT_FOLDER: &str = "search/";

/// `folder` as a path prefix: with its trailing `/` (none for the site root, "").
pub fn folder_prefix(folder: &str) -> String {
    if folder.is_empty() || folder.ends_with('/') {
        folder.to_string()
    } else {
        format!("{folder}/")
    }
}

/// Knobs of the index layout. `Default` is what `build_index` uses.
#[derive(Clone, Debug)]
pub struct IndexOptions {
    /// Postings per block file of a blocked list.
    pub block: usize,
    /// Posting lists of at most this many docs are inline in their shard; longer ones are
    /// blocked. At most `block` (a blocked list has at least one block).
    pub inline: usize,
    /// Aim for posting shards of about this many bytes (raw JSON).
    pub shard_bytes: usize,
    /// Aim for doc-store files of about this many bytes (raw JSON).
    pub doc_bytes: usize,
    /// Write every file but `meta.json` gzipped, as `….gz` (`"gz":1` in `meta.json`); the
    /// browser decompresses them (`DecompressionStream`). A large site's index is ~3.4 times
    /// smaller on the host so.
    pub gzip: bool,
    /// The site-relative folder every file goes under (`search/`; `search/en/` for a second
    /// language's index). A missing trailing `/` is added.
    pub folder: String,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions {
            block: 1024,
            inline: 1024,
            shard_bytes: 16 * 1024,
            doc_bytes: 8 * 1024,
            gzip: false,
            folder: DEFAULT_FOLDER.into(),
        }
    }
}

impl IndexOptions {
    /// A large site's layout (`site.search_layout`): ~4 times fewer files than the default
    /// at 10,000 replies (7,000 against 64,000) within a first search of 300 kB. Lists of
    /// up to 8,192 docs inline, longer ones in blocks of 32,768 postings (1,477 block files
    /// instead of 42,908); shards ~32 KiB, doc-store files ~48 KiB, each ~10–15 kB gzipped,
    /// as the header box fetches a few of them (docs/search.md, "Large sites").
    pub fn large() -> Self {
        IndexOptions {
            block: 32 * 1024,
            inline: 8 * 1024,
            shard_bytes: 32 * 1024,
            doc_bytes: 48 * 1024,
            gzip: false,
            folder: DEFAULT_FOLDER.into(),
        }
    }
}

/// What `build_index_each` emitted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct IndexSummary {
    /// Number of files.
    pub files: usize,
    /// Their total size in bytes.
    pub bytes: u64,
}

/// Builds the search index files for `docs` (doc id = position in `docs`).
pub fn build_index(docs: &[SearchDoc]) -> Result<Vec<SearchFile>, SearchError> {
    build_index_with(docs, &IndexOptions::default())
}

/// Builds the index with explicit layout options. Deterministic: the same docs and options
/// give byte-identical files whatever the thread count. Files are sorted by path.
pub fn build_index_with(
    docs: &[SearchDoc],
    opts: &IndexOptions,
) -> Result<Vec<SearchFile>, SearchError> {
    let files = Mutex::new(Vec::new());
    build_index_each(docs.to_vec(), opts, |f| {
        files.lock().unwrap_or_else(|e| e.into_inner()).push(f);
        Ok::<(), SearchError>(())
    })?;
    let mut files = files.into_inner().unwrap_or_else(|e| e.into_inner());
    files.sort_unstable_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// Builds the index and hands each file to `emit` as soon as it is made, so that a caller
/// writing them to disk never holds the whole index (hundreds of MB at 300,000 docs).
///
/// `emit` is called from rayon's threads, in no particular order; each file's path and
/// content are the same as `build_index_with` gives, whatever the thread count. The first
/// error (from `emit` or from the build) stops the build and is returned; files emitted
/// before it are not taken back. Bad input (`TooManyDocs`, `BadUrl`) is reported before
/// anything is emitted. The docs are taken, and freed once tokenized and in the doc store:
/// at 10,000 replies they are 160 MB, and the merge that follows needs as much again.
pub fn build_index_each<E, F>(
    docs: Vec<SearchDoc>,
    opts: &IndexOptions,
    emit: F,
) -> Result<IndexSummary, E>
where
    E: From<SearchError> + Send,
    F: Fn(SearchFile) -> Result<(), E> + Sync,
{
    if docs.len() > i32::MAX as usize {
        return Err(SearchError::TooManyDocs(docs.len()).into());
    }
    if let Some((index, d)) = docs
        .iter()
        .enumerate()
        .find(|(_, d)| d.url.is_empty() || d.url.starts_with('/'))
    {
        return Err(SearchError::BadUrl {
            index,
            url: d.url.clone(),
        }
        .into());
    }
    let files = AtomicUsize::new(0);
    let bytes = AtomicU64::new(0);
    let dir = folder_prefix(&opts.folder);
    let meta_path = format!("{dir}meta.json");
    let emit = |mut f: SearchFile| {
        if opts.gzip && f.path != meta_path {
            f = gzipped(f)?;
        }
        files.fetch_add(1, Ordering::Relaxed);
        bytes.fetch_add(f.bytes.len() as u64, Ordering::Relaxed);
        emit(f)
    };
    let lists = Lists {
        block: opts.block.max(1),
        inline: opts.inline.clamp(1, opts.block.max(1)),
    };
    let n = docs.len();

    let doc_total: usize = docs.par_iter().map(|d| doc_json_len(d) + 1).sum();
    let dpf = if n == 0 {
        1
    } else {
        (opts.doc_bytes * n / doc_total.max(1)).max(1)
    };

    // 1. The doc store; then tokenize in fixed chunks, in parallel: per chunk, doc lengths
    //    and the postings of each distinct term, grouped by partition. Each chunk's docs are
    //    freed once tokenized, so the docs and the postings made of them are not all held at
    //    once (~40 MB less at 10,000 replies).
    docs.par_chunks(dpf)
        .enumerate()
        .try_for_each(|(k, group)| {
            emit(SearchFile {
                path: format!("{dir}d/{k}.json"),
                bytes: doc_store_file(group),
            })
        })?;
    emit(SearchFile {
        path: format!("{dir}g.json"),
        bytes: group_sizes_file(&docs),
    })?;
    let mut docs = docs;
    let chunks: Vec<ChunkOut> = docs
        .par_chunks_mut(CHUNK_DOCS)
        .enumerate()
        .map_init(ChunkScratch::default, |s, (ci, chunk)| {
            let out = tokenize_chunk(s, (ci * CHUNK_DOCS) as u32, chunk);
            chunk
                .iter_mut()
                .for_each(|d| drop(std::mem::take(&mut d.text)));
            out
        })
        .collect();
    drop(docs);

    let total_len: u64 = chunks
        .iter()
        .flat_map(|c| c.lens.iter())
        .map(|&l| l as u64)
        .sum();
    let avg = if n == 0 {
        1.0
    } else {
        (total_len as f64 / n as f64).max(1.0)
    };
    let weights = Weights::new(chunks.iter().flat_map(|c| c.lens.iter().copied()), avg);

    // transpose: partition-major, so that each merge owns (and frees) its pieces
    let mut by_part: Vec<Vec<PartChunk>> = (0..PARTITIONS)
        .map(|_| Vec::with_capacity(chunks.len()))
        .collect();
    for c in chunks {
        for (p, part) in c.parts.into_iter().enumerate() {
            by_part[p].push(part);
        }
    }

    // 2. Merge each partition in chunk order (so postings are in doc order); measure what
    //    each term's shard entry will weigh.
    let terms: Vec<Vec<Term>> = by_part
        .into_par_iter()
        .map(|parts| merge_partition(parts, &weights, lists))
        .collect();

    // 3. Choose the number of posting shards from the encoded size; group the terms.
    let inline_bytes: usize = terms.iter().flatten().map(|t| t.weight).sum();
    let shards = (inline_bytes / opts.shard_bytes.max(1))
        .max(1)
        .next_power_of_two();
    let mut shard_terms: Vec<Vec<Term>> = (0..shards).map(|_| Vec::new()).collect();
    for t in terms.into_iter().flatten() {
        let s = t.hash as usize & (shards - 1);
        shard_terms[s].push(t);
    }

    // 4. Posting shards and blocks, written as they are made.
    shard_terms
        .into_par_iter()
        .enumerate()
        .try_for_each(|(s, terms)| shard_files(&dir, s, terms, &weights, lists, &emit))?;

    // 5. Meta.
    let block = lists.block;
    let gz = if opts.gzip { ",\"gz\":1" } else { "" };
    let meta = format!(
        "{{\"v\":{FORMAT_VERSION},\"n\":{n},\"ps\":{shards},\"dpf\":{dpf},\"blk\":{block},\
         \"k1\":{K1},\"b\":{B},\"w\":{IMPACT_MAX}{gz}}}"
    );
    emit(SearchFile {
        path: meta_path.clone(),
        bytes: meta.into_bytes(),
    })?;
    Ok(IndexSummary {
        files: files.into_inner(),
        bytes: bytes.into_inner(),
    })
}

/// Level of a gzipped index (`IndexOptions::gzip`). On the 10,000-reply bench site's index
/// (zlib, on a fifth of its files), 6 gives 0.5% fewer bytes in 1.7 times the time, 4 11%
/// more bytes in the posting shards; the build with 5 takes 5% less time than with 6 for
/// 0.2% more bytes (96.0 MB).
const GZIP_LEVEL: u32 = 5;

/// `f` gzipped, its path with `.gz` appended (how a gzipped index's files are written).
pub fn gzipped(f: SearchFile) -> Result<SearchFile, SearchError> {
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(
        Vec::with_capacity(f.bytes.len() / 3),
        flate2::Compression::new(GZIP_LEVEL),
    );
    gz.write_all(&f.bytes)?;
    Ok(SearchFile {
        path: f.path + ".gz",
        bytes: gz.finish()?,
    })
}

// ---- keys ------------------------------------------------------------------------------

/// A token packed into a `u64`: a CJK character is its code point (< 2^21), a pair is
/// `PAIR_TAG | a << 21 | b`, a word piece is `WORD_TAG | id` with `id` its index in the
/// chunk's word list (words are rare in Chinese text; interning them keeps one key type).
type Key = u64;
const PAIR_TAG: Key = 1 << 62;
const WORD_TAG: Key = 1 << 63;

/// A pair's key without its tag: `a << 21 | b`.
fn pair_bits(a: char, b: char) -> Key {
    (a as Key) << 21 | b as Key
}

/// The merge partition of a CJK key (any well-mixed bits will do: it only spreads work).
fn cjk_partition(key: Key) -> usize {
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 58) as usize & (PARTITIONS - 1)
}

fn word_partition(word: &str) -> usize {
    token_hash(word) as usize & (PARTITIONS - 1)
}

/// The token text of a CJK key.
fn cjk_token(key: Key) -> String {
    let ch = |v: u64| char::from_u32((v & 0x1F_FFFF) as u32).unwrap_or('\u{FFFD}');
    let mut s = String::with_capacity(8);
    if key & PAIR_TAG != 0 {
        s.push(ch(key >> 21));
    }
    s.push(ch(key));
    s
}

// ---- varints -----------------------------------------------------------------------------

/// Unsigned LEB128: 7 bits a byte, low bits first, the high bit set on every byte but the
/// last. Postings are kept as such pairs (doc delta, tf) between tokenizing and writing (~2.5
/// bytes a posting instead of 8, and no limit on tf), and block files are written with it.
fn put_varint(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push(v as u8 | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Reads the varint at `pos` and moves past it; `None` if the bytes end inside it or it does
/// not fit a `u32`. Shared with the reader, which gets block files from outside.
pub(super) fn get_varint(bytes: &[u8], pos: &mut usize) -> Option<u32> {
    let mut v = 0u64;
    for shift in (0..35).step_by(7) {
        let b = *bytes.get(*pos)?;
        *pos += 1;
        v |= u64::from(b & 0x7F) << shift;
        if b < 0x80 {
            return u32::try_from(v).ok();
        }
    }
    None
}

/// Decodes a term's postings as (doc id, tf), in doc order.
fn postings(bytes: &[u8]) -> impl Iterator<Item = (u32, u32)> + '_ {
    let mut pos = 0;
    let mut doc = 0u32;
    std::iter::from_fn(move || {
        doc += get_varint(bytes, &mut pos)?;
        Some((doc, get_varint(bytes, &mut pos)?))
    })
}

// ---- 1. tokenizing ---------------------------------------------------------------------

/// Buffers reused from chunk to chunk by one thread.
#[derive(Default)]
struct ChunkScratch {
    /// Local term id (first-occurrence order in the chunk) of each character, indexed by
    /// code point (`NO_ID` if not yet seen): half of all tokens are characters, and an array
    /// is several times faster than hashing them.
    char_ids: Vec<u32>,
    /// The same for each word, indexed by its place in `word_list`.
    word_ids: Vec<u32>,
    /// local term id -> key
    lid_keys: Vec<Key>,
    words: FxHashMap<String, u32>,
    word_list: Vec<String>,
    keys: Vec<Key>,
    /// per local term: its tf in the current doc (0 between docs)
    tf: Vec<u32>,
    /// local terms of the current doc, first occurrence order
    seen: Vec<u32>,
    /// (local term id, doc id, tf), in doc order, for characters and words
    post: Vec<(u32, u32, u32)>,
    /// One entry per pair occurrence: `pair_bits << DOC_BITS | doc within the chunk`.
    pairs: Vec<u64>,
    /// Room for sorting `pairs`.
    sorted: Vec<u64>,
    count: Vec<u32>,
    order: Vec<u32>,
}

/// The terms of one chunk that fall in one partition.
#[derive(Default)]
struct PartChunk {
    terms: Vec<ChunkTerm>,
    /// Each term's postings after its first: varint (doc delta, tf) pairs; the first
    /// posting's tf comes first (its doc is `ChunkTerm::first`).
    bytes: Vec<u8>,
}

struct ChunkTerm {
    key: TermKey,
    df: u32,
    first: u32,
    last: u32,
    /// End of its postings in `PartChunk::bytes` (they start where the previous term's end).
    end: u32,
}

enum TermKey {
    Cjk(Key),
    Word(Box<str>),
}

struct ChunkOut {
    lens: Vec<u32>,
    parts: Vec<PartChunk>,
}

/// Bits of a pair occurrence that hold its doc's place in the chunk.
const DOC_BITS: u32 = 12;
const _: () = assert!(CHUNK_DOCS <= 1 << DOC_BITS);
/// Bits of a pair occurrence: the two characters' code points, then the doc.
const PAIR_BITS: u32 = 42 + DOC_BITS;

/// `ChunkScratch::char_ids` and `word_ids` of a term not seen in the chunk.
const NO_ID: u32 = u32::MAX;
const CHARS: usize = char::MAX as usize + 1;

fn tokenize_chunk(s: &mut ChunkScratch, first_id: u32, chunk: &[SearchDoc]) -> ChunkOut {
    // Forget the previous chunk's characters (its keys are still in `lid_keys`).
    if s.char_ids.is_empty() {
        s.char_ids = vec![NO_ID; CHARS];
    }
    for &key in &s.lid_keys {
        if (key as usize) < CHARS {
            s.char_ids[key as usize] = NO_ID;
        }
    }
    s.word_ids.clear();
    s.words.clear();
    s.word_list.clear();
    s.tf.clear();
    s.lid_keys.clear();
    s.post.clear();
    s.pairs.clear();
    let mut lens = Vec::with_capacity(chunk.len());
    for (i, doc) in chunk.iter().enumerate() {
        let id = first_id + i as u32;
        s.keys.clear();
        let pairs_before = s.pairs.len();
        let (keys, words, word_list) = (&mut s.keys, &mut s.words, &mut s.word_list);
        let word_ids = &mut s.word_ids;
        let pairs = &mut s.pairs;
        for_each_token(&doc.text, |t| match t {
            Token::Char(c) => keys.push(c as Key),
            // Pairs are many and mostly rare: sorted once per chunk below, not looked up one
            // by one in a table larger than the cache.
            Token::Pair(a, b) => {
                pairs.push(pair_bits(a, b) << DOC_BITS | i as u64);
            }
            Token::Word(w) => {
                let wid = match words.get(w) {
                    Some(&wid) => wid,
                    None => {
                        let wid = word_list.len() as u32;
                        words.insert(w.to_string(), wid);
                        word_list.push(w.to_string());
                        word_ids.push(NO_ID);
                        wid
                    }
                };
                keys.push(WORD_TAG | wid as Key);
            }
        });
        lens.push((s.keys.len() + s.pairs.len() - pairs_before) as u32);
        // count this doc's terms in a small dense array (L2-resident) rather than by
        // revisiting each term's latest posting in `post` (cache misses at every token)
        for &key in &s.keys {
            let next = s.tf.len() as u32;
            let slot = if (key as usize) < CHARS {
                &mut s.char_ids[key as usize]
            } else {
                &mut s.word_ids[(key & !WORD_TAG) as usize]
            };
            if *slot == NO_ID {
                *slot = next;
            }
            let lid = *slot;
            if lid == next {
                s.tf.push(0);
                s.lid_keys.push(key);
            }
            let tf = &mut s.tf[lid as usize];
            if *tf == 0 {
                s.seen.push(lid);
            }
            *tf += 1;
        }
        for &lid in &s.seen {
            s.post
                .push((lid, id, std::mem::take(&mut s.tf[lid as usize])));
        }
        s.seen.clear();
    }

    // group the postings by term, keeping doc order (a counting sort)
    let terms = s.tf.len();
    s.count.clear();
    s.count.resize(terms + 1, 0);
    for &(lid, ..) in &s.post {
        s.count[lid as usize + 1] += 1;
    }
    for i in 0..terms {
        s.count[i + 1] += s.count[i];
    }
    s.order.clear();
    s.order.resize(s.post.len(), 0);
    {
        let mut at = s.count.clone();
        for (i, &(lid, ..)) in s.post.iter().enumerate() {
            s.order[at[lid as usize] as usize] = i as u32;
            at[lid as usize] += 1;
        }
    }
    let keys = std::mem::take(&mut s.lid_keys);

    let mut parts: Vec<PartChunk> = (0..PARTITIONS).map(|_| PartChunk::default()).collect();
    for (lid, &key) in keys.iter().enumerate() {
        let list = &s.order[s.count[lid] as usize..s.count[lid + 1] as usize];
        let (p, key) = if key & WORD_TAG != 0 {
            let w = &s.word_list[(key & !WORD_TAG) as usize];
            (word_partition(w), TermKey::Word(w.as_str().into()))
        } else {
            (cjk_partition(key), TermKey::Cjk(key))
        };
        let part = &mut parts[p];
        let (_, first, tf) = s.post[list[0] as usize];
        put_varint(&mut part.bytes, tf);
        let mut prev = first;
        for &i in &list[1..] {
            let (_, d, tf) = s.post[i as usize];
            put_varint(&mut part.bytes, d - prev);
            put_varint(&mut part.bytes, tf);
            prev = d;
        }
        part.terms.push(ChunkTerm {
            key,
            df: list.len() as u32,
            first,
            last: prev,
            end: part.bytes.len() as u32,
        });
    }
    s.lid_keys = keys;

    // Pairs: sorted, each run of one pair is its postings in doc order, and each run of one
    // occurrence within it is a doc and its tf.
    radix_sort(&mut s.pairs, &mut s.sorted, PAIR_BITS);
    let pairs = &s.pairs;
    let mut i = 0;
    while i < pairs.len() {
        let key = PAIR_TAG | pairs[i] >> DOC_BITS;
        let part = &mut parts[cjk_partition(key)];
        let (mut df, mut first, mut prev) = (0u32, 0u32, 0u32);
        while i < pairs.len() && PAIR_TAG | pairs[i] >> DOC_BITS == key {
            let v = pairs[i];
            let run = pairs[i..].iter().take_while(|&&w| w == v).count();
            let d = first_id + (v & ((1 << DOC_BITS) - 1)) as u32;
            if df == 0 {
                first = d;
            } else {
                put_varint(&mut part.bytes, d - prev);
            }
            put_varint(&mut part.bytes, run as u32);
            prev = d;
            df += 1;
            i += run;
        }
        part.terms.push(ChunkTerm {
            key: TermKey::Cjk(key),
            df,
            first,
            last: prev,
            end: part.bytes.len() as u32,
        });
    }
    ChunkOut { lens, parts }
}

/// Sorts the low `bits` of `v`'s values (the rest must be 0), least significant digit first;
/// `tmp` is scratch. A digit all values share is skipped.
fn radix_sort(v: &mut Vec<u64>, tmp: &mut Vec<u64>, bits: u32) {
    const DIGIT: u32 = 11;
    const BUCKETS: usize = 1 << DIGIT;
    tmp.clear();
    tmp.resize(v.len(), 0);
    let mut shift = 0;
    while shift < bits {
        let digit = |x: u64| (x >> shift) as usize & (BUCKETS - 1);
        let mut at = [0usize; BUCKETS];
        for &x in v.iter() {
            at[digit(x)] += 1;
        }
        if !at.contains(&v.len()) {
            let mut sum = 0;
            for slot in at.iter_mut() {
                let count = *slot;
                *slot = sum;
                sum += count;
            }
            for &x in v.iter() {
                let d = digit(x);
                tmp[at[d]] = x;
                at[d] += 1;
            }
            std::mem::swap(v, tmp);
        }
        shift += DIGIT;
    }
}

// ---- 2. merging --------------------------------------------------------------------------

/// One term of the index, with all its postings.
struct Term {
    token: String,
    /// `token_hash(token)`: picks the shard.
    hash: u32,
    df: u32,
    /// What the term adds to the size that sets the number of shards: token + inline entry
    /// + 8 (the inline entry counts as empty for a blocked list).
    weight: usize,
    /// Varint (doc delta, tf) pairs from doc 0.
    bytes: Vec<u8>,
}

/// Where a posting list goes: inline up to `inline` docs, else in blocks of `block`.
#[derive(Clone, Copy)]
struct Lists {
    block: usize,
    inline: usize,
}

fn merge_partition(parts: Vec<PartChunk>, w: &Weights, lists: Lists) -> Vec<Term> {
    struct Acc {
        key: TermKey,
        df: u32,
        last: u32,
        bytes: Vec<u8>,
    }
    let mut cjk: FxHashMap<Key, u32> = FxHashMap::default();
    let mut words: FxHashMap<Box<str>, u32> = FxHashMap::default();
    let mut acc: Vec<Acc> = Vec::new();
    for part in parts {
        let mut start = 0usize;
        for t in part.terms {
            let next = acc.len() as u32;
            let gid = match &t.key {
                TermKey::Cjk(k) => *cjk.entry(*k).or_insert(next),
                TermKey::Word(s) => match words.get(s) {
                    Some(&g) => g,
                    None => {
                        words.insert(s.clone(), next);
                        next
                    }
                },
            };
            if gid == next {
                acc.push(Acc {
                    key: t.key,
                    df: 0,
                    last: 0,
                    bytes: Vec::new(),
                });
            }
            let a = &mut acc[gid as usize];
            put_varint(&mut a.bytes, t.first - a.last);
            a.bytes
                .extend_from_slice(&part.bytes[start..t.end as usize]);
            start = t.end as usize;
            a.df += t.df;
            a.last = t.last;
        }
    }
    acc.into_iter()
        .map(|mut a| {
            let token = match a.key {
                TermKey::Cjk(k) => cjk_token(k),
                TermKey::Word(s) => s.into(),
            };
            a.bytes.shrink_to_fit();
            let inline = if a.df as usize <= lists.inline {
                inline_len(a.df, &a.bytes, w)
            } else {
                0
            };
            Term {
                hash: token_hash(&token),
                weight: token.len() + inline + 8,
                token,
                df: a.df,
                bytes: a.bytes,
            }
        })
        .collect()
}

// ---- impacts -------------------------------------------------------------------------------

/// Per doc: what BM25 needs of its length, and its impact at tf = 1 (the common case).
struct Weights {
    norm: Vec<f64>,
    one: Vec<u8>,
}

impl Weights {
    fn new(lens: impl Iterator<Item = u32>, avg: f64) -> Weights {
        let norm: Vec<f64> = lens
            .map(|len| K1 * (1.0 - B + B * len as f64 / avg))
            .collect();
        let one = norm.iter().map(|&n| impact(1, n) as u8).collect();
        Weights { norm, one }
    }

    #[inline]
    fn impact(&self, doc: u32, tf: u32) -> u32 {
        if tf == 1 {
            self.one[doc as usize] as u32
        } else {
            impact(tf, self.norm[doc as usize])
        }
    }
}

/// Quantized BM25 term weight; `norm` is `k1 (1 - b + b len / avglen)`.
fn impact(tf: u32, norm: f64) -> u32 {
    let tf = tf as f64;
    let w = tf * (K1 + 1.0) / (tf + norm);
    ((w / (K1 + 1.0) * IMPACT_MAX as f64).round() as u32).clamp(1, IMPACT_MAX)
}

// ---- 4. writing ----------------------------------------------------------------------------

fn digits(v: u32) -> usize {
    v.checked_ilog10().unwrap_or(0) as usize + 1
}

/// The numbers a posting list is written as, inline or in a block: `d0, w0, Δd1, w1, …` (the
/// first doc absolute, the others as deltas, each with its impact).
fn list_numbers<'a>(
    list: impl IntoIterator<Item = (u32, u32)> + 'a,
    w: &'a Weights,
) -> impl Iterator<Item = u32> + 'a {
    let mut prev = 0;
    list.into_iter().flat_map(move |(d, tf)| {
        let delta = d - prev;
        prev = d;
        [delta, w.impact(d, tf)]
    })
}

/// Length of the inline entry `[df,d0,w0,Δd1,w1,…]` that `encode_list` would write.
fn inline_len(df: u32, bytes: &[u8], w: &Weights) -> usize {
    // brackets, df, and a comma before each of the 2·df numbers
    2 + digits(df) + 2 * df as usize + list_numbers(postings(bytes), w).map(digits).sum::<usize>()
}

fn push_u32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
}

/// Writes a list's numbers comma-separated: an inline entry's tail.
fn encode_list(list: &[(u32, u32)], w: &Weights, out: &mut Vec<u8>) {
    for (i, v) in list_numbers(list.iter().copied(), w).enumerate() {
        if i > 0 {
            out.push(b',');
        }
        push_u32(out, v);
    }
}

/// Writes a list's numbers as LEB128 varints: a block file.
fn encode_block(list: &[(u32, u32)], w: &Weights, out: &mut Vec<u8>) {
    for v in list_numbers(list.iter().copied(), w) {
        put_varint(out, v);
    }
}

/// Writes shard `s` (`search/p/{s}.json`) and the block files (`search/b/{s}-{j}-{k}.bin`) of
/// its blocked terms.
fn shard_files<E>(
    dir: &str,
    s: usize,
    mut terms: Vec<Term>,
    w: &Weights,
    lists: Lists,
    emit: &(impl Fn(SearchFile) -> Result<(), E> + Sync),
) -> Result<(), E>
where
    E: From<SearchError>,
{
    terms.sort_unstable_by(|a, b| a.token.cmp(&b.token));
    let mut out = Vec::with_capacity(terms.iter().map(|t| t.weight).sum::<usize>() + 2);
    out.push(b'{');
    let mut list: Vec<(u32, u32)> = Vec::new();
    let mut j = 0usize;
    for (i, t) in terms.into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        serde_json::to_writer(&mut out, &t.token).map_err(SearchError::from)?;
        out.push(b':');
        list.clear();
        list.extend(postings(&t.bytes));
        drop(t.bytes);
        if t.df as usize <= lists.inline {
            out.push(b'[');
            push_u32(&mut out, t.df);
            out.push(b',');
            encode_list(&list, w, &mut out);
            out.push(b']');
        } else {
            out.extend_from_slice(format!("{{\"df\":{},\"j\":{j},\"b\":[", t.df).as_bytes());
            for (k, c) in list.chunks(lists.block).enumerate() {
                if k > 0 {
                    out.push(b',');
                }
                push_u32(&mut out, c[0].0);
                let mut body = Vec::with_capacity(c.len() * 3);
                encode_block(c, w, &mut body);
                emit(SearchFile {
                    path: format!("{dir}b/{s}-{j}-{k}.bin"),
                    bytes: body,
                })?;
            }
            out.extend_from_slice(b"]}");
            j += 1;
        }
    }
    out.push(b'}');
    emit(SearchFile {
        path: format!("{dir}p/{s}.json"),
        bytes: out,
    })
}

/// One doc-store file: `[[url, title, section, text], …]`.
/// The page of a doc: its url without the fragment.
fn page_of(url: &str) -> &str {
    url.split_once('#').map_or(url, |(page, _)| page)
}

/// `search/g.json`: `{"s":[sizes],"t":[flags]}`, the groups in doc order: a group is a run of
/// consecutive docs of the same page (a reply, a concept page), `t` is 1 when its first doc
/// is the page itself (a url without fragment: its names). The browser groups results by page
/// with it, without fetching their docs.
fn group_sizes_file(docs: &[SearchDoc]) -> Vec<u8> {
    let (mut sizes, mut named) = (Vec::new(), Vec::new());
    for (i, d) in docs.iter().enumerate() {
        if i == 0 || page_of(&d.url) != page_of(&docs[i - 1].url) {
            sizes.push(0u32);
            named.push(u8::from(!d.url.contains('#')));
        }
        *sizes.last_mut().unwrap_or(&mut 0) += 1;
    }
    let list = |v: Vec<String>| v.join(",");
    format!(
        "{{\"s\":[{}],\"t\":[{}]}}",
        list(sizes.iter().map(u32::to_string).collect()),
        list(named.iter().map(u8::to_string).collect())
    )
    .into_bytes()
}

fn doc_store_file(group: &[SearchDoc]) -> Vec<u8> {
    let mut out = Vec::with_capacity(group.iter().map(|d| doc_json_len(d) + 1).sum::<usize>() + 1);
    out.push(b'[');
    for (i, d) in group.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        // `[url,title,section,text]`, as serde_json writes the tuple.
        for (k, field) in [&d.url, &d.title, &d.section, &d.text]
            .into_iter()
            .enumerate()
        {
            out.push(if k == 0 { b'[' } else { b',' });
            json_text::write_str(&mut out, field);
        }
        out.push(b']');
    }
    out.push(b']');
    out
}

/// Length of `serde_json::to_string(&(url, title, section, text))`, without writing it:
/// the doc-store layout depends on the total, and the docs are written only later.
fn doc_json_len(d: &SearchDoc) -> usize {
    5 + json_text::str_len(&d.url)
        + json_text::str_len(&d.title)
        + json_text::str_len(&d.section)
        + json_text::str_len(&d.text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_store_entries_are_what_serde_json_writes() {
        let mut all = String::new();
        for c in (0u32..0x80).chain([0xA0, 0x2028, 0x4E00, 0x1F600]) {
            all.push(char::from_u32(c).unwrap());
        }
        let docs = [
            SearchDoc {
                url: "a\"b".into(),
                title: all.clone(),
                section: String::new(),
                text: all + "国际法\\",
            },
            SearchDoc {
                url: "states/x/#p1".into(),
                title: "亚美尼亚".into(),
                section: "国际法".into(),
                text: "规范(j)".into(),
            },
        ];
        let tuples: Vec<_> = docs
            .iter()
            .map(|d| (&d.url, &d.title, &d.section, &d.text))
            .collect();
        let want = serde_json::to_string(&tuples).unwrap();
        assert_eq!(String::from_utf8(doc_store_file(&docs)).unwrap(), want);
        let json = serde_json::to_string(&tuples[0]).unwrap();
        assert_eq!(doc_json_len(&docs[0]), json.len());
    }

    #[test]
    fn varints_round_trip() {
        let mut b = Vec::new();
        let vals = [
            0,
            1,
            127,
            128,
            255,
            16_383,
            16_384,
            65_535,
            1 << 28,
            u32::MAX,
        ];
        for v in vals {
            put_varint(&mut b, v);
        }
        let mut pos = 0;
        for v in vals {
            assert_eq!(get_varint(&b, &mut pos), Some(v));
        }
        assert_eq!(pos, b.len());
        // cut short, past u32, longer than five bytes: refused
        for bad in [
            &[0x80][..],
            &[0xFF, 0xFF, 0xFF, 0xFF, 0x10],
            &[0x80, 0x80, 0x80, 0x80, 0x80, 0],
        ] {
            assert_eq!(get_varint(bad, &mut 0), None, "{bad:?}");
        }
        // the layout block files use: low 7 bits first, high bit = more
        let mut b = Vec::new();
        for v in [0, 127, 128, 300, 16_384] {
            put_varint(&mut b, v);
        }
        assert_eq!(b, [0, 0x7F, 0x80, 0x01, 0xAC, 0x02, 0x80, 0x80, 0x01]);
    }

    #[test]
    fn cjk_keys_round_trip() {
        for (a, b) in [('国', '际'), ('\u{3005}', '\u{3FFFF}'), ('𠀀', 'ア')] {
            let pair = PAIR_TAG | pair_bits(a, b);
            assert_eq!(cjk_token(pair), format!("{a}{b}"));
            assert_eq!(cjk_token(a as Key), a.to_string());
        }
    }

    #[test]
    fn radix_sort_sorts() {
        // pair occurrences as the tokenizer makes them: shared high digits (skipped), repeats
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        let mut v: Vec<u64> = (0..5000)
            .map(|i| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let (a, b) = (0x4E00 + (x % 300), 0x4E00 + (x >> 20) % 300);
                ((a << 21 | b) << DOC_BITS) | (i % 7)
            })
            .collect();
        v.extend([0, (1 << PAIR_BITS) - 1, 5]);
        let mut want = v.clone();
        want.sort_unstable();
        radix_sort(&mut v, &mut Vec::new(), PAIR_BITS);
        assert_eq!(v, want);
        let mut one = vec![7u64; 3];
        radix_sort(&mut one, &mut Vec::new(), PAIR_BITS);
        assert_eq!(one, [7, 7, 7]);
        radix_sort(&mut Vec::new(), &mut Vec::new(), PAIR_BITS);
    }
}
