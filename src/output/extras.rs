//! Files a published site needs besides its pages: sitemap, robots.txt, `.nojekyll` for
//! GitHub Pages, `CNAME`, per-reply citation downloads (CSL-JSON, BibTeX, RIS) and the
//! paragraph-level open data (JSON and CSV).

use rayon::prelude::*;
use serde_json::{Value, json};

use crate::link::{Site, urls};
use crate::output::OutputFile;
use crate::render::html::escaped;

pub fn all(site: &Site, page_paths: &[String]) -> Vec<OutputFile> {
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
    let cites: Vec<Vec<OutputFile>> = (0..site.replies.len())
        .into_par_iter()
        .map(|ri| citation_files(site, ri))
        .collect();
    files.extend(cites.into_iter().flatten());
    files.extend(open_data(site));
    files
}

fn sitemap(site: &Site, page_paths: &[String]) -> OutputFile {
    let base = &site.config.site.base_url;
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let redirects: std::collections::BTreeSet<String> =
        site.redirects.keys().map(|k| urls::file_of(k)).collect();
    for p in page_paths {
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

/// One row per paragraph of every reply.
pub fn paragraph_rows(site: &Site) -> Vec<Value> {
    site.replies
        .par_iter()
        .map(|r| reply_rows(site, r))
        .flatten()
        .collect()
}

fn reply_rows(site: &Site, r: &crate::link::Reply) -> Vec<Value> {
    let mut rows = Vec::new();
    {
        let m = &r.page.meta;
        for p in r.page.doc.passages() {
            let concepts: Vec<&str> = r
                .passage_concepts
                .get(&p.number)
                .map(|cs| {
                    cs.iter()
                        .map(|&ci| site.concepts[ci].page.meta.slug.value.as_str())
                        .collect()
                })
                .unwrap_or_default();
            rows.push(json!({
                "reply": m.title,
                "reply_en": m.title_en,
                "slug": m.slug.value,
                "iso3": m.iso3,
                "paragraph": p.number,
                "section": r.section_of.get(&p.number).cloned().unwrap_or_default(),
                "concepts": concepts,
                "text": crate::content::markdown::plain_text(p.events),
                "url": format!("{}{}#p{}", site.config.site.base_url, r.url, p.number),
            }));
        }
    }
    rows
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn open_data(site: &Site) -> Vec<OutputFile> {
    let dir = urls::data(&site.config.sections);
    // Rows are serialized reply by reply in parallel and spliced into the document, which is
    // serialized with a placeholder for them: the bytes are those of serializing it whole.
    const ROWS: &str = "\u{0}paragraphs\u{0}";
    let doc = json!({
        "report": site.config.report.symbol,
        "title": site.config.report.title,
        "source": site.config.report.url,
        "fields": ["reply", "reply_en", "slug", "iso3", "paragraph", "section", "concepts", "text", "url"],
        "paragraphs": ROWS,
    });
    let parts: Vec<(String, String)> = site
        .replies
        .par_iter()
        .map(|r| {
            let rows = reply_rows(site, r);
            let json = rows
                .iter()
                .map(|row| serde_json::to_string(row).unwrap_or_default())
                .collect::<Vec<_>>()
                .join(",");
            let mut csv = String::new();
            for row in &rows {
                csv_row(row, &mut csv);
            }
            (json, csv)
        })
        .collect();
    let rows_json = parts
        .iter()
        .map(|(j, _)| j.as_str())
        .filter(|j| !j.is_empty())
        .collect::<Vec<_>>()
        .join(",");
    let placeholder = serde_json::to_string(ROWS).unwrap_or_default();
    let json = serde_json::to_string(&doc).unwrap_or_default().replacen(
        &placeholder,
        &format!("[{rows_json}]"),
        1,
    );
    let mut csv =
        String::from("\u{feff}reply,reply_en,slug,iso3,paragraph,section,concepts,text,url\r\n");
    for (_, c) in &parts {
        csv.push_str(c);
    }
    vec![
        OutputFile::new(format!("{dir}paragraphs.json"), json),
        OutputFile::new(format!("{dir}paragraphs.csv"), csv),
    ]
}

fn csv_row(r: &Value, csv: &mut String) {
    let s = |k: &str| r[k].as_str().unwrap_or("").to_string();
    let concepts = r["concepts"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(";")
        })
        .unwrap_or_default();
    let fields = [
        s("reply"),
        s("reply_en"),
        s("slug"),
        s("iso3"),
        r["paragraph"].to_string(),
        s("section"),
        concepts,
        s("text"),
        s("url"),
    ];
    csv.push_str(
        &fields
            .iter()
            .map(|f| csv_field(f))
            .collect::<Vec<_>>()
            .join(","),
    );
    csv.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_when_needed() {
        assert_eq!(csv_field("a"), "a");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"x\""), "\"say \"\"x\"\"\"");
    }

    #[test]
    fn bibtex_specials_are_escaped() {
        assert_eq!(bib_escape("a_b{c}%"), "a\\_b\\{c\\}\\%");
    }
}
