//! Resolve stage: turns the loaded [`Corpus`] into a [`Site`] whose pages know their URLs,
//! their concept tags (validated against the concepts that exist), the UN documents they cite
//! (linked in the text) and each other. Rendering reads a `Site` and never looks back at files.

pub mod ledger;
pub mod symbols;
pub mod tags;
pub mod urls;

use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

use crate::config::Config;
use crate::content::{BlockKind, ConceptMeta, Corpus, Events, HomeMeta, Page, PageMeta, ReplyMeta};
use crate::error::{Diagnostic, Diagnostics};

/// The resolved site: everything rendering needs.
#[derive(Debug, Clone)]
pub struct Site {
    pub config: Config,
    pub home: Option<Page<HomeMeta>>,
    pub replies: Vec<Reply>,
    pub concepts: Vec<Concept>,
    pub pages: Vec<PlainPage>,
    /// Every UN document cited by a reply, sorted by symbol.
    pub documents: Vec<CitedDocument>,
    /// Alias path → target path (with no fragment); rendered as redirect pages.
    pub redirects: BTreeMap<String, String>,
    /// Page path → anchor → target path with its anchor: the ledger's fragment aliases,
    /// carried out by the page's script (a fragment never reaches the server).
    pub fragment_aliases: BTreeMap<String, BTreeMap<String, String>>,
    pub input_bytes: u64,
}

#[derive(Debug, Clone)]
pub struct Reply {
    pub page: Page<ReplyMeta>,
    pub url: String,
    /// Passage number → indices into `Site::concepts`, sorted.
    pub passage_concepts: BTreeMap<u32, Vec<usize>>,
    /// Heading id → concepts tagged on that heading.
    pub heading_concepts: BTreeMap<String, Vec<usize>>,
    /// Every concept the reply addresses, sorted by concept order.
    pub concepts: Vec<usize>,
    /// Passage number → the plain text of the heading it stands under ("" before any).
    pub section_of: BTreeMap<u32, String>,
    /// Passage number → the id of the heading it stands under.
    pub section_id_of: BTreeMap<u32, String>,
}

#[derive(Debug, Clone)]
pub struct Concept {
    pub page: Page<ConceptMeta>,
    pub url: String,
    pub parent: Option<usize>,
    pub children: Vec<usize>,
    /// (reply index, its passage numbers on this concept), in reply order.
    pub passages: Vec<(usize, Vec<u32>)>,
}

#[derive(Debug, Clone)]
pub struct PlainPage {
    pub page: Page<PageMeta>,
    pub url: String,
}

#[derive(Debug, Clone)]
pub struct CitedDocument {
    pub symbol: String,
    pub url: String,
    pub description: &'static str,
    /// (reply index, passage number), in reply and passage order.
    pub citations: Vec<(usize, u32)>,
}

impl Site {
    /// Whether the site is written in its large-site form (`site.large_site_from`).
    pub fn is_large(&self) -> bool {
        self.replies.len() >= self.config.site.large_site_from
    }

    pub fn concept_index(&self, slug: &str) -> Option<usize> {
        self.concepts
            .iter()
            .position(|c| c.page.meta.slug.value == slug)
    }
}

/// Resolves URLs, tags, symbols and aliases; reports every problem found.
pub fn resolve(config: &Config, mut corpus: Corpus) -> Result<Site, Diagnostics> {
    let mut diags = Diagnostics::default();
    let sections = &config.sections;
    // URL → the file that claims it, to catch two pages on one URL.
    let mut claimed: BTreeMap<String, (std::path::PathBuf, usize)> = BTreeMap::new();
    for fixed in [
        urls::home(),
        urls::replies(sections),
        urls::concepts(sections),
        urls::documents(sections),
        urls::matrix(sections),
        urls::search(sections),
        urls::data(sections),
    ] {
        claimed.insert(
            fixed,
            (std::path::PathBuf::from("a page wenji builds itself"), 0),
        );
    }
    // The claimed URLs in lower case, to find one that differs only in case without a scan.
    let mut claimed_lower: BTreeMap<String, String> = claimed
        .keys()
        .map(|u| (u.to_ascii_lowercase(), u.clone()))
        .collect();
    let mut claim = |url: String, file: &std::path::Path, line: usize, diags: &mut Diagnostics| {
        // On a case-insensitive file system (macOS, Windows) `Old/` and `old/` are one folder.
        let same_but_case = || {
            let u = claimed_lower.get(&url.to_ascii_lowercase())?;
            claimed.get(u).map(|(f, _)| (u.clone(), f.clone()))
        };
        if let Some((other, _)) = claimed.get(&url) {
            diags.push(
                Diagnostic::new(
                    file,
                    format!("the URL /{url} is already the URL of {}", other.display()),
                )
                .at(line)
                .help("give one of the two another slug (or remove the alias)"),
            );
        } else if let Some((other_url, other)) = same_but_case() {
            diags.push(
                Diagnostic::new(
                    file,
                    format!(
                        "the URL /{url} differs only in case from /{other_url}, the URL of {}",
                        other.display()
                    ),
                )
                .at(line)
                .help("on macOS and Windows the two are one file; write the alias in lowercase"),
            );
        } else {
            claimed_lower.insert(url.to_ascii_lowercase(), url.clone());
            claimed.insert(url, (file.to_path_buf(), line));
        }
    };

    let check_slug = |file: &std::path::Path,
                      slug: &serde_saphyr::Spanned<String>,
                      yaml_line: usize,
                      diags: &mut Diagnostics| {
        if !urls::valid_slug(&slug.value) {
            diags.push(
                Diagnostic::new(
                    file,
                    format!("slug `{}` is not allowed", slug.value.escape_debug()),
                )
                .at(yaml_line + slug.referenced.line() as usize - 1)
                .help(
                    "use lowercase ASCII letters, digits and hyphens: it becomes one URL segment",
                ),
            );
        }
    };

    // Site links and symbols in every body; citations from replies only.
    let base = config.base_path();
    let mut citations: BTreeMap<String, Vec<(usize, u32)>> = BTreeMap::new();
    // Each reply on its own thread; what each finds is merged in reply order, as a loop would.
    let found: Vec<(Diagnostics, Vec<(String, u32)>)> = corpus
        .replies
        .par_iter_mut()
        .map(|reply| {
            let mut diags = Diagnostics::default();
            let mut cited = Vec::new();
            let file = reply.file.clone();
            for_each_passage_mut(&mut reply.doc, |number, line, events| {
                resolve_site_links(events, &base);
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
            resolve_site_links(events, &base);
            link_symbols(events, &file, line, &mut diags);
        });
    }

    let replies_urls: Vec<String> = corpus
        .replies
        .iter()
        .map(|r| urls::reply(sections, &r.meta.slug.value))
        .collect();
    for (r, url) in corpus.replies.iter().zip(&replies_urls) {
        check_slug(&r.file, &r.meta.slug, r.yaml_line, &mut diags);
        claim(
            url.clone(),
            &r.file,
            r.yaml_to_file_line(&r.meta.slug.referenced),
            &mut diags,
        );
        if let Some(region) = &r.meta.region
            && !config.regions.contains_key(&region.value)
        {
            diags.push(
                Diagnostic::new(&r.file, format!("unknown region `{}`", region.value))
                    .at(r.yaml_to_file_line(&region.referenced))
                    .help(format!(
                        "use one of the [regions] keys in wenji.toml: {}",
                        config
                            .regions
                            .keys()
                            .cloned()
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
            );
        }
        if !valid_iso_date(&r.meta.received.value) {
            diags.push(
                Diagnostic::new(
                    &r.file,
                    format!("`received: {}` is not a date", r.meta.received.value),
                )
                .at(r.yaml_to_file_line(&r.meta.received.referenced))
                .help("write it as YYYY-MM-DD"),
            );
        }
    }
    let concept_urls: Vec<String> = corpus
        .concepts
        .iter()
        .map(|c| urls::concept(sections, &c.meta.slug.value))
        .collect();
    for (c, url) in corpus.concepts.iter().zip(&concept_urls) {
        check_slug(&c.file, &c.meta.slug, c.yaml_line, &mut diags);
        claim(
            url.clone(),
            &c.file,
            c.yaml_to_file_line(&c.meta.slug.referenced),
            &mut diags,
        );
    }
    let page_urls: Vec<String> = corpus
        .pages
        .iter()
        .map(|p| urls::page(&p.meta.slug.value))
        .collect();
    for (p, url) in corpus.pages.iter().zip(&page_urls) {
        check_slug(&p.file, &p.meta.slug, p.yaml_line, &mut diags);
        claim(
            url.clone(),
            &p.file,
            p.yaml_to_file_line(&p.meta.slug.referenced),
            &mut diags,
        );
    }

    // Aliases: redirect pages; they may not collide with pages or each other.
    let mut redirects = BTreeMap::new();
    let alias_sources = corpus
        .replies
        .iter()
        .zip(&replies_urls)
        .map(|(r, u)| (&r.file, r.yaml_line, &r.meta.aliases, u))
        .chain(
            corpus
                .concepts
                .iter()
                .zip(&concept_urls)
                .map(|(c, u)| (&c.file, c.yaml_line, &c.meta.aliases, u)),
        )
        .chain(
            corpus
                .pages
                .iter()
                .zip(&page_urls)
                .map(|(p, u)| (&p.file, p.yaml_line, &p.meta.aliases, u)),
        );
    let own = OwnFiles::new(sections, &replies_urls);
    for (file, yaml_line, aliases, target) in alias_sources {
        for alias in aliases {
            let line = yaml_line + alias.referenced.line() as usize - 1;
            match urls::normalize_alias(&alias.value) {
                Some(path) if let Some(message) = own.conflict(&path) => {
                    diags.push(
                        Diagnostic::new(file, message)
                            .at(line)
                            .help("choose another alias: wenji writes its own files there"),
                    );
                }
                Some(path) => {
                    claim(path.clone(), file, line, &mut diags);
                    redirects.insert(path, target.clone());
                }
                None if alias.value.contains('#') => diags.push(
                    Diagnostic::new(file, format!("alias `{}` names an anchor: a page alias is a path, and GitHub Pages cannot redirect a fragment", alias.value.escape_debug()))
                        .at(line)
                        .help(format!("send the old anchor to where its words are now with a fragment alias in the ledger: `wenji ledger --move '{}' --to '#pN'` (docs/ledger.md)", alias.value.escape_debug())),
                ),
                None => diags.push(
                    Diagnostic::new(file, format!("alias `{}` is not a safe site path", alias.value.escape_debug()))
                        .at(line)
                        .help("write it as /old/path/ with letters, digits, `-`, `_` and `.`; no `..`, `\\`, NUL or host"),
                ),
            }
        }
    }

    // Links written in content to pages of the site, checked here where the file and line are
    // known (the output link check would name only the built page).
    {
        let pages: BTreeSet<&str> = claimed.keys().map(String::as_str).collect();
        let reply_anchors: BTreeMap<&str, (u32, BTreeSet<&str>)> = corpus
            .replies
            .iter()
            .zip(&replies_urls)
            .map(|(r, u)| {
                let ids = r.doc.heading_ids().collect();
                (u.as_str(), (r.doc.paragraph_count(), ids))
            })
            .collect();
        let base = config.base_path();
        let docs = corpus
            .replies
            .iter()
            .map(|p| (&p.file, &p.doc))
            .chain(corpus.concepts.iter().map(|p| (&p.file, &p.doc)))
            .chain(corpus.pages.iter().map(|p| (&p.file, &p.doc)))
            .chain(corpus.home.iter().map(|p| (&p.file, &p.doc)));
        // A concept's `wording_from: slug#pN` is a link too.
        for c in &corpus.concepts {
            let Some(w) = &c.meta.wording_from else {
                continue;
            };
            let link = w.value.split_once('#').and_then(|(slug, anchor)| {
                let i = corpus
                    .replies
                    .iter()
                    .position(|r| r.meta.slug.value == slug)?;
                Some(format!("{base}{}#{anchor}", replies_urls[i]))
            });
            let problem = match &link {
                Some(link) => check_content_link(link, &base, &pages, &reply_anchors),
                None => Some("is not the slug of a reply and a paragraph".to_string()),
            };
            // A renamed reply: its old slug is an alias now; say which slug to write.
            let renamed = w.value.split_once('#').and_then(|(slug, anchor)| {
                let target = redirects.get(&urls::reply(sections, slug))?;
                let i = replies_urls.iter().position(|u| u == target)?;
                Some((
                    slug,
                    format!("{}#{anchor}", corpus.replies[i].meta.slug.value),
                ))
            });
            if let Some(problem) = problem {
                let d = Diagnostic::new(&c.file, format!("`wording_from: {}` {problem}", w.value))
                    .at(c.yaml_to_file_line(&w.referenced));
                diags.push(match renamed {
                    Some((old, new)) => d.help(format!(
                        "the reply `{old}` was renamed (its old URL is an alias): write `{new}`"
                    )),
                    None => {
                        d.help("write the slug of a reply and the paragraph, e.g. `borduria#p1`")
                    }
                });
            }
        }
        for (file, doc) in docs {
            for (line, dest) in content_links(doc) {
                if let Some(problem) = check_content_link(&dest, &base, &pages, &reply_anchors) {
                    diags.push(
                        Diagnostic::new(file, format!("the link `{dest}` {problem}"))
                            .at(line)
                            .help("correct the link: pages are /<section>/<slug>/, paragraphs #pN, headings #sN or their {#id}"),
                    );
                }
            }
        }
    }

    // Concepts: parents and children.
    let slug_index: BTreeMap<String, usize> = corpus
        .concepts
        .iter()
        .enumerate()
        .map(|(i, c)| (c.meta.slug.value.clone(), i))
        .collect();
    let mut concepts: Vec<Concept> = corpus
        .concepts
        .into_iter()
        .zip(concept_urls)
        .map(|(page, url)| Concept {
            page,
            url,
            parent: None,
            children: Vec::new(),
            passages: Vec::new(),
        })
        .collect();
    for i in 0..concepts.len() {
        if let Some(parent) = concepts[i].page.meta.parent.clone() {
            match slug_index.get(&parent.value) {
                Some(&p) if p != i => {
                    concepts[i].parent = Some(p);
                    concepts[p].children.push(i);
                }
                found => diags.push(
                    Diagnostic::new(
                        &concepts[i].page.file,
                        if found.is_some() {
                            format!("the concept names itself as its parent `{}`", parent.value)
                        } else {
                            format!("unknown parent concept `{}`", parent.value)
                        },
                    )
                    .at(concepts[i].page.yaml_to_file_line(&parent.referenced))
                    .help("name the slug of another concept file"),
                ),
            }
        }
    }

    // Replies: sections and tags, each reply on its own thread (one after another this was
    // 0.3 s at 10,000 replies), merged in reply order as a loop would.
    let per_reply: Vec<_> = corpus
        .replies
        .par_iter()
        .map(|page| {
            let mut reply_diags = Diagnostics::default();
            let resolved = tags::resolve_tags(page, &slug_index, &mut reply_diags);
            (reply_diags, resolved, sections_of(page))
        })
        .collect();
    let mut replies = Vec::new();
    for (ri, ((page, url), (reply_diags, resolved, (section_of, section_id_of)))) in corpus
        .replies
        .into_iter()
        .zip(replies_urls)
        .zip(per_reply)
        .enumerate()
    {
        diags.extend(reply_diags.0);
        for (&ci, numbers) in &resolved.by_concept {
            concepts[ci]
                .passages
                .push((ri, numbers.iter().copied().collect()));
        }
        let mut addressed: Vec<usize> = resolved.by_concept.keys().copied().collect();
        addressed.sort_by_key(|&c| (concepts[c].page.meta.order, c));
        replies.push(Reply {
            page,
            url,
            passage_concepts: resolved.by_passage,
            heading_concepts: resolved.by_heading,
            concepts: addressed,
            section_of,
            section_id_of,
        });
    }

    let pages = corpus
        .pages
        .into_iter()
        .zip(page_urls)
        .map(|(page, url)| PlainPage { page, url })
        .collect();
    let documents = citations
        .into_iter()
        .map(|(symbol, citations)| CitedDocument {
            url: symbols::undocs_url(&symbol),
            description: symbols::describe(&symbol),
            symbol,
            citations,
        })
        .collect();

    if !diags.is_empty() {
        return Err(diags);
    }
    Ok(Site {
        config: config.clone(),
        home: corpus.home,
        replies,
        concepts,
        pages,
        documents,
        redirects,
        fragment_aliases: BTreeMap::new(),
        input_bytes: corpus.input_bytes,
    })
}

fn valid_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && s.chars()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        && (1..=12).contains(&s[5..7].parse::<u32>().unwrap_or(0))
        && (1..=31).contains(&s[8..10].parse::<u32>().unwrap_or(0))
}

/// Calls `f(passage number or 0, line, events)` for every run of inline events in a document:
/// numbered passages, headings, footnotes and other blocks.
fn for_each_passage_mut(
    doc: &mut crate::content::Document,
    mut f: impl FnMut(u32, usize, &mut Events),
) {
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
pub fn footnote_owners(doc: &crate::content::Document) -> BTreeMap<String, u32> {
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

/// Links written `@/path/#anchor` in content are site paths: they get the base path, so they
/// work wherever the site is published (and the link check then verifies them).
fn resolve_site_links(events: &mut Events, base: &str) {
    for e in events.iter_mut() {
        if let Event::Start(Tag::Link { dest_url, .. }) = e
            && let Some(rest) = dest_url.strip_prefix("@/")
        {
            *dest_url = CowStr::from(format!("{base}{rest}"));
        }
    }
}

/// Replaces UN document symbols in the text events (outside existing links) with links to
/// their stable addresses. Returns the canonical symbols found, in order.
fn link_symbols(
    events: &mut Events,
    file: &std::path::Path,
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
                        dest_url: CowStr::from(symbols::undocs_url(symbol)),
                        title: CowStr::from(symbol.clone()),
                        id: CowStr::from("un-symbol"),
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

/// (line, target) of every link and image in a document, in order.
fn content_links(doc: &crate::content::Document) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut push = |line: usize, events: &Events| {
        for e in events {
            if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = e {
                out.push((line, dest_url.to_string()));
            }
        }
    };
    for block in &doc.blocks {
        match &block.kind {
            BlockKind::Paragraph { events, .. }
            | BlockKind::Heading { events, .. }
            | BlockKind::Other { events } => push(block.line, events),
            BlockKind::List { items, .. } => {
                for item in items {
                    push(item.line, &item.events)
                }
            }
        }
    }
    for note in &doc.footnotes {
        push(note.line, &note.events);
    }
    out
}

/// What is wrong with a link from content to a page of the site, if anything. Only links to
/// pages (paths ending in `/`) under the base path are judged here, and of their fragments
/// only paragraph and numbered-heading anchors of replies; the output link check sees the rest.
fn check_content_link(
    dest: &str,
    base: &str,
    pages: &BTreeSet<&str>,
    reply_anchors: &BTreeMap<&str, (u32, BTreeSet<&str>)>,
) -> Option<String> {
    if dest.starts_with("//") {
        return None;
    }
    let rest = dest.strip_prefix(base)?;
    let (path, fragment) = rest.split_once('#').unwrap_or((rest, ""));
    let path = path.split('?').next().unwrap_or("");
    if !(path.is_empty() || path.ends_with('/')) {
        return None;
    }
    if !pages.contains(path) {
        return Some(format!(
            "points to {base}{path}, which is not a page of the site"
        ));
    }
    let (count, headings) = reply_anchors.get(path)?;
    let numbered = |prefix: char| {
        fragment
            .strip_prefix(prefix)
            .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            .map(|n| n.parse::<u64>().unwrap_or(u64::MAX))
    };
    match (numbered('p'), numbered('s')) {
        (Some(n), _) if n == 0 || n > u64::from(*count) => Some(format!(
            "points to paragraph {n} of {base}{path}, which has {count} paragraphs"
        )),
        (_, Some(_)) if !headings.contains(fragment) => Some(format!(
            "points to heading #{fragment} of {base}{path}, which has no such heading"
        )),
        _ => None,
    }
}

/// Passage number → (heading text, heading id) of the nearest heading before it.
fn sections_of(page: &Page<ReplyMeta>) -> (BTreeMap<u32, String>, BTreeMap<u32, String>) {
    let mut text_of = BTreeMap::new();
    let mut id_of = BTreeMap::new();
    let mut current = (String::new(), String::new());
    for block in &page.doc.blocks {
        match &block.kind {
            BlockKind::Heading { id, events, .. } => {
                current = (crate::content::markdown::plain_text(events), id.clone())
            }
            BlockKind::Paragraph { number, .. } => {
                text_of.insert(*number, current.0.clone());
                id_of.insert(*number, current.1.clone());
            }
            BlockKind::List { items, .. } => {
                for it in items {
                    text_of.insert(it.number, current.0.clone());
                    id_of.insert(it.number, current.1.clone());
                }
            }
            BlockKind::Other { .. } => {}
        }
    }
    (text_of, id_of)
}

/// All anchors a reply page has: paragraphs and headings.
pub fn reply_anchors(reply: &Reply) -> BTreeSet<String> {
    let doc = &reply.page.doc;
    let mut set: BTreeSet<String> = doc
        .passages()
        .iter()
        .map(|p| urls::para_anchor(p.number))
        .collect();
    set.extend(doc.heading_ids().map(str::to_string));
    set
}

/// The files wenji writes besides pages, which an alias (a folder with an `index.html`) must
/// not take as its folder, or as a folder above it: the write would fail late, naming no alias.
struct OwnFiles {
    /// Folders of wenji's own files (open data, search index, assets).
    dirs: Vec<String>,
    /// Single files (sitemap, robots.txt, each reply's citation files).
    files: BTreeSet<String>,
}

impl OwnFiles {
    fn new(sections: &crate::config::Sections, replies_urls: &[String]) -> OwnFiles {
        let dirs = vec![
            urls::data(sections),
            urls::search(sections),
            "search/".to_string(),
            format!("{}/", crate::render::assets::ASSETS_DIR),
        ];
        let mut files: BTreeSet<String> = ["sitemap.xml", "robots.txt", "CNAME", "404.html"]
            .into_iter()
            .map(String::from)
            .collect();
        for url in replies_urls {
            for name in ["cite.json", "cite.bib", "cite.ris"] {
                files.insert(format!("{url}{name}"));
            }
        }
        OwnFiles { dirs, files }
    }

    /// Why the alias `path` (`a/b/`) cannot be, if it cannot.
    fn conflict(&self, path: &str) -> Option<String> {
        if let Some(dir) = self
            .dirs
            .iter()
            .find(|d| path.starts_with(d.as_str()) && path != *d)
        {
            return Some(format!(
                "the alias /{path} is inside /{dir}, where wenji writes its own files"
            ));
        }
        path.match_indices('/')
            .map(|(i, _)| &path[..i])
            .find(|p| self.files.contains(*p))
            .map(|f| format!("the alias /{path} takes the path of /{f}, a file wenji writes"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_links_to_missing_pages_and_paragraphs_are_found() {
        let pages: BTreeSet<&str> = ["", "states/x/", "about/"].into_iter().collect();
        let anchors: BTreeMap<&str, (u32, BTreeSet<&str>)> =
            [("states/x/", (3, ["s1", "law"].into_iter().collect()))]
                .into_iter()
                .collect();
        let check = |d: &str| check_content_link(d, "/", &pages, &anchors);
        for ok in [
            "/",
            "/about/",
            "/states/x/#p3",
            "/states/x/#s1",
            "/states/x/#law",
            "/states/x/#fn-1",
            "/data/x.csv",
            "https://example.org/nope/",
            "//host/nope/",
            "nope/",
            "#p99",
        ] {
            assert_eq!(check(ok), None, "{ok}");
        }
        for bad in [
            "/nope/",
            "/states/y/",
            "/states/x/#p4",
            "/states/x/#p0",
            "/states/x/#p99999999999999999999",
            "/states/x/#s2",
        ] {
            assert!(check(bad).is_some(), "{bad}");
        }
    }
}
