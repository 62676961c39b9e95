//! Check stage: every internal link and `#anchor` in the rendered pages must land on a file
//! the build writes and an id that file has. Runs on the HTML before minification, where
//! every attribute value is still quoted.

use std::collections::{BTreeMap, BTreeSet};

use crate::error::Diagnostic;
use crate::output::OutputFile;

/// Ids per HTML file, and the set of all files.
struct Targets<'a> {
    files: BTreeSet<&'a str>,
    ids: BTreeMap<&'a str, BTreeSet<&'a str>>,
}

fn attr_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!(" {attr}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
        let after = &rest[i + needle.len()..];
        match after.find('"') {
            Some(j) => {
                out.push(&after[..j]);
                rest = &after[j..];
            }
            None => break,
        }
    }
    out
}

fn unescape_amp(s: &str) -> String {
    s.replace("&amp;", "&")
}

/// Broken internal links, one diagnostic per (page, target).
pub fn check(files: &[OutputFile], base_path: &str) -> Vec<Diagnostic> {
    let html: Vec<(&str, &str)> = files
        .iter()
        .filter(|f| f.path.ends_with(".html"))
        .filter_map(|f| {
            std::str::from_utf8(&f.bytes)
                .ok()
                .map(|s| (f.path.as_str(), s))
        })
        .collect();
    let targets = Targets {
        files: files.iter().map(|f| f.path.as_str()).collect(),
        ids: html
            .iter()
            .map(|(p, s)| (*p, attr_values(s, "id").into_iter().collect()))
            .collect(),
    };
    let mut errors = BTreeSet::new();
    for (page, text) in &html {
        for attr in ["href", "src"] {
            for raw in attr_values(text, attr) {
                let link = unescape_amp(raw);
                if let Some(problem) = check_link(page, &link, base_path, &targets) {
                    errors.insert((page.to_string(), link, problem));
                }
            }
        }
    }
    errors
        .into_iter()
        .map(|(page, link, problem)| {
            Diagnostic::new(
                format!("site/{page}"),
                format!("broken link `{link}`: {problem}"),
            )
            .help(
                "correct the link in the content or template that wrote it, or restore its target",
            )
        })
        .collect()
}

fn check_link(page: &str, link: &str, base: &str, t: &Targets) -> Option<String> {
    if link.is_empty() {
        return Some("empty link".into());
    }
    let lower = link.to_ascii_lowercase();
    if lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with("mailto:")
        || lower.starts_with("data:")
        || link.starts_with("//")
    {
        return None;
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
        return Some(format!("it is outside the site's base path {base}"));
    } else {
        // Relative to the page's folder.
        let dir = page.rsplit_once('/').map_or("", |(d, _)| d);
        let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
        for seg in path.split('/') {
            match seg {
                ".." => {
                    parts.pop()?;
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
    if !t.files.contains(file.as_str()) {
        return Some(format!("no page or file /{file} is built"));
    }
    if let Some(f) = fragment.filter(|f| !f.is_empty())
        && file.ends_with(".html")
        && !t.ids.get(file.as_str()).is_some_and(|ids| ids.contains(f))
    {
        return Some(format!("/{file} has no element with id `{f}`"));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(p: &str, s: &str) -> OutputFile {
        OutputFile::new(p, s)
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
