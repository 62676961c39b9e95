//! The URL ledger: a committed list of every published page and anchor. A build fails when one
//! of them is no longer produced and no alias redirects it, or when a paragraph or heading
//! anchor now holds other words than the ones it was published with, so a link that someone
//! put in a paper keeps working and keeps pointing at the same words. New URLs enter the
//! ledger only by `wenji ledger`; changed words only by a fragment alias or `--accept`.
//!
//! One entry a line, fields separated by tabs: the URL, then tagged fields —
//! `fp:` the fingerprint of the anchor's words, `words:` their opening, `alias:` where an
//! anchor's words now are, `accepted:` the reason a change of words was accepted, `retired:`
//! the reason an anchor was given up.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use sha2::{Digest, Sha256};

use crate::content::BlockKind;
use crate::content::markdown::plain_text;
use crate::error::Diagnostic;
use crate::link::{Reply, Site, urls};

pub const LEDGER_FILE: &str = "published-urls.txt";

const HEADER: &str = "# Every URL this site has published, one per line, relative to the base URL, with tab-separated\n# fields: fp: the fingerprint of an anchor's words, words: their opening, alias: where they are now,\n# accepted: why a change of words was accepted, retired: why an anchor was given up.\n# A build fails when an entry disappears or its words change. Edit with `wenji ledger` (docs/ledger.md).\n";

/// Characters of a passage's text kept in the ledger to name it in messages.
const OPENING_CHARS: usize = 16;

/// One line of the ledger.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entry {
    pub line: usize,
    pub url: String,
    /// Fingerprint of the anchor's words when published (paragraph and heading anchors).
    pub fingerprint: Option<String>,
    /// The opening of those words.
    pub words: Option<String>,
    /// A fragment alias: the URL the anchor's words are at now.
    pub alias: Option<String>,
    /// Reasons given for accepted changes of words, oldest first.
    pub accepted: Vec<String>,
    /// Why the anchor was given up, if it was.
    pub retired: Option<String>,
}

impl Entry {
    fn new(url: &str) -> Self {
        Entry {
            url: url.to_string(),
            ..Entry::default()
        }
    }

    fn parse(line: usize, text: &str) -> Result<Self, Diagnostic> {
        let mut fields = text.split('\t');
        let mut entry = Entry::new(fields.next().unwrap_or("").trim());
        entry.line = line;
        for field in fields {
            let (tag, value) = field.split_once(':').unwrap_or((field, ""));
            let value = value.to_string();
            match tag {
                "fp" => entry.fingerprint = Some(value),
                "words" => entry.words = Some(value),
                "alias" => entry.alias = Some(value),
                "accepted" => entry.accepted.push(value),
                "retired" => entry.retired = Some(value),
                _ => {
                    return Err(Diagnostic::new(LEDGER_FILE, format!("unknown field `{field}`"))
                        .at(line)
                        .help("fields are fp:, words:, alias:, accepted: and retired:, separated by tabs"));
                }
            }
        }
        Ok(entry)
    }

    fn write(&self, out: &mut String) {
        out.push_str(&self.url);
        let mut field = |tag: &str, value: &str| {
            out.push('\t');
            out.push_str(tag);
            out.push(':');
            out.push_str(&one_line(value));
        };
        if let Some(fp) = &self.fingerprint {
            field("fp", fp);
        }
        if let Some(w) = &self.words {
            field("words", w);
        }
        if let Some(a) = &self.alias {
            field("alias", a);
        }
        for reason in &self.accepted {
            field("accepted", reason);
        }
        if let Some(r) = &self.retired {
            field("retired", r);
        }
        out.push('\n');
    }
}

/// A free text made safe for one tab-separated field.
fn one_line(s: &str) -> String {
    s.split(|c: char| c.is_control())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The words of an anchor as the ledger compares them: whitespace removed (the PDF's line
/// breaks and spacing are not the UN's words) and full-width ASCII folded to ASCII.
pub fn normalise(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0),
            c if c.is_whitespace() => None,
            c => Some(c),
        })
        .collect()
}

/// The fingerprint of normalised words: 12 hex digits of their SHA-256.
pub fn fingerprint(normalised: &str) -> String {
    let digest = Sha256::digest(normalised.as_bytes());
    digest[..6].iter().map(|b| format!("{b:02x}")).collect()
}

fn opening(text: &str) -> String {
    let mut s: String = text.chars().take(OPENING_CHARS).collect();
    if text.chars().nth(OPENING_CHARS).is_some() {
        s.push('…');
    }
    s
}

/// What the ledger knows of an anchor's words: fingerprint and opening.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Words {
    pub fingerprint: String,
    pub opening: String,
}

impl Words {
    fn of(text: &str) -> Self {
        // The opening is shown as written (spaces collapsed), to be recognised.
        let spaced = text.split_whitespace().collect::<Vec<_>>().join(" ");
        Words {
            fingerprint: fingerprint(&normalise(text)),
            opening: opening(&spaced),
        }
    }
}

/// Anchor → words of every paragraph and heading of a reply.
pub fn reply_words(r: &Reply) -> BTreeMap<String, Words> {
    let doc = &r.page.doc;
    let mut out: BTreeMap<String, Words> = doc
        .passages()
        .iter()
        .map(|p| {
            (
                urls::para_anchor(p.number),
                Words::of(&plain_text(p.events)),
            )
        })
        .collect();
    for b in &doc.blocks {
        if let BlockKind::Heading { id, events, .. } = &b.kind {
            out.insert(id.clone(), Words::of(&plain_text(events)));
        }
    }
    out
}

/// Every URL the site's outputs publish that the ledger keeps, as `/path/`, `/path/#anchor`
/// or `/path/file.ext`.
pub fn produced(site: &Site) -> FxHashSet<String> {
    produced_by(site, &crate::output::registry::outputs())
}

/// Every URL `outputs` publish that the ledger keeps.
pub fn produced_by(
    site: &Site,
    outputs: &[Box<dyn crate::output::registry::Output>],
) -> FxHashSet<String> {
    // ~40 URLs per reply (its page, anchors and citation files): each output makes its own in
    // parallel, then they go in one set (at 10,000 replies this was 0.3 s on one core).
    let per_output = crate::output::registry::published(site, outputs);
    let mut set = FxHashSet::default();
    set.reserve(per_output.iter().map(Vec::len).sum::<usize>());
    set.extend(per_output.into_iter().flatten());
    set
}

/// Reads the ledger; a missing file is an empty ledger.
pub fn read(root: &Path) -> Result<Vec<Entry>, Diagnostic> {
    let path = root.join(LEDGER_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => {
            return Err(Diagnostic::new(
                LEDGER_FILE,
                format!("cannot read the ledger: {e}"),
            ));
        }
    };
    parse(&text)
}

/// The entries of a ledger's text.
pub fn parse(text: &str) -> Result<Vec<Entry>, Diagnostic> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|(i, l)| Entry::parse(i + 1, l.trim_end()))
        .collect()
}

/// The words now at every produced anchor the ledger has a fingerprint for, by URL; each
/// reply's words are made (in parallel) only when the ledger fingerprints one of its anchors.
fn current_words(site: &Site, ledger: &[Entry]) -> FxHashMap<String, Words> {
    let pages: FxHashSet<&str> = ledger
        .iter()
        .filter(|e| e.fingerprint.is_some())
        .filter_map(|e| e.url.split_once('#').map(|(p, _)| p))
        .chain(ledger.iter().filter_map(|e| {
            let target = e.alias.as_deref()?;
            target.split_once('#').map(|(p, _)| p)
        }))
        .collect();
    site.replies
        .par_iter()
        .filter(|r| pages.contains(format!("/{}", r.url).as_str()))
        .flat_map_iter(|r| {
            reply_words(r)
                .into_iter()
                .map(|(a, w)| (format!("/{}#{a}", r.url), w))
        })
        .collect()
}

/// A renamed reply (its old path an alias of the new) takes its passages' anchors on concept
/// pages along: `/concepts/c/#r-old` → `/concepts/c/#r-new`, as (old URL, new URL).
fn renamed_reply_anchors(site: &Site) -> Vec<(String, String)> {
    let section = format!("{}/", site.config.sections.replies);
    let mut out = Vec::new();
    for (alias, target) in &site.redirects {
        let Some(old) = alias
            .strip_prefix(&section)
            .and_then(|s| s.strip_suffix('/'))
            .filter(|s| !s.contains('/'))
        else {
            continue;
        };
        let Some(ri) = site.replies.iter().position(|r| r.url == *target) else {
            continue;
        };
        let new = site.concept_anchor(ri);
        for c in site
            .concepts
            .iter()
            .filter(|c| c.passages.iter().any(|(i, _)| *i == ri))
        {
            out.push((format!("/{}#r-{old}", c.url), format!("/{}#{new}", c.url)));
        }
    }
    out
}

/// The fragment aliases of the ledger and of renamed replies, page path (relative to the base
/// URL, as the site's URLs are) → anchor → target URL (relative to the base URL).
pub fn fragment_aliases(
    site: &Site,
    ledger: &[Entry],
) -> BTreeMap<String, BTreeMap<String, String>> {
    let from_ledger = ledger
        .iter()
        .filter_map(|e| Some((e.url.clone(), e.alias.clone()?)));
    by_page(renamed_reply_anchors(site).into_iter().chain(from_ledger))
}

/// (old URL with anchor, new URL) pairs grouped by the old URL's page.
fn by_page(
    pairs: impl Iterator<Item = (String, String)>,
) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut out: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for (from, to) in pairs {
        if let Some((page, anchor)) = from.split_once('#') {
            out.entry(page.trim_start_matches('/').to_string())
                .or_default()
                .insert(anchor.to_string(), to.trim_start_matches('/').to_string());
        }
    }
    out
}

/// What a build checks against the ledger: every entry the site no longer produces and no
/// alias covers, every anchor whose words changed, and how many produced URLs the ledger
/// lacks.
pub fn audit(
    site: &Site,
    produced: &FxHashSet<String>,
    ledger: &[Entry],
) -> (Vec<Diagnostic>, usize) {
    let words = current_words(site, ledger);
    let renamed: FxHashSet<String> = renamed_reply_anchors(site)
        .into_iter()
        .filter(|(_, to)| produced.contains(to))
        .map(|(from, _)| from)
        .collect();
    let mut errors = Vec::new();
    for entry in ledger.iter().filter(|e| !renamed.contains(&e.url)) {
        if let Some(d) = check_entry(site, produced, &words, entry) {
            errors.push(d);
        }
    }
    let new = new_entries(produced, ledger).len();
    (errors, new)
}

/// Where the words an entry was published with are now, among the anchors of its page.
fn find_words<'a>(words: &'a FxHashMap<String, Words>, entry: &Entry) -> Option<&'a str> {
    let fp = entry.fingerprint.as_deref()?;
    let page = entry.url.split_once('#')?.0;
    let mut found: Vec<&str> = words
        .iter()
        .filter(|(url, w)| w.fingerprint == fp && url.starts_with(page))
        .map(|(url, _)| url.as_str())
        .collect();
    found.sort_unstable();
    found.first().copied()
}

fn check_entry(
    site: &Site,
    produced: &FxHashSet<String>,
    words: &FxHashMap<String, Words>,
    entry: &Entry,
) -> Option<Diagnostic> {
    let error = |message: String| Diagnostic::new(LEDGER_FILE, message).at(entry.line);
    let accept = format!("`wenji ledger --accept '{}' --reason \"…\"`", entry.url);
    if entry.retired.is_some() {
        return None;
    }
    if let Some(target) = &entry.alias {
        if !produced.contains(target) {
            return Some(
                error(format!("the fragment alias of {} points to {target}, which the site does not produce", entry.url))
                    .help("point the alias at an anchor the site has (`wenji ledger --move URL#old --to URL#new`)"),
            );
        }
        return match (&entry.fingerprint, words.get(target)) {
            (Some(fp), Some(now)) if *fp != now.fingerprint => Some(
                error(format!(
                    "the fragment alias of {} points to {target}, which holds other words: published «{}», there now «{}»",
                    entry.url,
                    entry.words.as_deref().unwrap_or(""),
                    now.opening
                ))
                .help(match find_words(words, entry) {
                    Some(at) => format!("the words are at {at} now: `wenji ledger --move '{}' --to '{at}'`", entry.url),
                    None => format!("if the text itself was corrected, {accept}"),
                }),
            ),
            _ => None,
        };
    }
    if produced.contains(&entry.url) {
        let (Some(fp), Some(now)) = (&entry.fingerprint, words.get(&entry.url)) else {
            return None;
        };
        if *fp == now.fingerprint {
            return None;
        }
        let way_out = match find_words(words, entry) {
            Some(at) => format!(
                "its words are at {at} now: send the old anchor there with `wenji ledger --move '{}' --to '{at}'`; or, if the text itself was corrected, {accept}",
                entry.url
            ),
            None => format!(
                "if the text itself was corrected, {accept}; if the words moved, `wenji ledger --move '{}' --to URL#anchor`",
                entry.url
            ),
        };
        return Some(
            error(format!(
                "the published anchor {} now holds other words: published «{}», now «{}»",
                entry.url,
                entry.words.as_deref().unwrap_or(""),
                now.opening
            ))
            .help(way_out),
        );
    }
    if covered_by_page_alias(site, produced, &entry.url) {
        return None;
    }
    let help = if entry.url.contains('#') {
        match find_words(words, entry) {
            Some(at) => format!(
                "its words are at {at} now: `wenji ledger --move '{}' --to '{at}'`",
                entry.url
            ),
            None => format!(
                "restore the anchor; send it to where its words or subject are now with `wenji ledger --move '{}' --to URL#anchor`; or give it up with {accept} (the page itself still loads)",
                entry.url
            ),
        }
    } else {
        "restore the page, or add the old path to the new page's `aliases:` so it redirects"
            .to_string()
    };
    Some(
        error(format!(
            "the published URL {} is no longer produced",
            entry.url
        ))
        .help(help),
    )
}

/// Whether a page alias (`aliases:` in front matter) redirects an entry to a produced URL. An
/// alias covers its own path and everything under it (the 404 page redirects those).
fn covered_by_page_alias(site: &Site, produced: &FxHashSet<String>, entry: &str) -> bool {
    let (path, fragment) = entry
        .split_once('#')
        .map_or((entry, None), |(p, f)| (p, Some(f)));
    let rel = path.trim_start_matches('/');
    site.redirects.iter().any(|(alias, target)| {
        rel.strip_prefix(alias.as_str())
            .or_else(|| (format!("{rel}/") == *alias).then_some(""))
            .is_some_and(|rest| {
                let moved = format!("/{target}{rest}");
                let moved = match fragment {
                    Some(f) => format!("{moved}#{f}"),
                    None => moved,
                };
                produced.contains(&moved)
            })
    })
}

/// Entries produced but not yet in the ledger, in no particular order.
pub fn new_entries<'a>(produced: &'a FxHashSet<String>, ledger: &[Entry]) -> Vec<&'a str> {
    let known: HashSet<&str> = ledger.iter().map(|e| e.url.as_str()).collect();
    produced
        .iter()
        .map(String::as_str)
        .filter(|e| !known.contains(e))
        .collect()
}

/// What `wenji ledger` is asked to do besides adding new URLs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Record the anchor's present words (or, if it is gone, give it up), with a reason.
    Accept { url: String, reason: String },
    /// Send an anchor to the URL where its words are now.
    Move { url: String, to: String },
}

/// What `wenji ledger` did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Update {
    pub added: usize,
    pub fingerprinted: usize,
}

/// Applies `changes`, records fingerprints the ledger lacks, adds every produced URL it lacks,
/// and writes the ledger — unless the site still fails the ledger's checks afterwards, when
/// nothing is written and every problem is returned.
pub fn update(root: &Path, site: &Site, changes: &[Change]) -> Result<Update, Vec<Diagnostic>> {
    let mut ledger = read(root).map_err(|d| vec![d])?;
    let produced = produced(site);
    let every_word: FxHashMap<String, Words> = site
        .replies
        .par_iter()
        .flat_map_iter(|r| {
            reply_words(r)
                .into_iter()
                .map(|(a, w)| (format!("/{}#{a}", r.url), w))
        })
        .collect();
    for change in changes {
        apply(&mut ledger, &produced, &every_word, change).map_err(|d| vec![d])?;
    }
    let mut done = Update::default();
    for e in &mut ledger {
        if e.fingerprint.is_none()
            && e.alias.is_none()
            && e.retired.is_none()
            && let Some(w) = every_word.get(&e.url)
        {
            e.fingerprint = Some(w.fingerprint.clone());
            e.words = Some(w.opening.clone());
            done.fingerprinted += 1;
        }
    }
    let (errors, _) = audit(site, &produced, &ledger);
    if !errors.is_empty() {
        return Err(errors);
    }
    let added: Vec<String> = new_entries(&produced, &ledger)
        .into_iter()
        .map(str::to_string)
        .collect();
    done.added = added.len();
    for url in added {
        let mut e = Entry::new(&url);
        if let Some(w) = every_word.get(&url) {
            e.fingerprint = Some(w.fingerprint.clone());
            e.words = Some(w.opening.clone());
        }
        ledger.push(e);
    }
    write(root, &ledger).map_err(|d| vec![d])?;
    Ok(done)
}

fn apply(
    ledger: &mut [Entry],
    produced: &FxHashSet<String>,
    words: &FxHashMap<String, Words>,
    change: &Change,
) -> Result<(), Diagnostic> {
    let url = match change {
        Change::Accept { url, .. } | Change::Move { url, .. } => url,
    };
    let Some(entry) = ledger.iter_mut().find(|e| e.url == *url) else {
        return Err(
            Diagnostic::new(LEDGER_FILE, format!("{url} is not in the ledger"))
                .help("name a URL exactly as the ledger lists it, e.g. '/states/armenia/#p3'"),
        );
    };
    match change {
        Change::Accept { reason, .. } => {
            if reason.trim().is_empty() {
                return Err(
                    Diagnostic::new(LEDGER_FILE, format!("--accept {url} needs a reason"))
                        .help("say why with --reason \"…\": it is recorded in the ledger"),
                );
            }
            entry.alias = None;
            match words.get(url) {
                Some(w) => {
                    entry.fingerprint = Some(w.fingerprint.clone());
                    entry.words = Some(w.opening.clone());
                    entry.accepted.push(reason.clone());
                }
                None if produced.contains(url) => entry.accepted.push(reason.clone()),
                None => entry.retired = Some(reason.clone()),
            }
        }
        Change::Move { to, .. } => {
            let to = if to.starts_with('#') {
                format!("{}{to}", url.split('#').next().unwrap_or(url))
            } else {
                to.clone()
            };
            if !produced.contains(&to) {
                return Err(Diagnostic::new(LEDGER_FILE, format!("--to {to}: the site does not produce that URL"))
                    .help("name an anchor the site has, as '/states/armenia/#p4' or '#p4' on the same page"));
            }
            if to == *url {
                return Err(Diagnostic::new(
                    LEDGER_FILE,
                    format!("--move {url} --to {to}: an anchor cannot be sent to itself"),
                )
                .help("if the text itself was corrected, use --accept with a reason"));
            }
            entry.alias = Some(to);
            entry.retired = None;
        }
    }
    Ok(())
}

fn write(root: &Path, ledger: &[Entry]) -> Result<(), Diagnostic> {
    let sorted: BTreeMap<&str, &Entry> = ledger.iter().map(|e| (e.url.as_str(), e)).collect();
    let mut text = String::from(HEADER);
    for e in sorted.values() {
        e.write(&mut text);
    }
    let path = root.join(LEDGER_FILE);
    let tmp = root.join(format!(".{LEDGER_FILE}.tmp"));
    std::fs::write(&tmp, text)
        .and_then(|()| std::fs::rename(&tmp, &path))
        .map_err(|e| Diagnostic::new(LEDGER_FILE, format!("cannot write the ledger: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalising_ignores_whitespace_and_width() {
        assert_eq!(normalise("国际法 适用\n于  Ａ／７５ "), "国际法适用于A/75");
        assert_eq!(
            fingerprint(&normalise("第　1 段")),
            fingerprint(&normalise("第1段"))
        );
        assert_ne!(fingerprint("甲"), fingerprint("乙"));
        assert_eq!(fingerprint("甲").len(), 12);
    }

    #[test]
    fn the_fingerprint_format_is_stable() {
        // Changing this breaks every fingerprint in every published ledger (the value is
        // `printf 国际法 | sha256sum | cut -c1-12`).
        assert_eq!(fingerprint("国际法"), "27f69fcff3ee");
    }

    #[test]
    fn entries_round_trip() {
        let text = "/states/a/#p3\tfp:0123456789ab\twords:国际法…\taccepted:typo fixed\n/states/a/#p4\tfp:aa\talias:/states/a/#p5\n/c/x/#r-a\tretired:tag removed\n/states/a/\n";
        let entries = parse(text).unwrap();
        assert_eq!(entries.len(), 4);
        assert_eq!(entries[0].accepted, vec!["typo fixed"]);
        assert_eq!(entries[1].alias.as_deref(), Some("/states/a/#p5"));
        assert_eq!(entries[2].retired.as_deref(), Some("tag removed"));
        let mut out = String::new();
        for e in &entries {
            e.write(&mut out);
        }
        assert_eq!(out, text);
    }

    #[test]
    fn unknown_fields_and_control_characters() {
        let e = parse("/a/\n/b/\tcolour:red\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        let mut out = String::new();
        Entry {
            url: "/a/#p1".into(),
            accepted: vec!["two\nlines\tand tab".into()],
            ..Entry::default()
        }
        .write(&mut out);
        assert_eq!(out, "/a/#p1\taccepted:two lines and tab\n");
    }

    #[test]
    fn fragment_aliases_are_grouped_by_page() {
        let aliases = by_page(
            [
                ("/states/a/#p3", "/states/a/#p4"),
                ("/c/x/#r-a", "/c/x/#r-b"),
            ]
            .into_iter()
            .map(|(a, b)| (a.to_string(), b.to_string())),
        );
        assert_eq!(aliases["states/a/"]["p3"], "states/a/#p4");
        assert_eq!(aliases["c/x/"]["r-a"], "c/x/#r-b");
        assert_eq!(aliases.len(), 2);
    }
}
