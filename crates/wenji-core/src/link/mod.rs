//! Resolve stage: turns the loaded [`Corpus`] into a [`Site`] whose pages know their URLs,
//! their concept tags (validated against the concepts that exist), the UN documents they cite
//! (linked in the text) and each other. Rendering reads a `Site` and never looks back at files.

mod claims;
mod content_links;
mod inline;
pub mod ledger;
pub mod symbols;
pub mod tags;
pub mod urls;

use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

use crate::config::{Config, Edition};
use crate::content::{BlockKind, ConceptMeta, Corpus, HomeMeta, Page, PageMeta, ReplyMeta};
use crate::error::{Diagnostic, Diagnostics};

pub use inline::{LinkTarget, footnote_owners};

/// The resolved site: everything rendering needs.
#[derive(Debug, Clone)]
pub struct Site {
    pub config: Config,
    /// The reports and languages the site holds; the first is `[report]` in `site.language`.
    pub editions: Vec<Edition>,
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
    /// Index into [`Site::editions`].
    pub edition: usize,
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

    /// The search index's layout: `site.search_layout`, by default by size.
    pub fn search_layout(&self) -> crate::config::SearchLayout {
        use crate::config::SearchLayout;
        let by_size = if self.is_large() {
            SearchLayout::Large
        } else {
            SearchLayout::Small
        };
        self.config.site.search_layout.unwrap_or(by_size)
    }

    /// Whether each passage's cite button is in the page's HTML: `site.cite_buttons_in_html`,
    /// by default below `large_site_from` (a large site's reply.js adds them).
    pub fn cite_buttons_in_html(&self) -> bool {
        self.config
            .site
            .cite_buttons_in_html
            .unwrap_or_else(|| !self.is_large())
    }

    /// Whether the scripts' interface strings are in every page: `site.strings_in_pages`, by
    /// default below `large_site_from` (a large site's pages load `assets/strings.<hash>.js`).
    pub fn strings_in_pages(&self) -> bool {
        self.config
            .site
            .strings_in_pages
            .unwrap_or_else(|| !self.is_large())
    }

    /// Whether each matrix cell carries its own label: `site.matrix_cell_labels`, by default
    /// below `large_site_from` (a large site's cells are named by the table's headers).
    pub fn matrix_cell_labels(&self) -> bool {
        self.config
            .site
            .matrix_cell_labels
            .unwrap_or_else(|| !self.is_large())
    }

    /// Whether a reply page carries its citation texts: `site.cite_text_in_html`, by default
    /// below `large_site_from` (a large site's reply.js makes them).
    pub fn cite_text_in_html(&self) -> bool {
        self.config
            .site
            .cite_text_in_html
            .unwrap_or_else(|| !self.is_large())
    }

    /// Whether the search index is written gzipped: `site.search_gzip`, by default by size.
    pub fn search_gzip(&self) -> bool {
        self.config
            .site
            .search_gzip
            .unwrap_or_else(|| self.is_large())
    }

    /// The anchor of reply `ri`'s passages on a concept page: `r-<slug>`, with the path of
    /// an edition other than the first before the slug (`r-en-france`).
    pub fn concept_anchor(&self, ri: usize) -> String {
        let r = &self.replies[ri];
        let prefix = self.editions[r.edition].path.replace('/', "-");
        format!("r-{prefix}{}", r.page.meta.slug.value)
    }

    /// What names reply `ri`'s edition beside it where replies of several editions are
    /// listed together (`A/75/123 · en`); empty on a site of one edition.
    pub fn edition_label(&self, ri: usize) -> String {
        if self.editions.len() < 2 {
            return String::new();
        }
        self.editions[self.replies[ri].edition].label()
    }

    /// The replies of edition `e`: a run of [`Site::replies`], which are in edition order.
    pub fn edition_range(&self, e: usize) -> std::ops::Range<usize> {
        let start = self.replies.partition_point(|r| r.edition < e);
        let end = self.replies.partition_point(|r| r.edition <= e);
        start..end
    }

    /// A key naming reply `ri` among all the site's replies: its slug, after its edition's
    /// path for an edition other than the first (`en/france`).
    pub fn reply_key(&self, ri: usize) -> String {
        let r = &self.replies[ri];
        format!(
            "{}{}",
            self.editions[r.edition].path, r.page.meta.slug.value
        )
    }

    pub fn concept_index(&self, slug: &str) -> Option<usize> {
        self.concepts
            .iter()
            .position(|c| c.page.meta.slug.value == slug)
    }
}

/// Resolves URLs, tags, symbols and aliases; reports every problem found, each where it is,
/// in the order of the steps below.
pub fn resolve(config: &Config, mut corpus: Corpus) -> Result<Site, Diagnostics> {
    let mut diags = Diagnostics::default();
    let sections = &config.sections;
    let editions = config.editions();
    let reply_editions = assign_editions(&editions, &mut corpus, &mut diags);
    let forms = symbols::SymbolForms::for_language(&config.site.language);
    let citations = inline::link_bodies(&mut corpus, forms, &mut diags);
    let page_urls = PageUrls::of(&corpus, sections, &editions, &reply_editions);
    let mut claims = claims::Claims::of_builtin_pages(sections);
    // each further edition's index page
    for e in editions.iter().skip(1) {
        let config_file = std::path::Path::new(crate::config::CONFIG_FILE);
        claims.claim(e.path.clone(), config_file, 0, &mut diags);
    }
    check_front_matter(config, &corpus, &page_urls, &mut claims, &mut diags);
    let redirects = claims::aliases(&corpus, &page_urls, sections, &mut claims, &mut diags);
    let pages: BTreeSet<&str> = claims.urls().collect();
    content_links::check(config, &corpus, &page_urls, pages, &redirects, &mut diags);

    let PageUrls {
        replies: replies_urls,
        concepts: concept_urls,
        pages: page_urls,
    } = page_urls;
    let (mut concepts, slug_index) = concept_tree(corpus.concepts, concept_urls, &mut diags);
    let replies = tag_replies(
        corpus.replies,
        replies_urls,
        &reply_editions,
        &slug_index,
        &mut concepts,
        &mut diags,
    );
    let pages = corpus
        .pages
        .into_iter()
        .zip(page_urls)
        .map(|(page, url)| PlainPage { page, url })
        .collect();
    let documents = citations
        .into_iter()
        .map(|(symbol, citations)| CitedDocument {
            url: symbols::undocs_url(&symbol, &config.site.language),
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
        editions,
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

/// The URL of each reply, concept and page, in corpus order.
struct PageUrls {
    replies: Vec<String>,
    concepts: Vec<String>,
    pages: Vec<String>,
}

impl PageUrls {
    fn of(
        corpus: &Corpus,
        sections: &crate::config::Sections,
        editions: &[Edition],
        reply_editions: &[usize],
    ) -> PageUrls {
        PageUrls {
            replies: corpus
                .replies
                .iter()
                .zip(reply_editions)
                .map(|(r, &e)| {
                    format!(
                        "{}{}",
                        editions[e].path,
                        urls::reply(sections, &r.meta.slug.value)
                    )
                })
                .collect(),
            concepts: corpus
                .concepts
                .iter()
                .map(|c| urls::concept(sections, &c.meta.slug.value))
                .collect(),
            pages: corpus
                .pages
                .iter()
                .map(|p| urls::page(&p.meta.slug.value))
                .collect(),
        }
    }
}

/// The edition of each reply, by its `report` and `language` (by default the first
/// edition's); the replies are put in edition order, keeping their order within each, so
/// each edition's replies are together and the first edition's come first.
fn assign_editions(
    editions: &[Edition],
    corpus: &mut Corpus,
    diags: &mut Diagnostics,
) -> Vec<usize> {
    let mut of = Vec::with_capacity(corpus.replies.len());
    for r in &corpus.replies {
        let symbol = r.meta.report.as_ref().map(|s| s.value.as_str());
        let language = r.meta.language.as_ref().map(|s| s.value.as_str());
        let symbol = symbol.unwrap_or(&editions[0].report.symbol);
        let language = language.unwrap_or(&editions[0].language);
        match editions
            .iter()
            .position(|e| e.report.symbol == symbol && e.language == language)
        {
            Some(e) => of.push(e),
            None => {
                let at = r.meta.report.as_ref().or(r.meta.language.as_ref());
                let mut d = Diagnostic::new(
                    &r.file,
                    format!("no edition of the site is report `{symbol}` in language `{language}`"),
                );
                if let Some(at) = at {
                    d = d.at(r.yaml_to_file_line(&at.referenced));
                }
                let known: Vec<String> = editions
                    .iter()
                    .map(|e| format!("{} {}", e.report.symbol, e.language))
                    .collect();
                diags.push(d.help(format!(
                    "use the `report` and `language` of an edition of wenji.toml ({}), or add an [[editions]] entry",
                    known.join(", ")
                )));
                of.push(0);
            }
        }
    }
    if editions.len() > 1 {
        let mut paired: Vec<_> = std::mem::take(&mut corpus.replies)
            .into_iter()
            .zip(of)
            .collect();
        paired.sort_by_key(|(_, e)| *e);
        let (replies, sorted): (Vec<_>, Vec<_>) = paired.into_iter().unzip();
        corpus.replies = replies;
        of = sorted;
    }
    of
}

/// A reply's region is one of `[regions]` and its `received` date is a date.
fn check_reply_values(config: &Config, r: &Page<ReplyMeta>, diags: &mut Diagnostics) {
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

/// Slugs, regions and dates of the front matter; each page claims its URL.
fn check_front_matter(
    config: &Config,
    corpus: &Corpus,
    page_urls: &PageUrls,
    claims: &mut claims::Claims,
    diags: &mut Diagnostics,
) {
    for (r, url) in corpus.replies.iter().zip(&page_urls.replies) {
        claims::check_slug(&r.file, &r.meta.slug, r.yaml_line, diags);
        let line = r.yaml_to_file_line(&r.meta.slug.referenced);
        claims.claim(url.clone(), &r.file, line, diags);
        check_reply_values(config, r, diags);
    }
    for (c, url) in corpus.concepts.iter().zip(&page_urls.concepts) {
        claims::check_slug(&c.file, &c.meta.slug, c.yaml_line, diags);
        let line = c.yaml_to_file_line(&c.meta.slug.referenced);
        claims.claim(url.clone(), &c.file, line, diags);
    }
    for (p, url) in corpus.pages.iter().zip(&page_urls.pages) {
        claims::check_slug(&p.file, &p.meta.slug, p.yaml_line, diags);
        let line = p.yaml_to_file_line(&p.meta.slug.referenced);
        claims.claim(url.clone(), &p.file, line, diags);
    }
}

/// The concept tree: each concept's parent (by slug) and children. Returns the concepts and
/// slug → index.
fn concept_tree(
    pages: Vec<Page<ConceptMeta>>,
    urls: Vec<String>,
    diags: &mut Diagnostics,
) -> (Vec<Concept>, BTreeMap<String, usize>) {
    let slug_index: BTreeMap<String, usize> = pages
        .iter()
        .enumerate()
        .map(|(i, c)| (c.meta.slug.value.clone(), i))
        .collect();
    let mut concepts: Vec<Concept> = pages
        .into_iter()
        .zip(urls)
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
    (concepts, slug_index)
}

/// Each reply's concept tags and sections; each concept learns the passages tagged with it.
fn tag_replies(
    pages: Vec<Page<ReplyMeta>>,
    urls: Vec<String>,
    editions: &[usize],
    slug_index: &BTreeMap<String, usize>,
    concepts: &mut [Concept],
    diags: &mut Diagnostics,
) -> Vec<Reply> {
    // Each reply on its own thread (one after another this was 0.3 s at 10,000 replies),
    // merged in reply order as a loop would.
    let per_reply: Vec<_> = pages
        .par_iter()
        .map(|page| {
            let mut reply_diags = Diagnostics::default();
            let resolved = tags::resolve_tags(page, slug_index, &mut reply_diags);
            (reply_diags, resolved, sections_of(page))
        })
        .collect();
    let mut replies = Vec::new();
    for (ri, ((page, url), (reply_diags, resolved, (section_of, section_id_of)))) in
        pages.into_iter().zip(urls).zip(per_reply).enumerate()
    {
        diags.extend(reply_diags.0);
        for (&ci, numbers) in &resolved.by_concept {
            concepts[ci]
                .passages
                .push((ri, numbers.iter().copied().collect()));
        }
        let addressed = addressed(&resolved, concepts);
        replies.push(Reply {
            page,
            url,
            edition: editions[ri],
            passage_concepts: resolved.by_passage,
            heading_concepts: resolved.by_heading,
            concepts: addressed,
            section_of,
            section_id_of,
        });
    }
    replies
}

/// Puts a newly loaded version of reply `ri` in its place, re-resolved as [`resolve`] would
/// resolve it: its symbols linked, its tags and sections, and its passages on each concept.
/// For `wenji serve`'s preview of one edited reply: refused (nothing changed) when the edit
/// moves the reply or its URLs (slug, order, aliases), or when the reply has a problem, for
/// the full build to report. What no reply page shows is left as it was: `documents`,
/// `input_bytes` and links to other pages, which the full build checks.
pub fn replace_reply(
    site: &mut Site,
    ri: usize,
    mut page: Page<ReplyMeta>,
) -> Result<(), Diagnostics> {
    let mut diags = Diagnostics::default();
    if !same_place(&site.replies[ri].page, &page) {
        diags.push(Diagnostic::new(
            &page.file,
            "the edit changes the reply's slug, order or aliases",
        ));
        return Err(diags);
    }
    let forms = symbols::SymbolForms::for_language(&site.config.site.language);
    inline::link_reply(&mut page.doc, &page.file.clone(), forms, &mut diags);
    check_reply_values(&site.config, &page, &mut diags);
    let slug_index: BTreeMap<String, usize> = site
        .concepts
        .iter()
        .enumerate()
        .map(|(i, c)| (c.page.meta.slug.value.clone(), i))
        .collect();
    let resolved = tags::resolve_tags(&page, &slug_index, &mut diags);
    if !diags.is_empty() {
        return Err(diags);
    }
    for (ci, c) in site.concepts.iter_mut().enumerate() {
        let at = c.passages.partition_point(|(r, _)| *r < ri);
        if c.passages.get(at).is_some_and(|(r, _)| *r == ri) {
            c.passages.remove(at);
        }
        if let Some(numbers) = resolved.by_concept.get(&ci) {
            c.passages
                .insert(at, (ri, numbers.iter().copied().collect()));
        }
    }
    let addressed = addressed(&resolved, &site.concepts);
    let (section_of, section_id_of) = sections_of(&page);
    let reply = &mut site.replies[ri];
    reply.page = page;
    reply.passage_concepts = resolved.by_passage;
    reply.heading_concepts = resolved.by_heading;
    reply.concepts = addressed;
    reply.section_of = section_of;
    reply.section_id_of = section_id_of;
    Ok(())
}

/// The concepts a reply's tags address, in the concepts' order.
fn addressed(resolved: &tags::ResolvedTags, concepts: &[Concept]) -> Vec<usize> {
    let mut addressed: Vec<usize> = resolved.by_concept.keys().copied().collect();
    addressed.sort_by_key(|&c| (concepts[c].page.meta.order, c));
    addressed
}

/// Whether two versions of a reply file stand at the same place in the site: same file,
/// slug, order and aliases, so the same index, URL and redirects.
pub fn same_place(old: &Page<ReplyMeta>, new: &Page<ReplyMeta>) -> bool {
    let value = |s: &Option<serde_saphyr::Spanned<String>>| s.as_ref().map(|s| s.value.clone());
    old.file == new.file
        && old.meta.slug.value == new.meta.slug.value
        && value(&old.meta.report) == value(&new.meta.report)
        && value(&old.meta.language) == value(&new.meta.language)
        && old.meta.order == new.meta.order
        && old
            .meta
            .aliases
            .iter()
            .map(|a| &a.value)
            .eq(new.meta.aliases.iter().map(|a| &a.value))
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
