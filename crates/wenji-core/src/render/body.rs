//! Document bodies as HTML: replies, quoted passages, and the Markdown bodies of the other
//! pages, written by one walk over the blocks. In a reply each numbered passage carries its
//! anchor (`id="pN"`), a margin link with its number, and a cite button; each heading its
//! anchor and the concepts tagged on it. The concept pages quote passages through the same code.

use std::collections::BTreeMap;

use crate::content::{BlockKind, Document, Events, ListItem};
use crate::link::{Reply, Site};
use crate::render::html::{Ctx, escape, escaped, footnote_id, push_events};

/// Interface words the body needs, from the config's strings.
pub struct Words<'a> {
    pub paragraph: &'a str,
    pub cite: &'a str,
    pub concepts_here: &'a str,
    /// What ends a label before what it labels ("：" in Chinese, ": " in English).
    pub label_end: &'a str,
    pub footnotes: &'a str,
    pub back_to_text: &'a str,
    /// Each passage's cite button is in the HTML (`site.cite_buttons_in_html`); otherwise
    /// `assets/reply.js` adds it.
    pub cite_buttons: bool,
}

impl<'a> Words<'a> {
    pub fn from_site(site: &'a Site) -> Self {
        Self::in_language(site, &site.config.site.language)
    }

    /// The words of pages in `language`.
    pub fn in_language(site: &'a Site, language: &str) -> Self {
        let s = |k| site.config.string_in(language, k);
        Words {
            paragraph: s("paragraph_n"),
            cite: s("cite"),
            concepts_here: s("concepts_here"),
            label_end: s("label_end"),
            footnotes: s("footnotes"),
            back_to_text: s("back_to_text"),
            cite_buttons: site.cite_buttons_in_html(),
        }
    }
}

/// `{n}` in a string replaced by a number.
pub fn fill(template: &str, n: impl std::fmt::Display) -> String {
    template.replace("{n}", &n.to_string())
}

fn concept_links(out: &mut String, site: &Site, concepts: &[usize], label: &str, base: &str) {
    if concepts.is_empty() {
        return;
    }
    out.push_str("<ul class=\"tags\" aria-label=\"");
    escape(label, out);
    out.push_str("\">");
    for &ci in concepts {
        out.push_str("<li>");
        concept_link(out, site, ci, base);
        out.push_str("</li>");
    }
    out.push_str("</ul>");
}

/// Tags inside a paragraph: phrasing content only, since a list may not stand in a `<p>`.
fn inline_concept_links(
    out: &mut String,
    site: &Site,
    concepts: &[usize],
    (label, label_end): (&str, &str),
    base: &str,
) {
    if concepts.is_empty() {
        return;
    }
    out.push_str("<span class=\"tags inline\"><span class=\"visually-hidden\">");
    escape(label, out);
    escape(label_end, out);
    out.push_str("</span>");
    for &ci in concepts {
        concept_link(out, site, ci, base);
    }
    out.push_str("</span>");
}

fn concept_link(out: &mut String, site: &Site, ci: usize, base: &str) {
    let c = &site.concepts[ci];
    out.push_str("<a href=\"");
    escape(base, out);
    escape(&c.url, out);
    out.push_str("\">");
    escape(
        c.page.meta.short.as_deref().unwrap_or(&c.page.meta.title),
        out,
    );
    out.push_str("</a>");
}

fn passage_open(out: &mut String, tag: &str, n: u32, words: &Words) {
    out.push('<');
    out.push_str(tag);
    out.push_str(&format!(
        " id=\"p{n}\" class=\"para\"><a class=\"pn\" href=\"#p{n}\" aria-label=\""
    ));
    escape(&fill(words.paragraph, n), out);
    out.push_str(&format!("\">{n}</a>"));
}

fn passage_close(out: &mut String, tag: &str, n: u32, words: &Words) {
    if !words.cite_buttons {
        out.push_str("</");
        out.push_str(tag);
        out.push('>');
        return;
    }
    out.push_str(&format!(
        "<button type=\"button\" class=\"cite\" data-p=\"{n}\" aria-label=\""
    ));
    escape(&format!("{} {}", words.cite, fill(words.paragraph, n)), out);
    out.push_str("\">");
    escape(words.cite, out);
    out.push_str("</button></");
    out.push_str(tag);
    out.push('>');
}

/// How a page writes a document's blocks. One walk over the blocks ([`blocks_html`]) writes
/// the HTML every page shares; a reply page adds passage anchors, heading anchors and concept
/// tags through these hooks, a plain page (home, concept, about) adds nothing.
trait BlockWriter {
    /// The level a heading of the document is written at.
    fn heading_level(&self, level: u8) -> u8 {
        level
    }
    /// Written inside a heading, after its text.
    fn heading_end(&mut self, _out: &mut String, _id: &str) {}
    /// Written after a heading.
    fn after_heading(&mut self, _out: &mut String, _level: u8, _id: &str) {}
    /// The class attribute of a list (with its leading space), if any.
    fn list_class(&self, _items: &[ListItem]) -> &'static str {
        ""
    }
    fn passage_open(&mut self, out: &mut String, tag: &str, _n: u32) {
        out.push('<');
        out.push_str(tag);
        out.push('>');
    }
    fn passage_close(&mut self, out: &mut String, tag: &str, _n: u32) {
        out.push_str("</");
        out.push_str(tag);
        out.push('>');
    }
    fn footnotes(&mut self, out: &mut String, doc: &Document, ctx: Ctx);
}

/// Writes a document's blocks and footnotes, with what `writer` adds.
fn blocks_html(out: &mut String, doc: &Document, ctx: Ctx, writer: &mut impl BlockWriter) {
    for block in &doc.blocks {
        match &block.kind {
            BlockKind::Heading { level, id, events } => {
                let level = writer.heading_level(*level);
                out.push_str(&format!("<h{level} id=\"{id}\">"));
                push_events(out, events, ctx);
                writer.heading_end(out, id);
                out.push_str(&format!("</h{level}>"));
                writer.after_heading(out, level, id);
            }
            BlockKind::Paragraph { number, events } => {
                writer.passage_open(out, "p", *number);
                push_events(out, events, ctx);
                writer.passage_close(out, "p", *number);
            }
            BlockKind::List { start, items } => {
                let class = writer.list_class(items);
                match start {
                    Some(1) => out.push_str(&format!("<ol{class}>")),
                    Some(s) => out.push_str(&format!("<ol start=\"{s}\"{class}>")),
                    None => out.push_str(&format!("<ul{class}>")),
                }
                for item in items {
                    writer.passage_open(out, "li", item.number);
                    push_events(out, &item.events, ctx);
                    writer.passage_close(out, "li", item.number);
                }
                out.push_str(if start.is_some() { "</ol>" } else { "</ul>" });
            }
            BlockKind::Other { events } => push_events(out, events, ctx),
        }
    }
    writer.footnotes(out, doc, ctx);
}

/// A page's Markdown body (home, concept, plain page): its blocks and footnotes as written.
pub fn document_html(doc: &Document, ctx: Ctx) -> String {
    struct Plain;
    impl BlockWriter for Plain {
        fn footnotes(&mut self, out: &mut String, doc: &Document, ctx: Ctx) {
            footnotes(out, doc, ctx, None);
        }
    }
    let mut out = String::new();
    blocks_html(&mut out, doc, ctx, &mut Plain);
    out
}

/// What a reply page adds to its blocks: numbered passages with their cite buttons, heading
/// anchors, and concept tags shown once on a section or on the passage.
struct ReplyBlocks<'a> {
    site: &'a Site,
    reply: &'a Reply,
    words: &'a Words<'a>,
    base: &'a str,
    sections: SectionTags,
    shared: BTreeMap<&'a str, Vec<usize>>,
    /// The concepts shown on the headings above the current block.
    section_concepts: Vec<usize>,
}

impl BlockWriter for ReplyBlocks<'_> {
    fn heading_level(&self, level: u8) -> u8 {
        level.clamp(2, 6)
    }
    fn heading_end(&mut self, out: &mut String, id: &str) {
        out.push_str(&format!(
            "<a class=\"anchor\" href=\"#{id}\" aria-hidden=\"true\" tabindex=\"-1\">#</a>"
        ));
    }
    fn after_heading(&mut self, out: &mut String, level: u8, id: &str) {
        let reply = self.reply;
        let own = reply
            .heading_concepts
            .get(id)
            .map_or(&[][..], Vec::as_slice);
        let common = self.shared.get(id).map_or(&[][..], Vec::as_slice);
        let shown = self.sections.enter(level, own, common);
        concept_links(out, self.site, &shown, self.words.concepts_here, self.base);
        self.section_concepts = self.sections.all().to_vec();
    }
    fn list_class(&self, items: &[ListItem]) -> &'static str {
        let lettered = items.iter().all(|i| starts_with_marker(&i.events));
        if lettered { " class=\"marked\"" } else { "" }
    }
    fn passage_open(&mut self, out: &mut String, tag: &str, n: u32) {
        passage_open(out, tag, n, self.words);
    }
    fn passage_close(&mut self, out: &mut String, tag: &str, n: u32) {
        let (site, reply, words) = (self.site, self.reply, self.words);
        own_tags(
            out,
            site,
            reply,
            n,
            &self.section_concepts,
            words,
            self.base,
        );
        passage_close(out, tag, n, words);
    }
    fn footnotes(&mut self, out: &mut String, doc: &Document, ctx: Ctx) {
        footnotes(out, doc, ctx, Some(self.words));
    }
}

/// The whole body of a reply page.
pub fn reply_body(site: &Site, reply: &Reply, words: &Words) -> String {
    let base = site.config.base_path();
    let ctx = Ctx {
        base_path: &base,
        site_language: &site.editions[reply.edition].language,
        footnote_base: "",
        footnote_backrefs: true,
        allow_raw_html: site.config.site.allow_raw_html,
    };
    let doc = &reply.page.doc;
    let mut out = String::with_capacity(doc.blocks.len() * 400);
    let mut writer = ReplyBlocks {
        site,
        reply,
        words,
        base: &base,
        sections: SectionTags::default(),
        shared: shared_by_section(reply),
        section_concepts: Vec::new(),
    };
    blocks_html(&mut out, doc, ctx, &mut writer);
    out
}

/// The concepts shown on the headings that enclose the current block, innermost last, so that
/// a concept tagged on a section shows once on it and not again on its subsections' passages.
#[derive(Default)]
struct SectionTags {
    /// (heading level, concepts shown on that heading or an enclosing one)
    open: Vec<(u8, Vec<usize>)>,
}

impl SectionTags {
    /// Enters a heading: returns the tags to show on it, those not already shown above it.
    fn enter(&mut self, level: u8, own: &[usize], shared: &[usize]) -> Vec<usize> {
        while self.open.last().is_some_and(|(l, _)| *l >= level) {
            self.open.pop();
        }
        let above = self.all().to_vec();
        let mut shown: Vec<usize> = Vec::new();
        for &c in own.iter().chain(shared) {
            if !above.contains(&c) && !shown.contains(&c) {
                shown.push(c);
            }
        }
        let mut all = above;
        all.extend(&shown);
        self.open.push((level, all));
        shown
    }

    fn all(&self) -> &[usize] {
        self.open.last().map_or(&[], |(_, c)| c.as_slice())
    }
}

/// Heading id → concepts every passage directly under it carries (when it has two or more):
/// such a tag shows once on the heading instead of on each passage.
fn shared_by_section(reply: &Reply) -> BTreeMap<&str, Vec<usize>> {
    let mut sections: Vec<(&str, Vec<u32>)> = Vec::new();
    for block in &reply.page.doc.blocks {
        match &block.kind {
            BlockKind::Heading { id, .. } => sections.push((id.as_str(), Vec::new())),
            BlockKind::Paragraph { number, .. } => {
                if let Some((_, ns)) = sections.last_mut() {
                    ns.push(*number);
                }
            }
            BlockKind::List { items, .. } => {
                if let Some((_, ns)) = sections.last_mut() {
                    ns.extend(items.iter().map(|i| i.number));
                }
            }
            BlockKind::Other { .. } => {}
        }
    }
    let tags = |n: &u32| reply.passage_concepts.get(n).map_or(&[][..], Vec::as_slice);
    sections
        .into_iter()
        .filter(|(_, numbers)| numbers.len() >= 2)
        .filter_map(|(id, numbers)| {
            let common: Vec<usize> = tags(&numbers[0])
                .iter()
                .copied()
                .filter(|c| numbers.iter().all(|n| tags(n).contains(c)))
                .collect();
            (!common.is_empty()).then_some((id, common))
        })
        .collect()
}

/// Tags on a passage that its section's heading does not already show.
fn own_tags(
    out: &mut String,
    site: &Site,
    reply: &Reply,
    n: u32,
    section: &[usize],
    words: &Words,
    base: &str,
) {
    if let Some(cs) = reply.passage_concepts.get(&n) {
        let extra: Vec<usize> = cs
            .iter()
            .copied()
            .filter(|c| !section.contains(c))
            .collect();
        let label = (words.concepts_here, words.label_end);
        inline_concept_links(out, site, &extra, label, base);
    }
}

/// True when a list item starts with its own marker (`(a)`, `1.`), so the list shows no bullet.
fn starts_with_marker(events: &Events) -> bool {
    let text = crate::content::markdown::plain_text(&events[..events.len().min(4)]);
    let t = text.trim_start();
    let Some(rest) = t.strip_prefix(['(', '（']) else {
        return false;
    };
    let close = rest.find([')', '）']);
    matches!(close, Some(i) if i > 0 && i <= 6)
}

/// The footnotes section of a page's body, written here only. On a reply page (`reply`: its
/// words) the section is labelled, each note keeps its printed number, and a note ends with a
/// link back to the text that refers to it.
fn footnotes(out: &mut String, doc: &Document, ctx: Ctx, reply: Option<&Words>) {
    if doc.footnotes.is_empty() {
        return;
    }
    out.push_str("<section class=\"footnotes\"");
    if let Some(words) = reply {
        out.push_str(" aria-label=\"");
        escape(words.footnotes, out);
        out.push('"');
    }
    out.push_str("><ol>");
    for note in &doc.footnotes {
        let id = footnote_id(&note.label);
        let Some(words) = reply else {
            out.push_str(&format!("<li id=\"{id}\">"));
            push_events(out, &note.events, ctx);
            out.push_str("</li>");
            continue;
        };
        let value = note
            .label
            .parse::<u32>()
            .map(|v| format!(" value=\"{v}\""))
            .unwrap_or_default();
        out.push_str(&format!("<li id=\"{id}\"{value}>"));
        let mut inner = String::new();
        push_events(
            &mut inner,
            &note.events,
            Ctx {
                footnote_backrefs: false,
                ..ctx
            },
        );
        // A one-paragraph note is written inline so the back link sits after its text.
        let inline = inner
            .strip_prefix("<p>")
            .and_then(|s| s.strip_suffix("</p>"))
            .filter(|s| !s.contains("<p>"));
        out.push_str(inline.unwrap_or(&inner));
        out.push_str(&format!(
            " <a class=\"back\" href=\"#ref-{id}\" aria-label=\"{}\">↩</a></li>",
            escaped(words.back_to_text)
        ));
    }
    out.push_str("</ol></section>");
}

/// A passage quoted on another page: its HTML without anchors, footnotes linking to the reply.
pub fn quoted_passage(site: &Site, reply: &Reply, n: u32) -> String {
    let base = site.config.base_path();
    let footnote_base = format!("{base}{}", reply.url);
    let ctx = Ctx {
        base_path: &base,
        site_language: &site.config.site.language,
        footnote_base: &footnote_base,
        footnote_backrefs: false,
        allow_raw_html: site.config.site.allow_raw_html,
    };
    let passages = reply.page.doc.passages();
    passages
        .iter()
        .find(|p| p.number == n)
        .map(|p| crate::render::html::events_to_html(p.events, ctx))
        .unwrap_or_default()
}

/// Passage number → footnote labels it references, for the open data.
pub fn footnotes_by_passage(doc: &Document) -> BTreeMap<u32, Vec<String>> {
    let owners = crate::link::footnote_owners(doc);
    let mut out: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    for (label, n) in owners {
        out.entry(n).or_default().push(label);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::markdown::parse;
    use std::path::Path;

    #[test]
    fn a_section_tag_shows_once_and_not_again_below_it() {
        let mut s = SectionTags::default();
        assert_eq!(s.enter(2, &[7], &[]), vec![7]);
        // A subsection shows only what its section does not.
        assert_eq!(s.enter(3, &[7, 8], &[]), vec![8]);
        assert_eq!(s.all(), &[7, 8]);
        // A sibling subsection starts again from the section's tags.
        assert_eq!(s.enter(3, &[], &[9, 7]), vec![9]);
        assert_eq!(s.all(), &[7, 9]);
        // The next section closes both.
        assert_eq!(s.enter(2, &[], &[]), Vec::<usize>::new());
        assert_eq!(s.all(), &[] as &[usize]);
    }

    #[test]
    fn markers_are_detected() {
        let d = parse(
            Path::new("t"),
            "- (a) 甲\n- (k) 乙\n\n段\n\n- 丙\n",
            1,
            false,
        )
        .unwrap();
        let BlockKind::List { items, .. } = &d.blocks[0].kind else {
            panic!()
        };
        assert!(items.iter().all(|i| starts_with_marker(&i.events)));
        let BlockKind::List { items, .. } = &d.blocks[2].kind else {
            panic!()
        };
        assert!(!starts_with_marker(&items[0].events));
    }
}
