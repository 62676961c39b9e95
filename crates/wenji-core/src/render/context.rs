//! The Tera context of every page. Templates see plain data: strings, numbers, lists and
//! pre-rendered HTML fragments marked with a `_html` suffix (to be printed with `| safe`).
//! Every context is made of serde structs (and sorted maps), so a misspelt key is a compile
//! error; so is the data handed on to scripts as JSON (the JSON-LD, the 404 page's
//! suggestions).

use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;

use tera::Context;

use crate::error::Diagnostic;
use crate::link::{Site, urls};
use crate::render::AssetMap;
use crate::render::body::{self, Words};
use crate::render::kinds::PageAt;

/// Interface strings the pages' scripts need, passed as a JSON data block.
const SCRIPT_STRINGS: &[&str] = &[
    "search_no_results",
    "search_results_count",
    "search_loading",
    "search_error",
    "search_section",
    "search_results_count_more",
    "search_all_results",
    "search_more_results",
    "search_results_label",
    "search_hits_count",
    "search_hits_at_least",
    "search_no_hits",
    "search_partial_label",
    "search_pages_label",
    "search_group_count",
    "search_overview_label",
    "search_filter_edition",
    "search_filter_region",
    "search_filter_reply",
    "search_filter_concept",
    "search_filter_all",
    "cite",
    "cite_copied",
    "cite_copy_failed",
    "cite_zh",
    "cite_en",
    "close",
    "compare_all",
];

/// The strings the citation texts are made of, for reply.js when the pages do not carry them.
const CITE_FORMATS: [&str; 4] = [
    "cite_format_zh",
    "cite_format_en",
    "cite_para_zh",
    "cite_para_en",
];

/// Fills `{key}` placeholders.
pub fn fill_placeholders(template: &str, pairs: &[(&str, &str)]) -> String {
    let mut s = template.to_string();
    for (k, v) in pairs {
        s = s.replace(&format!("{{{k}}}"), v);
    }
    s
}

/// What every page's context holds, made once per build. Tera values share their lists and
/// maps (`Arc`), so putting one into a page's context is a cheap clone, where inserting a
/// `serde_json` value converts it anew for every page.
struct Common<'a> {
    site: &'a Site,
    base: String,
    report: tera::Value,
    assets: tera::Value,
    urls: tera::Value,
    search_url: tera::Value,
    /// What differs by the page's language: the first is `site.language`'s, then one for
    /// each other language of the site's editions.
    langs: Vec<LangParts<'a>>,
}

/// The parts of [`Common`] in one language.
struct LangParts<'a> {
    language: &'a str,
    site_json: tera::Value,
    strings: tera::Value,
    /// Its scripts' strings: in the page, or the address of their file ([`script_strings`]).
    scripts: (tera::Value, tera::Value),
    /// The folder of its search index, base-relative (`<html data-search>`), and its search
    /// page: the site's own language keeps `[sections] search`, another its index folder.
    search_folder: String,
    search_url: tera::Value,
    /// The navigation with each of its items marked current, and with none (key "").
    navs: Vec<(&'a str, tera::Value)>,
}

impl<'a> Common<'a> {
    fn new(site: &'a Site, assets: &AssetMap) -> Self {
        let base = site.config.base_path();
        let asset_urls: BTreeMap<&str, String> = assets
            .paths
            .iter()
            .map(|(k, v)| (k.as_str(), format!("{base}{v}")))
            .collect();
        let c = &site.config;
        let s = &c.sections;
        let b = &base;
        let mut common = Common {
            site,
            report: tera::Value::from_serializable(&c.report),
            assets: tera::Value::from_serializable(&asset_urls),
            urls: tera::Value::from_serializable(&SectionUrls {
                home: b.clone(),
                replies: format!("{b}{}", urls::replies(s)),
                concepts: format!("{b}{}", urls::concepts(s)),
                matrix: format!("{b}{}", urls::matrix(s)),
                documents: format!("{b}{}", urls::documents(s)),
                data: format!("{b}{}", urls::data(s)),
                search: format!("{b}{}", urls::search(s)),
            }),
            search_url: tera::Value::from_serializable(&format!("{b}{}", urls::search(s))),
            langs: Vec::new(),
            base,
        };
        common.langs = site_languages(site)
            .into_iter()
            .map(|l| common.lang_parts(l))
            .collect();
        common
    }

    fn lang_parts(&self, language: &'a str) -> LangParts<'a> {
        let site = self.site;
        let c = &site.config;
        let strings = c.strings_in(language);
        // the scripts' strings of its first edition (a page of no edition is of none other)
        let first = site.editions.iter().position(|e| e.language == language);
        let other = c
            .languages
            .get(language)
            .filter(|_| language != c.site.language);
        let nav_keys = std::iter::once("")
            .chain(crate::render::kinds::nav_kinds().map(|(kind, _)| kind.name))
            .chain(nav_pages(site).map(|p| p.page.meta.slug.value.as_str()));
        let search_folder = urls::search_index(&c.site.language, language);
        let search_url = if language == c.site.language {
            self.search_url.clone()
        } else {
            tera::Value::from(format!("{}{search_folder}", self.base))
        };
        LangParts {
            language,
            search_folder,
            search_url,
            site_json: tera::Value::from_serializable(&SiteNames {
                title: other
                    .and_then(|l| l.title.as_deref())
                    .unwrap_or(&c.site.title),
                title_lang: (language != c.site.language
                    && other.and_then(|l| l.title.as_ref()).is_none())
                .then_some(c.site.language.as_str()),
                title_en: &c.site.title_en,
                description: other
                    .and_then(|l| l.description.as_deref())
                    .unwrap_or(&c.site.description),
                language,
                base_url: &c.site.base_url,
            }),
            strings: tera::Value::from_serializable(strings),
            scripts: script_strings(site, first.unwrap_or(0)),
            navs: nav_keys
                .map(|k| (k, tera::Value::from_serializable(&self.nav(k, language))))
                .collect(),
        }
    }

    /// The navigation bar of pages in `language`. On another language's pages the replies
    /// item leads to the first edition index in that language, and the items that lead to
    /// pages in the site's language say so (`hreflang`), as plain pages' titles do (`lang`).
    fn nav(&self, current: &str, language: &str) -> Vec<NavItem<'_>> {
        let site = self.site;
        let other =
            (language != site.config.site.language).then(|| site.config.site.language.clone());
        let own_index = other
            .as_ref()
            .and_then(|_| site.editions.iter().find(|e| e.language == language));
        let item = |key, label, url: String, hreflang: Option<String>, lang| NavItem {
            key,
            label,
            url: format!("{}{url}", self.base),
            hreflang,
            lang,
            current: key == current,
        };
        let kinds = crate::render::kinds::nav_kinds().map(|(kind, label)| {
            let label = site.config.string_in(language, label).to_string();
            match own_index {
                Some(e) if kind.name == "replies" => {
                    item(kind.name, label, e.path.clone(), None, None)
                }
                _ => item(kind.name, label, kind.path(site, 0), other.clone(), None),
            }
        });
        let pages = nav_pages(site).map(|page| {
            let key = page.page.meta.slug.value.as_str();
            let title = page.page.meta.title.clone();
            item(key, title, page.url.clone(), other.clone(), other.clone())
        });
        kinds.chain(pages).collect()
    }

    /// The parts of `language` (the site's own when the site has no such language).
    fn lang(&self, language: &str) -> &LangParts<'a> {
        self.langs
            .iter()
            .find(|l| l.language == language)
            .unwrap_or(&self.langs[0])
    }

    fn context(
        &self,
        kind: &str,
        nav_key: &str,
        path: &str,
        title: &str,
        description: &str,
    ) -> Context {
        let language = &self.site.config.site.language;
        self.context_in(language, kind, nav_key, path, title, description)
    }

    /// The context of a page in `language`.
    fn context_in(
        &self,
        language: &str,
        kind: &str,
        nav_key: &str,
        path: &str,
        title: &str,
        description: &str,
    ) -> Context {
        let lang = self.lang(language);
        let mut ctx = Context::new();
        ctx.insert_value("site", lang.site_json.clone());
        ctx.insert_value("report", self.report.clone());
        ctx.insert("base", &self.base);
        ctx.insert_value("t", lang.strings.clone());
        ctx.insert_value("strings_json", lang.scripts.0.clone());
        ctx.insert_value("strings_src", lang.scripts.1.clone());
        ctx.insert_value("asset", self.assets.clone());
        let nav = match lang.navs.iter().find(|(k, _)| *k == nav_key) {
            Some((_, v)) => v.clone(),
            None => tera::Value::from_serializable(&self.nav(nav_key, language)),
        };
        ctx.insert_value("nav", nav);
        ctx.insert_value("search_url", lang.search_url.clone());
        ctx.insert("search_folder", &lang.search_folder);
        ctx.insert_value("urls", self.urls.clone());
        ctx.insert(
            "page",
            &PageInfo {
                kind,
                title,
                path,
                url: format!("{}{path}", self.base),
                permalink: format!("{}{path}", self.site.config.site.base_url),
                description,
            },
        );
        if let Some(aliases) = self.site.fragment_aliases.get(path) {
            ctx.insert(
                "fragment_aliases",
                &fragment_aliases_json(&self.base, aliases),
            );
        }
        ctx
    }
}

/// The languages of the site's pages: `site.language` first, then each other language of
/// its editions, in edition order.
pub fn site_languages(site: &Site) -> Vec<&str> {
    let mut out: Vec<&str> = vec![&site.config.site.language];
    for e in &site.editions {
        if !out.contains(&e.language.as_str()) {
            out.push(&e.language);
        }
    }
    out
}

/// `site`: the site's names, as every template sees them.
#[derive(Serialize)]
struct SiteNames<'a> {
    title: &'a str,
    /// The title's language, on pages in another language that has no title of its own.
    title_lang: Option<&'a str>,
    title_en: &'a str,
    description: &'a str,
    language: &'a str,
    base_url: &'a str,
}

/// `urls`: the addresses of the site's own sections.
#[derive(Serialize)]
struct SectionUrls {
    home: String,
    replies: String,
    concepts: String,
    matrix: String,
    documents: String,
    data: String,
    search: String,
}

/// One item of `nav`, the navigation bar.
#[derive(Serialize)]
struct NavItem<'a> {
    key: &'a str,
    label: String,
    url: String,
    /// The language of the page it leads to, when not the current page's.
    hreflang: Option<String>,
    /// The label's language, when not the current page's.
    lang: Option<String>,
    /// The page shown is this item's (or one of its section).
    current: bool,
}

/// `page`: what every template knows of the page it renders.
#[derive(Serialize)]
struct PageInfo<'a> {
    kind: &'a str,
    title: &'a str,
    /// The path under the base path (`states/france/`).
    path: &'a str,
    url: String,
    /// The address with the base URL's host, for metadata and citations.
    permalink: String,
    description: &'a str,
}

/// The plain pages whose front matter puts them in the navigation bar, in page order.
fn nav_pages(site: &Site) -> impl Iterator<Item = &crate::link::PlainPage> {
    site.pages.iter().filter(|p| p.page.meta.nav)
}

/// The interface strings the pages' scripts read, as JSON (in each page or in one file).
pub fn script_strings_json(site: &Site, e: usize) -> String {
    let edition = &site.editions[e];
    let mut strings: BTreeMap<&str, serde_json::Value> = SCRIPT_STRINGS
        .iter()
        .filter(|k| site.config.strings.contains_key(**k))
        .map(|k| (*k, site.config.string_for(edition, k).into()))
        .collect();
    // What reply.js makes the citation texts from when the pages do not carry them.
    if !site.cite_text_in_html() {
        for k in CITE_FORMATS {
            strings.insert(k, site.config.string_for(edition, k).into());
        }
        let report: BTreeMap<&str, &str> = report_fields(edition).into_iter().collect();
        strings.insert("cite_report", serde_json::json!(report));
    }
    json_for_script(&strings)
}

/// How the pages of edition `e` get their scripts' strings: the JSON in each page, or, on a
/// large site (`strings_in_pages`), the address of the one file that holds them
/// ([`crate::render::assets::strings_file`]).
pub fn script_strings(site: &Site, e: usize) -> (tera::Value, tera::Value) {
    let json = script_strings_json(site, e);
    if site.strings_in_pages() {
        return (tera::Value::from(json), tera::Value::from(""));
    }
    let file = crate::render::assets::strings_file(&json);
    let src = format!("{}{}", site.config.base_path(), file.path);
    (tera::Value::from(""), tera::Value::from(src))
}

/// JSON safe to place inside a `<script type="application/json">` element: `<`, `>` and `&`
/// are written as `\u003c` etc., so no `</script` or `<!--` can appear and the JSON stays
/// valid (`<\!--` is not a JSON escape).
pub fn json_for_script(v: &impl Serialize) -> String {
    serde_json::to_string(v)
        .unwrap_or_default()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// A region group's name in `language`.
fn region_name(site: &Site, key: Option<&str>, language: &str) -> String {
    key.and_then(|k| site.config.region_name_in(language, k))
        .unwrap_or_else(|| site.config.string_in(language, "region_none"))
        .to_string()
}

fn concept_label(site: &Site, ci: usize) -> &str {
    let m = &site.concepts[ci].page.meta;
    m.short.as_deref().unwrap_or(&m.title)
}

/// The page `site.how_to_cite` names, if the site has it.
fn how_to_cite_url(site: &Site) -> Option<String> {
    let slug = site.config.site.how_to_cite.as_deref()?;
    site.pages
        .iter()
        .find(|p| p.page.meta.slug.value == slug)
        .map(|p| format!("{}{}", site.config.base_path(), p.url))
}

/// A page's fragment aliases for its script: anchor → the URL its words are at now.
fn fragment_aliases_json(
    base: &str,
    aliases: &std::collections::BTreeMap<String, String>,
) -> String {
    let map: BTreeMap<&str, String> = aliases
        .iter()
        .map(|(anchor, target)| (anchor.as_str(), format!("{base}{target}")))
        .collect();
    serde_json::to_string(&map).unwrap_or_default()
}

/// Citation texts with `{para}` and `{url}` left for the page's script to fill. `{received}`
/// is the date the reply was received as the report prints it, `{received_en}` as YYYY-MM-DD.
/// reply.js fills the same placeholders in the same order (the reply's from its page).
pub fn citations(site: &Site, ri: usize) -> (String, String) {
    let r = &site.replies[ri];
    let c = &site.config;
    let e = &site.editions[r.edition];
    let [symbol, report, report_en, publisher, publisher_en, year] = report_fields(e);
    let pairs = [
        symbol,
        report,
        report_en,
        ("entity", r.page.meta.title.as_str()),
        ("entity_en", r.page.meta.title_en.as_str()),
        ("received", r.page.meta.received_as_printed.as_str()),
        ("received_en", r.page.meta.received.value.as_str()),
        publisher,
        publisher_en,
        year,
    ];
    (
        fill_placeholders(c.string_for(e, "cite_format_zh"), &pairs),
        fill_placeholders(c.string_for(e, "cite_format_en"), &pairs),
    )
}

/// Each edition's `t` when it has strings of its own, and its scripts' strings (which carry
/// its report's fields on a large site).
fn edition_t(site: &Site) -> Vec<EditionStrings> {
    (0..site.editions.len())
        .map(|e| EditionStrings {
            t: site
                .config
                .strings_for(&site.editions[e])
                .map(|all| tera::Value::from_serializable(&all)),
            scripts: script_strings(site, e),
        })
        .collect()
}

/// The strings of an edition's pages where they are not its language's.
struct EditionStrings {
    t: Option<tera::Value>,
    scripts: (tera::Value, tera::Value),
}

/// The words of each language of `common`, in its order.
fn words_of<'a>(site: &'a Site, common: &Common) -> Vec<Words<'a>> {
    common
        .langs
        .iter()
        .map(|l| Words::in_language(site, l.language))
        .collect()
}

/// One choice of the report filter of the matrix and concept pages.
#[derive(Serialize)]
struct EditionChoice {
    key: usize,
    label: String,
}

/// The report filter's choices: one per edition, none on a site of one edition.
fn edition_filter(site: &Site) -> Vec<EditionChoice> {
    if site.editions.len() < 2 {
        return Vec::new();
    }
    site.editions
        .iter()
        .enumerate()
        .map(|(key, e)| EditionChoice {
            key,
            label: e.label(),
        })
        .collect()
}

/// One edition's open data files, on the data page of a site of several editions.
#[derive(Serialize)]
struct EditionData {
    label: String,
    files: Vec<String>,
}

/// `edition`: the edition a page belongs to, as its templates show it.
#[derive(Serialize)]
struct EditionInfo<'a> {
    symbol: &'a str,
    title: &'a str,
    language: &'a str,
    year: &'a str,
    /// The editorial notice shown on each of its pages, if any.
    notice: Option<&'a str>,
    /// Its index page: the site's home for the first edition.
    url: String,
    /// The site has more than one edition.
    several: bool,
}

impl<'a> Pages<'a> {
    /// An edition with strings of its own gets them in `t` and in its pages' scripts.
    fn edition_strings(&self, ctx: &mut Context, e: usize) {
        let strings = &self.edition_t[e];
        if let Some(t) = &strings.t {
            ctx.insert_value("t", t.clone());
        }
        ctx.insert_value("strings_json", strings.scripts.0.clone());
        ctx.insert_value("strings_src", strings.scripts.1.clone());
    }

    fn edition_info(&self, e: usize) -> EditionInfo<'a> {
        let ed = &self.site.editions[e];
        EditionInfo {
            symbol: &ed.report.symbol,
            title: &ed.report.title,
            language: &ed.language,
            year: ed.year(),
            notice: ed.report.notice.as_deref(),
            url: format!("{}{}", self.common.base, ed.path),
            several: self.site.editions.len() > 1,
        }
    }
}

/// The replies of each State (by slug) across editions, for the language switcher and the
/// timeline of its pages; empty on a site of one edition.
struct Editions {
    by_slug: BTreeMap<String, Vec<usize>>,
}

/// One item of `alternates`: the same reply in another language (or this one).
#[derive(Serialize)]
struct Alternate {
    language: String,
    /// The language's name in itself (its `language_name` string).
    label: String,
    url: String,
    permalink: String,
    current: bool,
}

/// One item of `timeline`: a State's reply to one report.
#[derive(Serialize)]
struct TimelineItem<'a> {
    symbol: &'a str,
    title: &'a str,
    year: &'a str,
    language: &'a str,
    url: String,
    current: bool,
}

impl Editions {
    fn of(site: &Site) -> Editions {
        let mut by_slug: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        if site.editions.len() > 1 {
            for (ri, r) in site.replies.iter().enumerate() {
                by_slug
                    .entry(r.page.meta.slug.value.clone())
                    .or_default()
                    .push(ri);
            }
        }
        Editions { by_slug }
    }

    fn same_state(&self, site: &Site, ri: usize) -> &[usize] {
        self.by_slug
            .get(&site.replies[ri].page.meta.slug.value)
            .map_or(&[], Vec::as_slice)
    }

    /// Reply `ri` in each language of its report, itself included; empty when it has no
    /// other language.
    fn alternates(&self, site: &Site, ri: usize) -> Vec<Alternate> {
        let symbol = &site.editions[site.replies[ri].edition].report.symbol;
        let versions: Vec<usize> = self
            .same_state(site, ri)
            .iter()
            .copied()
            .filter(|&i| &site.editions[site.replies[i].edition].report.symbol == symbol)
            .collect();
        if versions.len() < 2 {
            return Vec::new();
        }
        versions
            .into_iter()
            .map(|i| {
                let r = &site.replies[i];
                let language = &site.editions[r.edition].language;
                Alternate {
                    language: language.clone(),
                    label: site.config.string_in(language, "language_name").to_string(),
                    url: format!("{}{}", site.config.base_path(), r.url),
                    permalink: format!("{}{}", site.config.site.base_url, r.url),
                    current: i == ri,
                }
            })
            .collect()
    }

    /// The State's replies to each report, newest report first: in each report the version
    /// in this page's language, else its first. Empty when the State answered one report.
    fn timeline<'s>(&self, site: &'s Site, ri: usize) -> Vec<TimelineItem<'s>> {
        let language = &site.editions[site.replies[ri].edition].language;
        // for each report: this page itself, else the version in its language, else the first
        let preference = |i: usize| match i == ri {
            true => 0,
            false if site.editions[site.replies[i].edition].language == *language => 1,
            false => 2,
        };
        let mut by_report: BTreeMap<&str, usize> = BTreeMap::new();
        for &i in self.same_state(site, ri) {
            let symbol = site.editions[site.replies[i].edition]
                .report
                .symbol
                .as_str();
            let pick = by_report.entry(symbol).or_insert(i);
            if preference(i) < preference(*pick) {
                *pick = i;
            }
        }
        if by_report.len() < 2 {
            return Vec::new();
        }
        let mut items: Vec<usize> = by_report.into_values().collect();
        items.sort_by_key(|&i| {
            let e = &site.editions[site.replies[i].edition];
            (
                std::cmp::Reverse(e.report.published.as_str()),
                site.replies[i].edition,
            )
        });
        items
            .into_iter()
            .map(|i| {
                let r = &site.replies[i];
                let e = &site.editions[r.edition];
                TimelineItem {
                    symbol: &e.report.symbol,
                    title: &e.report.title,
                    year: e.year(),
                    language: &e.language,
                    url: format!("{}{}", site.config.base_path(), r.url),
                    current: i == ri,
                }
            })
            .collect()
    }
}

/// An edition's report's placeholders of the citation formats.
fn report_fields(e: &crate::config::Edition) -> [(&'static str, &str); 6] {
    let r = &e.report;
    [
        ("symbol", r.symbol.as_str()),
        ("report", r.title.as_str()),
        ("report_en", r.title_en.as_str()),
        ("publisher", r.publisher.as_str()),
        ("publisher_en", r.publisher_en.as_str()),
        ("year", e.year()),
    ]
}

/// A reply as the lists, the matrix and its own page (with its neighbours) show it.
#[derive(Serialize)]
struct ReplyRow<'a> {
    title: &'a str,
    title_en: &'a str,
    slug: &'a str,
    url: String,
    entity: &'a crate::content::Entity,
    iso2: Option<&'a str>,
    iso3: Option<&'a str>,
    region: Option<&'a str>,
    region_name: String,
    original_language: &'a str,
    received: &'a str,
    received_as_printed: &'a str,
    report_section: &'a str,
    order: u32,
    report_section_name: String,
    concept_count: usize,
    paragraphs: u32,
}

fn reply_row(site: &Site, ri: usize) -> ReplyRow<'_> {
    let r = &site.replies[ri];
    let m = &r.page.meta;
    let base = site.config.base_path();
    let region = m.region.as_ref().map(|r| r.value.as_str());
    ReplyRow {
        title: &m.title,
        title_en: &m.title_en,
        slug: &m.slug.value,
        url: format!("{base}{}", r.url),
        entity: &m.entity,
        iso2: m.iso2.as_deref(),
        iso3: m.iso3.as_deref(),
        region,
        region_name: region_name(site, region, &site.editions[r.edition].language),
        original_language: &m.original_language,
        received: &m.received.value,
        received_as_printed: &m.received_as_printed,
        report_section: &m.report_section,
        order: m.order,
        report_section_name: section_name(site, &site.editions[r.edition], &m.report_section),
        concept_count: r.concepts.len(),
        paragraphs: r.page.doc.paragraph_count(),
    }
}

/// A heading in a reply's table of contents.
#[derive(Serialize)]
struct TocEntry<'a> {
    id: &'a str,
    level: u8,
    text: String,
}

/// A concept a reply addresses, linking to the reply's passages on the concept's page.
#[derive(Serialize)]
struct ReplyConcept<'a> {
    title: &'a str,
    short: &'a str,
    url: String,
    count: usize,
}

/// `cite`: the citation texts and files of a reply, for its cite dialog; a large site's
/// downloads are each the part of 1,000 replies that holds them (`inline`).
#[derive(Serialize)]
struct CiteInfo<'a> {
    /// The reply's key in a large site's citation parts ([`Site::reply_key`]).
    key: String,
    zh: String,
    en: String,
    inline: bool,
    json: String,
    bib: String,
    ris: String,
    url: String,
    para_zh: &'a str,
    para_en: &'a str,
    howto: Option<String>,
}

/// The report section a reply is printed in, named by the string `report_section_<section>`
/// (e.g. "第二节：从各国政府收到的答复"); the bare section when the config has no name for it.
fn section_name(site: &Site, edition: &crate::config::Edition, section: &str) -> String {
    let key = format!("report_section_{section}");
    edition
        .report
        .strings
        .get(&key)
        .or_else(|| site.config.strings_in(&edition.language).get(&key))
        .cloned()
        .unwrap_or_else(|| section.to_string())
}

/// A reply or concept the 404 page may suggest: `[url, slug, name, English name]`, compared
/// in the browser with the path that was not found.
#[derive(Serialize)]
struct SuggestablePage<'a>(String, &'a str, &'a str, &'a str);

fn suggestable_pages(site: &Site) -> Vec<SuggestablePage<'_>> {
    let base = site.config.base_path();
    let replies = site.replies.iter().map(|r| {
        let m = &r.page.meta;
        SuggestablePage(
            format!("{base}{}", r.url),
            &m.slug.value,
            &m.title,
            &m.title_en,
        )
    });
    let concepts = site.concepts.iter().map(|c| {
        let m = &c.page.meta;
        let name = m.short.as_deref().unwrap_or(&m.title);
        SuggestablePage(format!("{base}{}", c.url), &m.slug.value, name, &m.title_en)
    });
    replies.chain(concepts).collect()
}

/// What a page needs to name and link a reply.
#[derive(Serialize)]
struct ReplyRef<'a> {
    title: &'a str,
    slug: &'a str,
    url: String,
    /// Its key among all replies ([`Site::reply_key`]): its slug in the first edition.
    key: String,
    /// Its edition, where the site has several ([`Site::edition_label`]).
    edition: String,
    /// Its edition's number, for the report filter.
    edition_key: usize,
}

impl<'a> ReplyRef<'a> {
    fn of(site: &'a Site, ri: usize) -> Self {
        let r = &site.replies[ri];
        ReplyRef {
            title: &r.page.meta.title,
            slug: &r.page.meta.slug.value,
            url: format!("{}{}", site.config.base_path(), r.url),
            key: site.reply_key(ri),
            edition: site.edition_label(ri),
            edition_key: r.edition,
        }
    }
}

/// A row of the matrix: a reply and its count of passages on each concept.
#[derive(Serialize)]
struct MatrixRow<'a> {
    reply: ReplyRef<'a>,
    cells: Vec<MatrixCell<'a>>,
}

#[derive(Serialize)]
struct MatrixCell<'a> {
    count: usize,
    level: usize,
    href: String,
    concept: &'a str,
}

/// A reply's passages on a concept page: quoted one by one, or, past the site's
/// `concept_quote_limit`, as one list of links made here.
#[derive(Serialize)]
struct Group<'a> {
    reply: ReplyRef<'a>,
    anchor: String,
    count: usize,
    /// The quoted passages; empty when the page lists links.
    passages: Vec<QuotedPassage<'a>>,
    /// `<ul class="passage-links">` of the passages; empty when they are quoted. Made in
    /// Rust because at 10,000 replies a concept page lists ~85,000 of them: as Tera values
    /// and a template loop they were a fifth of the render stage.
    links_html: String,
}

/// A passage's link and its label ("第 n 段", from the `paragraph_n` string).
fn passage_link(base: &str, r: &crate::link::Reply, n: u32, paragraph_n: &str) -> (String, String) {
    (
        format!("{base}{}#p{n}", r.url),
        paragraph_n.replace("{n}", &n.to_string()),
    )
}

/// The list of links to a reply's passages on a concept page (see [`Group::links_html`]).
/// The passages of one section are one item, the section named once after them: at 10,000
/// replies the name repeated after each passage was a third of the concept pages' bytes.
fn passage_links(base: &str, r: &crate::link::Reply, numbers: &[u32], paragraph_n: &str) -> String {
    use crate::render::html::escape;
    let section = |n: &u32| r.section_of.get(n).filter(|s| !s.is_empty());
    let mut out = String::with_capacity(numbers.len() * 64);
    out.push_str("<ul class=passage-links>");
    for run in numbers.chunk_by(|a, b| section(a) == section(b)) {
        out.push_str("<li>");
        for (i, &n) in run.iter().enumerate() {
            if i > 0 {
                out.push('、');
            }
            let (href, label) = passage_link(base, r, n, paragraph_n);
            out.push_str("<a href=\"");
            escape(&href, &mut out);
            out.push_str("\">");
            escape(&label, &mut out);
            out.push_str("</a>");
        }
        if let Some(section) = section(&run[0]) {
            out.push_str(" <span class=section>");
            escape(section, &mut out);
            out.push_str("</span>");
        }
        out.push_str("</li>");
    }
    out.push_str("</ul>");
    out
}

#[derive(Serialize)]
struct QuotedPassage<'a> {
    n: u32,
    /// "第 n 段": made here, once per passage, rather than by a filter in the loop.
    label: String,
    href: String,
    section: Option<&'a str>,
    html: String,
}

/// A concept as the concept list, its parent's page and its own page show it.
#[derive(Serialize)]
struct ConceptSummary<'a> {
    title: &'a str,
    title_en: &'a str,
    short: Option<&'a str>,
    slug: &'a str,
    url: String,
    source: &'a str,
    reply_count: usize,
    passage_count: usize,
    children: Vec<ConceptSummary<'a>>,
}

fn concept_summary(site: &Site, ci: usize) -> ConceptSummary<'_> {
    let c = &site.concepts[ci];
    let m = &c.page.meta;
    let base = site.config.base_path();
    ConceptSummary {
        title: &m.title,
        title_en: &m.title_en,
        short: m.short.as_deref(),
        slug: &m.slug.value,
        url: format!("{base}{}", c.url),
        source: &m.source,
        reply_count: c.passages.len(),
        passage_count: c.passages.iter().map(|(_, ps)| ps.len()).sum(),
        children: c
            .children
            .iter()
            .map(|&ch| concept_summary(site, ch))
            .collect(),
    }
}

/// `stats`: the home page's counts.
#[derive(Serialize)]
struct HomeStats {
    replies: usize,
    states: usize,
    paragraphs: u32,
    documents: usize,
}

impl HomeStats {
    fn of(site: &Site) -> HomeStats {
        let is_state =
            |r: &&crate::link::Reply| r.page.meta.entity == crate::content::Entity::State;
        // the home page is the first edition's
        let first = &site.replies[site.edition_range(0)];
        HomeStats {
            replies: first.len(),
            states: first.iter().filter(is_state).count(),
            paragraphs: first.iter().map(|r| r.page.doc.paragraph_count()).sum(),
            documents: site.documents.len(),
        }
    }
}

/// A region group, for the list of replies.
#[derive(Serialize)]
struct RegionEntry<'a> {
    key: &'a str,
    name: &'a str,
    order: u32,
}

/// A concept's column of the coverage matrix.
#[derive(Serialize)]
struct MatrixColumn<'a> {
    short: &'a str,
    head: &'a str,
    title: &'a str,
    url: String,
    is_child: bool,
}

/// A cited UN document and the replies citing it, for the documents page.
#[derive(Serialize)]
struct DocumentEntry<'a> {
    symbol: &'a str,
    url: &'a str,
    description: String,
    count: usize,
    replies: Vec<CitingReply<'a>>,
}

#[derive(Serialize)]
struct CitingReply<'a> {
    title: &'a str,
    paragraphs: Vec<CitingParagraph>,
}

#[derive(Serialize)]
struct CitingParagraph {
    n: u32,
    href: String,
}

/// `concept`: the concept a concept page is about.
#[derive(Serialize)]
struct ConceptInfo<'a> {
    #[serde(flatten)]
    summary: ConceptSummary<'a>,
    description_html: String,
    wording: Option<&'a str>,
    wording_from: Option<WordingFrom<'a>>,
    parent: Option<ConceptSummary<'a>>,
}

/// The reply paragraph a concept's wording is quoted from.
#[derive(Serialize)]
struct WordingFrom<'a> {
    /// The reply's name.
    title: &'a str,
    url: String,
}

/// The passages of reply `ri` on concept `c`. `Concept::passages` is in reply order, so a
/// binary search: a scan per reply made the matrix and concept pages quadratic in replies.
fn passages_of(c: &crate::link::Concept, ri: usize) -> Option<&[u32]> {
    c.passages
        .binary_search_by_key(&ri, |(x, _)| *x)
        .ok()
        .map(|i| c.passages[i].1.as_slice())
}

/// What the pages' contexts are built from, made once per build; one method per page kind
/// (see [`crate::render::kinds::PAGE_KINDS`]). Every page gets its context only when it is
/// rendered, so a build never holds more than the pages being rendered at the moment.
pub struct Pages<'a> {
    site: &'a Site,
    common: Common<'a>,
    /// The words of each of `common.langs`, in the same order.
    words: Vec<Words<'a>>,
    /// Each reply's other editions, for its language switcher and timeline: empty on a
    /// site of one edition.
    editions_of: Editions,
    /// Per edition, its own strings.
    edition_t: Vec<EditionStrings>,
    /// Each reply's row is shown on several pages (lists, prev/next, matrix): made once.
    rows: Vec<ReplyRow<'a>>,
    /// The same rows as Tera values, for the reply pages (their own row, prev and next).
    row_values: Vec<tera::Value>,
}

impl<'a> Pages<'a> {
    pub fn new(site: &'a Site, assets: &AssetMap) -> Self {
        let rows: Vec<ReplyRow> = (0..site.replies.len())
            .map(|i| reply_row(site, i))
            .collect();
        let row_values = rows.iter().map(tera::Value::from_serializable).collect();
        Self::with_rows(site, assets, rows, row_values)
    }

    /// What every page needs, with the replies' rows made by the caller.
    fn with_rows(
        site: &'a Site,
        assets: &AssetMap,
        rows: Vec<ReplyRow<'a>>,
        row_values: Vec<tera::Value>,
    ) -> Self {
        let common = Common::new(site, assets);
        Pages {
            site,
            words: words_of(site, &common),
            common,
            editions_of: Editions::of(site),
            edition_t: edition_t(site),
            rows,
            row_values,
        }
    }

    /// What the pages of the replies in `range` need and no more: their rows and their
    /// neighbours', where [`Pages::new`] makes every reply's (0.1–0.2 s at 10,000 replies).
    /// For `wenji serve`'s preview of an edited reply: [`Pages::reply`] is for the replies in
    /// `range` only, and [`Pages::other`] not at all.
    pub fn for_replies(site: &'a Site, assets: &AssetMap, range: std::ops::Range<usize>) -> Self {
        let near = range.start.saturating_sub(1)..(range.end + 1).min(site.replies.len());
        let none = tera::Value::from_serializable(&None::<()>);
        let row_values = (0..site.replies.len())
            .map(|i| match near.contains(&i) {
                true => tera::Value::from_serializable(&reply_row(site, i)),
                false => none.clone(),
            })
            .collect();
        Self::with_rows(site, assets, Vec::new(), row_values)
    }

    /// The page of a reply.
    pub fn reply(&self, at: &PageAt) -> Result<Context, Diagnostic> {
        let (site, common, rows) = (self.site, &self.common, &self.row_values);
        let ri = at.index;
        let base = &common.base;
        let r = &site.replies[ri];
        let m = &r.page.meta;
        let edition = &site.editions[r.edition];
        let lang = &edition.language;
        let words = &self.words[common
            .langs
            .iter()
            .position(|l| l.language == lang)
            .unwrap_or(0)];
        let mut ctx = common.context_in(
            lang,
            at.kind,
            "replies",
            at.path,
            &m.title,
            &format!("{} — {}", m.title, edition.report.symbol),
        );
        ctx.insert("report", &edition.report);
        self.edition_strings(&mut ctx, r.edition);
        ctx.insert("edition", &self.edition_info(r.edition));
        ctx.insert("alternates", &self.editions_of.alternates(site, ri));
        ctx.insert("timeline", &self.editions_of.timeline(site, ri));
        ctx.insert_value("reply", rows[ri].clone());
        ctx.insert_value(
            "body_html",
            tera::Value::from(body::reply_body(site, r, words)),
        );
        let toc: Vec<TocEntry> = r
            .page
            .doc
            .blocks
            .iter()
            .filter_map(|b| match &b.kind {
                crate::content::BlockKind::Heading { level, id, events } => Some(TocEntry {
                    id,
                    level: *level,
                    text: crate::content::markdown::plain_text(events),
                }),
                _ => None,
            })
            .collect();
        ctx.insert("toc", &toc);
        let concepts: Vec<ReplyConcept> = r
            .concepts
            .iter()
            .map(|&ci| {
                let c = &site.concepts[ci];
                let n = passages_of(c, ri).map_or(0, <[u32]>::len);
                ReplyConcept {
                    title: &c.page.meta.title,
                    short: concept_label(site, ci),
                    url: format!("{base}{}#{}", c.url, site.concept_anchor(ri)),
                    count: n,
                }
            })
            .collect();
        ctx.insert("concepts", &concepts);
        ctx.insert("concepts_lang", &words.concepts_lang);
        // neighbours within the reply's own edition
        let none = || tera::Value::from_serializable(&None::<()>);
        let same = |i: &usize| site.replies[*i].edition == r.edition;
        let prev = ri.checked_sub(1).filter(same);
        let next = Some(ri + 1).filter(|i| *i < rows.len()).filter(same);
        ctx.insert_value("prev", prev.map_or_else(none, |i| rows[i].clone()));
        ctx.insert_value("next", next.map_or_else(none, |i| rows[i].clone()));
        // A large site's pages leave the citation texts to reply.js (`cite_text_in_html`):
        // the template writes their attributes only when they are not empty.
        let in_html = site.cite_text_in_html();
        let (zh, en) = match in_html {
            true => citations(site, ri),
            false => Default::default(),
        };
        let text = |key| match in_html {
            true => site.config.string_for(edition, key),
            false => "",
        };
        // A large site's citation downloads are in parts of 1,000 replies, which reply.js
        // fetches (no files of the reply's own).
        let [cite_json, cite_bib, cite_ris] = if site.is_large() {
            let part = format!("{base}{}", crate::output::extras::citation_part(ri));
            [part.clone(), part.clone(), part]
        } else {
            ["json", "bib", "ris"].map(|x| format!("{base}{}cite.{x}", r.url))
        };
        ctx.insert(
            "cite",
            &CiteInfo {
                key: site.reply_key(ri),
                zh,
                en,
                inline: site.is_large(),
                json: cite_json,
                bib: cite_bib,
                ris: cite_ris,
                url: match in_html {
                    true => format!("{}{}", site.config.site.base_url, r.url),
                    false => String::new(),
                },
                para_zh: text("cite_para_zh"),
                para_en: text("cite_para_en"),
                howto: how_to_cite_url(site),
            },
        );
        ctx.insert("jsonld", &json_for_script(&reply_jsonld(site, ri)));
        Ok(ctx)
    }

    /// How the Markdown of home, concept and plain pages is written.
    fn markdown_ctx(&self) -> crate::render::html::Ctx<'_> {
        crate::render::html::Ctx {
            base_path: &self.common.base,
            site_language: &self.site.config.site.language,
            footnote_base: "",
            footnote_backrefs: true,
            allow_raw_html: self.site.config.site.allow_raw_html,
        }
    }

    /// A page whose title is the interface string `title_key`.
    fn titled(&self, at: &PageAt, nav_key: &str, title_key: &str) -> Context {
        let title = self.site.config.string(title_key);
        self.common.context(at.kind, nav_key, at.path, title, "")
    }

    /// The home page: the introduction, the map and charts, the replies and concepts.
    pub fn home(&self, at: &PageAt) -> Result<Context, Diagnostic> {
        let site = self.site;
        let title = site
            .home
            .as_ref()
            .map_or_else(|| site.config.site.title.clone(), |h| h.meta.title.clone());
        let mut ctx =
            self.common
                .context(at.kind, "", at.path, &title, &site.config.site.description);
        let intro = site
            .home
            .as_ref()
            .map(|h| body::document_html(&h.doc, self.markdown_ctx()))
            .unwrap_or_default();
        ctx.insert("intro_html", &intro);
        ctx.insert(
            "lead",
            &site.home.as_ref().and_then(|h| h.meta.lead.clone()),
        );
        ctx.insert("replies", &self.rows_of(0));
        ctx.insert("concepts", &top_concepts(site));
        ctx.insert("stats", &HomeStats::of(site));
        ctx.insert("pictures", &pictures(site)?);
        Ok(ctx)
    }

    /// The list of replies, by region group.
    pub fn replies(&self, at: &PageAt) -> Result<Context, Diagnostic> {
        let mut ctx = self.titled(at, "replies", "replies_title");
        ctx.insert("replies", &self.rows_of(0));
        ctx.insert("regions", &self.regions_in(&self.site.config.site.language));
        Ok(ctx)
    }

    /// The index page of an edition other than the first: its replies, in its language.
    pub fn edition(&self, at: &PageAt) -> Result<Context, Diagnostic> {
        let e = at.index + 1;
        let edition = &self.site.editions[e];
        let title = format!("{} {}", edition.report.symbol, edition.report.title);
        let lang = &edition.language;
        let mut ctx = self
            .common
            .context_in(lang, at.kind, "replies", at.path, &title, "");
        ctx.insert("report", &edition.report);
        self.edition_strings(&mut ctx, e);
        ctx.insert("edition", &self.edition_info(e));
        ctx.insert("replies", &self.rows_of(e));
        ctx.insert("regions", &self.regions_in(lang));
        Ok(ctx)
    }

    /// The rows of edition `e`'s replies.
    fn rows_of(&self, e: usize) -> Vec<&ReplyRow<'a>> {
        let replies = &self.site.replies;
        self.rows
            .iter()
            .enumerate()
            .filter(|(i, _)| replies[*i].edition == e)
            .map(|(_, row)| row)
            .collect()
    }

    /// The region groups in display order, named in `language`.
    fn regions_in(&self, language: &str) -> Vec<RegionEntry<'_>> {
        let config = &self.site.config;
        let mut regions: Vec<RegionEntry> = config
            .regions
            .iter()
            .map(|(key, r)| RegionEntry {
                key,
                name: config.region_name_in(language, key).unwrap_or(&r.name),
                order: r.order,
            })
            .collect();
        regions.sort_by_key(|r| r.order);
        regions
    }

    /// The list of concepts, each with its parts.
    pub fn concepts(&self, at: &PageAt) -> Result<Context, Diagnostic> {
        let mut ctx = self.titled(at, "concepts", "concepts_title");
        ctx.insert("concepts", &top_concepts(self.site));
        Ok(ctx)
    }

    /// A concept's page: its description and every reply's passages on it.
    pub fn concept(&self, at: &PageAt) -> Result<Context, Diagnostic> {
        let (site, ci) = (self.site, at.index);
        let base = &self.common.base;
        let c = &site.concepts[ci];
        let m = &c.page.meta;
        let mut ctx = self
            .common
            .context(at.kind, "concepts", at.path, &m.title, &m.title_en);
        let concept = ConceptInfo {
            summary: concept_summary(site, ci),
            description_html: body::document_html(&c.page.doc, self.markdown_ctx()),
            wording: m.wording.as_deref(),
            wording_from: m
                .wording_from
                .as_ref()
                .and_then(|w| resolve_wording_from(site, &w.value)),
            parent: c.parent.map(|p| concept_summary(site, p)),
        };
        ctx.insert("concept", &concept);
        let total: usize = c.passages.iter().map(|(_, ns)| ns.len()).sum();
        let quote = total <= site.config.site.concept_quote_limit;
        ctx.insert("quoted", &quote);
        // Structs, not `json!` values: at 10,000 replies a concept lists up to ~85,000
        // passages, and each `serde_json` map would be made, then copied into Tera's.
        let paragraph_n = site.config.string("paragraph_n");
        let groups: Vec<Group> = c
            .passages
            .iter()
            .map(|(ri, numbers)| {
                let r = &site.replies[*ri];
                let (passages, links_html) = if quote {
                    let quoted = numbers
                        .iter()
                        .map(|&n| {
                            let (href, label) = passage_link(base, r, n, paragraph_n);
                            QuotedPassage {
                                n,
                                label,
                                href,
                                section: r.section_of.get(&n).map(String::as_str),
                                html: body::quoted_passage(site, r, n),
                            }
                        })
                        .collect();
                    (quoted, String::new())
                } else {
                    (Vec::new(), passage_links(base, r, numbers, paragraph_n))
                };
                Group {
                    reply: ReplyRef::of(site, *ri),
                    anchor: site.concept_anchor(*ri),
                    count: numbers.len(),
                    passages,
                    links_html,
                }
            })
            .collect();
        ctx.insert("groups", &groups);
        ctx.insert("edition_filter", &edition_filter(site));
        drop(groups);
        let silent: Vec<ReplyRef> = (0..site.replies.len())
            .filter(|&ri| passages_of(c, ri).is_none())
            .map(|ri| ReplyRef::of(site, ri))
            .collect();
        ctx.insert("silent", &silent);
        Ok(ctx)
    }

    /// The coverage matrix: a row per reply, a column per concept.
    pub fn matrix(&self, at: &PageAt) -> Result<Context, Diagnostic> {
        let site = self.site;
        let base = &self.common.base;
        let mut ctx = self.titled(at, "matrix", "matrix_title");
        let columns: Vec<usize> = ordered_concepts(site);
        let max = site
            .concepts
            .iter()
            .flat_map(|c| c.passages.iter().map(|(_, p)| p.len()))
            .max()
            .unwrap_or(0)
            .max(1);
        let column_heads: Vec<MatrixColumn> = columns
            .iter()
            .map(|&ci| MatrixColumn {
                short: concept_label(site, ci),
                head: column_head(site, ci),
                title: &site.concepts[ci].page.meta.title,
                url: format!("{base}{}", site.concepts[ci].url),
                is_child: site.concepts[ci].parent.is_some(),
            })
            .collect();
        ctx.insert("columns", &column_heads);
        ctx.insert("edition_filter", &edition_filter(site));
        // Structs, not `json!` maps: at 10,000 replies the matrix has ~300,000 cells.
        let rows: Vec<MatrixRow> = (0..site.replies.len())
            .into_par_iter()
            .map(|ri| MatrixRow {
                reply: ReplyRef::of(site, ri),
                cells: columns
                    .iter()
                    .map(|&ci| {
                        let c = &site.concepts[ci];
                        let n = passages_of(c, ri).map_or(0, <[u32]>::len);
                        // Heat levels 0–4 for CSS.
                        let level = if n == 0 {
                            0
                        } else {
                            1 + 3 * (n - 1) / (max - 1).max(1)
                        };
                        MatrixCell {
                            count: n,
                            level: level.min(4),
                            href: format!("{base}{}#{}", c.url, site.concept_anchor(ri)),
                            concept: concept_label(site, ci),
                        }
                    })
                    .collect(),
            })
            .collect();
        ctx.insert("rows", &rows);
        ctx.insert("cell_labels", &site.matrix_cell_labels());
        Ok(ctx)
    }

    /// The UN documents the replies cite, with the paragraphs citing each.
    pub fn documents(&self, at: &PageAt) -> Result<Context, Diagnostic> {
        let site = self.site;
        let base = &self.common.base;
        let mut ctx = self.titled(at, "documents", "documents_title");
        let docs: Vec<DocumentEntry> = site
            .documents
            .iter()
            .map(|d| {
                let mut by_reply: Vec<(usize, Vec<u32>)> = Vec::new();
                for &(ri, n) in &d.citations {
                    match by_reply.last_mut() {
                        Some((r, ns)) if *r == ri => ns.push(n),
                        _ => by_reply.push((ri, vec![n])),
                    }
                }
                let replies = by_reply
                    .iter()
                    .map(|(ri, ns)| {
                        let r = &site.replies[*ri];
                        CitingReply {
                            title: &r.page.meta.title,
                            paragraphs: ns
                                .iter()
                                .map(|&n| CitingParagraph {
                                    n,
                                    href: format!("{base}{}#p{n}", r.url),
                                })
                                .collect(),
                        }
                    })
                    .collect();
                DocumentEntry {
                    symbol: &d.symbol,
                    url: &d.url,
                    description: site
                        .config
                        .string(&format!("doc_kind_{}", d.description))
                        .to_string(),
                    count: d.citations.len(),
                    replies,
                }
            })
            .collect();
        ctx.insert("documents", &docs);
        Ok(ctx)
    }

    /// The open data page.
    pub fn data(&self, at: &PageAt) -> Result<Context, Diagnostic> {
        let mut ctx = self.titled(at, "", "data_title");
        ctx.insert("data_base", &format!("{}{}", self.common.base, at.path));
        // A large site's open data: the CSV in parts.
        let site = self.site;
        let parts = if site.is_large() {
            crate::output::extras::edition_open_data_names(site, 0)
        } else {
            Vec::new()
        };
        ctx.insert("data_parts", &parts);
        // the other editions' files, each under its edition's name
        let editions: Vec<EditionData> = (1..site.editions.len())
            .map(|e| EditionData {
                label: site.editions[e].label(),
                files: crate::output::extras::edition_open_data_names(site, e),
            })
            .collect();
        ctx.insert("edition_data", &editions);
        ctx.insert(
            "paragraphs",
            &self.site.replies[self.site.edition_range(0)]
                .iter()
                .map(|r| r.page.doc.paragraph_count())
                .sum::<u32>(),
        );
        Ok(ctx)
    }

    /// The search page (its results are made in the browser).
    pub fn search(&self, at: &PageAt) -> Result<Context, Diagnostic> {
        Ok(self.titled(at, "", "search_title"))
    }

    /// The search page of the site's other language number `at.index` (after its own), in
    /// that language, over that language's index.
    pub fn language_search(&self, at: &PageAt) -> Result<Context, Diagnostic> {
        let language = self.common.langs[at.index + 1].language;
        let title = self.site.config.string_in(language, "search_title");
        Ok(self
            .common
            .context_in(language, at.kind, "", at.path, title, ""))
    }

    /// A plain page of `content/pages/`.
    pub fn plain_page(&self, at: &PageAt) -> Result<Context, Diagnostic> {
        let p = &self.site.pages[at.index];
        let mut ctx = self.common.context(
            at.kind,
            &p.page.meta.slug.value,
            at.path,
            &p.page.meta.title,
            "",
        );
        ctx.insert(
            "body_html",
            &body::document_html(&p.page.doc, self.markdown_ctx()),
        );
        Ok(ctx)
    }

    /// The 404 page, with the redirects and the pages it may suggest for its script.
    pub fn not_found(&self, at: &PageAt) -> Result<Context, Diagnostic> {
        let (site, base) = (self.site, &self.common.base);
        let mut ctx = self.titled(at, "", "not_found_title");
        let redirects: BTreeMap<String, String> = site
            .redirects
            .iter()
            .map(|(from, to)| (format!("{base}{from}"), format!("{base}{to}")))
            .collect();
        ctx.insert("redirects_json", &json_for_script(&redirects));
        ctx.insert("pages_json", &json_for_script(&suggestable_pages(site)));
        Ok(ctx)
    }

    /// The page left at an alias, sending the reader to the page it names.
    pub fn redirect(&self, at: &PageAt) -> Result<Context, Diagnostic> {
        let site = self.site;
        let to = site.redirects.get(at.path).map_or("", String::as_str);
        let mut ctx = self.titled(at, "", "redirect_title");
        ctx.insert("target", &format!("{}{to}", self.common.base));
        ctx.insert(
            "target_permalink",
            &format!("{}{to}", site.config.site.base_url),
        );
        Ok(ctx)
    }
}

/// Concepts in display order: each top-level concept followed by its children.
/// A matrix column's heading: a part's short name without its parent's ("(a)" for "规范(a)"
/// under "规范"), so that the letter that tells the norms apart can be set horizontally.
fn column_head(site: &Site, ci: usize) -> &str {
    let short = concept_label(site, ci);
    site.concepts[ci]
        .parent
        .and_then(|p| short.strip_prefix(concept_label(site, p)))
        .map(str::trim)
        .filter(|rest| !rest.is_empty())
        .unwrap_or(short)
}

pub fn ordered_concepts(site: &Site) -> Vec<usize> {
    let mut out = Vec::new();
    for (ci, c) in site.concepts.iter().enumerate() {
        if c.parent.is_none() {
            out.push(ci);
            out.extend(c.children.iter().copied());
        }
    }
    out
}

fn top_concepts(site: &Site) -> Vec<ConceptSummary<'_>> {
    site.concepts
        .iter()
        .enumerate()
        .filter(|(_, c)| c.parent.is_none())
        .map(|(ci, _)| concept_summary(site, ci))
        .collect()
}

/// `france#p23` → the paragraph's URL and the reply's name.
fn resolve_wording_from<'a>(site: &'a Site, reference: &str) -> Option<WordingFrom<'a>> {
    let (slug, anchor) = reference.split_once('#')?;
    let r = site
        .replies
        .iter()
        .find(|r| r.page.meta.slug.value == slug)?;
    Some(WordingFrom {
        title: &r.page.meta.title,
        url: format!("{}{}#{anchor}", site.config.base_path(), r.url),
    })
}

/// A reply page's schema.org description (JSON-LD). Fields are in alphabetical order, the
/// order its keys had as a `serde_json` map, so the pages' bytes stay as published.
#[derive(Serialize)]
struct ReplyJsonLd<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "alternativeHeadline")]
    alternative_headline: String,
    author: JsonLdAuthor<'a>,
    #[serde(rename = "dateReceived")]
    date_received: &'a str,
    headline: String,
    #[serde(rename = "inLanguage")]
    in_language: &'a str,
    #[serde(rename = "isPartOf")]
    is_part_of: JsonLdReport<'a>,
    name: String,
    url: String,
}

/// The State (a `Country`, with its ISO 3166-1 alpha-3 code) or organization that replied.
#[derive(Serialize)]
struct JsonLdAuthor<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "alternateName")]
    alternate_name: &'a str,
    /// `null` for a State without a code; absent for an organization.
    #[serde(skip_serializing_if = "Option::is_none")]
    identifier: Option<Option<&'a str>>,
    name: &'a str,
}

/// The report a reply is part of.
#[derive(Serialize)]
struct JsonLdReport<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "alternateName")]
    alternate_name: &'a str,
    #[serde(rename = "datePublished")]
    date_published: &'a str,
    name: &'a str,
    publisher: JsonLdAuthor<'a>,
    #[serde(rename = "reportNumber")]
    report_number: &'a str,
    url: Option<&'a str>,
}

fn reply_jsonld(site: &Site, ri: usize) -> ReplyJsonLd<'_> {
    let r = &site.replies[ri];
    let c = &site.config;
    let e = &site.editions[r.edition];
    let (report, lang) = (&e.report, e.language.as_str());
    let m = &r.page.meta;
    let state = m.entity == crate::content::Entity::State;
    ReplyJsonLd {
        context: "https://schema.org",
        kind: "Article",
        alternative_headline: fill_placeholders(
            c.string_for(e, "reply_headline_en"),
            &[("entity", &m.title_en), ("report", &report.title_en)],
        ),
        author: JsonLdAuthor {
            kind: if state { "Country" } else { "Organization" },
            alternate_name: &m.title_en,
            identifier: state.then_some(m.iso3.as_deref()),
            name: &m.title,
        },
        date_received: &m.received.value,
        headline: fill_placeholders(
            c.string_for(e, "reply_headline"),
            &[("entity", &m.title), ("report", &report.title)],
        ),
        in_language: lang,
        is_part_of: JsonLdReport {
            kind: "Report",
            alternate_name: &report.title_en,
            date_published: &report.published,
            name: &report.title,
            publisher: JsonLdAuthor {
                kind: "Organization",
                alternate_name: &report.publisher_en,
                identifier: None,
                name: &report.publisher,
            },
            report_number: &report.symbol,
            url: report.url.as_deref(),
        },
        name: fill_placeholders(c.string_for(e, "reply_of"), &[("entity", &m.title)]),
        url: format!("{}{}", c.site.base_url, r.url),
    }
}

/// The home page's pictures: the map and the charts, made at build time, with the data
/// behind each so the page can give a text equivalent.
/// `pictures`: the home page's map and charts, each chart with its data as a table.
#[derive(Serialize)]
struct Pictures {
    map_html: String,
    charts: Vec<Chart>,
}

#[derive(Serialize)]
struct Chart {
    title: String,
    svg_html: String,
    rows: Vec<ChartRow>,
}

#[derive(Serialize)]
struct ChartRow {
    label: String,
    value: u32,
}

fn pictures(site: &Site) -> Result<Pictures, Diagnostic> {
    use crate::render::charts::{Bar, MapHighlight, bar_chart_svg, world_map_svg};
    let base = site.config.base_path();
    let t = |k| site.config.string(k).to_string();
    // the home page is the first edition's
    let replies = &site.replies[site.edition_range(0)];
    let highlights: Vec<MapHighlight> = replies
        .iter()
        .filter_map(|r| {
            r.page.meta.iso3.as_ref().map(|iso3| MapHighlight {
                iso3: iso3.clone(),
                href: format!("{base}{}", r.url),
                label: r.page.meta.title.clone(),
            })
        })
        .collect();
    let map = if highlights.is_empty() {
        String::new()
    } else {
        world_map_svg(&highlights, &t("home_map_title"), &t("home_map_desc")).map_err(|e| {
            let file = replies
                .iter()
                .find(|r| {
                    e.to_string()
                        .contains(r.page.meta.iso3.as_deref().unwrap_or("\u{0}"))
                })
                .map_or_else(
                    || std::path::PathBuf::from("content/replies"),
                    |r| r.page.file.clone(),
                );
            Diagnostic::new(file, format!("cannot draw the map: {e}"))
                .help("use an ISO 3166-1 alpha-3 code in `iso3:`")
        })?
    };
    // Replies by region group, in the config's order; organizations last.
    let mut regions: Vec<(&String, &crate::config::Region)> = site.config.regions.iter().collect();
    regions.sort_by_key(|(_, r)| r.order);
    let mut by_region: Vec<Bar> = regions
        .iter()
        .map(|(key, region)| Bar {
            label: region.name.clone(),
            value: replies
                .iter()
                .filter(|r| {
                    r.page
                        .meta
                        .region
                        .as_ref()
                        .is_some_and(|g| &g.value == *key)
                })
                .count() as u32,
            href: None,
        })
        .filter(|b| b.value > 0)
        .collect();
    let orgs = replies
        .iter()
        .filter(|r| r.page.meta.region.is_none())
        .count() as u32;
    if orgs > 0 {
        by_region.push(Bar {
            label: t("region_none"),
            value: orgs,
            href: None,
        });
    }
    // Replies by month received.
    let mut months: std::collections::BTreeMap<String, u32> = std::collections::BTreeMap::new();
    for r in &site.replies {
        if let Some(month) = r.page.meta.received.value.get(..7) {
            *months.entry(month.to_string()).or_default() += 1;
        }
    }
    let by_month: Vec<Bar> = months
        .into_iter()
        .map(|(m, n)| {
            let (y, mo) = m.split_once('-').unwrap_or((&m, ""));
            let label = fill_placeholders(
                site.config.string("month_label"),
                &[("year", y), ("month", mo.trim_start_matches('0'))],
            );
            Bar {
                label,
                value: n,
                href: None,
            }
        })
        .collect();
    let chart = |id: &str, title: String, bars: &[Bar]| Chart {
        svg_html: bar_chart_svg(id, &title, bars),
        title,
        rows: bars
            .iter()
            .map(|b| ChartRow {
                label: b.label.clone(),
                value: b.value,
            })
            .collect(),
    };
    Ok(Pictures {
        map_html: map,
        charts: vec![
            chart("by-region", t("home_by_region"), &by_region),
            chart("by-month", t("home_by_month"), &by_month),
        ],
    })
}
