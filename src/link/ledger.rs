//! The URL ledger: a committed list of every published page and paragraph anchor. A build
//! fails when one of them is no longer produced and no alias redirects it, so a link that
//! someone put in a paper keeps working. New URLs enter the ledger only by `wenji ledger`.

use std::collections::{BTreeSet, HashSet};
use std::path::Path;

use rayon::prelude::*;
use rustc_hash::FxHashSet;

use crate::error::Diagnostic;
use crate::link::{Reply, Site, reply_anchors, urls};

pub const LEDGER_FILE: &str = "published-urls.txt";

const HEADER: &str = "# Every URL this site has published, one per line, relative to the base URL.\n# A build fails when one disappears without an alias. Add new ones with `wenji ledger`.\n";

/// Every page path and reply anchor the site produces, as `/path/` or `/path/#anchor`.
pub fn produced(site: &Site) -> FxHashSet<String> {
    // ~40 URLs per reply (its page, anchors and citation files): made per reply in parallel,
    // then put in one set (at 10,000 replies this was 0.3 s on one core).
    let per_reply: Vec<Vec<String>> = site.replies.par_iter().map(reply_urls).collect();
    let mut set = FxHashSet::default();
    set.reserve(per_reply.iter().map(Vec::len).sum::<usize>() + site.concepts.len() + 16);
    set.extend(per_reply.into_iter().flatten());
    set.extend(other_urls(site));
    set
}

/// A reply's page, its anchors and its citation files.
fn reply_urls(r: &Reply) -> Vec<String> {
    let mut urls = vec![format!("/{}", r.url)];
    urls.extend(reply_anchors(r).iter().map(|a| format!("/{}#{a}", r.url)));
    urls.extend(["json", "bib", "ris"].map(|ext| format!("/{}cite.{ext}", r.url)));
    urls
}

/// The site's own pages, concepts, plain pages and the open data.
fn other_urls(site: &Site) -> Vec<String> {
    let s = &site.config.sections;
    let mut out: Vec<String> = [
        urls::home(),
        urls::replies(s),
        urls::concepts(s),
        urls::matrix(s),
        urls::documents(s),
        urls::data(s),
        urls::search(s),
    ]
    .iter()
    .map(|path| format!("/{path}"))
    .collect();
    out.extend(site.concepts.iter().map(|c| format!("/{}", c.url)));
    out.extend(site.pages.iter().map(|p| format!("/{}", p.url)));
    out.push(format!("/{}paragraphs.json", urls::data(s)));
    out.push(format!("/{}paragraphs.csv", urls::data(s)));
    out
}

/// What a build checks against the ledger: every entry the site no longer produces and no
/// alias covers (as [`check`]), and how many produced URLs the ledger lacks (as
/// [`new_entries`]). Made without the set of every produced URL, which at 10,000 replies took
/// 0.25 s of one core to fill and free: each reply's URLs are looked up in the ledger as they
/// are made, in parallel, and the full set is made only when an entry is missing, to see
/// whether an alias covers it.
pub fn audit(site: &Site, ledger: &[(usize, String)]) -> (Vec<Diagnostic>, usize) {
    let known: FxHashSet<&str> = ledger.iter().map(|(_, e)| e.as_str()).collect();
    // A reply's URLs are distinct (its anchors are a set), and no two pages share a URL (the
    // resolver refuses that), so counting the ones the ledger lacks counts distinct URLs.
    let per_reply: Vec<(Vec<&str>, usize)> = site
        .replies
        .par_iter()
        .map(|r| {
            let mut found = Vec::new();
            let mut new = 0;
            for url in reply_urls(r) {
                match known.get(url.as_str()) {
                    Some(&entry) => found.push(entry),
                    None => new += 1,
                }
            }
            (found, new)
        })
        .collect();
    let mut found: FxHashSet<&str> = FxHashSet::default();
    let mut new = 0;
    for (f, n) in per_reply {
        found.extend(f);
        new += n;
    }
    for url in other_urls(site) {
        match known.get(url.as_str()) {
            Some(&entry) => {
                found.insert(entry);
            }
            None => new += 1,
        }
    }
    let missing: Vec<(usize, String)> = ledger
        .iter()
        .filter(|(_, e)| !found.contains(e.as_str()))
        .cloned()
        .collect();
    let errors = if missing.is_empty() {
        Vec::new()
    } else {
        check(site, &produced(site), &missing)
    };
    (errors, new)
}

/// Reads the ledger; a missing file is an empty ledger.
pub fn read(root: &Path) -> Result<Vec<(usize, String)>, Diagnostic> {
    let path = root.join(LEDGER_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => {
            return Err(Diagnostic::new(
                LEDGER_FILE,
                format!("cannot read the ledger: {e}"),
            ));
        }
    };
    Ok(text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim().to_string()))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
        .collect())
}

/// Every ledger entry the site no longer produces and no alias covers; `produced` is
/// [`produced`]`(site)`.
pub fn check(
    site: &Site,
    produced: &FxHashSet<String>,
    ledger: &[(usize, String)],
) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for (line, entry) in ledger {
        if produced.contains(entry) {
            continue;
        }
        let (path, fragment) = entry
            .split_once('#')
            .map_or((entry.as_str(), None), |(p, f)| (p, Some(f)));
        // An alias covers its own path and everything under it (the 404 page redirects those).
        let rel = path.trim_start_matches('/');
        let covered = site.redirects.iter().any(|(alias, target)| {
            rel.strip_prefix(alias.as_str())
                .or_else(|| (format!("{rel}/") == *alias).then_some(""))
                .is_some_and(|rest| {
                    let moved = format!("/{target}{rest}");
                    let moved = match fragment {
                        Some(f) => format!("{moved}#{f}"),
                        None => moved,
                    };
                    produced.contains(&moved)
                })
        });
        if covered {
            continue;
        }
        errors.push(
            Diagnostic::new(LEDGER_FILE, format!("the published URL {entry} is no longer produced"))
                .at(*line)
                .help("restore the page or anchor, or add the old path to the new page's `aliases:` so it redirects"),
        );
    }
    errors
}

/// Entries produced but not yet in the ledger, in no particular order.
pub fn new_entries<'a>(
    produced: &'a FxHashSet<String>,
    ledger: &[(usize, String)],
) -> Vec<&'a str> {
    let known: HashSet<&str> = ledger.iter().map(|(_, e)| e.as_str()).collect();
    produced
        .iter()
        .map(String::as_str)
        .filter(|e| !known.contains(e))
        .collect()
}

/// Adds every produced URL to the ledger, keeping the old entries. Returns how many were added.
pub fn update(root: &Path, site: &Site) -> Result<usize, Diagnostic> {
    let ledger = read(root)?;
    let produced = produced(site);
    let added = new_entries(&produced, &ledger);
    let mut all: BTreeSet<&str> = ledger.iter().map(|(_, e)| e.as_str()).collect();
    all.extend(added.iter().copied());
    let mut text = String::from(HEADER);
    for e in all {
        text.push_str(e);
        text.push('\n');
    }
    let path = root.join(LEDGER_FILE);
    let tmp = root.join(format!(".{LEDGER_FILE}.tmp"));
    std::fs::write(&tmp, text)
        .and_then(|()| std::fs::rename(&tmp, &path))
        .map_err(|e| Diagnostic::new(LEDGER_FILE, format!("cannot write the ledger: {e}")))?;
    Ok(added.len())
}
