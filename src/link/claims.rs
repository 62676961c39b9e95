//! URL claims: every page, built-in page and alias takes one URL, and two may not take the
//! same one (nor, on a case-insensitive file system, two that differ only in case). Slugs and
//! aliases are checked here because they are what makes a URL.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_saphyr::Spanned;

use super::urls;
use crate::config::Sections;
use crate::content::Corpus;
use crate::error::{Diagnostic, Diagnostics};

/// The URLs taken so far, each with the file (and line) that took it.
pub(super) struct Claims {
    /// URL → the file that claims it, to catch two pages on one URL.
    claimed: BTreeMap<String, (PathBuf, usize)>,
    /// The claimed URLs in lower case, to find one that differs only in case without a scan.
    claimed_lower: BTreeMap<String, String>,
}

impl Claims {
    /// The URLs of the pages wenji builds itself, claimed before any file's.
    pub(super) fn of_builtin_pages(sections: &Sections) -> Claims {
        let mut claims = Claims {
            claimed: BTreeMap::new(),
            claimed_lower: BTreeMap::new(),
        };
        for fixed in [
            urls::home(),
            urls::replies(sections),
            urls::concepts(sections),
            urls::documents(sections),
            urls::matrix(sections),
            urls::search(sections),
            urls::data(sections),
        ] {
            claims
                .claimed_lower
                .insert(fixed.to_ascii_lowercase(), fixed.clone());
            claims
                .claimed
                .insert(fixed, (PathBuf::from("a page wenji builds itself"), 0));
        }
        claims
    }

    /// Every URL claimed.
    pub(super) fn urls(&self) -> impl Iterator<Item = &str> {
        self.claimed.keys().map(String::as_str)
    }

    /// Takes `url` for `file`, or reports the file that has it (or one differing in case).
    pub(super) fn claim(&mut self, url: String, file: &Path, line: usize, diags: &mut Diagnostics) {
        // On a case-insensitive file system (macOS, Windows) `Old/` and `old/` are one folder.
        let same_but_case = || {
            let u = self.claimed_lower.get(&url.to_ascii_lowercase())?;
            self.claimed.get(u).map(|(f, _)| (u.clone(), f.clone()))
        };
        if let Some((other, _)) = self.claimed.get(&url) {
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
            self.claimed_lower
                .insert(url.to_ascii_lowercase(), url.clone());
            self.claimed.insert(url, (file.to_path_buf(), line));
        }
    }
}

/// A slug becomes one URL segment: reports one that cannot.
pub(super) fn check_slug(
    file: &Path,
    slug: &Spanned<String>,
    yaml_line: usize,
    diags: &mut Diagnostics,
) {
    if !urls::valid_slug(&slug.value) {
        diags.push(
            Diagnostic::new(
                file,
                format!("slug `{}` is not allowed", slug.value.escape_debug()),
            )
            .at(yaml_line + slug.referenced.line() as usize - 1)
            .help("use lowercase ASCII letters, digits and hyphens: it becomes one URL segment"),
        );
    }
}

/// Aliases become redirect pages: each is checked, claimed, and mapped to its page's URL.
/// Returns alias path → target path.
pub(super) fn aliases(
    corpus: &Corpus,
    page_urls: &super::PageUrls,
    sections: &Sections,
    claims: &mut Claims,
    diags: &mut Diagnostics,
) -> BTreeMap<String, String> {
    let mut redirects = BTreeMap::new();
    let alias_sources = corpus
        .replies
        .iter()
        .zip(&page_urls.replies)
        .map(|(r, u)| (&r.file, r.yaml_line, &r.meta.aliases, u))
        .chain(
            corpus
                .concepts
                .iter()
                .zip(&page_urls.concepts)
                .map(|(c, u)| (&c.file, c.yaml_line, &c.meta.aliases, u)),
        )
        .chain(
            corpus
                .pages
                .iter()
                .zip(&page_urls.pages)
                .map(|(p, u)| (&p.file, p.yaml_line, &p.meta.aliases, u)),
        );
    let own = OwnFiles::new(sections, &page_urls.replies);
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
                    claims.claim(path.clone(), file, line, diags);
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
    redirects
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
    fn new(sections: &Sections, replies_urls: &[String]) -> OwnFiles {
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
