//! The search tokenizer: one specification for the index (Rust) and the queries (browser JS).
//!
//! The specification is in `docs/search.md`; `tests/search/vectors.json` holds test vectors that
//! both this module and `assets/search.js` are checked against. In short:
//!
//! 1. **Fold** every character through the fold table (`fold_table.rs`, generated): NFKC for
//!    full-width forms, CJK compatibility ideographs, Kangxi radicals, ligatures and a few
//!    more; lower case for Latin, Greek and Cyrillic letters; invisible characters removed.
//! 2. **Classify** each folded character: CJK (Han, kana, Hangul), digit, letter, or separator.
//! 3. **Runs**: a maximal sequence of CJK characters is a CJK run; a maximal sequence of letters
//!    and digits is a word run, cut into pieces where it changes between letters and digits.
//! 4. **Index tokens**: every CJK character and every pair of adjacent CJK characters of a run
//!    (in text order: c1, c1c2, c2, c2c3, c3, …); every word piece.
//! 5. **Query tokens**: a CJK run of one character gives that character; a longer one gives its
//!    bigrams only; word pieces as in the index; duplicates dropped; at most the first 32.
//! 6. **Phrase key**: the folded text with everything but CJK characters, letters and digits
//!    removed. A paragraph matches the whole query when its phrase key contains the query's.

use super::fold_table::{FOLD_MULTI, FOLD_RUNS};

/// What a folded character is for tokenizing.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum CharClass {
    /// Han, kana, Hangul: indexed as characters and bigrams.
    Cjk,
    /// ASCII digits.
    Digit,
    /// Latin, Greek and Cyrillic letters and combining marks.
    Letter,
    /// Everything else: spaces, punctuation, symbols.
    Separator,
}

/// The fold of one character: zero, one or several characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fold {
    One(char),
    Many(&'static str),
}

/// Folds one character (step 1 of the specification).
pub fn fold_char(c: char) -> Fold {
    let cp = c as u32;
    if cp < 0x80 {
        return Fold::One(c.to_ascii_lowercase());
    }
    if (0x3400..=0x9FFF).contains(&cp) || (0xAC00..=0xD7A3).contains(&cp) {
        return Fold::One(c);
    }
    if let Ok(i) = FOLD_MULTI.binary_search_by_key(&cp, |&(k, _)| k) {
        return Fold::Many(FOLD_MULTI[i].1);
    }
    let i = FOLD_RUNS.partition_point(|&(start, ..)| start <= cp);
    if i > 0 {
        let (start, count, stride, delta) = FOLD_RUNS[i - 1];
        let off = cp - start;
        if off.is_multiple_of(stride) && off / stride < count {
            let t = (cp as i64 + delta as i64) as u32;
            return Fold::One(char::from_u32(t).unwrap_or(c));
        }
    }
    Fold::One(c)
}

/// Folds a whole string (step 1).
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match fold_char(c) {
            Fold::One(f) => out.push(f),
            Fold::Many(s) => out.push_str(s),
        }
    }
    out
}

/// Classifies a folded character (step 2).
pub fn classify(c: char) -> CharClass {
    let cp = c as u32;
    match cp {
        0x30..=0x39 => CharClass::Digit,
        0x61..=0x7A => CharClass::Letter,
        0x00..=0x7F => CharClass::Separator,
        0xC0..=0xD6 | 0xD8..=0xF6 | 0xF8..=0x24F | 0x300..=0x36F => CharClass::Letter,
        0x386 | 0x388..=0x38A | 0x38C | 0x38E..=0x3A1 | 0x3A3..=0x3CE => CharClass::Letter,
        0x400..=0x481 | 0x48A..=0x4FF | 0x1E00..=0x1EFF => CharClass::Letter,
        0x3005 | 0x3007 | 0x3041..=0x3096 | 0x30A1..=0x30FA | 0x30FC => CharClass::Cjk,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF => CharClass::Cjk,
        0x20000..=0x3FFFF => CharClass::Cjk,
        _ => CharClass::Separator,
    }
}

/// A run of the folded text (step 3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Run {
    /// A maximal sequence of CJK characters.
    Cjk(Vec<char>),
    /// One piece of a word run: letters only or digits only.
    Word(String),
}

/// Spaces that may stand between digit groups of a number (`4 500`, `4\u{2009}500`).
fn is_group_space(c: char) -> bool {
    matches!(c, ' ' | '\u{A0}' | '\u{2009}' | '\u{202F}')
}

fn is_digit(c: char) -> bool {
    match c as u32 {
        0..=0x7F => c.is_ascii_digit(),
        0x3400..=0x9FFF => false,
        _ => matches!(fold_char(c), Fold::One(f) if f.is_ascii_digit()),
    }
}

/// Step 3a: drops each space (U+0020, U+00A0, U+2009, U+202F) that stands between a group of
/// one to three digits and a group of exactly three, so that `4 500` and `1 234 567` are
/// the numbers `4500` and `1234567`. Borrowed when nothing is dropped (most texts).
pub fn join_digit_groups(text: &str) -> std::borrow::Cow<'_, str> {
    let mut out: Option<String> = None;
    let mut digits_before = 0usize;
    for (i, c) in text.char_indices() {
        let drop = is_group_space(c) && (1..=3).contains(&digits_before) && {
            let mut next = text[i + c.len_utf8()..].chars();
            next.by_ref().take(3).filter(|&d| is_digit(d)).count() == 3
                && !next.next().is_some_and(is_digit)
        };
        digits_before = if is_digit(c) { digits_before + 1 } else { 0 };
        match (&mut out, drop) {
            (None, true) => out = Some(text[..i].to_string()),
            (Some(o), false) => o.push(c),
            _ => {}
        }
    }
    out.map_or(std::borrow::Cow::Borrowed(text), std::borrow::Cow::Owned)
}

/// Cuts text into runs (steps 1–3).
pub fn runs(text: &str) -> Vec<Run> {
    let text = &*join_digit_groups(text);
    let mut out = Vec::new();
    let mut cjk: Vec<char> = Vec::new();
    let mut word = String::new();
    let mut word_class = CharClass::Separator;
    let mut push = |c: char, out: &mut Vec<Run>| {
        let class = classify(c);
        if class != CharClass::Cjk && !cjk.is_empty() {
            out.push(Run::Cjk(std::mem::take(&mut cjk)));
        }
        if class != word_class && !word.is_empty() {
            out.push(Run::Word(std::mem::take(&mut word)));
        }
        word_class = class;
        match class {
            CharClass::Cjk => cjk.push(c),
            CharClass::Digit | CharClass::Letter => word.push(c),
            CharClass::Separator => {}
        }
    };
    for c in text.chars() {
        match fold_char(c) {
            Fold::One(f) => push(f, &mut out),
            Fold::Many(s) => s.chars().for_each(|f| push(f, &mut out)),
        }
    }
    push(' ', &mut out);
    out
}

/// The index tokens of a text, in text order, with repeats (step 4).
pub fn tokenize(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for run in runs(text) {
        match run {
            Run::Cjk(chars) => {
                for (i, c) in chars.iter().enumerate() {
                    out.push(c.to_string());
                    if let Some(next) = chars.get(i + 1) {
                        let mut pair = String::with_capacity(8);
                        pair.push(*c);
                        pair.push(*next);
                        out.push(pair);
                    }
                }
            }
            Run::Word(w) => out.push(w),
        }
    }
    out
}

/// One index token as `for_each_token` hands it out: borrowed, so that the index builder
/// does not allocate a `String` per token (a 300,000-doc build visits ~100 million).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Token<'a> {
    /// One CJK character.
    Char(char),
    /// Two adjacent CJK characters of a run.
    Pair(char, char),
    /// A word piece (folded; letters only or digits only).
    Word(&'a str),
}

impl Token<'_> {
    /// Appends the token's text to `out`.
    pub fn push_to(&self, out: &mut String) {
        match *self {
            Token::Char(c) => out.push(c),
            Token::Pair(a, b) => {
                out.push(a);
                out.push(b);
            }
            Token::Word(w) => out.push_str(w),
        }
    }
}

impl std::fmt::Display for Token<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut s = String::new();
        self.push_to(&mut s);
        f.write_str(&s)
    }
}

/// Calls `f` with each index token of `text`, in the order and with the repeats of
/// `tokenize` (step 4), without building runs or token strings. `tokenize` stays the
/// reference (it reads like the specification); a test checks that the two agree.
pub fn for_each_token(text: &str, f: impl FnMut(Token<'_>)) {
    let text = &*join_digit_groups(text);
    let mut v = Visitor {
        f,
        word: String::new(),
        word_class: CharClass::Separator,
        prev_cjk: None,
    };
    for c in text.chars() {
        // the common case of a Chinese text: a Han character folds to itself and is CJK
        if ('\u{4E00}'..='\u{9FFF}').contains(&c) {
            v.push(c, CharClass::Cjk);
            continue;
        }
        match fold_char(c) {
            Fold::One(f) => v.push(f, classify(f)),
            Fold::Many(s) => s.chars().for_each(|f| v.push(f, classify(f))),
        }
    }
    v.push(' ', CharClass::Separator);
}

/// State of `for_each_token`: the pending word piece and the previous character of the
/// current CJK run (its pair with the next character is the next bigram).
struct Visitor<F> {
    f: F,
    word: String,
    word_class: CharClass,
    prev_cjk: Option<char>,
}

impl<F: FnMut(Token<'_>)> Visitor<F> {
    #[inline]
    fn push(&mut self, c: char, class: CharClass) {
        if class != self.word_class && !self.word.is_empty() {
            (self.f)(Token::Word(&self.word));
            self.word.clear();
        }
        self.word_class = class;
        match class {
            CharClass::Cjk => {
                if let Some(p) = self.prev_cjk {
                    (self.f)(Token::Pair(p, c));
                }
                (self.f)(Token::Char(c));
                self.prev_cjk = Some(c);
                return;
            }
            CharClass::Digit | CharClass::Letter => self.word.push(c),
            CharClass::Separator => {}
        }
        self.prev_cjk = None;
    }
}

/// The tokens a query looks up, first occurrence order, no repeats (step 5).
pub fn query_tokens(query: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |t: String| {
        if !out.contains(&t) {
            out.push(t);
        }
    };
    for run in runs(query) {
        match run {
            Run::Cjk(chars) if chars.len() == 1 => add(chars[0].to_string()),
            Run::Cjk(chars) => {
                for pair in chars.windows(2) {
                    add(pair.iter().collect());
                }
            }
            Run::Word(w) => add(w),
        }
    }
    out.truncate(MAX_QUERY_TOKENS);
    out
}

/// A query looks up at most this many tokens (the first ones): a pasted page stays cheap.
pub const MAX_QUERY_TOKENS: usize = 32;

/// The phrase key of a text (step 6).
pub fn phrase_key(text: &str) -> String {
    fold(text)
        .chars()
        .filter(|&c| classify(c) != CharClass::Separator)
        .collect()
}

/// The phrase keys of the space-separated parts of a query (step 6), empty ones dropped: a
/// paragraph contains the whole query when its phrase key contains every one of them.
pub fn query_parts(query: &str) -> Vec<String> {
    join_digit_groups(query)
        .split(|c: char| c.is_whitespace() || c == '\u{FEFF}')
        .map(phrase_key)
        .filter(|k| !k.is_empty())
        .collect()
}

/// Whether a phrase key (of a paragraph) contains the whole query (its parts' keys).
pub fn contains_parts(key: &str, parts: &[String]) -> bool {
    !parts.is_empty() && parts.iter().all(|p| key.contains(p.as_str()))
}

/// 32-bit FNV-1a of the token's UTF-8 bytes: picks the posting shard of a token.
pub fn token_hash(token: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in token.bytes() {
        h ^= b as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// The tokenizer as an `elasticlunr::Language`, for use with elasticlunr-rs directly
/// (`IndexBuilder::with_language(Box::new(WenjiLanguage))`). Its pipeline is empty: folding
/// is part of tokenizing.
#[derive(Clone, Copy, Debug, Default)]
pub struct WenjiLanguage;

impl elasticlunr::Language for WenjiLanguage {
    fn name(&self) -> String {
        "Wenji".into()
    }

    fn code(&self) -> String {
        "zh".into()
    }

    fn tokenize(&self, text: &str) -> Vec<String> {
        tokenize(text)
    }

    fn make_pipeline(&self) -> elasticlunr::Pipeline {
        elasticlunr::Pipeline { queue: Vec::new() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn vectors() -> Vec<Value> {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/search/vectors.json"
        );
        let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        v["vectors"].as_array().unwrap().clone()
    }

    fn strings(v: &Value) -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .collect()
    }

    #[test]
    fn shared_vectors() {
        let vs = vectors();
        assert!(vs.len() >= 20);
        for v in vs {
            let input = v["input"].as_str().unwrap();
            assert_eq!(
                tokenize(input),
                strings(&v["tokens"]),
                "tokens of {input:?}"
            );
            assert_eq!(
                query_tokens(input),
                strings(&v["query"]),
                "query of {input:?}"
            );
            assert_eq!(
                phrase_key(input),
                v["phrase"].as_str().unwrap(),
                "phrase {input:?}"
            );
            assert_eq!(query_parts(input), strings(&v["parts"]), "parts {input:?}");
        }
    }

    fn visited(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for_each_token(text, |t| out.push(t.to_string()));
        out
    }

    /// The allocation-free visitor the index uses gives exactly `tokenize`'s tokens.
    #[test]
    fn visitor_matches_tokenize() {
        for v in vectors() {
            let input = v["input"].as_str().unwrap();
            assert_eq!(visited(input), tokenize(input), "{input:?}");
        }
        let seed = concat!(env!("CARGO_MANIFEST_DIR"), "/../../sources/A-75-123-zh.txt");
        let seed = std::fs::read_to_string(seed).unwrap();
        for line in seed.lines() {
            assert_eq!(visited(line), tokenize(line), "{line:?}");
        }
        assert_eq!(visited(&seed), tokenize(&seed));
        // every code point that folds or classifies specially, next to CJK and words
        let all: String = (0..0x30000u32).filter_map(char::from_u32).collect();
        assert_eq!(visited(&all), tokenize(&all));
        for chunk in all.chars().collect::<Vec<_>>().chunks(7) {
            let s: String = chunk
                .iter()
                .copied()
                .chain(['国', 'a', '1', '际'])
                .collect();
            assert_eq!(visited(&s), tokenize(&s), "{s:?}");
        }
    }

    #[test]
    fn fold_checksum_matches_vectors() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/search/vectors.json"
        );
        let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        assert_eq!(fold_checksum() as u64, v["fold_checksum"].as_u64().unwrap());
    }

    #[test]
    fn hash_vectors() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/search/vectors.json"
        );
        let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        for h in v["hashes"].as_array().unwrap() {
            let t = h[0].as_str().unwrap();
            assert_eq!(
                token_hash(t) as u64,
                h[1].as_u64().unwrap(),
                "hash of {t:?}"
            );
        }
    }

    /// The JS copy of the fold table in assets/search.js is the same as the Rust one.
    #[test]
    fn js_fold_table_matches() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../assets/search.js");
        let js = std::fs::read_to_string(path).unwrap();
        let runs_line = js
            .lines()
            .find(|l| l.trim_start().starts_with("const FOLD_RUNS = ["))
            .expect("FOLD_RUNS in search.js");
        let inner = runs_line
            .split('[')
            .nth(1)
            .unwrap()
            .split(']')
            .next()
            .unwrap();
        let nums: Vec<i64> = inner.split(',').map(|n| n.parse().unwrap()).collect();
        let rust: Vec<i64> = FOLD_RUNS
            .iter()
            .flat_map(|&(a, b, c, d)| [a as i64, b as i64, c as i64, d as i64])
            .collect();
        assert_eq!(nums, rust);
        let multi_line = js
            .lines()
            .find(|l| l.trim_start().starts_with("const FOLD_MULTI = "))
            .expect("FOLD_MULTI in search.js");
        let obj = multi_line
            .trim()
            .trim_start_matches("const FOLD_MULTI = ")
            .trim_end_matches(';');
        let map: serde_json::Map<String, Value> = serde_json::from_str(obj).unwrap();
        assert_eq!(map.len(), FOLD_MULTI.len());
        for (cp, s) in FOLD_MULTI.iter() {
            assert_eq!(map[&cp.to_string()].as_str().unwrap(), *s);
        }
    }

    #[test]
    fn fold_table_sorted_and_disjoint() {
        let mut end = 0u32;
        for (i, &(start, count, stride, _)) in FOLD_RUNS.iter().enumerate() {
            assert!(i == 0 || start > end, "run {i} overlaps");
            end = start + (count - 1) * stride;
        }
        assert!(FOLD_MULTI.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn symbols_find_each_other() {
        let with = query_tokens("第 70/237 号决议");
        let without = query_tokens("第70/237号决议");
        assert_eq!(with, without);
        assert_eq!(
            phrase_key("第 70/237 号决议"),
            phrase_key("第７０／２３７号决议")
        );
        let doc = tokenize("见 ISO/IEC 27001 和 A / 70 / 174。");
        for t in query_tokens("ISO/IEC27001")
            .into_iter()
            .chain(query_tokens("a/70/174"))
        {
            assert!(doc.contains(&t), "{t}");
        }
    }

    #[test]
    fn elasticlunr_language_plugs_in() {
        let mut index = elasticlunr::IndexBuilder::with_language(Box::new(WenjiLanguage))
            .add_field("body")
            .build();
        index.add_doc("1", ["各国应加强建立信任措施。"]);
        index.add_doc("2", ["5G 网络安全"]);
        let v: Value = serde_json::from_str(&index.to_json()).unwrap();
        let root = &v["index"]["body"]["root"];
        let node = |path: &str| {
            path.chars()
                .fold(root, |n, c| &n[c.to_string().as_str()])
                .clone()
        };
        assert!(node("信任")["docs"]["1"].is_object(), "{}", v["index"]);
        assert!(node("g")["docs"]["2"].is_object());
        assert!(node("5")["docs"]["2"].is_object());
    }
}

/// FNV-1a over "cp:fold:class;" for every code point below U+30000 (class as in the JS:
/// 0 separator, 1 CJK, 2 digit, 3 letter). The node test computes the same.
#[cfg(test)]
fn fold_checksum() -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for cp in 0..0x30000u32 {
        let Some(c) = char::from_u32(cp) else {
            continue;
        };
        let class = match classify(c) {
            CharClass::Separator => 0,
            CharClass::Cjk => 1,
            CharClass::Digit => 2,
            CharClass::Letter => 3,
        };
        for b in format!("{cp}:{}:{class};", fold(&c.to_string())).bytes() {
            h ^= b as u32;
            h = h.wrapping_mul(0x0100_0193);
        }
    }
    h
}

/// `WENJI_BLESS=1 cargo test --lib search::tokenize::bless -- --ignored` rewrites the expected
/// fields of tests/search/vectors.json from its inputs. Review the diff by hand: the vectors
/// are the specification.
#[cfg(test)]
#[test]
#[ignore]
fn bless() {
    use serde_json::{Value, json};
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/search/vectors.json"
    );
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    for vec in v["vectors"].as_array_mut().unwrap() {
        let input = vec["input"].as_str().unwrap().to_string();
        vec["tokens"] = json!(tokenize(&input));
        vec["query"] = json!(query_tokens(&input));
        vec["phrase"] = json!(phrase_key(&input));
        vec["parts"] = json!(query_parts(&input));
    }
    let mut hashes = Vec::new();
    for t in ["", "a", "的", "国际", "5", "iso", "𠀀𠀁"] {
        hashes.push(json!([t, token_hash(t)]));
    }
    v["hashes"] = json!(hashes);
    v["fold_checksum"] = json!(fold_checksum());
    std::fs::write(path, serde_json::to_string_pretty(&v).unwrap() + "\n").unwrap();
}
