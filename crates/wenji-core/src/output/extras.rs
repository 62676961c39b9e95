//! Files a published site needs besides its pages: sitemap, robots.txt, `.nojekyll` for
//! GitHub Pages, `CNAME`, per-reply citation downloads (CSL-JSON, BibTeX, RIS) and the
//! paragraph-level open data (JSON and CSV): the outputs [`SiteFiles`], [`Citations`] and
//! [`OpenData`].

use pulldown_cmark::{Event, Tag};
use rayon::prelude::*;
use serde_json::json;

use crate::error::Diagnostic;
use crate::json_text;
use crate::link::{Site, urls};
use crate::output::registry::{Output, OutputContext, Produced};
use crate::output::{OutputFile, Sink};
use crate::render::context::fill_placeholders;
use crate::render::html::escaped;

/// The files hosts and crawlers read: robots.txt, the sitemap (when the base URL has a
/// host), `.nojekyll` for GitHub Pages and `CNAME` when the site has one.
pub struct SiteFiles;

impl Output for SiteFiles {
    fn name(&self) -> &'static str {
        "site files"
    }

    fn write(&self, cx: &mut OutputContext, sink: &Sink) -> Result<Produced, Vec<Diagnostic>> {
        let site = cx.site();
        let mut files = vec![robots(site), OutputFile::new(".nojekyll", "")];
        // A sitemap lists absolute URLs: there is none when the base URL is only a path.
        if absolute_base(site) {
            files.push(sitemap(site));
        }
        if let Some(cname) = site
            .config
            .site
            .cname
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            files.push(OutputFile::new("CNAME", format!("{cname}\n")));
        }
        for f in &files {
            sink.put(f).map_err(|d| vec![d])?;
        }
        Ok(Produced::default())
    }
}

/// Each reply's citation in CSL-JSON, BibTeX and RIS, at `<reply>/cite.{json,bib,ris}`.
pub struct Citations;

/// The extensions of a reply's citation files: CSL-JSON, BibTeX, RIS, in this order.
const CITATION_FORMATS: [&str; 3] = ["json", "bib", "ris"];

impl Output for Citations {
    fn name(&self) -> &'static str {
        "citations"
    }

    fn published(&self, site: &Site) -> Vec<String> {
        // A large site's citations are downloaded from parts, not published a file a reply.
        if site.is_large() {
            return Vec::new();
        }
        site.replies
            .par_iter()
            .flat_map_iter(|r| CITATION_FORMATS.map(|ext| format!("/{}cite.{ext}", r.url)))
            .collect()
    }

    fn write(&self, cx: &mut OutputContext, sink: &Sink) -> Result<Produced, Vec<Diagnostic>> {
        let site = cx.site();
        // Three files a reply are 30,000 files at 10,000 replies: a large site keeps its
        // citation downloads in parts ([`write_citation_parts`]).
        if site.is_large() {
            write_citation_parts(site, sink).map_err(|d| vec![d])?;
            return Ok(Produced::default());
        }
        (0..site.replies.len())
            .into_par_iter()
            .try_for_each(|ri| {
                citation_files(site, ri)
                    .iter()
                    .try_for_each(|f| sink.put(f))
            })
            .map_err(|d| vec![d])?;
        Ok(Produced::default())
    }
}

/// Every paragraph of every reply as open data, in JSON and CSV.
pub struct OpenData;

impl OpenData {
    /// The open data's files, from the site root ([`open_data_names`]).
    fn files(site: &Site) -> Vec<String> {
        let dir = urls::data(&site.config.sections);
        open_data_names(site)
            .into_iter()
            .map(|name| format!("{dir}{name}"))
            .collect()
    }
}

impl Output for OpenData {
    fn name(&self) -> &'static str {
        "open data"
    }

    fn published(&self, site: &Site) -> Vec<String> {
        OpenData::files(site)
            .iter()
            .map(|f| format!("/{f}"))
            .collect()
    }

    fn reads_reply_text(&self) -> bool {
        true
    }

    fn write(&self, cx: &mut OutputContext, sink: &Sink) -> Result<Produced, Vec<Diagnostic>> {
        write_open_data(cx.site(), sink).map_err(|d| vec![d])?;
        Ok(Produced::default())
    }
}

/// Replies per part of a large site's open data (`paragraphs-001.csv.gz`, …): ~15 MB of CSV
/// (~5 MB gzipped) at the bench corpus's 10.6 kB of text a reply.
pub const OPEN_DATA_PART_REPLIES: usize = 1000;

/// The small-site form's open data files, in the data folder.
const OPEN_DATA_JSON: &str = "paragraphs.json";
const OPEN_DATA_CSV: &str = "paragraphs.csv";

/// The open data's files, relative to the data folder: `paragraphs.json` and
/// `paragraphs.csv`, or on a large site the CSV in gzipped parts of
/// [`OPEN_DATA_PART_REPLIES`] replies (the JSON, the same rows a second time, is left out).
pub fn open_data_names(site: &Site) -> Vec<String> {
    (0..site.editions.len())
        .flat_map(|e| edition_open_data_names(site, e))
        .collect()
}

/// The open data files of edition `e`, under its path in the data folder (the first
/// edition's at the top).
pub fn edition_open_data_names(site: &Site, e: usize) -> Vec<String> {
    let prefix = &site.editions[e].path;
    if site.is_large() {
        let replies = site.edition_range(e).len();
        (1..=replies.div_ceil(OPEN_DATA_PART_REPLIES).max(1))
            .map(|i| format!("{prefix}paragraphs-{i:03}.csv.gz"))
            .collect()
    } else {
        vec![
            format!("{prefix}{OPEN_DATA_JSON}"),
            format!("{prefix}{OPEN_DATA_CSV}"),
        ]
    }
}

/// Replies per part of a large site's citation downloads (`cite/001.json.gz`, …).
pub const CITATION_PART_REPLIES: usize = 1000;

/// The part of a large site's citation downloads that holds reply `ri`, from the site root.
pub fn citation_part(ri: usize) -> String {
    format!("cite/{:03}.json.gz", ri / CITATION_PART_REPLIES + 1)
}

/// A large site's citation downloads: per part of [`CITATION_PART_REPLIES`] replies, a JSON
/// object `{slug: [CSL-JSON, BibTeX, RIS]}` (each the bytes of the small site's file),
/// gzipped; the reply page's links fetch it and save the reply's file (`assets/reply.js`).
/// Inside the pages as `data:` URLs they were 26 MB at 10,000 replies; so, ~2 MB.
fn write_citation_parts(site: &Site, sink: &Sink) -> Result<(), Diagnostic> {
    let ids: Vec<usize> = (0..site.replies.len()).collect();
    ids.par_chunks(CITATION_PART_REPLIES).try_for_each(|part| {
        let mut all = serde_json::Map::new();
        for &ri in part {
            let cite = Citation::of(site, ri);
            let csl = String::from_utf8_lossy(&cite.csl_json()).into_owned();
            all.insert(
                site.reply_key(ri),
                serde_json::json!([csl, cite.bibtex(), cite.ris()]),
            );
        }
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
        serde_json::to_writer(&mut gz, &all)
            .map_err(std::io::Error::from)
            .and_then(|()| gz.finish())
            .map_err(|e| {
                Diagnostic::new("site", format!("cannot write the citation downloads: {e}"))
            })
            .and_then(|bytes| sink.put(&OutputFile::new(citation_part(part[0]), bytes)))
    })
}

/// The sitemap: every published page (not the 404 page, nor the redirects of old addresses).
fn sitemap(site: &Site) -> OutputFile {
    let base = &site.config.site.base_url;
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for p in &crate::render::kinds::published_files(site) {
        let url = p.strip_suffix("index.html").unwrap_or(p);
        xml.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            escaped(&format!("{base}{url}"))
        ));
    }
    xml.push_str("</urlset>\n");
    OutputFile::new("sitemap.xml", xml)
}

fn absolute_base(site: &Site) -> bool {
    let b = &site.config.site.base_url;
    b.starts_with("https://") || b.starts_with("http://")
}

fn robots(site: &Site) -> OutputFile {
    let mut text = String::from("User-agent: *\nAllow: /\n");
    if absolute_base(site) {
        text.push_str(&format!(
            "Sitemap: {}sitemap.xml\n",
            site.config.site.base_url
        ));
    }
    OutputFile::new("robots.txt", text)
}

/// What every citation file of a reply says: the reply of a State or organization, in the
/// report (symbol, title, year, publisher), received on a date, at a URL.
struct Citation<'a> {
    /// An identifier of ASCII letters, digits and `-`, whatever the symbol holds.
    key: String,
    /// The State or organization: an institutional author, one name.
    author: &'a str,
    /// "Reply of X: report title", in the site's language (the string `reply_headline`).
    title: String,
    /// What every format carries as its note: the English title and the date received (the
    /// string `cite_note`).
    note: String,
    /// The kind of document, as citation managers show it (the string `cite_document_type`).
    document_type: &'a str,
    symbol: &'a str,
    publisher: &'a str,
    year: &'a str,
    /// The date the reply was received, `YYYY-MM-DD`.
    received: &'a str,
    language: &'a str,
    url: String,
}

impl<'a> Citation<'a> {
    fn of(site: &'a Site, ri: usize) -> Self {
        let r = &site.replies[ri];
        let m = &r.page.meta;
        let c = &site.config;
        let edition = &site.editions[r.edition];
        let (report, lang) = (&edition.report, edition.language.as_str());
        let title_en = fill_placeholders(
            c.string_for(edition, "reply_headline_en"),
            &[("entity", &m.title_en), ("report", &report.title_en)],
        );
        let note = fill_placeholders(
            c.string_for(edition, "cite_note"),
            &[
                ("title_en", &title_en),
                ("received", &m.received.value),
                ("received_as_printed", &m.received_as_printed),
            ],
        );
        Citation {
            key: citation_key(&report.symbol, &site.reply_key(ri)),
            author: &m.title,
            title: fill_placeholders(
                c.string_for(edition, "reply_headline"),
                &[("entity", &m.title), ("report", &report.title)],
            ),
            note,
            document_type: c.string_for(edition, "cite_document_type"),
            symbol: &report.symbol,
            publisher: &report.publisher,
            year: edition.year(),
            received: &m.received.value,
            language: lang,
            url: format!("{}{}", c.site.base_url, r.url),
        }
    }

    fn csl_json(&self) -> Vec<u8> {
        let date = |d: &str| -> Vec<u32> { d.split('-').filter_map(|p| p.parse().ok()).collect() };
        let csl = json!([{
            "id": self.key,
            "type": "report",
            "title": self.title,
            "author": [{"literal": self.author}],
            "publisher": self.publisher,
            "number": self.symbol,
            "genre": self.document_type,
            "language": self.language,
            "issued": {"date-parts": [date(self.year)]},
            "submitted": {"date-parts": [date(self.received)]},
            "URL": self.url,
            "note": self.note,
        }]);
        serde_json::to_vec_pretty(&csl).unwrap_or_default()
    }

    fn bibtex(&self) -> String {
        // Double braces keep the author one institutional name, never split into parts.
        format!(
            "@techreport{{{},\n  author = {{{{{}}}}},\n  title = {{{}}},\n  institution = {{{}}},\n  number = {{{}}},\n  type = {{{}}},\n  year = {{{}}},\n  language = {{{}}},\n  url = {{{}}},\n  note = {{{}}}\n}}\n",
            self.key,
            bib_escape(self.author),
            bib_escape(&self.title),
            bib_escape(self.publisher),
            bib_escape(self.symbol),
            bib_escape(self.document_type),
            bib_escape(self.year),
            bib_escape(self.language),
            bib_url(&self.url),
            bib_escape(&self.note),
        )
    }

    /// RIS: `SN` is where readers of a report (`RPRT`) take its number; `AU` without a comma
    /// is one institutional name.
    fn ris(&self) -> String {
        let mut out = String::new();
        for (tag, value) in [
            ("TY", "RPRT"),
            ("AU", self.author),
            ("TI", &self.title),
            ("PB", self.publisher),
            ("SN", self.symbol),
            ("M3", self.document_type),
            ("PY", self.year),
            ("LA", self.language),
            ("UR", &self.url),
            ("N1", &self.note),
        ] {
            out.push_str(tag);
            out.push_str("  - ");
            out.push_str(&ris_value(value));
            out.push_str("\r\n");
        }
        out.push_str("ER  - \r\n");
        out
    }
}

/// A BibTeX key from the report's symbol and the reply's slug: only ASCII letters, digits and
/// `-`, so no symbol can end the key or the entry.
fn citation_key(symbol: &str, slug: &str) -> String {
    format!("{symbol}-{slug}")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

/// A RIS value on one line: a line break in a value would start a new tag, or a new record.
fn ris_value(s: &str) -> String {
    s.split(char::is_control)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
        .trim()
        .to_string()
}

/// CSL-JSON, BibTeX and RIS for one reply, at `<reply>/cite.{json,bib,ris}`.
pub fn citation_files(site: &Site, ri: usize) -> Vec<OutputFile> {
    let r = &site.replies[ri];
    let cite = Citation::of(site, ri);
    let bytes = [
        cite.csl_json(),
        cite.bibtex().into_bytes(),
        cite.ris().into_bytes(),
    ];
    CITATION_FORMATS
        .into_iter()
        .zip(bytes)
        .map(|(ext, bytes)| OutputFile::new(format!("{}cite.{ext}", r.url), bytes))
        .collect()
}

/// A URL for BibTeX's verbatim `url` field: nothing escaped but what could end the field.
fn bib_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            '{' => out.push_str("%7B"),
            '}' => out.push_str("%7D"),
            '\\' => out.push_str("%5C"),
            c if c.is_whitespace() || c.is_control() => out.push_str("%20"),
            c => out.push(c),
        }
    }
    out
}

/// A BibTeX field value: its specials escaped, and line breaks (which end nothing in BibTeX
/// but would in the files' readers) made spaces.
fn bib_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '{' | '}' | '\\' | '%' | '&' | '$' | '#' | '_' | '~' | '^' => {
                out.push('\\');
                out.push(c);
                if matches!(c, '~' | '^') {
                    out.push_str("{}");
                }
            }
            '@' => out.push_str("{@}"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// One row of the open data. The fields are in alphabetical order, the order of the keys of
/// the `serde_json` map each row was before; [`row_json`] writes them so, byte for byte as
/// `serde_json` did (a test compares the two).
#[cfg_attr(test, derive(serde::Serialize))]
struct Row<'a> {
    concepts: Vec<&'a str>,
    /// The footnotes the passage refers to, in the order it refers to them.
    footnotes: Vec<Footnote>,
    iso3: Option<&'a str>,
    paragraph: u32,
    reply: &'a str,
    reply_en: &'a str,
    section: &'a str,
    slug: &'a str,
    text: String,
    url: String,
}

/// A footnote of a passage in the open data: its mark as printed, its text, its URL on the
/// site and the addresses it links to.
#[cfg_attr(test, derive(serde::Serialize))]
struct Footnote {
    links: Vec<String>,
    mark: String,
    text: String,
    url: String,
}

/// The footnotes a passage refers to, in order, each once.
fn passage_footnotes(site: &Site, r: &crate::link::Reply, events: &[Event]) -> Vec<Footnote> {
    let mut seen = Vec::new();
    for e in events {
        if let Event::FootnoteReference(label) = e
            && !seen.contains(&label.as_ref())
        {
            seen.push(label.as_ref());
        }
    }
    let base = site.config.base_path();
    seen.into_iter()
        .filter_map(|label| {
            let note = r.page.doc.footnotes.iter().find(|n| n.label == label)?;
            let links = note
                .events
                .iter()
                .filter_map(|e| match e {
                    Event::Start(Tag::Link { dest_url, .. }) => Some(
                        crate::link::LinkTarget::of(dest_url)
                            .href(&base, &site.config.site.language)
                            .into_owned(),
                    ),
                    _ => None,
                })
                .collect();
            Some(Footnote {
                links,
                mark: label.to_string(),
                text: data_text(&note.events),
                url: format!(
                    "{}{}#{}",
                    site.config.site.base_url,
                    r.url,
                    crate::render::html::footnote_id(label)
                ),
            })
        })
        .collect()
}

/// The plain text of a passage for the open data: as [`plain_text`], and where a footnote
/// mark is left out between two characters that are not ASCII (`《巴黎呼吁》，[^2] 证明`), the
/// space the PDF's superscript left beside it goes too, so the UN's words read as printed.
///
/// [`plain_text`]: crate::content::markdown::plain_text
fn data_text(events: &[Event]) -> String {
    let text = crate::content::markdown::plain_text(events);
    if !events
        .iter()
        .any(|e| matches!(e, Event::FootnoteReference(_)))
    {
        return text;
    }
    // Mark where the references were: a character plain_text never writes.
    const MARK: char = '\u{1}';
    let marked: Vec<Event> = events
        .iter()
        .map(|e| match e {
            Event::FootnoteReference(_) => Event::Text(MARK.to_string().into()),
            e => e.clone(),
        })
        .collect();
    let marked = crate::content::markdown::plain_text(&marked);
    let chars: Vec<char> = marked.chars().collect();
    let mut out = String::with_capacity(marked.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == MARK {
            continue;
        }
        if c == ' ' {
            // Skip a space next to a mark when the text on both sides is not ASCII.
            let before = chars[..i].iter().rev().find(|&&x| x != MARK && x != ' ');
            let after = chars[i + 1..].iter().find(|&&x| x != MARK && x != ' ');
            let by_mark = chars[..i]
                .iter()
                .rev()
                .take_while(|&&x| x == ' ' || x == MARK)
                .any(|&x| x == MARK)
                || chars[i + 1..]
                    .iter()
                    .take_while(|&&x| x == ' ' || x == MARK)
                    .any(|&x| x == MARK);
            if by_mark
                && before.is_some_and(|b| !b.is_ascii())
                && after.is_some_and(|a| !a.is_ascii())
            {
                continue;
            }
        }
        out.push(c);
    }
    out
}

fn reply_rows<'a>(site: &'a Site, r: &'a crate::link::Reply) -> Vec<Row<'a>> {
    let m = &r.page.meta;
    r.page
        .doc
        .passages()
        .into_iter()
        .map(|p| Row {
            concepts: r
                .passage_concepts
                .get(&p.number)
                .map(|cs| {
                    cs.iter()
                        .map(|&ci| site.concepts[ci].page.meta.slug.value.as_str())
                        .collect()
                })
                .unwrap_or_default(),
            footnotes: passage_footnotes(site, r, p.events),
            iso3: m.iso3.as_deref(),
            paragraph: p.number,
            reply: &m.title,
            reply_en: &m.title_en,
            section: r.section_of.get(&p.number).map_or("", String::as_str),
            slug: &m.slug.value,
            text: data_text(p.events),
            url: format!("{}{}#p{}", site.config.site.base_url, r.url, p.number),
        })
        .collect()
}

/// A row as compact JSON, appended to `out`.
fn row_json(r: &Row, out: &mut Vec<u8>) {
    out.extend_from_slice(b"{\"concepts\":[");
    for (i, c) in r.concepts.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        json_text::write_str(out, c);
    }
    out.extend_from_slice(b"],\"footnotes\":[");
    for (i, f) in r.footnotes.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        footnote_json(f, out);
    }
    out.extend_from_slice(b"],\"iso3\":");
    match r.iso3 {
        Some(iso3) => json_text::write_str(out, iso3),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(format!(",\"paragraph\":{}", r.paragraph).as_bytes());
    for (key, value) in [
        ("reply", r.reply),
        ("reply_en", r.reply_en),
        ("section", r.section),
        ("slug", r.slug),
        ("text", &r.text),
        ("url", &r.url),
    ] {
        out.push(b',');
        json_text::write_str(out, key);
        out.push(b':');
        json_text::write_str(out, value);
    }
    out.push(b'}');
}

/// A footnote as compact JSON (its keys in alphabetical order, as `serde_json` writes a map).
fn footnote_json(f: &Footnote, out: &mut Vec<u8>) {
    out.extend_from_slice(b"{\"links\":[");
    for (i, l) in f.links.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        json_text::write_str(out, l);
    }
    out.push(b']');
    for (key, value) in [("mark", &f.mark), ("text", &f.text), ("url", &f.url)] {
        out.push(b',');
        json_text::write_str(out, key);
        out.push(b':');
        json_text::write_str(out, value);
    }
    out.push(b'}');
}

/// A passage's footnotes in one CSV cell: the JSON array of the JSON data.
fn footnotes_cell(footnotes: &[Footnote]) -> String {
    if footnotes.is_empty() {
        return String::new();
    }
    let mut out = vec![b'['];
    for (i, f) in footnotes.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        footnote_json(f, &mut out);
    }
    out.push(b']');
    String::from_utf8(out).unwrap_or_default()
}

fn csv_field(s: &str, csv: &mut String) {
    // Nearly every field needs no quotes: a first pass the compiler vectorizes tells.
    let special = |b: u8| matches!(b, b',' | b'"' | b'\n' | b'\r');
    // A cell a spreadsheet would run as a formula (`=HYPERLINK(…)`, `+cmd|…`) is neutralised
    // as OWASP recommends: a `'` in front and the cell quoted. The open-data page says so; the
    // JSON keeps the text verbatim.
    let formula = starts_like_a_formula(s);
    if formula || s.bytes().fold(false, |any, b| any | special(b)) {
        csv.push('"');
        if formula {
            csv.push('\'');
        }
        csv.push_str(&s.replace('"', "\"\""));
        csv.push('"');
    } else {
        csv.push_str(s);
    }
}

/// Whether a spreadsheet would take a cell starting like `s` for a formula (OWASP's list, with
/// the full-width forms some spreadsheets also read as formula signs).
fn starts_like_a_formula(s: &str) -> bool {
    s.starts_with([
        '=', '+', '-', '@', '\t', '\r', '\n', '\u{ff1d}', '\u{ff0b}', '\u{ff0d}', '\u{ff20}',
    ])
}

/// Replies whose open-data rows are made at once: enough to keep both threads busy, few
/// enough that the rows in memory stay small whatever the size of the site.
const OPEN_DATA_BATCH: usize = 64;

/// The paragraph-level open data, JSON and CSV, written batch by batch as it is made.
fn write_open_data(site: &Site, sink: &Sink) -> Result<(), Diagnostic> {
    (0..site.editions.len()).try_for_each(|e| write_edition_open_data(site, sink, e))
}

/// The open data of edition `e`: its replies, with its report and language in the head.
fn write_edition_open_data(site: &Site, sink: &Sink, e: usize) -> Result<(), Diagnostic> {
    let edition = &site.editions[e];
    let replies = &site.replies[site.edition_range(e)];
    // The document is serialized with a placeholder for its rows, which are serialized reply
    // by reply and written in its place: the bytes are those of serializing it whole.
    const ROWS: &str = "\u{0}paragraphs\u{0}";
    let mut doc = json!({
        "report": edition.report.symbol,
        "title": edition.report.title,
        "source": edition.report.url,
        "paragraph_numbering": site.config.string_in(&edition.language, "cite_numbering_note"),
        "fields": ["reply", "reply_en", "slug", "iso3", "paragraph", "section", "concepts", "text", "url", "footnotes"],
        "paragraphs": ROWS,
    });
    if site.editions.len() > 1 {
        doc["language"] = json!(edition.language);
        doc["published"] = json!(edition.report.published);
    }
    let doc = serde_json::to_string(&doc).unwrap_or_default();
    let placeholder = serde_json::to_string(ROWS).unwrap_or_default();
    let (head, tail) = doc.split_once(&placeholder).unwrap_or((&doc, ""));
    const CSV_HEAD: &str =
        "\u{feff}reply,reply_en,slug,iso3,paragraph,section,concepts,text,url,footnotes\r\n";
    let dir = format!("{}{}", urls::data(&site.config.sections), edition.path);
    if site.is_large() {
        return write_open_data_parts(site, sink, e, &dir, CSV_HEAD);
    }
    let mut json = sink.open(&format!("{dir}{OPEN_DATA_JSON}"))?;
    let mut csv = sink.open(&format!("{dir}{OPEN_DATA_CSV}"))?;
    json.write(head.as_bytes())?;
    json.write(b"[")?;
    csv.write(CSV_HEAD.as_bytes())?;
    // One batch is written while the next is made.
    let make = |batch: &[crate::link::Reply]| -> Vec<(Vec<u8>, String)> {
        batch
            .par_iter()
            .map(|r| {
                let rows = reply_rows(site, r);
                let mut json = Vec::new();
                for (i, row) in rows.iter().enumerate() {
                    if i > 0 {
                        json.push(b',');
                    }
                    row_json(row, &mut json);
                }
                let mut csv = String::new();
                for row in &rows {
                    csv_row(row, &mut csv);
                }
                (json, csv)
            })
            .collect()
    };
    let mut batches = replies.chunks(OPEN_DATA_BATCH);
    let mut pending = batches.next().map(make);
    let mut first = true;
    while let Some(parts) = pending {
        let (next, written) = rayon::join(
            || batches.next().map(make),
            || -> Result<(), Diagnostic> {
                for (j, c) in parts {
                    if !j.is_empty() {
                        if !first {
                            json.write(b",")?;
                        }
                        first = false;
                        json.write(&j)?;
                    }
                    csv.write(c.as_bytes())?;
                }
                Ok(())
            },
        );
        written?;
        pending = next;
    }
    json.write(b"]")?;
    json.write(tail.as_bytes())?;
    sink.close(json)?;
    sink.close(csv)
}

/// A large site's open data: the CSV in parts of [`OPEN_DATA_PART_REPLIES`] replies, each
/// with its header, gzipped (level 5, as the search index: 3.5× smaller; 6 gives 0.6% fewer
/// bytes in more time); parts made in parallel.
fn write_open_data_parts(
    site: &Site,
    sink: &Sink,
    e: usize,
    dir: &str,
    head: &str,
) -> Result<(), Diagnostic> {
    use std::io::Write as _;
    let prefix = &site.editions[e].path;
    let names: Vec<String> = edition_open_data_names(site, e)
        .into_iter()
        .map(|n| n[prefix.len()..].to_string())
        .collect();
    site.replies[site.edition_range(e)]
        .chunks(OPEN_DATA_PART_REPLIES)
        .zip(&names)
        .collect::<Vec<_>>()
        .into_par_iter()
        .try_for_each(|(part, name)| {
            let path = format!("{dir}{name}");
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(5));
            let mut csv = String::from(head);
            for r in part {
                for row in &reply_rows(site, r) {
                    csv_row(row, &mut csv);
                }
                if csv.len() > 1 << 20 {
                    gz.write_all(csv.as_bytes())
                        .map_err(|e| Diagnostic::new(&path, e.to_string()))?;
                    csv.clear();
                }
            }
            gz.write_all(csv.as_bytes())
                .and_then(|()| gz.finish())
                .map_err(|e| Diagnostic::new(&path, e.to_string()))
                .and_then(|bytes| sink.put(&OutputFile::new(path.clone(), bytes)))
        })
}

fn csv_row(r: &Row, csv: &mut String) {
    let paragraph = r.paragraph.to_string();
    let concepts = r.concepts.join(";");
    let footnotes = footnotes_cell(&r.footnotes);
    let fields = [
        r.reply,
        r.reply_en,
        r.slug,
        r.iso3.unwrap_or(""),
        &paragraph,
        r.section,
        &concepts,
        &r.text,
        &r.url,
        &footnotes,
    ];
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            csv.push(',');
        }
        csv_field(f, csv);
    }
    csv.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_when_needed() {
        let field = |s| {
            let mut out = String::new();
            csv_field(s, &mut out);
            out
        };
        assert_eq!(field("a"), "a");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"x\""), "\"say \"\"x\"\"\"");
        assert_eq!(field("国际法\r\n"), "\"国际法\r\n\"");
    }

    #[test]
    fn csv_formulas_are_neutralised() {
        let field = |s| {
            let mut out = String::new();
            csv_field(s, &mut out);
            out
        };
        assert_eq!(
            field("=HYPERLINK(\"http://x\",\"y\")"),
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""
        );
        assert_eq!(field("+cmd|' /C calc'!A0"), "\"'+cmd|' /C calc'!A0\"");
        assert_eq!(field("@SUM(1+1)"), "\"'@SUM(1+1)\"");
        assert_eq!(field("-2+3"), "\"'-2+3\"");
        assert_eq!(field("\t=1"), "\"'\t=1\"");
        assert_eq!(field("＝1"), "\"'＝1\"");
        // Not at the start: the text as it is.
        assert_eq!(field("a=1"), "a=1");
        assert_eq!(field("国际法=法"), "国际法=法");
    }

    #[test]
    fn rows_are_the_json_serde_json_made_of_them() {
        let row = |concepts, iso3, text: &str| Row {
            concepts,
            footnotes: vec![Footnote {
                links: vec!["https://example.org/\"a\"".into()],
                mark: "2".into(),
                text: "可查阅：\n".into(),
                url: "https://example.org/states/armenia/#fn-2".into(),
            }],
            iso3,
            paragraph: 12,
            reply: "亚美尼亚",
            reply_en: "Armenia \"(1)\"",
            section: "",
            slug: "armenia",
            text: text.to_string(),
            url: "https://example.org/states/armenia/#p12".into(),
        };
        for r in [
            row(vec![], None, "国际法"),
            row(vec!["norm-a", "norms"], Some("ARM"), "a\\b\n\u{1}\t"),
        ] {
            let mut out = Vec::new();
            row_json(&r, &mut out);
            assert_eq!(
                String::from_utf8(out).unwrap(),
                serde_json::to_string(&r).unwrap()
            );
        }
    }

    #[test]
    fn no_stray_space_where_a_footnote_mark_was() {
        let events = |md: &str| {
            let doc = crate::content::markdown::parse(std::path::Path::new("t.md"), md, 1, false)
                .unwrap();
            doc.passages()[0].events.clone()
        };
        let text = |md: &str| data_text(&events(md));
        assert_eq!(
            text("提交了《巴黎呼吁》，[^2] 证明法国\n\n[^2]: 注。\n"),
            "提交了《巴黎呼吁》，证明法国"
        );
        // Between Latin words the space is a word space, and stays.
        assert_eq!(text("the Call[^2] was\n\n[^2]: n\n"), "the Call was");
        assert_eq!(text("the Call[^2] 证明\n\n[^2]: n\n"), "the Call 证明");
        assert_eq!(text("无脚注 的 文字\n"), "无脚注 的 文字");
    }

    #[test]
    fn bibtex_specials_are_escaped() {
        assert_eq!(bib_escape("a_b{c}%"), "a\\_b\\{c\\}\\%");
        assert_eq!(bib_escape("a\r\n},\n@misc{x"), "a  \\}, {@}misc\\{x");
        assert_eq!(
            bib_url("https://x.org/my_repo/{a}%20 b"),
            "https://x.org/my_repo/%7Ba%7D%20%20b"
        );
    }

    #[test]
    fn citation_keys_and_ris_values_cannot_break_out() {
        assert_eq!(citation_key("A/75/123", "france"), "A-75-123-france");
        assert_eq!(citation_key("A/75},\n@x{", "eu"), "A-75----x--eu");
        assert_eq!(
            ris_value("标题\r\nER  - \r\nTY  - JOUR"),
            "标题 ER  -  TY  - JOUR"
        );
        assert_eq!(ris_value(" a\tb "), "a b");
    }
}
