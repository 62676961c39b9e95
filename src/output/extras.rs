//! Files a published site needs besides its pages: sitemap, robots.txt, `.nojekyll` for
//! GitHub Pages, `CNAME`, per-reply citation downloads (CSL-JSON, BibTeX, RIS) and the
//! paragraph-level open data (JSON and CSV).

use rayon::prelude::*;
use serde_json::json;

use crate::error::Diagnostic;
use crate::json_text;
use crate::link::{Site, urls};
use crate::output::{OutputFile, Sink};
use crate::render::html::escaped;

/// Writes every extra file into `sink`; `page_paths` are the pages the build made (for the
/// sitemap).
pub fn write_all(site: &Site, page_paths: &[&str], sink: &Sink) -> Result<(), Diagnostic> {
    let mut files = vec![robots(site), OutputFile::new(".nojekyll", "")];
    // A sitemap lists absolute URLs: there is none when the base URL is only a path.
    if absolute_base(site) {
        files.push(sitemap(site, page_paths));
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
        sink.put(f)?;
    }
    (0..site.replies.len()).into_par_iter().try_for_each(|ri| {
        citation_files(site, ri)
            .iter()
            .try_for_each(|f| sink.put(f))
    })?;
    write_open_data(site, sink)
}

fn sitemap(site: &Site, page_paths: &[&str]) -> OutputFile {
    let base = &site.config.site.base_url;
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let redirects: std::collections::BTreeSet<String> =
        site.redirects.keys().map(|k| urls::file_of(k)).collect();
    for &p in page_paths {
        if p == "404.html" || redirects.contains(p) {
            continue;
        }
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

fn year(site: &Site) -> &str {
    let p = &site.config.report.published;
    p.get(..4).unwrap_or(p)
}

/// CSL-JSON, BibTeX and RIS for one reply, at `<reply>/cite.{json,bib,ris}`.
pub fn citation_files(site: &Site, ri: usize) -> Vec<OutputFile> {
    let r = &site.replies[ri];
    let m = &r.page.meta;
    let c = &site.config;
    let url = format!("{}{}", c.site.base_url, r.url);
    let title = format!("{}的答复：{}", m.title, c.report.title);
    let title_en = format!("Reply of {}: {}", m.title_en, c.report.title_en);
    let id = format!("{}-{}", c.report.symbol.replace('/', "-"), m.slug.value);
    let csl = json!([{
        "id": id,
        "type": "report",
        "title": title,
        "title-short": m.title,
        "author": [{"literal": m.title}],
        "container-title": c.report.title,
        "publisher": c.report.publisher,
        "number": c.report.symbol,
        "genre": "UN document",
        "language": c.site.language,
        "issued": {"date-parts": [[year(site).parse::<u32>().unwrap_or(0)]]},
        "URL": url,
        "note": title_en,
    }]);
    let bib_key = id.replace(['/', ' '], "-");
    let bib = format!(
        "@techreport{{{bib_key},\n  author = {{{{{}}}}},\n  title = {{{}}},\n  institution = {{{}}},\n  number = {{{}}},\n  type = {{UN document}},\n  year = {{{}}},\n  language = {{{}}},\n  url = {{{url}}},\n  note = {{{}}}\n}}\n",
        bib_escape(&m.title),
        bib_escape(&title),
        bib_escape(&c.report.publisher),
        bib_escape(&c.report.symbol),
        year(site),
        c.site.language,
        bib_escape(&title_en)
    );
    let ris = format!(
        "TY  - RPRT\r\nAU  - {}\r\nTI  - {title}\r\nT2  - {}\r\nPB  - {}\r\nRN  - {}\r\nPY  - {}\r\nLA  - {}\r\nUR  - {url}\r\nN1  - {title_en}\r\nER  - \r\n",
        m.title,
        c.report.title,
        c.report.publisher,
        c.report.symbol,
        year(site),
        c.site.language
    );
    vec![
        OutputFile::new(
            format!("{}cite.json", r.url),
            serde_json::to_vec_pretty(&csl).unwrap_or_default(),
        ),
        OutputFile::new(format!("{}cite.bib", r.url), bib),
        OutputFile::new(format!("{}cite.ris", r.url), ris),
    ]
}

fn bib_escape(s: &str) -> String {
    s.chars()
        .flat_map(|c| match c {
            '{' | '}' | '\\' | '%' | '&' | '$' | '#' | '_' => vec!['\\', c],
            c => vec![c],
        })
        .collect()
}

/// One row of the open data. The fields are in alphabetical order, the order of the keys of
/// the `serde_json` map each row was before; [`row_json`] writes them so, byte for byte as
/// `serde_json` did (a test compares the two).
#[cfg_attr(test, derive(serde::Serialize))]
struct Row<'a> {
    concepts: Vec<&'a str>,
    iso3: Option<&'a str>,
    paragraph: u32,
    reply: &'a str,
    reply_en: &'a str,
    section: &'a str,
    slug: &'a str,
    text: String,
    url: String,
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
            iso3: m.iso3.as_deref(),
            paragraph: p.number,
            reply: &m.title,
            reply_en: &m.title_en,
            section: r.section_of.get(&p.number).map_or("", String::as_str),
            slug: &m.slug.value,
            text: crate::content::markdown::plain_text(p.events),
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
    let dir = urls::data(&site.config.sections);
    // The document is serialized with a placeholder for its rows, which are serialized reply
    // by reply and written in its place: the bytes are those of serializing it whole.
    const ROWS: &str = "\u{0}paragraphs\u{0}";
    let doc = json!({
        "report": site.config.report.symbol,
        "title": site.config.report.title,
        "source": site.config.report.url,
        "fields": ["reply", "reply_en", "slug", "iso3", "paragraph", "section", "concepts", "text", "url"],
        "paragraphs": ROWS,
    });
    let doc = serde_json::to_string(&doc).unwrap_or_default();
    let placeholder = serde_json::to_string(ROWS).unwrap_or_default();
    let (head, tail) = doc.split_once(&placeholder).unwrap_or((&doc, ""));
    let mut json = sink.open(&format!("{dir}paragraphs.json"))?;
    let mut csv = sink.open(&format!("{dir}paragraphs.csv"))?;
    json.write(head.as_bytes())?;
    json.write(b"[")?;
    csv.write(
        "\u{feff}reply,reply_en,slug,iso3,paragraph,section,concepts,text,url\r\n".as_bytes(),
    )?;
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
    let mut batches = site.replies.chunks(OPEN_DATA_BATCH);
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

fn csv_row(r: &Row, csv: &mut String) {
    let paragraph = r.paragraph.to_string();
    let concepts = r.concepts.join(";");
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
    fn bibtex_specials_are_escaped() {
        assert_eq!(bib_escape("a_b{c}%"), "a\\_b\\{c\\}\\%");
    }
}
