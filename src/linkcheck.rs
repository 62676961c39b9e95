//! Check stage: every internal link and `#anchor` in the rendered pages must land on a file
//! the build writes and an id that file has. Each page is read as it is rendered
//! ([`scan`]); the links are resolved once every file is known ([`resolve`]).

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::error::Diagnostic;
#[cfg(test)]
use crate::output::OutputFile;

/// What the check needs of one HTML page, taken while the page passes through the build so
/// that the page itself need not be kept: its ids, and its links to other files (links
/// within the page are checked at once).
#[derive(Debug, Default)]
pub struct PageLinks {
    page: String,
    ids: FxHashSet<String>,
    /// Each link to another file of the site, as written (`&amp;` read as `&`). Its file and
    /// fragment are worked out again when it is resolved: at 10,000 replies a build holds
    /// over a million of these, and one string each is a third of three.
    outgoing: Vec<Box<str>>,
    /// Problems found on the page alone: (link, problem).
    problems: Vec<(String, String)>,
}

impl PageLinks {
    /// The page's path in the site.
    pub fn page(&self) -> &str {
        &self.page
    }
}

/// The `id`, `href` and `src` attributes of every start tag, with their values, quoted or
/// not (the templates are minified, and minify-html drops the quotes a value does not need).
/// Text between tags is skipped whole, so `src=x` written in a paragraph is not a link.
///
/// The page is read as bytes: Tera writes them from `&str`s, and checking that hundreds of MB
/// are UTF-8 again cost more than the scan. Values are cut at ASCII bytes, so each is UTF-8
/// whenever the page is; one that is not is skipped.
fn attributes(b: &[u8]) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(lt) = memchr::memchr(b'<', &b[i..]) {
        i += lt + 1;
        if !b.get(i).is_some_and(u8::is_ascii_alphabetic) {
            continue; // an end tag, a comment, a doctype or a stray `<`
        }
        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
            i += 1;
        }
        // Attributes, up to the tag's `>`.
        loop {
            while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
                i += 1;
            }
            if i >= b.len() || b[i] == b'>' {
                break;
            }
            let name_start = i;
            while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/')
            {
                i += 1;
            }
            let name = &b[name_start..i];
            if b.get(i) != Some(&b'=') {
                continue;
            }
            i += 1;
            let value = match b.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let end = memchr::memchr(q, &b[i + 1..]).map_or(b.len(), |j| i + 1 + j);
                    let v = &b[i + 1..end];
                    i = (end + 1).min(b.len());
                    v
                }
                _ => {
                    let start = i;
                    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                        i += 1;
                    }
                    &b[start..i]
                }
            };
            let name = match name {
                b"id" => "id",
                b"href" => "href",
                b"src" => "src",
                _ => continue,
            };
            if let Ok(value) = std::str::from_utf8(value) {
                out.push((name, value));
            }
        }
    }
    out
}

/// An attribute value as the browser reads it: the character references the site's HTML
/// escaping writes (`&amp;`, `&#39;`, …) decoded, in one pass.
fn unescape_amp(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    const REFS: [(&str, char); 7] = [
        ("&amp;", '&'),
        ("&#39;", '\''),
        ("&#x27;", '\''),
        ("&quot;", '"'),
        ("&#34;", '"'),
        ("&lt;", '<'),
        ("&gt;", '>'),
    ];
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        match REFS.iter().find(|(r, _)| rest.starts_with(r)) {
            Some((r, c)) => {
                out.push(*c);
                rest = &rest[r.len()..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Reads the ids and links of the HTML page at `page` (its path in the site).
pub fn scan(page: &str, html: &[u8], base_path: &str) -> PageLinks {
    let mut links = PageLinks {
        page: page.to_string(),
        ..PageLinks::default()
    };
    // Pages repeat links (paragraph numbers, concept tags): each is checked once, in any
    // order (`resolve` sorts what it reports).
    let mut refs = FxHashSet::default();
    for (name, value) in attributes(html) {
        match name {
            "id" => {
                links.ids.insert(value.to_string());
            }
            "href" | "src" => {
                refs.insert(value);
            }
            _ => {}
        }
    }
    for raw in refs {
        // Most links of a page are to its own paragraphs: checked without allocating.
        if let Some(fragment) = raw.strip_prefix('#')
            && !fragment.contains('&')
        {
            if !fragment.is_empty() && page.ends_with(".html") && !links.ids.contains(fragment) {
                links
                    .problems
                    .push((raw.to_string(), no_id(page, fragment)));
            }
            continue;
        }
        let link = unescape_amp(raw);
        match target(page, &link, base_path) {
            Err(problem) => links.problems.push((link, problem)),
            Ok(None) => {}
            Ok(Some((file, fragment))) if file == page => {
                if let Some(f) = fragment
                    && file.ends_with(".html")
                    && !links.ids.contains(f)
                {
                    links.problems.push((link.clone(), no_id(&file, f)));
                }
            }
            Ok(Some(_)) => links.outgoing.push(link.into_boxed_str()),
        }
    }
    // In order, links to one page follow one another: `resolve` then looks up that page's
    // ids while they are in the cache (in the hash set's order it took half as long again).
    links.outgoing.sort_unstable();
    links
}

/// Broken internal links, one diagnostic per (page, target): `pages` are the scanned HTML
/// pages, `files` every file the build writes, `base_path` the one the pages were scanned
/// with.
pub fn resolve<'a>(
    pages: &[PageLinks],
    files: impl IntoIterator<Item = &'a str>,
    base_path: &str,
) -> Vec<Diagnostic> {
    let files: FxHashSet<&str> = files.into_iter().collect();
    let ids: FxHashMap<&str, &FxHashSet<String>> =
        pages.iter().map(|p| (p.page.as_str(), &p.ids)).collect();
    // Pages in parallel, and the links of a page in parallel too: at 10,000 replies the
    // matrix and each concept page hold ~85,000 links, and page by page one thread was left
    // checking them alone. The set sorts what they find, so the order is the same every time.
    let errors: BTreeSet<(&str, &str, String)> = pages
        .par_iter()
        .flat_map(|p| {
            let own = p
                .problems
                .par_iter()
                .map(|(link, problem)| (p.page.as_str(), link.as_str(), problem.clone()));
            let outgoing = p.outgoing.par_iter().with_min_len(256).filter_map(|link| {
                // `scan` found this link's target; the same call finds it again.
                let Ok(Some((file, fragment))) = target(&p.page, link, base_path) else {
                    return None;
                };
                let problem = if !files.contains(file.as_str()) {
                    format!("no page or file /{file} is built")
                } else if let Some(f) = fragment
                    && file.ends_with(".html")
                    && !ids.get(file.as_str()).is_some_and(|ids| ids.contains(f))
                {
                    no_id(&file, f)
                } else {
                    return None;
                };
                Some((p.page.as_str(), &**link, problem))
            });
            own.chain(outgoing)
        })
        .collect();
    // A link broken on many pages was written by a template: one error, naming the first
    // page and how many more, instead of one per page.
    let mut by_link: BTreeMap<(&str, &str), Vec<&str>> = BTreeMap::new();
    let mut order = Vec::new();
    for (page, link, problem) in &errors {
        let pages = by_link.entry((link, problem.as_str())).or_default();
        if pages.is_empty() {
            order.push((*link, problem.as_str()));
        }
        pages.push(page);
    }
    order
        .into_iter()
        .map(|key| {
            let pages = &by_link[&key];
            let (link, problem) = key;
            let also = match pages.len() {
                1 => String::new(),
                n => format!(
                    " (on {} more pages too: {}{})",
                    n - 1,
                    pages[1..pages.len().min(4)]
                        .iter()
                        .map(|p| format!("site/{p}"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    if n > 4 { ", …" } else { "" }
                ),
            };
            let help = if pages.len() > 1 {
                "a link on many pages comes from a template (templates/base.html or the page's own): correct it there, or restore its target"
            } else {
                "correct the link in the content or template that wrote it, or restore its target"
            };
            Diagnostic::new(
                format!("site/{}", pages[0]),
                format!("broken link `{link}`: {problem}{also}"),
            )
            .help(help)
        })
        .collect()
}

/// Broken internal links among `files` held in memory.
#[cfg(test)]
fn check(files: &[OutputFile], base_path: &str) -> Vec<Diagnostic> {
    let pages: Vec<PageLinks> = files
        .iter()
        .filter(|f| f.path.ends_with(".html"))
        .map(|f| scan(&f.path, &f.bytes, base_path))
        .collect();
    resolve(&pages, files.iter().map(|f| f.path.as_str()), base_path)
}

fn no_id(file: &str, fragment: &str) -> String {
    format!("/{file} has no element with id `{fragment}`")
}

/// The file (relative to the site) and fragment a link points to; `None` for links out of the
/// site; an error for a link that cannot work wherever its target is.
fn target<'a>(
    page: &str,
    link: &'a str,
    base: &str,
) -> Result<Option<(String, Option<&'a str>)>, String> {
    if link.is_empty() {
        return Err("empty link".into());
    }
    let scheme = |s: &str| {
        link.get(..s.len())
            .is_some_and(|l| l.eq_ignore_ascii_case(s))
    };
    if ["http://", "https://", "mailto:", "data:"]
        .into_iter()
        .any(scheme)
        || link.starts_with("//")
    {
        return Ok(None);
    }
    let (path, fragment) = match link.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (link, None),
    };
    let path = path.split('?').next().unwrap_or("");
    let file: String = if path.is_empty() {
        page.to_string()
    } else if let Some(rest) = path.strip_prefix(base) {
        rest.to_string()
    } else if path.starts_with('/') {
        return Err(format!("it is outside the site's base path {base}"));
    } else {
        // Relative to the page's folder.
        let dir = page.rsplit_once('/').map_or("", |(d, _)| d);
        let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
        for seg in path.split('/') {
            match seg {
                ".." => {
                    if parts.pop().is_none() {
                        return Ok(None);
                    }
                }
                "." | "" => {}
                s => parts.push(s),
            }
        }
        let mut joined = parts.join("/");
        if path.ends_with('/') {
            joined.push('/');
        }
        joined
    };
    let file = if file.is_empty() || file.ends_with('/') {
        format!("{file}index.html")
    } else {
        file
    };
    let fragment = fragment.filter(|f| !f.is_empty());
    Ok(Some((file, fragment)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_values_are_read_as_a_browser_reads_them() {
        assert_eq!(unescape_amp("/&#39;a/?x=1&amp;y=&lt;"), "/'a/?x=1&y=<");
        assert_eq!(unescape_amp("&amp;#39;&"), "&#39;&");
    }

    fn f(p: &str, s: &str) -> OutputFile {
        OutputFile::new(p, s)
    }

    #[test]
    fn a_link_broken_on_many_pages_is_one_error() {
        let mut files: Vec<OutputFile> = (0..6)
            .map(|i| f(&format!("p{i}/index.html"), "<a href=\"/gone/\">x</a>"))
            .collect();
        files.push(f("q/index.html", "<a href=\"/q/#nope\">y</a>"));
        let errors = check(&files, "/");
        assert_eq!(errors.len(), 2, "{errors:?}");
        let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert!(
            text[0].contains("site/p0/index.html")
                && text[0].contains("broken link `/gone/`")
                && text[0].contains("on 5 more pages too: site/p1/index.html, site/p2/index.html, site/p3/index.html, …")
                && text[0].contains("comes from a template"),
            "{}",
            text[0]
        );
        assert!(text[1].contains("site/q/index.html") && !text[1].contains("more pages"));
    }

    #[test]
    fn reads_attributes_of_tags_only() {
        let html = r#"<p id=p1 class="para">src=x &lt;img src=y&gt;<a href='#p1' title=t>1</a><img src=/a.png/></p><br>"#;
        assert_eq!(
            attributes(html.as_bytes()),
            vec![("id", "p1"), ("href", "#p1"), ("src", "/a.png/")]
        );
    }

    #[test]
    fn reads_values_as_utf8_and_skips_broken_ones() {
        let html = "<p>网络空间<a href=\"/术语/#段1\" id=节二>一</a></p>".as_bytes();
        assert_eq!(
            attributes(html),
            vec![("href", "/术语/#段1"), ("id", "节二")]
        );
        // a value cut from bytes that are not UTF-8 is left out, the rest still read
        let bad = b"<a href=\"/x\xE7\xBD/\">1</a><p id=ok>";
        assert_eq!(attributes(bad), vec![("id", "ok")]);
    }

    #[test]
    fn finds_broken_pages_and_anchors() {
        let files = vec![
            f(
                "index.html",
                r##"<a href="/b/states/x/#p1">ok</a><a href="/b/states/x/#p9">bad anchor</a><a href="/b/nope/">bad page</a><a href="#top">self</a><a href="https://x.org/">ext</a><a href="/other/">outside</a>"##,
            ),
            f(
                "states/x/index.html",
                r#"<p id="p1">1</p><a href="../../index.html">up</a><a href="cite.bib">bib</a>"#,
            ),
            f("states/x/cite.bib", "@x"),
        ];
        let errs = check(&files, "/b/");
        let msgs: Vec<String> = errs.iter().map(|d| d.message.clone()).collect();
        assert_eq!(msgs.len(), 4, "{msgs:#?}");
        assert!(msgs.iter().any(|m| m.contains("#p9")));
        assert!(msgs.iter().any(|m| m.contains("/b/nope/")));
        assert!(msgs.iter().any(|m| m.contains("`#top`")));
        assert!(msgs.iter().any(|m| m.contains("/other/")));
    }
}
