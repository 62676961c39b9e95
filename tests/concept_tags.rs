//! The concept tags in the replies' front matter (docs/tagging.md), checked against the text.
//!
//! - Pins (`tests/concept-tags/pins/<reply>.tsv`): every tagged range is pinned to the first
//!   characters of the paragraph or heading it starts at, so an importer change that renumbers
//!   a reply fails here instead of silently moving a tag; a tag without a pin, and a pin whose
//!   tag is gone, fail too, with the line to add or remove.
//! - The checklist (`tests/concept-tags/checklist.toml`): a paragraph that contains a term of a
//!   concept must be tagged with it or rejected with a reason in
//!   `tests/concept-tags/rejections/<reply>.tsv`; a rejection that is no longer needed fails.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use wenji::content::BlockKind;
use wenji::content::markdown::plain_text;
use wenji::link::Site;

fn site() -> Site {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut timings = Default::default();
    wenji::build::load_site(root, None, &mut timings)
        .unwrap_or_else(|e| panic!("the site does not load: {e:?}"))
}

fn reply<'a>(site: &'a Site, slug: &str) -> &'a wenji::link::Reply {
    site.replies
        .iter()
        .find(|r| r.page.meta.slug.value == slug)
        .unwrap_or_else(|| panic!("no reply `{slug}`"))
}

/// The plain text of paragraph `n` or of heading `id` of a reply.
fn text_at(r: &wenji::link::Reply, anchor: &str) -> Option<String> {
    if let Some(id) = anchor.strip_prefix('#') {
        return r.page.doc.blocks.iter().find_map(|b| match &b.kind {
            BlockKind::Heading { id: h, events, .. } if h == id => Some(plain_text(events)),
            _ => None,
        });
    }
    let n: u32 = anchor.strip_prefix('p')?.parse().ok()?;
    r.page
        .doc
        .passages()
        .into_iter()
        .find(|p| p.number == n)
        .map(|p| plain_text(p.events))
}

#[test]
fn each_norm_quotes_frances_paragraph() {
    let site = site();
    let france = reply(&site, "france");
    let norms: Vec<_> = site
        .concepts
        .iter()
        .filter(|c| {
            c.page
                .meta
                .parent
                .as_ref()
                .is_some_and(|p| p.value == "norms")
        })
        .collect();
    assert_eq!(norms.len(), 11, "eleven norms, (a) to (k)");
    for c in norms {
        let m = &c.page.meta;
        let letter = m.slug.value.strip_prefix("norm-").expect("norm-x");
        let from = &m.wording_from.as_ref().expect("wording_from").value;
        let anchor = from.strip_prefix("france#").expect("quoted from France");
        let text = text_at(france, anchor).unwrap_or_else(|| panic!("france has no {anchor}"));
        let wording = m.wording.as_deref().expect("wording");
        assert_eq!(
            text,
            format!("规范({letter})：{wording}"),
            "{}: the wording must be France's {anchor} after its label",
            m.slug.value
        );
    }
}

/// Where the pins, the rejections and the checklist live.
fn tags_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/concept-tags")
}

/// One line of a `.tsv` file: its line number and its tab-separated fields.
struct TsvLine {
    line: usize,
    fields: Vec<String>,
}

/// The lines of `dir/<reply>.tsv` (none if the file does not exist), each split into exactly
/// `n` non-empty fields (the last keeps any further tabs). Blank lines and `#` comments are
/// skipped; a malformed line is reported as `file:line: …` in `problems`.
fn read_tsv(path: &Path, n: usize, problems: &mut Vec<String>) -> Vec<TsvLine> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    let shown = path
        .strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap_or(path)
        .display();
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        if raw.trim().is_empty() || raw.starts_with('#') {
            continue;
        }
        let fields: Vec<String> = raw.splitn(n, '\t').map(|f| f.trim().to_string()).collect();
        if fields.len() != n || fields.iter().any(String::is_empty) {
            problems.push(format!(
                "{shown}:{line}: expected {n} non-empty tab-separated fields (the last is the \
                 pinned text or the reason), found `{raw}`"
            ));
            continue;
        }
        out.push(TsvLine { line, fields });
    }
    out
}

/// Every file in `dir` must be named after a reply, so a misspelt file is not silently ignored.
fn files_name_replies(site: &Site, dir: &str, problems: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(tags_dir().join(dir)) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let known = name
            .strip_suffix(".tsv")
            .is_some_and(|slug| site.replies.iter().any(|r| r.page.meta.slug.value == slug));
        if !known {
            problems.push(format!(
                "tests/concept-tags/{dir}/{name}: not `<reply slug>.tsv`"
            ));
        }
    }
}

/// Whitespace runs count as one space (pins were first read from the built HTML).
fn squeeze(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The anchor a range starts at: its heading, or its first paragraph.
fn first_anchor(range: &str) -> &str {
    if range.starts_with('#') {
        range
    } else {
        range.split('-').next().unwrap_or(range)
    }
}

/// The reply's tags as (concept, range) in concept order, ranges as written.
fn tags_of(site: &Site, r: &wenji::link::Reply) -> Vec<(String, String)> {
    let order = |c: &str| {
        site.concepts
            .iter()
            .position(|x| x.page.meta.slug.value == c)
    };
    let mut tags: Vec<(String, String)> = r
        .page
        .meta
        .concepts
        .iter()
        .flat_map(|(c, ranges)| ranges.iter().map(move |x| (c.clone(), x.value.clone())))
        .collect();
    tags.sort_by_key(|(c, _)| order(c));
    tags
}

/// The pin line for a tag, from the current text: what to add when a tag has no pin.
fn pin_line(r: &wenji::link::Reply, concept: &str, range: &str) -> String {
    let text = text_at(r, first_anchor(range)).unwrap_or_default();
    let prefix: String = squeeze(&text).chars().take(10).collect();
    format!("{concept}\t{range}\t{prefix}")
}

/// The pin problems of one reply: pins that fail, tags without a pin, pins without a tag.
fn pin_problems(site: &Site, r: &wenji::link::Reply, problems: &mut Vec<String>) {
    let slug = &r.page.meta.slug.value;
    let file = format!("tests/concept-tags/pins/{slug}.tsv");
    let pins = read_tsv(&tags_dir().join(format!("pins/{slug}.tsv")), 3, problems);
    let tags = tags_of(site, r);
    let mut pinned = BTreeSet::new();
    for p in &pins {
        let (concept, range, prefix) = (&p.fields[0], &p.fields[1], &p.fields[2]);
        let line = p.line;
        if !pinned.insert((concept.clone(), range.clone())) {
            problems.push(format!(
                "{file}:{line}: `{concept} {range}` is pinned twice"
            ));
            continue;
        }
        if !tags.iter().any(|(c, x)| c == concept && x == range) {
            problems.push(format!(
                "{file}:{line}: `{concept} {range}` is not tagged in content/replies/{slug}.md; remove the line\n    {concept}\t{range}\t{prefix}"
            ));
            continue;
        }
        let first = first_anchor(range);
        match text_at(r, first).map(|t| squeeze(&t)) {
            Some(t) if t.starts_with(&squeeze(prefix)) => {}
            Some(t) => problems.push(format!(
                "{file}:{line}: `{concept} {range}`: {first} now starts `{}`, was `{prefix}`; re-check the tag (docs/tagging.md)",
                t.chars().take(10).collect::<String>()
            )),
            None => problems.push(format!("{file}:{line}: `{concept} {range}`: no {first}")),
        }
    }
    for (concept, range) in &tags {
        if !pinned.contains(&(concept.clone(), range.clone())) {
            problems.push(format!(
                "{file}: `{concept} {range}` has no pin; add the line\n    {}",
                pin_line(r, concept, range)
            ));
        }
    }
}

#[test]
fn every_tag_is_pinned_to_the_text_it_was_written_for() {
    let site = site();
    let mut report = String::new();
    let mut problems = Vec::new();
    files_name_replies(&site, "pins", &mut problems);
    for r in &site.replies {
        let mut own = Vec::new();
        pin_problems(&site, r, &mut own);
        if !own.is_empty() {
            let _ = writeln!(report, "{}:", r.page.meta.slug.value);
            for p in own {
                let _ = writeln!(report, "  {p}");
            }
        }
    }
    for p in problems {
        let _ = writeln!(report, "{p}");
    }
    assert!(
        report.is_empty(),
        "concept tags and their pins (tests/concept-tags/pins/) disagree:\n{report}"
    );
}

/// A checklist term: every part must occur in the paragraph ("A&B").
struct Term {
    written: String,
    parts: Vec<String>,
}

impl Term {
    fn occurs_in(&self, text: &str) -> bool {
        self.parts.iter().all(|p| text.contains(p.as_str()))
    }
}

fn without_whitespace(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The checklist, concept slug → terms; checked to name every concept and only concepts.
fn checklist(site: &Site) -> BTreeMap<String, Vec<Term>> {
    let path = tags_dir().join("checklist.toml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let table: toml::Table =
        toml::from_str(&text).unwrap_or_else(|e| panic!("tests/concept-tags/checklist.toml: {e}"));
    let mut out = BTreeMap::new();
    for (concept, entry) in table {
        let terms = entry
            .get("terms")
            .and_then(|t| t.as_array())
            .unwrap_or_else(|| panic!("checklist.toml: [{concept}] needs `terms = [\"…\"]`"));
        let terms: Vec<Term> = terms
            .iter()
            .map(|t| {
                let written = t.as_str().unwrap_or_else(|| {
                    panic!("checklist.toml: [{concept}]: `{t}` is not a string")
                });
                let parts: Vec<String> = written.split('&').map(without_whitespace).collect();
                assert!(
                    parts.iter().all(|p| !p.is_empty()),
                    "checklist.toml: [{concept}]: empty term in `{written}`"
                );
                Term {
                    written: written.to_string(),
                    parts,
                }
            })
            .collect();
        assert!(
            !terms.is_empty(),
            "checklist.toml: [{concept}] has no terms"
        );
        out.insert(concept, terms);
    }
    for c in &site.concepts {
        let slug = &c.page.meta.slug.value;
        assert!(out.contains_key(slug), "checklist.toml has no [{slug}]");
    }
    for slug in out.keys() {
        assert!(
            site.concepts
                .iter()
                .any(|c| &c.page.meta.slug.value == slug),
            "checklist.toml: [{slug}] is not a concept of content/concepts/"
        );
    }
    out
}

/// The first checklist term of `concept` that occurs in `text` (whitespace removed).
fn term_in<'a>(
    checklist: &'a BTreeMap<String, Vec<Term>>,
    concept: &str,
    text: &str,
) -> Option<&'a str> {
    checklist
        .get(concept)?
        .iter()
        .find(|t| t.occurs_in(text))
        .map(|t| t.written.as_str())
}

/// The checklist problems of one reply: undecided hits and rejections that fail.
fn checklist_problems(
    site: &Site,
    checklist: &BTreeMap<String, Vec<Term>>,
    r: &wenji::link::Reply,
    problems: &mut Vec<String>,
) {
    let slug = &r.page.meta.slug.value;
    let file = format!("tests/concept-tags/rejections/{slug}.tsv");
    let texts: BTreeMap<u32, String> = r
        .page
        .doc
        .passages()
        .into_iter()
        .map(|p| (p.number, without_whitespace(&plain_text(p.events))))
        .collect();
    let tagged = |n: u32, concept: &str| {
        r.passage_concepts.get(&n).is_some_and(|cs| {
            cs.iter()
                .any(|&ci| site.concepts[ci].page.meta.slug.value == concept)
        })
    };
    let mut rejected = BTreeMap::new();
    for l in read_tsv(
        &tags_dir().join(format!("rejections/{slug}.tsv")),
        3,
        problems,
    ) {
        let (anchor, concept, line) = (&l.fields[0], &l.fields[1], l.line);
        let n = anchor.strip_prefix('p').and_then(|n| n.parse::<u32>().ok());
        let Some(text) = n.and_then(|n| texts.get(&n)) else {
            problems.push(format!(
                "{file}:{line}: `{anchor}` is not a paragraph of {slug}"
            ));
            continue;
        };
        let n = n.unwrap_or_default();
        if !checklist.contains_key(concept) {
            problems.push(format!("{file}:{line}: `{concept}` is not a concept"));
        } else if rejected.insert((n, concept.clone()), line).is_some() {
            problems.push(format!("{file}:{line}: p{n} {concept} is rejected twice"));
        } else if tagged(n, concept) {
            problems.push(format!(
                "{file}:{line}: p{n} is tagged {concept}; remove the rejection"
            ));
        } else if term_in(checklist, concept, text).is_none() {
            problems.push(format!(
                "{file}:{line}: no term of {concept} occurs in p{n}; remove the rejection"
            ));
        }
    }
    for (&n, text) in &texts {
        for c in &site.concepts {
            let concept = &c.page.meta.slug.value;
            let Some(term) = term_in(checklist, concept, text) else {
                continue;
            };
            if tagged(n, concept) || rejected.contains_key(&(n, concept.clone())) {
                continue;
            }
            let start: String = text.chars().take(20).collect();
            problems.push(format!("p{n}\t{concept}\t「{term}」 {start}…"));
        }
    }
}

#[test]
fn every_checklist_hit_is_tagged_or_rejected_with_a_reason() {
    let site = site();
    let checklist = checklist(&site);
    let mut problems = Vec::new();
    files_name_replies(&site, "rejections", &mut problems);
    let mut report: String = problems.iter().map(|p| format!("{p}\n")).collect();
    let mut undecided = 0;
    for r in &site.replies {
        let mut own = Vec::new();
        checklist_problems(&site, &checklist, r, &mut own);
        if own.is_empty() {
            continue;
        }
        undecided += own.iter().filter(|p| p.starts_with('p')).count();
        let slug = &r.page.meta.slug.value;
        let _ = writeln!(report, "{slug} ({} to do):", own.len());
        for p in own {
            let _ = writeln!(report, "  {p}");
        }
    }
    assert!(
        report.is_empty(),
        "checklist hits to decide ({undecided} undecided): tag the paragraph with the concept in \
         content/replies/<reply>.md, or add `pN<TAB>concept<TAB>reason` to \
         tests/concept-tags/rejections/<reply>.tsv (docs/tagging.md, \"Checklist hits, rejections and pins\"):\n{report}"
    );
}
