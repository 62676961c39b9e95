//! Concept tags: the `concepts:` map of a reply's front matter, checked against the concepts
//! that exist and the paragraphs and headings the reply has. A heading tag covers the section
//! under it, up to the next heading of the same or a higher level.

use std::collections::{BTreeMap, BTreeSet};

use crate::content::{BlockKind, Page, ReplyMeta};
use crate::error::{Diagnostic, Diagnostics};

#[derive(Debug, Default)]
pub struct ResolvedTags {
    /// Concept index → passage numbers.
    pub by_concept: BTreeMap<usize, BTreeSet<u32>>,
    /// Passage number → concept indices.
    pub by_passage: BTreeMap<u32, Vec<usize>>,
    /// Heading id → concept indices tagged on it.
    pub by_heading: BTreeMap<String, Vec<usize>>,
}

/// One range as written in front matter.
#[derive(Debug, PartialEq, Eq)]
pub enum Range {
    Passages(u32, u32),
    Section(String),
}

pub fn parse_range(s: &str) -> Option<Range> {
    let s = s.trim();
    if let Some(id) = s.strip_prefix('#') {
        return (!id.is_empty()).then(|| Range::Section(id.to_string()));
    }
    let num = |t: &str| {
        t.trim()
            .strip_prefix('p')
            .and_then(|n| n.parse::<u32>().ok())
            .filter(|&n| n > 0)
    };
    match s.split_once('-') {
        Some((a, b)) => {
            let (a, b) = (num(a)?, num(b)?);
            (a <= b).then_some(Range::Passages(a, b))
        }
        None => num(s).map(|n| Range::Passages(n, n)),
    }
}

/// The passage numbers of the section under heading `id`, if the heading exists.
fn section_passages(page: &Page<ReplyMeta>, id: &str) -> Option<Vec<u32>> {
    let blocks = &page.doc.blocks;
    let start = blocks
        .iter()
        .position(|b| matches!(&b.kind, BlockKind::Heading { id: h, .. } if h == id))?;
    let BlockKind::Heading { level, .. } = blocks[start].kind else {
        return None;
    };
    let mut out = Vec::new();
    for b in &blocks[start + 1..] {
        match &b.kind {
            BlockKind::Heading { level: l, .. } if *l <= level => break,
            BlockKind::Paragraph { number, .. } => out.push(*number),
            BlockKind::List { items, .. } => out.extend(items.iter().map(|i| i.number)),
            _ => {}
        }
    }
    Some(out)
}

pub fn resolve_tags(
    page: &Page<ReplyMeta>,
    concepts: &BTreeMap<String, usize>,
    diags: &mut Diagnostics,
) -> ResolvedTags {
    let mut out = ResolvedTags::default();
    let max = page.doc.paragraph_count();
    for (slug, ranges) in &page.meta.concepts {
        let line_of_first = ranges
            .first()
            .map(|r| page.yaml_to_file_line(&r.referenced));
        let Some(&ci) = concepts.get(slug) else {
            let mut d = Diagnostic::new(
                &page.file,
                format!("unknown concept `{slug}` in `concepts:`"),
            );
            if let Some(l) = line_of_first {
                d = d.at(l);
            } else {
                d = d.at(page.yaml_line);
            }
            let known: Vec<_> = concepts.keys().map(String::as_str).collect();
            diags.push(d.help(format!(
                "use the slug of a file in content/concepts/: {}",
                known.join(", ")
            )));
            continue;
        };
        if ranges.is_empty() {
            diags.push(
                Diagnostic::new(&page.file, format!("concept `{slug}` has no ranges"))
                    .at(page.yaml_line)
                    .help("list paragraphs (p3, p3-p7) or headings (#s2), or remove the key"),
            );
        }
        for r in ranges {
            let line = page.yaml_to_file_line(&r.referenced);
            let numbers: Vec<u32> = match parse_range(&r.value) {
                Some(Range::Passages(a, b)) if b <= max => (a..=b).collect(),
                Some(Range::Passages(_, b)) => {
                    diags.push(
                        Diagnostic::new(&page.file, format!("`{}` tagged as `{slug}`: the reply has only {max} paragraphs, not p{b}", r.value))
                            .at(line)
                            .help("number paragraphs as the built page does (the #pN anchors)"),
                    );
                    continue;
                }
                Some(Range::Section(id)) => match section_passages(page, &id) {
                    Some(ns) => {
                        out.by_heading.entry(id).or_default().push(ci);
                        ns
                    }
                    None => {
                        diags.push(
                            Diagnostic::new(
                                &page.file,
                                format!(
                                    "`{}` tagged as `{slug}`: the reply has no heading #{id}",
                                    r.value
                                ),
                            )
                            .at(line)
                            .help("headings are #s1, #s2, … in order, or the {#id} they carry"),
                        );
                        continue;
                    }
                },
                None => {
                    diags.push(
                        Diagnostic::new(&page.file, format!("`{}` is not a range", r.value))
                            .at(line)
                            .help("write p3, p3-p7 or #s2"),
                    );
                    continue;
                }
            };
            out.by_concept.entry(ci).or_default().extend(numbers);
        }
    }
    for (&ci, numbers) in &out.by_concept {
        for &n in numbers {
            out.by_passage.entry(n).or_default().push(ci);
        }
    }
    for v in out
        .by_passage
        .values_mut()
        .chain(out.by_heading.values_mut())
    {
        v.sort_unstable();
        v.dedup();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_parse() {
        assert_eq!(parse_range("p3"), Some(Range::Passages(3, 3)));
        assert_eq!(parse_range("p3-p7"), Some(Range::Passages(3, 7)));
        assert_eq!(parse_range("#s2"), Some(Range::Section("s2".into())));
        for bad in ["p0", "p7-p3", "3", "p", "#", "px"] {
            assert_eq!(parse_range(bad), None, "{bad}");
        }
    }
}
