//! Links written in content to pages of the site, checked where the file and line are known
//! (the output link check would name only the built page): body links and a concept's
//! `wording_from`.

use std::collections::{BTreeMap, BTreeSet};

use pulldown_cmark::{Event, Tag};

use super::{LinkTarget, PageUrls, urls};
use crate::config::Config;
use crate::content::{BlockKind, Corpus, Document, Events};
use crate::error::{Diagnostic, Diagnostics};

/// Checks every `wording_from`, then every link of every body, against the claimed pages.
pub(super) fn check(
    config: &Config,
    corpus: &Corpus,
    page_urls: &PageUrls,
    pages: BTreeSet<&str>,
    redirects: &BTreeMap<String, String>,
    diags: &mut Diagnostics,
) {
    let reply_anchors: BTreeMap<&str, (u32, BTreeSet<&str>)> = corpus
        .replies
        .iter()
        .zip(&page_urls.replies)
        .map(|(r, u)| {
            let ids = r.doc.heading_ids().collect();
            (u.as_str(), (r.doc.paragraph_count(), ids))
        })
        .collect();
    let base = config.base_path();
    let check = |dest: &str| check_content_link(dest, &base, &pages, &reply_anchors);
    check_wording_from(config, corpus, page_urls, redirects, &check, diags);
    let docs = corpus
        .replies
        .iter()
        .map(|p| (&p.file, &p.doc))
        .chain(corpus.concepts.iter().map(|p| (&p.file, &p.doc)))
        .chain(corpus.pages.iter().map(|p| (&p.file, &p.doc)))
        .chain(corpus.home.iter().map(|p| (&p.file, &p.doc)));
    for (file, doc) in docs {
        for (line, dest) in content_links(doc, &base, &config.site.language) {
            if let Some(problem) = check(&dest) {
                diags.push(
                    Diagnostic::new(file, format!("the link `{dest}` {problem}"))
                        .at(line)
                        .help("correct the link: pages are /<section>/<slug>/, paragraphs #pN, headings #sN or their {#id}"),
                );
            }
        }
    }
}

/// A concept's `wording_from: slug#pN` is a link too; a renamed reply's old slug gets a hint.
fn check_wording_from(
    config: &Config,
    corpus: &Corpus,
    page_urls: &PageUrls,
    redirects: &BTreeMap<String, String>,
    check: &dyn Fn(&str) -> Option<String>,
    diags: &mut Diagnostics,
) {
    let base = config.base_path();
    let replies_urls = &page_urls.replies;
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
            Some(link) => check(link),
            None => Some("is not the slug of a reply and a paragraph".to_string()),
        };
        // A renamed reply: its old slug is an alias now; say which slug to write.
        let renamed = w.value.split_once('#').and_then(|(slug, anchor)| {
            let target = redirects.get(&urls::reply(&config.sections, slug))?;
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
                None => d.help("write the slug of a reply and the paragraph, e.g. `borduria#p1`"),
            });
        }
    }
}

/// (line, target) of every link and image in a document, in order: a link's target as the
/// renderer writes it under `base` in `language`.
fn content_links(doc: &Document, base: &str, language: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut push = |line: usize, events: &Events| {
        for e in events {
            match e {
                Event::Start(Tag::Link { dest_url, .. }) => out.push((
                    line,
                    LinkTarget::of(dest_url).href(base, language).into_owned(),
                )),
                Event::Start(Tag::Image { dest_url, .. }) => out.push((line, dest_url.to_string())),
                _ => {}
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
