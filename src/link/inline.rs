//! Links inside the bodies: what a link's target is ([`LinkTarget`]), and the UN document
//! symbols in the text, which become links here; the symbols a reply cites are gathered for
//! the documents page.

use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

use super::symbols;
use crate::content::{BlockKind, Corpus, Document, Events};
use crate::error::{Diagnostic, Diagnostics};

/// Where a link of a body goes. The events keep links symbolic — `@/path/#anchor` for a page
/// of the site, as written in content, and `un:SYMBOL` for a UN document, as the symbol
/// linking writes it — and the renderer makes the address, so the base path and the UN
/// site's address are applied in one place and not baked into the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkTarget<'a> {
    /// A page of the site: its path under the base path, with any `?query` and `#anchor`.
    Site(&'a str),
    /// A UN document, by its canonical symbol.
    UnDocument(&'a str),
    /// Any other address, as written.
    Address(&'a str),
}

const SITE_PREFIX: &str = "@/";
const UN_DOCUMENT_PREFIX: &str = "un:";

impl<'a> LinkTarget<'a> {
    /// The target a link's destination stands for.
    pub fn of(dest: &'a str) -> Self {
        if let Some(path) = dest.strip_prefix(SITE_PREFIX) {
            LinkTarget::Site(path)
        } else if let Some(symbol) = dest.strip_prefix(UN_DOCUMENT_PREFIX) {
            LinkTarget::UnDocument(symbol)
        } else {
            LinkTarget::Address(dest)
        }
    }

    /// The destination written into a link event, which [`LinkTarget::of`] reads back.
    fn to_dest(self) -> String {
        match self {
            LinkTarget::Site(path) => format!("{SITE_PREFIX}{path}"),
            LinkTarget::UnDocument(symbol) => format!("{UN_DOCUMENT_PREFIX}{symbol}"),
            LinkTarget::Address(dest) => dest.to_string(),
        }
    }

    /// The address of the target on a site published under `base_path` (`/` or `/repo/`) in
    /// `site_language` (which selects the edition of a UN document).
    pub fn href(self, base_path: &str, site_language: &str) -> Cow<'a, str> {
        match self {
            LinkTarget::Site(path) => Cow::Owned(format!("{base_path}{path}")),
            LinkTarget::UnDocument(symbol) => {
                Cow::Owned(symbols::undocs_url(symbol, site_language))
            }
            LinkTarget::Address(dest) => Cow::Borrowed(dest),
        }
    }
}

/// Symbol → (reply index, passage number) of each passage citing it, in reply and passage order.
pub(super) type Citations = BTreeMap<String, Vec<(usize, u32)>>;

/// Links the UN document symbols in every body; gathers the citations of replies only.
pub(super) fn link_bodies(corpus: &mut Corpus, diags: &mut Diagnostics) -> Citations {
    let mut citations: Citations = BTreeMap::new();
    // Each reply on its own thread; what each finds is merged in reply order, as a loop would.
    let found: Vec<(Diagnostics, Vec<(String, u32)>)> = corpus
        .replies
        .par_iter_mut()
        .map(|reply| {
            let mut diags = Diagnostics::default();
            let mut cited = Vec::new();
            let file = reply.file.clone();
            for_each_passage_mut(&mut reply.doc, |number, line, events| {
                for sym in link_symbols(events, &file, line, &mut diags) {
                    cited.push((sym, number));
                }
            });
            (diags, cited)
        })
        .collect();
    for (ri, (reply_diags, cited)) in found.into_iter().enumerate() {
        diags.extend(reply_diags.0);
        for (sym, number) in cited {
            let list = citations.entry(sym).or_default();
            if number > 0 && list.last() != Some(&(ri, number)) {
                list.push((ri, number));
            }
        }
    }
    for page in corpus
        .concepts
        .iter_mut()
        .map(|p| (&p.file, &mut p.doc))
        .chain(corpus.pages.iter_mut().map(|p| (&p.file, &mut p.doc)))
        .chain(corpus.home.iter_mut().map(|p| (&p.file, &mut p.doc)))
    {
        let file = page.0.clone();
        for_each_passage_mut(page.1, |_, line, events| {
            link_symbols(events, &file, line, diags);
        });
    }
    citations
}

/// Calls `f(passage number or 0, line, events)` for every run of inline events in a document:
/// numbered passages, headings, footnotes and other blocks.
fn for_each_passage_mut(doc: &mut Document, mut f: impl FnMut(u32, usize, &mut Events)) {
    for block in &mut doc.blocks {
        let line = block.line;
        match &mut block.kind {
            BlockKind::Paragraph { number, events } => f(*number, line, events),
            BlockKind::List { items, .. } => {
                for item in items {
                    f(item.number, item.line, &mut item.events)
                }
            }
            BlockKind::Heading { events, .. } | BlockKind::Other { events } => f(0, line, events),
        }
    }
    // A footnote belongs to the passage that references it; find that passage.
    let refs = footnote_owners(doc);
    for note in &mut doc.footnotes {
        let owner = refs.get(&note.label).copied().unwrap_or(0);
        f(owner, note.line, &mut note.events);
    }
}

/// Footnote label → number of the passage that references it first.
pub fn footnote_owners(doc: &Document) -> BTreeMap<String, u32> {
    let mut owners = BTreeMap::new();
    for p in doc.passages() {
        for e in p.events {
            if let Event::FootnoteReference(label) = e {
                owners.entry(label.to_string()).or_insert(p.number);
            }
        }
    }
    owners
}

/// Replaces UN document symbols in the text events (outside existing links) with links to
/// them, left symbolic ([`LinkTarget::UnDocument`]). Returns the canonical symbols found, in order.
fn link_symbols(
    events: &mut Events,
    file: &Path,
    line: usize,
    diags: &mut Diagnostics,
) -> Vec<String> {
    // Concatenate the text outside links, remembering where each event starts.
    let mut text = String::new();
    let mut spans: Vec<(usize, usize, usize)> = Vec::new(); // (event index, start, end)
    let mut in_link = 0usize;
    for (i, e) in events.iter().enumerate() {
        match e {
            Event::Start(Tag::Link { .. }) => in_link += 1,
            Event::End(TagEnd::Link) => in_link = in_link.saturating_sub(1),
            Event::Text(t) if in_link == 0 => {
                spans.push((i, text.len(), text.len() + t.len()));
                text.push_str(t);
            }
            _ => {
                // A boundary between texts that are not adjacent in the sentence.
                if in_link == 0
                    && !text.ends_with('\u{1f}')
                    && matches!(e, Event::Start(_) | Event::End(_) | Event::Code(_))
                {
                    text.push('\u{1f}');
                }
            }
        }
    }
    if text.is_empty() {
        return Vec::new();
    }
    let (found, problems) = symbols::find_symbols(&text);
    for p in problems {
        diags.push(
            Diagnostic::new(
                file,
                format!(
                    "`{}` looks like a UN document symbol but does not parse: {}",
                    p.text, p.message
                ),
            )
            .at(line)
            .help(
                "correct the symbol as printed in the report, or write it so it is not read as one",
            ),
        );
    }
    if found.is_empty() {
        return Vec::new();
    }
    // Group matches by the event they fall in; a match across events is left as text.
    let mut by_event: BTreeMap<usize, Vec<(usize, usize, String)>> = BTreeMap::new();
    let mut symbols_found = Vec::new();
    for m in found {
        if let Some(&(i, s, _)) = spans.iter().find(|(_, s, e)| m.start >= *s && m.end <= *e) {
            by_event
                .entry(i)
                .or_default()
                .push((m.start - s, m.end - s, m.symbol.clone()));
            symbols_found.push(m.symbol);
        }
    }
    let mut out = Vec::with_capacity(events.len() + by_event.len() * 4);
    for (i, e) in std::mem::take(events).into_iter().enumerate() {
        match (by_event.get(&i), &e) {
            (Some(matches), Event::Text(t)) => {
                let t = t.to_string();
                let mut pos = 0;
                for (s, end, symbol) in matches {
                    if *s > pos {
                        out.push(Event::Text(CowStr::from(t[pos..*s].to_string())));
                    }
                    out.push(Event::Start(Tag::Link {
                        link_type: LinkType::Inline,
                        dest_url: CowStr::from(LinkTarget::UnDocument(symbol).to_dest()),
                        title: CowStr::Borrowed(""),
                        id: CowStr::Borrowed(""),
                    }));
                    out.push(Event::Text(CowStr::from(t[*s..*end].to_string())));
                    out.push(Event::End(TagEnd::Link));
                    pos = *end;
                }
                if pos < t.len() {
                    out.push(Event::Text(CowStr::from(t[pos..].to_string())));
                }
            }
            _ => out.push(e),
        }
    }
    *events = out;
    symbols_found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_targets_read_back_and_get_their_addresses() {
        for target in [
            LinkTarget::Site("states/x/#p3"),
            LinkTarget::UnDocument("A/75/123"),
            LinkTarget::Address("https://example.org/"),
        ] {
            assert_eq!(LinkTarget::of(&target.to_dest()), target);
        }
        assert_eq!(
            LinkTarget::of("@/states/x/#p3").href("/repo/", "zh"),
            "/repo/states/x/#p3"
        );
        assert_eq!(
            LinkTarget::of("un:A/75/123").href("/", "zh"),
            symbols::undocs_url("A/75/123", "zh")
        );
        assert_eq!(
            LinkTarget::of("/elsewhere/").href("/repo/", "zh"),
            "/elsewhere/"
        );
    }
}
