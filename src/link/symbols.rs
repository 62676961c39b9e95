//! Recognising UN document symbols in the Chinese text of a paragraph.
//!
//! Two families of references are recognised (rules in `docs/symbols.md`):
//!
//! * Latin symbols written out in full: `A/70/174`, `A/RES/70/237`,
//!   `A/HRC/RES/20/8`, `S/RES/2341 (2017)`, `S/2019/123`, `E/RES/2004/26` …
//! * Chinese resolution references `第 70/237 号决议`, including lists such as
//!   `第 73/266 号和第 73/27 号决议` or `第 68/167 和 69/166 号决议`. The organ
//!   that adopted them is taken from the nearest organ word before the list in
//!   the same sentence (大会, 人权理事会, 安全理事会 …); with none, the General
//!   Assembly is assumed, and the session number must then be plausible.
//!
//! Anything that looks like a resolution of a UN organ but cannot be turned
//! into a symbol with confidence is reported as a [`SymbolProblem`] and is not
//! linked: a wrong link is worse than none.

use regex::Regex;
use std::sync::LazyLock;

/// A UN document symbol found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SymbolRef {
    /// Byte offset of the first byte to turn into a link.
    pub start: usize,
    /// Byte offset one past the last byte to turn into a link.
    pub end: usize,
    /// Canonical symbol, e.g. `A/RES/70/237` or `S/RES/2341(2017)`.
    pub symbol: String,
}

/// Something that looks like a symbol but does not parse (reported by the
/// build as a warning/error). It is never linked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SymbolProblem {
    pub start: usize,
    pub end: usize,
    /// The text at `start..end`.
    pub text: String,
    /// Why it was not linked (English, for the build log).
    pub message: String,
}

/// First General Assembly session whose resolutions are numbered `session/number`
/// (the thirty-first, 1976). Earlier resolutions are `3314 (XXIX)`.
pub const GA_FIRST_SESSION: u32 = 31;
/// Highest General Assembly session accepted in `第 N/M 号决议` (80th session: 2025-26).
/// Raise it when the Assembly gets there.
pub const GA_LAST_SESSION: u32 = 90;
/// Highest Human Rights Council session accepted (the Council holds three a year;
/// 60th session: 2025).
pub const HRC_LAST_SESSION: u32 = 75;
/// Highest special (`S-32`) or emergency special (`ES-11`) session accepted.
const GA_LAST_SPECIAL_SESSION: u32 = 40;
/// Highest resolution number within one session.
const MAX_RESOLUTION_NUMBER: u32 = 999;

/// Latin symbols: a principal-organ series and at least two `/` components.
/// The `(2017)` year of a Security Council resolution is handled in code.
static LATIN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        (?:ST|A|S|E)
        (?:/(?:E?S-[0-9]{1,3}|[0-9]{1,5}|(?:Add|Rev|Corr|Amend)\.[0-9]{1,3}|[A-Z]{1,8}(?:\.[0-9]{1,4})?)){2,}
        ",
    )
    .expect("LATIN regex")
});

/// Year or Roman session numeral after `S/RES/2341` or `A/RES/3314`.
static LATIN_SUFFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[ \u{a0}]?[(（]([0-9]{4}|[IVXLC]{1,8})[)）]").expect("LATIN_SUFFIX regex")
});

/// One item of a Chinese resolution list: `70/237`, `S-26/2`, `2341(2017)`, `1373`.
const ITEM: &str = r"(?:E?S-[0-9]{1,3}\s*[/／]\s*[0-9]{1,4}|[0-9]{1,4}\s*[/／]\s*[0-9]{1,4}|[0-9]{1,5}(?:\s*[(（]\s*[0-9]{4}\s*[)）])?)";

static ITEM_RE: LazyLock<Regex> = LazyLock::new(|| Regex::new(ITEM).expect("ITEM regex"));

/// A list of resolution items ending in `号决议`.
static RES_LIST: LazyLock<Regex> = LazyLock::new(|| {
    let sep = r"(?:、|以及|及|和|与|或)";
    Regex::new(&format!(
        r"(?:第\s*)?{ITEM}(?:(?:\s*号)?\s*{sep}\s*(?:第\s*)?{ITEM})*\s*号\s*决议"
    ))
    .expect("RES_LIST regex")
});

/// Organ words. Order matters: at one position the first alternative wins.
static ORGAN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"联合国大会|人权理事会|经济及社会理事会|经社理事会|安全理事会|安理会|第[一二三四五六]委员会|缔约[方国](?:大会|会议)|大会|理事会|委员会|内阁|议会",
    )
    .expect("ORGAN regex")
});

/// URLs, to skip symbols inside them.
static URL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(?:https?://|www\.)[!-~]+").expect("URL regex"));

/// Characters that may directly precede a UN organ name without forming a
/// compound with it (prepositions, conjunctions, verb endings seen in UN Chinese).
/// `国家人权理事会`, `网络安全理事会`, `世界卫生大会`, `人民大会堂` are thus not UN organs.
const FREE_BEFORE_ORGAN: &str =
    "的和与及或在对向由经据按照依循守行施持迎得应到是以为将把被请了过即于从届该各本等同给使有要并";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Organ {
    /// No organ word in the sentence before the reference.
    Unnamed,
    GeneralAssembly,
    HumanRightsCouncil,
    SecurityCouncil,
    Ecosoc,
    /// Some other body (OSCE Permanent Council, a national cabinet, a commission …).
    Other,
}

/// Find the UN document symbols in one paragraph of text.
///
/// Returns the references to link and the look-alikes that could not be
/// resolved, each sorted by `start`; references never overlap.
pub fn find_symbols(text: &str) -> (Vec<SymbolRef>, Vec<SymbolProblem>) {
    let urls: Vec<(usize, usize)> = URL.find_iter(text).map(|m| (m.start(), m.end())).collect();
    let in_url = |s: usize, e: usize| urls.iter().any(|&(us, ue)| s < ue && us < e);

    let mut refs = Vec::new();
    let mut problems = Vec::new();

    // 1. Latin symbols.
    for m in LATIN.find_iter(text) {
        let (start, mut end) = (m.start(), m.end());
        if in_url(start, end) || !latin_boundary_before(text, start) {
            continue;
        }
        let core = m.as_str();
        let mut symbol = core.to_string();
        let bare_resolution = core.starts_with("S/RES/")
            || (core.starts_with("A/RES/") && core.matches('/').count() == 2);
        if bare_resolution && let Some(c) = LATIN_SUFFIX.captures(&text[end..]) {
            symbol = format!("{core}({})", &c[1]);
            end += c.get(0).map_or(0, |g| g.end());
        }
        if !latin_boundary_after(text, end) || !symbol.bytes().any(|b| b.is_ascii_digit()) {
            continue;
        }
        match validate_latin(&symbol) {
            Ok(()) => refs.push(SymbolRef { start, end, symbol }),
            Err(message) => problems.push(problem(text, start, end, message)),
        }
    }

    // 2. Chinese resolution lists `第 N/M 号决议`.
    for m in RES_LIST.find_iter(text) {
        let list = m.as_str();
        if !list.starts_with('第') && !latin_boundary_before(text, m.start()) {
            continue;
        }
        let organ = organ_before(text, m.start());
        for item in ITEM_RE.find_iter(list) {
            let (start, end) = (m.start() + item.start(), m.start() + item.end());
            if in_url(start, end) || refs.iter().any(|r| start < r.end && r.start < end) {
                continue;
            }
            match resolve_item(item.as_str(), organ) {
                Resolved::Symbol(symbol) => refs.push(SymbolRef { start, end, symbol }),
                Resolved::Problem(message) => problems.push(problem(text, start, end, message)),
                Resolved::Ignore => {}
            }
        }
    }

    refs.sort_by_key(|r| (r.start, r.end));
    problems.sort_by_key(|p| (p.start, p.end));
    (refs, problems)
}

/// The undocs.org address of a symbol, in the edition of the site's language (BCP 47).
pub fn undocs_url(symbol: &str, site_language: &str) -> String {
    let edition = undocs_language(site_language);
    format!(
        "https://undocs.org/{edition}/{}",
        symbol.replace(' ', "%20")
    )
}

/// The language segment of undocs.org for a site language: one of the UN's six official
/// languages (Chinese is `ch`), English for any other.
fn undocs_language(site_language: &str) -> &'static str {
    let primary = site_language.split(['-', '_']).next().unwrap_or("");
    match primary.to_ascii_lowercase().as_str() {
        "zh" => "ch",
        "ar" => "ar",
        "es" => "es",
        "fr" => "fr",
        "ru" => "ru",
        _ => "en",
    }
}

/// The organ and kind of a symbol, as a key: the documents page shows the config's string
/// `doc_kind_<key>` (e.g. `doc_kind_ga-resolution = "大会决议"`).
pub fn describe(symbol: &str) -> &'static str {
    if symbol.starts_with("A/RES/") {
        "ga-resolution"
    } else if symbol.starts_with("A/HRC/RES/") {
        "hrc-resolution"
    } else if symbol.starts_with("S/RES/") {
        "sc-resolution"
    } else if symbol.starts_with("E/RES/") {
        "ecosoc-resolution"
    } else if symbol.contains("/L.") {
        "limited"
    } else if symbol.contains("/PV.") {
        "record"
    } else if symbol.starts_with("A/HRC/") {
        "hrc-document"
    } else if symbol.starts_with("A/") {
        "ga-document"
    } else if symbol.starts_with("S/") {
        "sc-document"
    } else if symbol.starts_with("E/") {
        "ecosoc-document"
    } else if symbol.starts_with("ST/") {
        "secretariat-document"
    } else {
        "un-document"
    }
}

fn problem(text: &str, start: usize, end: usize, message: String) -> SymbolProblem {
    SymbolProblem {
        start,
        end,
        text: text[start..end].to_string(),
        message,
    }
}

/// A Latin symbol must not continue a word, a number or a path/URL.
fn latin_boundary_before(text: &str, start: usize) -> bool {
    match text[..start].chars().next_back() {
        None => true,
        Some(c) => !(c.is_ascii_alphanumeric() || "/.-_=?&#%:~+@\\".contains(c)),
    }
}

fn latin_boundary_after(text: &str, end: usize) -> bool {
    let mut rest = text[end..].chars();
    match rest.next() {
        None => true,
        Some(c) if c.is_ascii_alphanumeric() || "/_-".contains(c) => false,
        // `A/70/174.pdf` is a file name; `A/70/174.` ends a sentence.
        Some('.') => !rest.next().is_some_and(|c| c.is_ascii_alphanumeric()),
        Some(_) => true,
    }
}

fn validate_latin(symbol: &str) -> Result<(), String> {
    if let Some(rest) = symbol.strip_prefix("A/RES/") {
        let ok = session_slash_number(rest).is_some()
            || rest.split_once('(').is_some_and(|(n, r)| {
                all_digits(n) && r.trim_end_matches(')').chars().all(|c| "IVXLC".contains(c))
            });
        if !ok {
            return Err(format!(
                "`{symbol}`: a General Assembly resolution symbol is A/RES/<session>/<number>"
            ));
        }
    } else if let Some(rest) = symbol.strip_prefix("A/HRC/RES/") {
        if session_slash_number(rest).is_none() {
            return Err(format!(
                "`{symbol}`: a Human Rights Council resolution symbol is A/HRC/RES/<session>/<number>"
            ));
        }
    } else if let Some(rest) = symbol.strip_prefix("S/RES/") {
        let ok = rest.split_once('(').is_some_and(|(n, y)| {
            all_digits(n) && y.len() == 5 && y.ends_with(')') && all_digits(&y[..4])
        });
        if !ok {
            return Err(format!(
                "`{symbol}`: a Security Council resolution symbol needs its year, e.g. S/RES/2341 (2017)"
            ));
        }
    }
    Ok(())
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// `70/237`, `S-26/2`, `ES-10/19` → the pair, if both sides are well formed.
fn session_slash_number(s: &str) -> Option<(&str, &str)> {
    let (a, b) = s.split_once('/')?;
    let a_ok = all_digits(a)
        || a.strip_prefix("ES-")
            .or_else(|| a.strip_prefix("S-"))
            .is_some_and(all_digits);
    (a_ok && all_digits(b)).then_some((a, b))
}

/// The organ named nearest before `pos` within the same sentence (a line break
/// is not a sentence end: Markdown soft breaks may remain in `text`), ignoring
/// words inside closed quotations and titles (`“…”`, `《…》`).
fn organ_before(text: &str, pos: usize) -> Organ {
    let sentence_start = text[..pos]
        .char_indices()
        .rev()
        .find(|&(_, c)| "。！？；!?;".contains(c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let window = &text[sentence_start..pos];
    let quoted = quoted_spans(window);
    let mut organ = Organ::Unnamed;
    for m in ORGAN.find_iter(window) {
        if quoted.iter().any(|&(s, e)| s <= m.start() && m.end() <= e) {
            continue;
        }
        organ = classify_organ(window, m.start(), m.as_str());
    }
    organ
}

fn classify_organ(window: &str, start: usize, word: &str) -> Organ {
    let un = match word {
        "联合国大会" => return Organ::GeneralAssembly,
        w if w.starts_with('第') => return Organ::GeneralAssembly, // 第一委员会 … 第六委员会
        "大会" => Organ::GeneralAssembly,
        "人权理事会" => Organ::HumanRightsCouncil,
        "安全理事会" | "安理会" => Organ::SecurityCouncil,
        "经济及社会理事会" | "经社理事会" => Organ::Ecosoc,
        _ => return Organ::Other,
    };
    let before = &window[..start];
    let free = before.ends_with("联合国")
        || before
            .chars()
            .next_back()
            .is_none_or(|c| !is_han(c) || FREE_BEFORE_ORGAN.contains(c));
    if free { un } else { Organ::Other }
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{3134F}')
}

/// Byte spans of closed quotations and titles in `s`.
fn quoted_spans(s: &str) -> Vec<(usize, usize)> {
    const PAIRS: [(char, char); 5] = [
        ('“', '”'),
        ('《', '》'),
        ('「', '」'),
        ('『', '』'),
        ('〈', '〉'),
    ];
    let mut open: Vec<(char, usize)> = Vec::new();
    let mut spans = Vec::new();
    for (i, c) in s.char_indices() {
        if let Some(&(_, close)) = PAIRS.iter().find(|p| p.0 == c) {
            open.push((close, i));
        } else if let Some(k) = open.iter().rposition(|&(close, _)| close == c) {
            let (_, at) = open[k];
            open.truncate(k);
            spans.push((at, i + c.len_utf8()));
        }
    }
    spans
}

enum Resolved {
    Symbol(String),
    Problem(String),
    Ignore,
}

fn resolve_item(raw: &str, organ: Organ) -> Resolved {
    let item: String = raw
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '／' => '/',
            '（' => '(',
            '）' => ')',
            c => c,
        })
        .collect();

    if let Some((a, b)) = item.split_once('/') {
        return resolve_session_item(&item, a, b, organ);
    }
    let (number, year) = match item.split_once('(') {
        Some((n, y)) => (n, Some(y.trim_end_matches(')'))),
        None => (item.as_str(), None),
    };
    match (organ, year) {
        (Organ::SecurityCouncil, Some(y)) => {
            let n: u32 = number.parse().unwrap_or(0);
            let y: u32 = y.parse().unwrap_or(0);
            if n >= 1 && !number.starts_with('0') && (1946..=2100).contains(&y) {
                Resolved::Symbol(format!("S/RES/{n}({y})"))
            } else {
                Resolved::Problem(format!(
                    "`{raw}`: not a valid Security Council resolution number"
                ))
            }
        }
        (Organ::SecurityCouncil, None) => Resolved::Problem(format!(
            "`{raw}`: Security Council resolution without its year; write 第 {number}(YYYY) 号决议"
        )),
        (Organ::Other, _) | (_, None) => Resolved::Ignore,
        (_, Some(_)) => Resolved::Problem(format!(
            "`{raw}`: numbered like a Security Council resolution, but the Security Council is not named before it"
        )),
    }
}

fn resolve_session_item(item: &str, a: &str, b: &str, organ: Organ) -> Resolved {
    let number_ok = !b.starts_with('0')
        && b.parse::<u32>()
            .is_ok_and(|n| (1..=MAX_RESOLUTION_NUMBER).contains(&n));
    let special = a.starts_with("S-") || a.starts_with("ES-");
    let digits = a.trim_start_matches("ES-").trim_start_matches("S-");
    let session: Option<u32> = if digits.starts_with('0') {
        None
    } else {
        digits.parse().ok()
    };
    match organ {
        Organ::Unnamed | Organ::GeneralAssembly => {
            let ok = number_ok
                && session.is_some_and(|s| {
                    if special {
                        (1..=GA_LAST_SPECIAL_SESSION).contains(&s)
                    } else {
                        (GA_FIRST_SESSION..=GA_LAST_SESSION).contains(&s)
                    }
                });
            if ok {
                Resolved::Symbol(format!("A/RES/{item}"))
            } else if organ == Organ::Unnamed {
                Resolved::Problem(format!(
                    "`{item}`: no organ named before it and not a General Assembly resolution number \
                     (sessions {GA_FIRST_SESSION}-{GA_LAST_SESSION})"
                ))
            } else {
                Resolved::Problem(format!(
                    "`{item}`: not a General Assembly resolution number (sessions {GA_FIRST_SESSION}-{GA_LAST_SESSION})"
                ))
            }
        }
        Organ::HumanRightsCouncil => {
            let ok = number_ok
                && !a.starts_with("ES-")
                && session.is_some_and(|s| (1..=HRC_LAST_SESSION).contains(&s));
            if ok {
                Resolved::Symbol(format!("A/HRC/RES/{item}"))
            } else {
                Resolved::Problem(format!(
                    "`{item}`: not a Human Rights Council resolution number (sessions 1-{HRC_LAST_SESSION})"
                ))
            }
        }
        Organ::Ecosoc => {
            let ok = number_ok && !special && session.is_some_and(|y| (1946..=2100).contains(&y));
            if ok {
                Resolved::Symbol(format!("E/RES/{item}"))
            } else {
                Resolved::Problem(format!(
                    "`{item}`: an Economic and Social Council resolution is numbered <year>/<number>"
                ))
            }
        }
        Organ::SecurityCouncil => Resolved::Problem(format!(
            "`{item}`: Security Council resolutions are numbered 2341(2017), not session/number"
        )),
        Organ::Other => Resolved::Problem(format!(
            "`{item}`: resolution of a body other than the General Assembly, Human Rights Council, \
             Security Council or ECOSOC; not linked"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Symbols found, in order.
    fn syms(text: &str) -> Vec<String> {
        let (refs, _) = find_symbols(text);
        check_invariants(text);
        refs.into_iter().map(|r| r.symbol).collect()
    }

    /// Linked substrings, in order.
    fn spans(text: &str) -> Vec<&str> {
        let (refs, _) = find_symbols(text);
        refs.iter().map(|r| &text[r.start..r.end]).collect()
    }

    fn problems(text: &str) -> Vec<String> {
        let (_, probs) = find_symbols(text);
        probs.into_iter().map(|p| p.text).collect()
    }

    fn check_invariants(text: &str) {
        let (refs, probs) = find_symbols(text);
        for w in refs.windows(2) {
            assert!(w[0].start <= w[1].start, "refs not sorted in {text}");
            assert!(w[0].end <= w[1].start, "refs overlap in {text}");
        }
        for w in probs.windows(2) {
            assert!(w[0].start <= w[1].start, "problems not sorted in {text}");
        }
        for r in &refs {
            assert!(r.start < r.end);
            assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
            assert!(!probs.iter().any(|p| p.start < r.end && r.start < p.end));
        }
        for p in &probs {
            assert!(text.is_char_boundary(p.start) && text.is_char_boundary(p.end));
            assert_eq!(p.text, &text[p.start..p.end]);
        }
    }

    fn none(text: &str) {
        let (refs, probs) = find_symbols(text);
        assert!(refs.is_empty(), "unexpected refs {refs:?} in {text}");
        assert!(probs.is_empty(), "unexpected problems {probs:?} in {text}");
    }

    // ---- Real sentences of A/75/123 (seed 000), wrapped lines joined. ----

    #[test]
    fn seed_introduction() {
        let t = "1. 2019 年 12 月 12 日，大会在题为“从国际安全角度看信息和电信领域的发展”的议程项目 93 下，通过了题为“从国际安全角度促进网络空间负责任国家行为”的第 74/28 号决议。";
        assert_eq!(syms(t), ["A/RES/74/28"]);
        assert_eq!(spans(t), ["74/28"]);
        let t = "2. 在第 74/28 号决议第 2 段中，大会请所有会员国考虑到从国际安全角度看信息和电信领域问题发展政府专家组的报告中所载评估和建议，继续向秘书长通报";
        assert_eq!(syms(t), ["A/RES/74/28"]);
    }

    #[test]
    fn seed_australia() {
        let t = " 澳大利亚欢迎有机会响应大会第 74/28 号决议的邀请，就在国际安全背景下推进网络空间负责任国家行为发表看法。这份文件是基于澳大利亚根据题为“从国际安全角度看信息和电信领域的发展”2016 年第 70/237 号决议、2014 年第68/243 号决议和 2011 年的第 65/41 号决议提供的资料。";
        assert_eq!(
            syms(t),
            ["A/RES/74/28", "A/RES/70/237", "A/RES/68/243", "A/RES/65/41"]
        );
        assert_eq!(spans(t), ["74/28", "70/237", "68/243", "65/41"]);
        // Joined with a space instead of nothing.
        let t = "2014 年第 68/243 号决议和 2011 年的第 65/41 号决议提供的资料。";
        assert_eq!(syms(t), ["A/RES/68/243", "A/RES/65/41"]);

        let t = " 总体而言，从国际安全角度看信息和电信领域的发展问题政府专家组2010 年(A/65/201)、2013 年(A/68/98)和 2015 年(A/70/174)的报告确认，现行国际法、特别是整个《联合国宪章》对于维护和平与稳定以及对于促进开放、安全、稳定、可及、和平的信息和通信技术环境是适用的，也是必不可少的。";
        assert_eq!(syms(t), ["A/65/201", "A/68/98", "A/70/174"]);
        assert_eq!(spans(t), ["A/65/201", "A/68/98", "A/70/174"]);

        let t = " 澳大利亚再次承诺将按照政府专家组 2010 年、2013 年和 2015 年多次提出的报告(A/65/201；A/68/98；A/70/174)采取行动。澳大利亚正在积极参加第六届政府专家组和首届从国际安全角度看信息和电信领域的发展不限成员名额工作组(分别根据第 73/266 号决议和第 73/27 号决议设立)的工作。";
        assert_eq!(
            syms(t),
            [
                "A/65/201",
                "A/68/98",
                "A/70/174",
                "A/RES/73/266",
                "A/RES/73/27"
            ]
        );

        let t = " 大会在 2015 年呼吁所有会员国“将政府专家组 2015 年报告作为其使用信息和通信技术的指南”(见第 70/237 号决议)，有鉴于此，澳大利亚发表了一份综述，说明了澳大利亚遵守和实施 2015 年政府专家组报告中国际法、负责任国家行为准则、建立信任措施和能力建设等四大支柱的情况(可查阅不限成员名额工作组网站：https://unoda-web.s3.amazonaws.com/wp-content/uploads/2019/09/fin-australian-oewg-national-paper-Sept-2019.pdf ；澳大利亚外交和贸易部网站：https://www.dfat.gov.au/international-relations/themes/cyber-affairs/Pages/international-security-and-cyberspace)。";
        assert_eq!(syms(t), ["A/RES/70/237"]);

        let t = "澳大利亚与墨西哥和其他24 个国家一道，谨向不限成员名额工作组(根据第 73/27 号决议设立)提出一项建议，即对各国执行大会第 70/237 号决议的情况进行一次调查(可查阅不限成员名额工作组的网站：https://front.un-arm.org/wp-content/uploads/2020/04/final-joint-oewg-proposal-survey-of-national-implementation-16-april-2020.pdf和外交和贸易部网站)。";
        assert_eq!(syms(t), ["A/RES/73/27", "A/RES/70/237"]);
    }

    #[test]
    fn seed_colombia_hrc_then_ga_lists() {
        // Line break after 第 20/8 joined without a space.
        let t = " 哥伦比亚宪法法院发布了一些判决，涉及以下建议：在确保安全使用信通技术方面，各国应遵守人权理事会关于在互联网上增进、保护和享有人权的第 20/8和 26/13 号决议以及大会关于数字时代的隐私权的第 68/167 和 69/166 号决议，保证充分尊重人权，包括表达自由权。";
        assert_eq!(
            syms(t),
            [
                "A/HRC/RES/20/8",
                "A/HRC/RES/26/13",
                "A/RES/68/167",
                "A/RES/69/166"
            ]
        );
        assert_eq!(spans(t), ["20/8", "26/13", "68/167", "69/166"]);
        assert!(problems(t).is_empty());
        // ... and with a space.
        let t = "各国应遵守人权理事会关于在互联网上增进、保护和享有人权的第 20/8 和 26/13 号决议以及大会关于数字时代的隐私权的第 68/167 和 69/166 号决议。";
        assert_eq!(
            syms(t),
            [
                "A/HRC/RES/20/8",
                "A/HRC/RES/26/13",
                "A/RES/68/167",
                "A/RES/69/166"
            ]
        );
    }

    #[test]
    fn seed_france() {
        let t = "规范(e)：各国应在确保安全使用信通技术方面遵守人权理事会关于在互联网上增进、保护和享有人权的第 20/8 号和第 26/13 号决议，以及大会关于数字时代的隐私权的第 68/167 号和第 69/166 号决议，保证充分尊重人权，包括表达自由权。";
        assert_eq!(
            syms(t),
            [
                "A/HRC/RES/20/8",
                "A/HRC/RES/26/13",
                "A/RES/68/167",
                "A/RES/69/166"
            ]
        );
        let t = " 在联合国，法国支持通过人权理事会关于促进保护和享受互联网人权的所有决议，以及大会关于数字时代的隐私权的第 68/167 号决议。";
        assert_eq!(syms(t), ["A/RES/68/167"]);
        let t = "规范(g)：各国应考虑到大会关于创建全球网络安全文化及保护重要的信息基础设施的第 58/199 号决议和其他相关决议，采取适当措施，保护本国关键基础设施免受信通技术的威胁。";
        assert_eq!(syms(t), ["A/RES/58/199"]);
        let t = " 法国欢迎有机会对大会关于从国际安全角度促进网络空间负责任国家行为的第 74/28 号决议作出回应，并愿提供以下信息。";
        assert_eq!(syms(t), ["A/RES/74/28"]);
        let t = "报告、特别是 2015 年报告(A/70/174)中建议的行为规范。";
        assert_eq!(syms(t), ["A/70/174"]);
    }

    #[test]
    fn seed_other_states() {
        let t = " 2018 年，匈牙利分别支持大会第 73/266 号和第 73/27 号决议，这两项决议设立了从国际安全角度推进网络空间负责任国家行为问题政府专家组和从国际安全角度看信息和电信领域的发展不限成员名额工作组。";
        assert_eq!(syms(t), ["A/RES/73/266", "A/RES/73/27"]);
        assert_eq!(spans(t), ["73/266", "73/27"]);
        let t = " 丹麦与欧盟及其成员国一道，鼓励所有国家在联合国大会、特别是第 70/237号决议再三认可的工作的基础上再接再厉，并进一步执行这些在预防冲突中发挥重要作用的商定准则和建立信任措施。";
        assert_eq!(syms(t), ["A/RES/70/237"]);
        let t = " 爱尔兰欢迎有此机会对秘书长根据第 74/28 号决议第 2 段提出的要求做出回应，即在国际安全背景下推进网络空间负责任国家行为。";
        assert_eq!(syms(t), ["A/RES/74/28"]);
        let t = "意大利还回顾，大会第 70/237 号决议欢迎以往政府专家组在其 2013 年和 2015 年报告中的结论，并呼吁会员国对信息和通信技术的使用依循 2015 年报告。";
        assert_eq!(syms(t), ["A/RES/70/237"]);
        let t = " 墨西哥参加了根据大会第 73/27 号决议设立的从国际安全角度来看信息和电信领域发展的不限成员名额工作组。";
        assert_eq!(syms(t), ["A/RES/73/27"]);
        let t = " 欧盟及其成员国鼓励所有国家巩固和推进联合国大会一再认可的工作，特别是第 70/237 号决议，进一步执行这些在预防冲突中发挥重要作用的商定准则和建立信任措施。";
        assert_eq!(syms(t), ["A/RES/70/237"]);
        let t = " 16 A/HRC/RES/20/8。";
        assert_eq!(syms(t), ["A/HRC/RES/20/8"]);
        assert_eq!(spans(t), ["A/HRC/RES/20/8"]);
        // The running header of the report itself.
        assert_eq!(syms(" A/75/123 "), ["A/75/123"]);
    }

    #[test]
    fn seed_negatives() {
        // OSCE Permanent Council decisions.
        none(
            "同样，亚美尼亚正在秉诚执行欧洲安全与合作组织(欧安组织)建立信任措施(常设理事会第 1202 号决定)，以减少使用信息和通信技术带来的威胁。",
        );
        none(
            " 在欧安组织，法国一直参与将根据常设理事会第 1106 号决定中的建立信任措施 8 设立的联络点名单投入运转，并支持各种努力，以确保每个国家根据常设理事会第 1202 号决定中的建立信任措施 13 建立适当的交流和信息渠道。",
        );
        none(
            "以及根据欧安组织常设理事会在信通技术使用和信通技术领域的第 1039、1106 和1202 号决定执行某些建立信任措施的重要性。此外，乌克兰安全局还在实现第 1202 号决定第 8 号建立信任措施的框架内，确定了一个技术联络点。",
        );
        // Bosnia and Herzegovina official gazettes.
        none(
            "• 《刑事诉讼法》，《波斯尼亚和黑塞哥维那政府公报》(第 3/03、32/03、36/03、26/04、63/04、13/05、48/05、46/06、76/06、29/07、32/07、53/07、76/07、15/08、58/08、12/09、16/09、93/09 和 72/13 号)",
        );
        none("• 《塞族共和国刑事诉讼法》，《塞族共和国政府公报》(第 53/12、91/17 和66/18 号)");
        none("(第 25/17 号)上公布，从而成立了计算机应急小组");
        none("2011 年通过了《信息安全法》(《塞族共和国政府公报》(第 70/11 号))，其中规定");
        // EU and national legislation.
        none("根据欧洲联盟《关于网络和信息系统安全的 2016/1148 号指令》，起草");
        none(
            "《欧洲联盟关于内部市场电子交易的电子身份识别和信托服务的第 910/2014 号条例》和《关于网络和信息系统安全的第 2016/1148 号指令》的机制。",
        );
        none(
            "(《塞族共和国政府公报》(第 58/19 号))，从而为执行《第 2008/114/EC 号指令》和《欧洲联",
        );
        none(
            "在 2016 年通过欧洲议会和理事会关于在处理个人数据和此类数据的自由流动方面保护自然人的 2016 年 4 月 27 日(EU)第 2016/679号条例",
        );
        none(
            " 2020 年 4 月，政府通过了匈牙利新的《国家安全战略》 (附于第1163/2020(IV.21.)号政府决定之后；",
        );
        none(" 同样，根据转引欧洲联盟网络和信息系统安全指令的第 65/2018 号法令的定义");
        none("• 国家网络安全周界(第 133/2019 号法律)于 2019 年 11 月生效");
        none(
            "• 已经转化为第 41/2019 号法律(第 1 条)的第 22/2019 号法令，是对已经转化为“关于国防和国家安全部门以及能源、运输和通信部门战略相关活动特殊持股权力”的第 56/2012 号法律的第 21/2012 号“黄金权力”",
        );
        none(" 1988 年 1 月 5 日关于计算机欺诈的第 88-19 号法(即所谓的《Godfrain 法》)，");
        none("– 已经通过第 2018-607 号法，加强国家网络安全局查明对关键基础设施");
        // EU Council conclusions.
        none(" 13 理事会关于网络外交问题的第 6122/15 号结论。");
        none(
            " 15  理事会关于欧盟打击恶意网络活动的联合外交应对框架(网络外交工具箱)的第 10474/17 号结论。",
        );
        // Ukrainian cabinet resolution (single number).
        none("(乌克兰内阁 2019 年6 月 19 日第 518 号决议)。");
        // Page footers, dates, standards.
        none("31/74 20-08285");
        none("20-08285 62/74");
        none("2017-2019 年战略；第 5/2018 号通知");
        none("• 根据乌克兰全国标准化委员会的 ISO/IEC 27001:2015，协调、组织和实");
        none("ISO/IEC27001 标准和 ISO 15408 标准。");
        none("  2019 年，成立了一个公私网络安全理事会，以鉴定国家当局和私营部门的工作。");
        none("日举行的安全理事会关于网络稳定、预防冲突和能力建设的阿里亚办法会议上发言。");
    }

    #[test]
    fn urls_are_not_symbols() {
        none("https://undocs.org/ch/A/RES/70/237");
        none("见 https://undocs.org/ch/A/HRC/RES/20/8。");
        none("undocs.org/A/70/174");
        none("见www.un.org/ga/search/view_doc.asp?symbol=A/70/174。");
        none("?symbol=A/RES/70/237&Lang=C");
        none(
            "http://www.sgdsn.gouv.fr/uploads/2018/02/20180206-np-revue-cyber-public-v3.3-publication.pdf",
        );
        // A symbol right after a URL that ends with a space is fine.
        assert_eq!(syms("https://example.org/ 和 A/70/174"), ["A/70/174"]);
    }

    #[test]
    fn latin_forms() {
        assert_eq!(syms("A/RES/70/237"), ["A/RES/70/237"]);
        assert_eq!(syms("(A/70/174/Add.1)"), ["A/70/174/Add.1"]);
        assert_eq!(syms("A/C.1/74/L.49"), ["A/C.1/74/L.49"]);
        assert_eq!(syms("A/RES/ES-10/19"), ["A/RES/ES-10/19"]);
        assert_eq!(syms("A/HRC/RES/S-1/1"), ["A/HRC/RES/S-1/1"]);
        assert_eq!(syms("S/2019/123；E/2020/1"), ["S/2019/123", "E/2020/1"]);
        assert_eq!(syms("ST/SGB/2019/1"), ["ST/SGB/2019/1"]);
        let t = "见 S/RES/2341 (2017)。";
        assert_eq!(syms(t), ["S/RES/2341(2017)"]);
        assert_eq!(spans(t), ["S/RES/2341 (2017)"]);
        assert_eq!(syms("S/RES/2341（2017）"), ["S/RES/2341(2017)"]);
        assert_eq!(syms("A/RES/3314(XXIX)"), ["A/RES/3314(XXIX)"]);
        assert_eq!(syms("A/70/174."), ["A/70/174"]);
        // Not symbols.
        none("A/B 测试");
        none("TCP/IP");
        none("S/MIME");
        none("A/70/174.pdf");
        none("XA/70/174");
        none("A/70/174x");
        none("1A/70/174");
        // Incomplete resolution symbols are problems.
        assert_eq!(problems("S/RES/2341"), ["S/RES/2341"]);
        assert_eq!(problems("A/RES/70"), ["A/RES/70"]);
        assert_eq!(problems("A/HRC/RES/20"), ["A/HRC/RES/20"]);
        assert!(syms("S/RES/2341").is_empty());
    }

    #[test]
    fn chinese_lists() {
        let t = "第 73/266 号决议和第 73/27 号决议";
        assert_eq!(syms(t), ["A/RES/73/266", "A/RES/73/27"]);
        assert_eq!(syms("第73/27号决议"), ["A/RES/73/27"]);
        assert_eq!(spans("第73/27号决议"), ["73/27"]);
        assert_eq!(
            syms("大会第 70/237 号、第 73/27 号和第 74/28 号决议"),
            ["A/RES/70/237", "A/RES/73/27", "A/RES/74/28"]
        );
        assert_eq!(
            syms("大会第 70/237、73/27 及 74/28 号决议"),
            ["A/RES/70/237", "A/RES/73/27", "A/RES/74/28"]
        );
        assert_eq!(syms("大会第 70／237 号决议"), ["A/RES/70/237"]);
        assert_eq!(syms("大会 70/237 号决议"), ["A/RES/70/237"]);
        assert_eq!(syms("大会第 S-26/2 号决议"), ["A/RES/S-26/2"]);
        assert_eq!(syms("大会第 ES-10/19 号决议"), ["A/RES/ES-10/19"]);
        // Decisions, directives, gazettes: not resolutions.
        none("大会第 74/512 号决定");
        none("第 70/237 号文件");
        // A Latin symbol inside the Chinese frame is linked once, as Latin.
        let t = "第 A/RES/70/237 号决议";
        assert_eq!(syms(t), ["A/RES/70/237"]);
        assert_eq!(spans(t), ["A/RES/70/237"]);
    }

    #[test]
    fn organ_scope() {
        // Nearest organ word wins.
        assert_eq!(
            syms("人权理事会欢迎大会第 60/251 号决议。"),
            ["A/RES/60/251"]
        );
        assert_eq!(
            syms("大会欢迎人权理事会第 20/8 号决议。"),
            ["A/HRC/RES/20/8"]
        );
        assert_eq!(syms("联合国人权理事会第 32/13 号决议"), ["A/HRC/RES/32/13"]);
        // The sentence ends the scope.
        assert_eq!(
            syms(
                "人权理事会通过了第 20/8 号决议。大会第 70/237 号决议也是如此；第 74/28 号决议亦然。"
            ),
            ["A/HRC/RES/20/8", "A/RES/70/237", "A/RES/74/28"]
        );
        // Soft line breaks left in the paragraph neither end the scope nor the list.
        assert_eq!(
            syms(
                "各国应遵守人权理事会关于在互联网\n上增进、保护和享有人权的第 32/13\n和 20/8 号决议。"
            ),
            ["A/HRC/RES/32/13", "A/HRC/RES/20/8"]
        );
        // Organ words inside titles and quotations do not count.
        assert_eq!(
            syms("大会题为“人权理事会”的第 60/251 号决议"),
            ["A/RES/60/251"]
        );
        assert_eq!(
            syms("人权理事会关于《大会第 68/167 号决议》执行情况的第 28/16 号决议"),
            ["A/RES/68/167", "A/HRC/RES/28/16"]
        );
        // General Assembly main committees.
        assert_eq!(syms("联合国大会第一委员会第 74/28 号决议"), ["A/RES/74/28"]);
        // ECOSOC.
        assert_eq!(syms("经济及社会理事会第 2004/26 号决议"), ["E/RES/2004/26"]);
        assert_eq!(syms("经社理事会第 2004/26 号决议"), ["E/RES/2004/26"]);
        // HRC special session.
        assert_eq!(syms("人权理事会第 S-1/1 号决议"), ["A/HRC/RES/S-1/1"]);
    }

    #[test]
    fn security_council() {
        let t = "安全理事会第 2341(2017)号决议";
        assert_eq!(syms(t), ["S/RES/2341(2017)"]);
        assert_eq!(spans(t), ["2341(2017)"]);
        assert_eq!(
            syms("安理会第 2341（2017）号和第 2396 (2017) 号决议"),
            ["S/RES/2341(2017)", "S/RES/2396(2017)"]
        );
        assert_eq!(
            syms(
                "根据联合国安全理事会关于保护关键基础设施的第 1373(2001)、2341(2017) 和 2396(2017)号决议"
            ),
            ["S/RES/1373(2001)", "S/RES/2341(2017)", "S/RES/2396(2017)"]
        );
        // Without the year no symbol can be formed.
        assert_eq!(problems("安全理事会第 2341 号决议"), ["2341"]);
        assert!(syms("安全理事会第 2341 号决议").is_empty());
        // Session/number after the Security Council is wrong.
        assert_eq!(problems("安全理事会第 70/237 号决议"), ["70/237"]);
        // The year form without the Council named.
        assert_eq!(problems("第 2341(2017)号决议"), ["2341(2017)"]);
        // Councils that are not the Security Council.
        none("公私网络安全理事会第 2341(2017)号决议");
        none("国家安全理事会第 12 号决议");
        none("欧安组织常设理事会第 1202 号决定");
    }

    #[test]
    fn not_un_bodies_are_problems_not_links() {
        assert_eq!(problems("国家人权理事会第 20/8 号决议"), ["20/8"]);
        assert_eq!(
            problems("《联合国反腐败公约》缔约国大会第 5/1 号决议"),
            ["5/1"]
        );
        assert_eq!(problems("妇女地位委员会第 56/3 号决议"), ["56/3"]);
        assert_eq!(problems("欧安组织部长理事会第 5/17 号决议"), ["5/17"]);
        assert!(syms("麻醉药品委员会第 61/11 号决议").is_empty());
        assert!(syms("世界卫生大会第 58/28 号决议").is_empty());
        // Single numbers of other bodies are ignored silently.
        none("乌克兰内阁第 518 号决议");
        none("国际电联全权代表大会第 130 号决议");
    }

    #[test]
    fn implausible_numbers_are_problems() {
        // No organ named and no GA session 20: the HRC form without its organ.
        assert_eq!(problems("第 20/8 号决议"), ["20/8"]);
        assert_eq!(problems("大会第 5/2018 号决议"), ["5/2018"]);
        assert_eq!(problems("第 2016/1148 号决议"), ["2016/1148"]);
        assert_eq!(problems("大会第 70/0 号决议"), ["70/0"]);
        assert_eq!(problems("大会第 07/237 号决议"), ["07/237"]);
        assert_eq!(problems("人权理事会第 99/1 号决议"), ["99/1"]);
        assert_eq!(problems("经济及社会理事会第 70/1 号决议"), ["70/1"]);
        assert!(syms("第 20/8 号决议").is_empty());
    }

    #[test]
    fn byte_ranges_and_offsets() {
        let t = "（大会第 74/28 号决议；A/75/123）";
        let (refs, probs) = find_symbols(t);
        assert!(probs.is_empty());
        assert_eq!(refs.len(), 2);
        assert_eq!(&t[refs[0].start..refs[0].end], "74/28");
        assert_eq!(&t[refs[1].start..refs[1].end], "A/75/123");
        assert_eq!(refs[0].start, t.find("74/28").unwrap());
        check_invariants(
            "第 20/8 号和第 26/13 号决议 A/70/174 S/RES/2341 (2017) ﹝第 5/1 号决议﹞",
        );
    }

    #[test]
    fn urls_and_descriptions() {
        assert_eq!(
            undocs_url("A/RES/70/237", "zh-Hans"),
            "https://undocs.org/ch/A/RES/70/237"
        );
        assert_eq!(
            undocs_url("A/HRC/RES/20/8", "zh"),
            "https://undocs.org/ch/A/HRC/RES/20/8"
        );
        assert_eq!(
            undocs_url("S/RES/2341(2017)", "zh-CN"),
            "https://undocs.org/ch/S/RES/2341(2017)"
        );
        assert_eq!(
            undocs_url("A/75/123", "fr-FR"),
            "https://undocs.org/fr/A/75/123"
        );
        assert_eq!(
            undocs_url("A/75/123", "de"),
            "https://undocs.org/en/A/75/123"
        );
        assert_eq!(describe("A/RES/70/237"), "ga-resolution");
        assert_eq!(describe("A/HRC/RES/20/8"), "hrc-resolution");
        assert_eq!(describe("S/RES/2341(2017)"), "sc-resolution");
        assert_eq!(describe("E/RES/2004/26"), "ecosoc-resolution");
        assert_eq!(describe("A/70/174"), "ga-document");
        assert_eq!(describe("A/C.1/74/L.49"), "limited");
        assert_eq!(describe("A/HRC/32/38"), "hrc-document");
        assert_eq!(describe("S/2019/123"), "sc-document");
    }

    /// Prints every symbol found in the seed text and its count:
    /// `cargo test --lib seed_inventory -- --ignored --nocapture`
    #[test]
    #[ignore]
    fn seed_inventory() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/sources/A-75-123-zh.txt");
        let raw = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let paragraphs = join_seed(&raw);
        let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
        for p in &paragraphs {
            let (refs, probs) = find_symbols(p);
            for r in &refs {
                *counts.entry(r.symbol.clone()).or_default() += 1;
                let a = p[..r.start]
                    .char_indices()
                    .rev()
                    .nth(12)
                    .map_or(0, |(i, _)| i);
                let b = p[r.end..]
                    .char_indices()
                    .nth(8)
                    .map_or(p.len(), |(i, _)| r.end + i);
                println!("{:<18} {}", r.symbol, &p[a..b]);
            }
            for q in &probs {
                println!("PROBLEM {:?}: {}", q.text, q.message);
            }
        }
        println!("--- counts (running page headers excluded)");
        for (s, n) in &counts {
            println!("{n:>3}  {s}  {}", describe(s));
        }
        let headers = raw.lines().filter(|l| l.trim() == "A/75/123").count();
        println!("--- running page headers `A/75/123`: {headers}");
        // Cross-check against the hyperlinks the PDF itself carries.
        let link = Regex::new(r"https://undocs\.org/ch/(\S+)").unwrap();
        let linked: std::collections::BTreeSet<&str> = link
            .captures_iter(&raw)
            .map(|c| c.get(1).unwrap().as_str())
            .collect();
        for l in &linked {
            let mark = if counts.contains_key(*l) {
                "ok"
            } else {
                "MISSED"
            };
            println!("PDF link {l}: {mark}");
        }
        for s in counts.keys() {
            if !linked.contains(s.as_str()) {
                println!("found, not hyperlinked in the PDF: {s}");
            }
        }
        assert!(linked.iter().all(|l| counts.contains_key(*l)));
    }

    /// Joins the PDF extraction into paragraphs: drops link annotations
    /// (`https://undocs.org/…` lines) and running headers/footers.
    fn join_seed(raw: &str) -> Vec<String> {
        let header = Regex::new(r"^\s*(A/75/123|\d+/74 20-08285|20-08285 \d+/74)\s*$").unwrap();
        let para_start = Regex::new(r"^(\s|•|–|\d+\. |\(\w\) |规范)").unwrap();
        let mut out: Vec<String> = Vec::new();
        let mut cur = String::new();
        for line in raw.lines() {
            let t = line.trim_end();
            if t.trim().is_empty() || t.starts_with("http") || header.is_match(t) {
                continue;
            }
            if para_start.is_match(t) || cur.ends_with('。') {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            } else if cur.ends_with(|c: char| c.is_ascii_alphanumeric())
                && t.starts_with(|c: char| c.is_ascii_alphanumeric())
            {
                cur.push(' ');
            }
            cur.push_str(t);
        }
        if !cur.is_empty() {
            out.push(cur);
        }
        out
    }
}
