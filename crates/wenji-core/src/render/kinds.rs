//! The page kinds, declared once: each kind's name (`page.kind` in templates), its template,
//! where its pages are, the anchors the ledger keeps on them, and how its context is made.
//! The page count, the render's work list, the required templates, the URLs wenji claims
//! before any content file and the pages the ledger and the sitemap know are all read from
//! [`PAGE_KINDS`], so a new kind of page is one entry here and one template.

use crate::config::Sections;
use crate::error::Diagnostic;
use crate::link::{Site, reply_anchors, urls};
use crate::render::PageJob;
use crate::render::context::Pages;

/// Where the pages of a kind are, as paths under the base path (`""`, `states/france/`).
pub enum Paths {
    /// One page at a path the config's `[sections]` give (known before content is read).
    One(fn(&Sections) -> String),
    /// One page per item of the site: how many, and the path of the `i`th.
    Each {
        count: fn(&Site) -> usize,
        path: fn(&Site, usize) -> String,
    },
}

/// A page being made: its kind, its index among the pages of its kind, and its path.
pub struct PageAt<'a> {
    pub kind: &'static str,
    pub index: usize,
    pub path: &'a str,
}

/// One kind of page.
pub struct PageKind {
    /// `page.kind` in the templates.
    pub name: &'static str,
    pub template: &'static str,
    pub paths: Paths,
    /// Whether its pages are published: entered in the ledger and the sitemap (not the 404
    /// page, nor the redirect pages of old addresses).
    pub published: bool,
    /// The anchors of page `i` the ledger keeps (paragraphs, headings, a reply's passages).
    pub anchors: Option<fn(&Site, usize) -> Vec<String>>,
    /// The context of a page of this kind.
    pub context: fn(&Pages, &PageAt) -> Result<tera::Context, Diagnostic>,
}

/// Every kind of page, in the order the render starts them: the large ones first (concept
/// pages, the matrix) so that the parallel render does not end waiting on one of them, and
/// the replies, nearly all pages of a large site, last.
pub const PAGE_KINDS: &[PageKind] = &[
    PageKind {
        name: "concept",
        template: "concept.html",
        paths: Paths::Each {
            count: |s| s.concepts.len(),
            path: |s, i| s.concepts[i].url.clone(),
        },
        published: true,
        anchors: Some(concept_anchors),
        context: |p, at| p.concept(at),
    },
    one("matrix", "matrix.html", urls::matrix, |p, at| p.matrix(at)),
    one("home", "home.html", |_| urls::home(), |p, at| p.home(at)),
    one("replies", "replies.html", urls::replies, |p, at| {
        p.replies(at)
    }),
    one("documents", "documents.html", urls::documents, |p, at| {
        p.documents(at)
    }),
    one("concepts", "concepts.html", urls::concepts, |p, at| {
        p.concepts(at)
    }),
    one("data", "data.html", urls::data, |p, at| p.data(at)),
    one("search", "search.html", urls::search, |p, at| p.search(at)),
    PageKind {
        // the search page of each language but the site's own, in its index folder
        name: "search",
        template: "search.html",
        paths: Paths::Each {
            count: |s| crate::render::context::site_languages(s).len() - 1,
            path: |s, i| {
                let languages = crate::render::context::site_languages(s);
                urls::search_index(&s.config.site.language, languages[i + 1])
            },
        },
        published: true,
        anchors: None,
        context: |p, at| p.language_search(at),
    },
    PageKind {
        name: "page",
        template: "page.html",
        paths: Paths::Each {
            count: |s| s.pages.len(),
            path: |s, i| s.pages[i].url.clone(),
        },
        published: true,
        anchors: None,
        context: |p, at| p.plain_page(at),
    },
    PageKind {
        name: "404",
        template: "404.html",
        paths: Paths::One(|_| NOT_FOUND.to_string()),
        published: false,
        anchors: None,
        context: |p, at| p.not_found(at),
    },
    PageKind {
        name: "redirect",
        template: "redirect.html",
        paths: Paths::Each {
            count: |s| s.redirects.len(),
            // A walk to the i-th alias: sites have a few, and only the render asks.
            path: |s, i| s.redirects.keys().nth(i).cloned().unwrap_or_default(),
        },
        published: false,
        anchors: None,
        context: |p, at| p.redirect(at),
    },
    PageKind {
        name: "edition",
        template: "replies.html",
        paths: Paths::Each {
            count: |s| s.editions.len().saturating_sub(1),
            path: |s, i| s.editions[i + 1].path.clone(),
        },
        published: true,
        anchors: None,
        context: |p, at| p.edition(at),
    },
    PageKind {
        name: "reply",
        template: "reply.html",
        paths: Paths::Each {
            count: |s| s.replies.len(),
            path: |s, i| s.replies[i].url.clone(),
        },
        published: true,
        anchors: Some(|s, i| reply_anchors(&s.replies[i]).into_iter().collect()),
        context: |p, at| p.reply(at),
    },
];

/// The navigation bar, in its order: kinds with one page each, with the `[strings]` key of
/// their label. The plain pages with `nav: true` follow them.
const NAV: &[(&str, &str)] = &[
    ("replies", "nav_replies"),
    ("concepts", "nav_concepts"),
    ("matrix", "nav_matrix"),
    ("documents", "nav_documents"),
];

/// The kinds in the navigation bar, in its order, each with the `[strings]` key of its label.
pub fn nav_kinds() -> impl Iterator<Item = (&'static PageKind, &'static str)> {
    NAV.iter().map(|&(name, label)| {
        let kind = PAGE_KINDS
            .iter()
            .find(|k| k.name == name)
            .expect("every NAV entry names a kind (a test holds it)");
        (kind, label)
    })
}

/// The path of the page hosts show for an address the site does not have.
const NOT_FOUND: &str = "404.html";

/// The template every page template extends; required besides the kinds' own.
pub const LAYOUT_TEMPLATE: &str = "base.html";

/// A published kind with one page at a section's path.
const fn one(
    name: &'static str,
    template: &'static str,
    path: fn(&Sections) -> String,
    context: fn(&Pages, &PageAt) -> Result<tera::Context, Diagnostic>,
) -> PageKind {
    PageKind {
        name,
        template,
        paths: Paths::One(path),
        published: true,
        anchors: None,
        context,
    }
}

/// The anchors of a concept page the ledger keeps: one per reply with passages on it.
fn concept_anchors(site: &Site, ci: usize) -> Vec<String> {
    site.concepts[ci]
        .passages
        .iter()
        .map(|(ri, _)| site.concept_anchor(*ri))
        .collect()
}

impl PageKind {
    /// How many pages of this kind the site has.
    pub fn count(&self, site: &Site) -> usize {
        match self.paths {
            Paths::One(_) => 1,
            Paths::Each { count, .. } => count(site),
        }
    }

    /// The path of page `i` of this kind.
    pub fn path(&self, site: &Site, i: usize) -> String {
        match self.paths {
            Paths::One(path) => path(&site.config.sections),
            Paths::Each { path, .. } => path(site, i),
        }
    }

    /// Page `i` of this kind with its template and context.
    pub fn job(&self, pages: &Pages, site: &Site, i: usize) -> Result<PageJob, Diagnostic> {
        let path = self.path(site, i);
        let at = PageAt {
            kind: self.name,
            index: i,
            path: &path,
        };
        let context = (self.context)(pages, &at)?;
        Ok(PageJob {
            path: file_of(&path),
            template: self.template,
            context,
        })
    }

    /// The URLs of page `i` the ledger keeps, as `/path/` and `/path/#anchor`.
    pub fn published_urls(&self, site: &Site, i: usize) -> Vec<String> {
        let path = self.path(site, i);
        let mut out = vec![format!("/{path}")];
        if let Some(anchors) = self.anchors {
            out.extend(anchors(site, i).iter().map(|a| format!("/{path}#{a}")));
        }
        out
    }
}

/// The file a page path is written to: `index.html` in the page's folder, or the path itself
/// when it names a file (`404.html`).
pub fn file_of(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        urls::file_of(path)
    } else {
        path.to_string()
    }
}

/// The kind of a reply's page, for renderers of single replies (`wenji serve`'s preview).
pub fn reply_kind() -> &'static PageKind {
    PAGE_KINDS
        .iter()
        .find(|k| k.name == "reply")
        .expect("the registry has reply pages")
}

/// How many pages the site has (for progress; the render checks it in debug builds).
pub fn page_count(site: &Site) -> usize {
    PAGE_KINDS.iter().map(|k| k.count(site)).sum()
}

/// Every page as (kind, index), in the order the render starts them.
pub fn all_pages(site: &Site) -> Vec<(&'static PageKind, usize)> {
    let mut out = Vec::with_capacity(page_count(site));
    for kind in PAGE_KINDS {
        out.extend((0..kind.count(site)).map(|i| (kind, i)));
    }
    out
}

/// The paths of the published pages wenji builds itself (not from a content file), which no
/// content file may claim.
pub fn builtin_paths(sections: &Sections) -> Vec<String> {
    PAGE_KINDS
        .iter()
        .filter(|k| k.published)
        .filter_map(|k| match k.paths {
            Paths::One(path) => Some(path(sections)),
            Paths::Each { .. } => None,
        })
        .collect()
}

/// The files of the published pages, sorted (for the sitemap).
pub fn published_files(site: &Site) -> Vec<String> {
    let mut out: Vec<String> = PAGE_KINDS
        .iter()
        .filter(|k| k.published)
        .flat_map(|k| (0..k.count(site)).map(move |i| file_of(&k.path(site, i))))
        .collect();
    out.sort_unstable();
    out
}

/// The templates every site must have: the layout and each kind's.
pub fn required_templates() -> impl Iterator<Item = &'static str> {
    std::iter::once(LAYOUT_TEMPLATE).chain(PAGE_KINDS.iter().map(|k| k.template))
}

#[cfg(test)]
pub(crate) mod tests {
    use std::collections::BTreeSet;
    use std::path::PathBuf;

    use super::*;

    /// The folder with this repository's site (`wenji.toml`), at or above the crate's.
    pub(crate) fn repo_root() -> PathBuf {
        let crate_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        crate_dir
            .ancestors()
            .find(|d| d.join("wenji.toml").is_file() && d.join("content").is_dir())
            .expect("no folder with wenji.toml and content/ above the crate")
            .to_path_buf()
    }

    /// This repository's site, loaded and resolved.
    pub(crate) fn repo_site() -> Site {
        let mut timings = crate::build::Timings::default();
        crate::build::load_site(&repo_root(), None, &mut timings).expect("the site loads")
    }

    #[test]
    fn the_navigation_bar_names_one_page_kinds() {
        let names: Vec<&str> = nav_kinds().map(|(k, _)| k.name).collect();
        assert_eq!(names, ["replies", "concepts", "matrix", "documents"]);
        for (kind, label) in nav_kinds() {
            assert!(matches!(kind.paths, Paths::One(_)), "{}", kind.name);
            assert!(label.starts_with("nav_"), "{label}");
        }
    }

    #[test]
    fn the_render_writes_each_page_the_registry_counts_once() {
        let mut site = repo_site();
        // The site has no alias: two, so that redirect pages are counted too.
        for old in ["old-a/", "old/b/"] {
            site.redirects
                .insert(old.into(), site.replies[0].url.clone());
        }
        // and a second edition in another language, so that its index page and that
        // language's search page are counted too
        let mut second = site.editions[0].clone();
        second.path = "second/".into();
        second.language = "en".into();
        site.editions.push(second);
        let templates = crate::render::templates::load(&repo_root(), false).unwrap();
        let assets = crate::render::assets::load(&repo_root()).unwrap();
        let rendered =
            crate::render::render_each(&site, &templates, &assets, |path, _| Ok(path)).unwrap();
        assert_eq!(rendered.len(), page_count(&site));
        let rendered: BTreeSet<String> = rendered.into_iter().collect();
        assert_eq!(rendered.len(), page_count(&site), "two pages on one path");
        let expected: BTreeSet<String> = all_pages(&site)
            .iter()
            .map(|(kind, i)| file_of(&kind.path(&site, *i)))
            .collect();
        assert_eq!(rendered, expected);
        // Every kind has pages on this site, so each was rendered at least once.
        for kind in PAGE_KINDS {
            assert!(kind.count(&site) > 0, "no {} page to test", kind.name);
        }
    }

    #[test]
    fn the_sitemap_lists_published_pages_only() {
        let site = repo_site();
        let files = published_files(&site);
        assert!(files.contains(&"index.html".to_string()));
        assert!(files.contains(&file_of(&site.replies[0].url)));
        assert!(!files.contains(&NOT_FOUND.to_string()));
        for alias in site.redirects.keys() {
            assert!(!files.contains(&file_of(alias)), "{alias} is a redirect");
        }
    }

    #[test]
    fn built_in_pages_are_the_kinds_with_one_published_page() {
        let site = repo_site();
        let builtin = builtin_paths(&site.config.sections);
        assert!(builtin.contains(&String::new()), "home");
        assert!(builtin.contains(&urls::matrix(&site.config.sections)));
        assert!(!builtin.contains(&NOT_FOUND.to_string()));
        let templates: Vec<&str> = required_templates().collect();
        assert!(templates.contains(&"base.html") && templates.contains(&"reply.html"));
    }
}
