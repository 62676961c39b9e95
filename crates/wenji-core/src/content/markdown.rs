//! Markdown bodies parsed into numbered blocks. The block list is what the rest of the
//! pipeline works on: paragraph numbers become `#pN` anchors, headings `#sN`, and the same
//! blocks feed the pages, the concept passages, the search index and the open data.

use std::collections::BTreeSet;
use std::path::Path;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag};

use crate::error::Diagnostic;

pub type Events = Vec<Event<'static>>;

#[derive(Debug, Clone, Default)]
pub struct Document {
    pub blocks: Vec<Block>,
    pub footnotes: Vec<Footnote>,
}

#[derive(Debug, Clone)]
pub struct Block {
    pub kind: BlockKind,
    /// 1-based line in the source file.
    pub line: usize,
}

#[derive(Debug, Clone)]
pub enum BlockKind {
    /// Inline events of the heading.
    Heading {
        level: u8,
        id: String,
        events: Events,
    },
    /// Inline events of a numbered top-level paragraph.
    Paragraph { number: u32, events: Events },
    List {
        start: Option<u64>,
        items: Vec<ListItem>,
    },
    /// Anything else (table, code block, quote, rule), as complete events.
    Other { events: Events },
}

#[derive(Debug, Clone)]
pub struct ListItem {
    pub number: u32,
    pub line: usize,
    /// The events inside the item (inline, or blocks when the list is loose or nested).
    pub events: Events,
}

#[derive(Debug, Clone)]
pub struct Footnote {
    pub label: String,
    pub line: usize,
    /// The events inside the definition.
    pub events: Events,
}

/// One numbered passage: a top-level paragraph or a list item.
#[derive(Debug, Clone, Copy)]
pub struct Passage<'a> {
    pub number: u32,
    pub line: usize,
    pub events: &'a Events,
    /// Index of the block that holds it.
    pub block: usize,
}

impl Document {
    /// Every numbered passage in document order.
    pub fn passages(&self) -> Vec<Passage<'_>> {
        let mut out = Vec::new();
        for (i, b) in self.blocks.iter().enumerate() {
            match &b.kind {
                BlockKind::Paragraph { number, events } => out.push(Passage {
                    number: *number,
                    line: b.line,
                    events,
                    block: i,
                }),
                BlockKind::List { items, .. } => out.extend(items.iter().map(|it| Passage {
                    number: it.number,
                    line: it.line,
                    events: &it.events,
                    block: i,
                })),
                _ => {}
            }
        }
        out
    }

    pub fn paragraph_count(&self) -> u32 {
        self.passages().last().map_or(0, |p| p.number)
    }

    pub fn heading_ids(&self) -> impl Iterator<Item = &str> {
        self.blocks.iter().filter_map(|b| match &b.kind {
            BlockKind::Heading { id, .. } => Some(id.as_str()),
            _ => None,
        })
    }
}

/// Plain text of events: text and code, without footnote references or markup.
pub fn plain_text(events: &[Event]) -> String {
    let mut s = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => s.push_str(t),
            Event::SoftBreak | Event::HardBreak => s.push(' '),
            Event::End(pulldown_cmark::TagEnd::Paragraph | pulldown_cmark::TagEnd::Item)
                if !s.ends_with('\n') =>
            {
                s.push('\n')
            }
            _ => {}
        }
    }
    s.trim().to_string()
}

fn markdown_options() -> Options {
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_FOOTNOTES);
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_HEADING_ATTRIBUTES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    opts
}

/// Deepest nesting of blocks and inline markup a body may have. Deeper input (thousands of
/// `>` or list levels) would overflow the stack of the recursive HTML minifier and gains
/// nothing; it is refused with its line.
pub const MAX_NESTING: usize = 64;

/// Parses a body. `first_line` is the body's line in its file, so block lines are file lines.
pub fn parse(
    file: &Path,
    body: &str,
    first_line: usize,
    allow_raw_html: bool,
) -> Result<Document, Vec<Diagnostic>> {
    // Offsets of every newline, once: looking a line up is then a binary search, not a
    // scan from the start (which made a file of many paragraphs take quadratic time).
    let newlines: Vec<usize> = newline_offsets(body);
    let file_line = |offset: usize| first_line + newlines.partition_point(|&nl| nl < offset);

    // Group the event stream into top-level chunks, each with the offsets of its events.
    let mut chunks: Vec<Vec<(Event<'static>, usize)>> = Vec::new();
    let mut depth = 0usize;
    for (event, range) in Parser::new_ext(body, markdown_options()).into_offset_iter() {
        let event = match event {
            Event::Html(h) | Event::InlineHtml(h) if !allow_raw_html => Event::Text(h),
            e => e,
        }
        .into_static();
        if depth == 0 {
            chunks.push(Vec::new());
        }
        match &event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth > MAX_NESTING {
            return Err(vec![
                Diagnostic::new(
                    file,
                    format!("the Markdown nests more than {MAX_NESTING} levels deep here"),
                )
                .at(file_line(range.start))
                .help("flatten the quotes or lists: no reply needs more than a few levels"),
            ]);
        }
        chunks
            .last_mut()
            .expect("pushed above")
            .push((event, range.start));
    }

    let mut doc = Document::default();
    let mut errors = Vec::new();
    let mut para_no = 0u32;
    let mut heading_no = 0u32;
    let mut seen_ids = BTreeSet::new();
    for chunk in chunks {
        let line = file_line(chunk[0].1);
        let inner = || {
            chunk[1..chunk.len().saturating_sub(1)]
                .iter()
                .map(|(e, _)| e.clone())
                .collect::<Events>()
        };
        let kind = match &chunk[0].0 {
            Event::Start(Tag::Heading { level, id, .. }) => {
                heading_no += 1;
                let id = match id {
                    Some(id) => {
                        if !valid_id(id) {
                            errors.push(
                                Diagnostic::new(file, format!("heading id `{id}` is not a valid anchor"))
                                    .at(line)
                                    .help("use lowercase ASCII letters, digits and hyphens, starting with a letter"),
                            );
                        } else if let Some(what) = reserved_id(id) {
                            errors.push(
                                Diagnostic::new(file, format!("heading id `{{#{id}}}` has the form of {what}"))
                                    .at(line)
                                    .help("choose a word for the id, e.g. {#international-law}, or leave it out to get #sN"),
                            );
                        }
                        id.to_string()
                    }
                    None => format!("s{heading_no}"),
                };
                if !seen_ids.insert(id.clone()) {
                    errors.push(
                        Diagnostic::new(file, format!("two headings have the anchor `#{id}`"))
                            .at(line)
                            .help("give one of them another {#id}"),
                    );
                }
                BlockKind::Heading {
                    level: heading_level(*level),
                    id,
                    events: inner(),
                }
            }
            Event::Start(Tag::Paragraph) => {
                para_no += 1;
                BlockKind::Paragraph {
                    number: para_no,
                    events: inner(),
                }
            }
            Event::Start(Tag::List(start)) => {
                let items = split_items(&chunk[1..chunk.len() - 1], &mut para_no, &file_line);
                BlockKind::List {
                    start: *start,
                    items,
                }
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                doc.footnotes.push(Footnote {
                    label: label.to_string(),
                    line,
                    events: inner(),
                });
                continue;
            }
            _ => BlockKind::Other {
                events: chunk.into_iter().map(|(e, _)| e).collect(),
            },
        };
        doc.blocks.push(Block { kind, line });
    }
    if errors.is_empty() {
        Ok(doc)
    } else {
        Err(errors)
    }
}

/// Byte offsets of the `\n`s in `text`, in order.
fn newline_offsets(text: &str) -> Vec<usize> {
    text.bytes()
        .enumerate()
        .filter(|&(_, b)| b == b'\n')
        .map(|(i, _)| i)
        .collect()
}

/// Splits the inside of a list into its items, numbering each.
fn split_items(
    inner: &[(Event<'static>, usize)],
    para_no: &mut u32,
    file_line: &dyn Fn(usize) -> usize,
) -> Vec<ListItem> {
    let mut items = Vec::new();
    let mut depth = 0usize;
    let mut current: Option<ListItem> = None;
    for (event, offset) in inner {
        match event {
            Event::Start(Tag::Item) if depth == 0 => {
                *para_no += 1;
                current = Some(ListItem {
                    number: *para_no,
                    line: file_line(*offset),
                    events: Vec::new(),
                });
                depth += 1;
                continue;
            }
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    items.extend(current.take());
                    continue;
                }
            }
            _ => {}
        }
        if let Some(item) = current.as_mut() {
            item.events.push(event.clone());
        }
    }
    items
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Ids the templates give elements; a heading id written in Markdown may not take them
/// (a test holds this list to the templates).
const TEMPLATE_IDS: &[&str] = &[
    "main",
    "timeline",
    "by-reply",
    "nf-q",
    "wenji-strings",
    "wenji-redirects",
    "wenji-pages",
];

/// What a heading id written in Markdown would be mistaken for, if anything: the site's own
/// anchors (paragraphs `pN`, numbered headings `sN`, footnotes, a reply's passages on a concept
/// page, cited documents) and the ids the templates use (`main`, headings ending in `-h`).
pub fn reserved_id(id: &str) -> Option<&'static str> {
    let numbered = |prefix: char| {
        id.strip_prefix(prefix)
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    };
    if numbered('p') {
        Some("a paragraph anchor (#pN)")
    } else if numbered('s') {
        Some("a numbered heading anchor (#sN)")
    } else if ["fn-", "ref-", "r-", "doc-"]
        .iter()
        .any(|p| id.starts_with(p))
    {
        Some("an anchor the site makes (footnotes #fn-, #ref-, concept pages #r-, documents #doc-)")
    } else if TEMPLATE_IDS.contains(&id) || id.ends_with("-h") {
        Some("an id the templates use")
    } else {
        None
    }
}

/// Anchors are ASCII so they survive copy-paste into any citation manager.
pub fn valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && id.len() <= 64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(s: &str) -> Document {
        parse(Path::new("t.md"), s, 10, false).unwrap()
    }

    #[test]
    fn paragraphs_and_items_are_numbered_in_order() {
        let d = doc("## 一\n\n第一段。\n\n- (a) 甲\n- (b) 乙\n\n第二段。\n\n1. 一\n   - 嵌套\n");
        let nums: Vec<_> = d.passages().iter().map(|p| (p.number, p.line)).collect();
        assert_eq!(nums, vec![(1, 12), (2, 14), (3, 15), (4, 17), (5, 19)]);
        assert_eq!(d.paragraph_count(), 5);
        assert_eq!(d.heading_ids().collect::<Vec<_>>(), vec!["s1"]);
    }

    #[test]
    fn explicit_heading_ids_are_kept_and_checked() {
        let d = doc("## 国际法 {#international-law}\n\n## 二\n");
        assert_eq!(
            d.heading_ids().collect::<Vec<_>>(),
            vec!["international-law", "s2"]
        );
        let e = parse(
            Path::new("t.md"),
            "## a {#Bad}\n\n## b {#law}\n\n## c {#law}\n",
            1,
            false,
        )
        .unwrap_err();
        assert_eq!(e.len(), 2, "{e:?}");
        assert_eq!(e[0].line, Some(1));
        assert_eq!(e[1].line, Some(5));
    }

    #[test]
    fn heading_ids_may_not_take_the_site_s_forms() {
        for (bad, line) in [
            ("p3", 1),
            ("s12", 3),
            ("main", 5),
            ("toc-h", 7),
            ("r-france", 9),
        ] {
            let text = "## x\n\n".repeat(line / 2) + &format!("## a {{#{bad}}}\n");
            let e = parse(Path::new("t.md"), &text, 1, false).unwrap_err();
            assert_eq!(e.len(), 1, "{bad}: {e:?}");
            assert_eq!(e[0].line, Some(line), "{bad}");
            assert!(e[0].message.contains(bad), "{e:?}");
        }
        for ok in ["international-law", "p", "pa3", "section-3", "maine"] {
            assert!(reserved_id(ok).is_none(), "{ok}");
        }
    }

    /// Every literal id in the templates is one a heading may not take.
    #[test]
    fn template_ids_are_reserved() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../templates");
        let re = regex::Regex::new(r#"\bid="([^"{]+)"#).unwrap();
        let mut seen = 0;
        for f in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(f.unwrap().path()).unwrap();
            for c in re.captures_iter(&text) {
                seen += 1;
                assert!(reserved_id(&c[1]).is_some(), "template id `{}`", &c[1]);
            }
        }
        assert!(seen > 10, "{seen} ids");
    }

    #[test]
    fn footnotes_are_collected_and_not_numbered() {
        let d = doc("正文[^6]。\n\n[^6]: 注释。\n");
        assert_eq!(d.paragraph_count(), 1);
        assert_eq!(d.footnotes.len(), 1);
        assert_eq!(d.footnotes[0].label, "6");
        assert_eq!(plain_text(&d.footnotes[0].events), "注释。");
    }

    #[test]
    fn raw_html_becomes_text_unless_allowed() {
        let d = doc("<script>alert(1)</script>\n\na <b>b</b>\n");
        let html: Vec<_> = d
            .blocks
            .iter()
            .flat_map(|b| match &b.kind {
                BlockKind::Other { events } | BlockKind::Paragraph { events, .. } => events.clone(),
                _ => vec![],
            })
            .collect();
        assert!(
            html.iter()
                .all(|e| !matches!(e, Event::Html(_) | Event::InlineHtml(_)))
        );
        let d = parse(Path::new("t.md"), "a <b>b</b>\n", 1, true).unwrap();
        let BlockKind::Paragraph { events, .. } = &d.blocks[0].kind else {
            panic!()
        };
        assert!(events.iter().any(|e| matches!(e, Event::InlineHtml(_))));
    }

    #[test]
    fn plain_text_skips_markup() {
        let d = doc("见 [链接](https://x.org) 和 `A/70/174`。\n");
        assert_eq!(plain_text(d.passages()[0].events), "见 链接 和 A/70/174。");
    }
}
