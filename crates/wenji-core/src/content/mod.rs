//! Load stage: walk `content/`, split and type each file's front matter, parse its Markdown
//! into numbered blocks. The result is a [`Corpus`]; nothing here knows about links or HTML.

mod flat_front_matter;
pub mod frontmatter;
pub mod markdown;

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::Config;
use crate::error::{Diagnostic, Diagnostics};
pub use frontmatter::{ConceptMeta, Entity, HomeMeta, PageMeta, ReplyMeta};
pub use markdown::{Block, BlockKind, Document, Events, Footnote, ListItem, Passage};

pub const CONTENT_DIR: &str = "content";

/// Files larger than this are refused: the longest reply is under 40 kB, and the build holds
/// every page in memory several times over (events, HTML, minified HTML), so this bounds
/// its memory and time (a file at the limit builds in seconds).
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// A content file: its typed front matter and its parsed body.
#[derive(Debug, Clone)]
pub struct Page<M> {
    /// Path relative to the site root, for messages.
    pub file: PathBuf,
    pub meta: M,
    pub doc: Document,
    /// Line of the first front-matter line; `Spanned` lines are relative to it.
    pub yaml_line: usize,
}

impl<M> Page<M> {
    /// The file line of a front-matter location.
    pub fn yaml_to_file_line(&self, loc: &serde_saphyr::Location) -> usize {
        self.yaml_line + loc.line() as usize - 1
    }
}

/// Everything under `content/`, typed, in a deterministic order.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    pub home: Option<Page<HomeMeta>>,
    /// Sorted by `order`, then file.
    pub replies: Vec<Page<ReplyMeta>>,
    /// Sorted by `order`, then file.
    pub concepts: Vec<Page<ConceptMeta>>,
    pub pages: Vec<Page<PageMeta>>,
    /// Bytes of Markdown read, for the build summary.
    pub input_bytes: u64,
}

// One per file, moved at once into the corpus: boxing the reply would add an allocation per
// reply for no saving.
#[allow(clippy::large_enum_variant)]
pub enum Loaded {
    Home(Page<HomeMeta>),
    Reply(Page<ReplyMeta>),
    Concept(Page<ConceptMeta>),
    Page(Page<PageMeta>),
}

/// Walks `root/content` and loads every `.md` file, in parallel. All problems are reported.
pub fn load(root: &Path, config: &Config) -> Result<Corpus, Diagnostics> {
    let mut diags = Diagnostics::default();
    let content = root.join(CONTENT_DIR);
    if !content.is_dir() {
        diags.push(
            Diagnostic::new(CONTENT_DIR, "there is no content folder")
                .help("create content/ with the site's Markdown files, or pass --root"),
        );
        return Err(diags);
    }
    let mut files = Vec::new();
    let inside = RootGuard::new(root);
    // Hidden files and folders are skipped: editors keep their lock and swap files there
    // (Emacs's `.#reply.md` is a symbolic link to nothing), and a build must not trip on them.
    // A link out of the site root is reported and not followed.
    for entry in inside.walk(&content, |e| e.depth() == 0 || !is_hidden(e.path())) {
        match entry {
            Ok(e) if e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md") => {
                files.push(e.into_path())
            }
            Ok(_) => {}
            // A hidden link that cannot be followed is an error before `filter_entry` sees it.
            Err(e) if e.path().is_some_and(is_hidden) => {}
            Err(e) => {
                let path = e
                    .path()
                    .map(|p| relative(root, p))
                    .unwrap_or_else(|| PathBuf::from(CONTENT_DIR));
                let io = e.io_error().map(std::io::Error::kind);
                let (msg, help) = if e.loop_ancestor().is_some() {
                    (
                        "a symbolic link here points back to a folder that contains it (a loop)"
                            .to_string(),
                        "remove the link or make it point outside the loop",
                    )
                } else if io == Some(std::io::ErrorKind::NotFound) {
                    (
                        "a symbolic link here points to nothing".to_string(),
                        "remove the link or restore the file it points to",
                    )
                } else {
                    (
                        format!(
                            "cannot read: {}",
                            e.io_error().map_or(e.to_string(), |io| io.to_string())
                        ),
                        "check the permissions, or remove the file or link",
                    )
                };
                diags.push(Diagnostic::new(path, msg).help(help));
            }
        }
    }

    diags.extend(inside.into_errors());

    let results: Vec<(u64, Result<Loaded, Vec<Diagnostic>>)> = files
        .par_iter()
        .map(|path| {
            let rel = relative(root, path);
            match read_file(path, &rel) {
                Ok(text) => (text.len() as u64, load_file(&rel, &text, config)),
                Err(d) => (0, Err(vec![d])),
            }
        })
        .collect();

    let mut corpus = Corpus::default();
    for (bytes, r) in results {
        corpus.input_bytes += bytes;
        match r {
            Ok(Loaded::Home(p)) => {
                if let Some(first) = &corpus.home {
                    diags.push(
                        Diagnostic::new(
                            &p.file,
                            format!(
                                "a second home page; {} is one already",
                                first.file.display()
                            ),
                        )
                        .at(p.yaml_line)
                        .help("keep one file with `kind: home`"),
                    );
                } else {
                    corpus.home = Some(p);
                }
            }
            Ok(Loaded::Reply(p)) => corpus.replies.push(p),
            Ok(Loaded::Concept(p)) => corpus.concepts.push(p),
            Ok(Loaded::Page(p)) => corpus.pages.push(p),
            Err(ds) => diags.extend(ds),
        }
    }
    corpus
        .replies
        .sort_by(|a, b| (a.meta.order, &a.file).cmp(&(b.meta.order, &b.file)));
    corpus
        .concepts
        .sort_by(|a, b| (a.meta.order, &a.file).cmp(&(b.meta.order, &b.file)));
    corpus
        .pages
        .sort_by(|a, b| (a.meta.order, &a.file).cmp(&(b.meta.order, &b.file)));
    if diags.is_empty() {
        Ok(corpus)
    } else {
        Err(diags)
    }
}

/// Keeps the walks of `content/`, `templates/` and `assets/` inside the site root: a symbolic
/// link whose target leaves it (`assets/env.txt -> /proc/self/environ`) would publish that
/// file. Links that stay inside the root are followed as before.
pub struct RootGuard {
    root: PathBuf,
    canonical: PathBuf,
    /// The links refused so far, one error each.
    links_out: std::cell::RefCell<Vec<Diagnostic>>,
}

impl RootGuard {
    pub fn new(root: &Path) -> RootGuard {
        RootGuard {
            root: root.to_path_buf(),
            canonical: std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf()),
            links_out: Default::default(),
        }
    }

    /// Walks `dir` in file-name order, following symbolic links that stay inside the root and
    /// leaving out what `keep` refuses; a link out of the root is recorded, not followed.
    pub fn walk<'a>(
        &'a self,
        dir: &Path,
        mut keep: impl FnMut(&walkdir::DirEntry) -> bool + 'a,
    ) -> impl Iterator<Item = walkdir::Result<walkdir::DirEntry>> + 'a {
        WalkDir::new(dir)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(move |e| keep(e) && self.admits(e))
    }

    /// The errors for the links out of the root that the walks met.
    pub fn into_errors(self) -> Vec<Diagnostic> {
        self.links_out.into_inner()
    }

    /// Whether the walk may use `entry`: false, with an error recorded, for a link whose
    /// target is outside the root. A dangling link is left to the walk to report.
    fn admits(&self, entry: &walkdir::DirEntry) -> bool {
        if !entry.path_is_symlink() {
            return true;
        }
        match std::fs::canonicalize(entry.path()) {
            Ok(target) if !target.starts_with(&self.canonical) => {
                self.links_out.borrow_mut().push(
                    Diagnostic::new(
                        relative(&self.root, entry.path()),
                        format!(
                            "a symbolic link here points outside the site root, to {}",
                            crate::error::shown(&target)
                        ),
                    )
                    .help(
                        "copy the file into the site root, or point the link at a file inside it",
                    ),
                );
                false
            }
            _ => true,
        }
    }
}

fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
}

fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

fn read_file(path: &Path, rel: &Path) -> Result<String, Diagnostic> {
    let meta =
        std::fs::metadata(path).map_err(|e| Diagnostic::new(rel, format!("cannot read: {e}")))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(Diagnostic::new(
            rel,
            format!(
                "the file is {:.1} MB; the limit is {} MB",
                meta.len() as f64 / (1 << 20) as f64,
                MAX_FILE_BYTES >> 20
            ),
        )
        .help("split it into several files"));
    }
    let bytes =
        std::fs::read(path).map_err(|e| Diagnostic::new(rel, format!("cannot read: {e}")))?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let line = bytes[..valid].iter().filter(|&&b| b == b'\n').count() + 1;
        let col = String::from_utf8_lossy(&bytes[..valid])
            .rsplit('\n')
            .next()
            .map_or(0, |l| l.chars().count())
            + 1;
        Diagnostic::new(
            rel,
            format!("the file is not UTF-8 (invalid byte at byte offset {valid})"),
        )
        .at_column(line, col)
        .help("save the file as UTF-8")
    })
}

/// Loads one file's text: front matter by kind, then the body.
pub fn load_file(rel: &Path, text: &str, config: &Config) -> Result<LoadedPage, Vec<Diagnostic>> {
    let split = frontmatter::split(rel, text).map_err(|d| vec![d])?;
    // Parsing the YAML is most of loading a file; the kind is read without it when it can be.
    let kind = match frontmatter::plain_kind(split.yaml) {
        Some(kind) => kind,
        None => probe_kind(rel, &split)?,
    };
    let doc = markdown::parse(rel, split.body, split.body_line, config.site.allow_raw_html);
    let page = |doc: Document| (rel.to_path_buf(), doc, split.yaml_line);
    macro_rules! typed {
        ($variant:ident, $meta:ident) => {{
            let meta = match frontmatter::parse::<frontmatter::$meta>(rel, &split) {
                Ok(meta) if meta.kind == kind => meta,
                typed => {
                    // The typed parse stops at the first key it cannot take; the probe reads
                    // the whole YAML, so its error (syntax, aliases, no kind) comes first.
                    let probed = probe_kind(rel, &split)?;
                    return Err(vec![match typed {
                        Err(d) if probed == kind => d,
                        // `plain_kind` read a line YAML reads otherwise (in a quoted value).
                        _ => Diagnostic::new(
                            rel,
                            format!(
                                "the front matter's `kind` is `{probed}`, \
                                 but a line reads `kind: {kind}`"
                            ),
                        )
                        .at(split.yaml_line)
                        .help("write `kind: …` once, on a line of its own"),
                    }]);
                }
            };
            let (file, doc, yaml_line) = page(doc?);
            Loaded::$variant(Page {
                file,
                meta,
                doc,
                yaml_line,
            })
        }};
    }
    Ok(match kind {
        "home" => typed!(Home, HomeMeta),
        "reply" => match typed!(Reply, ReplyMeta) {
            Loaded::Reply(p) => {
                check_iso_codes(rel, &split, &p.meta)?;
                Loaded::Reply(p)
            }
            other => other,
        },
        "concept" => typed!(Concept, ConceptMeta),
        _ => typed!(Page, PageMeta),
    })
}

pub type LoadedPage = Loaded;

/// ISO 3166-1 codes (alpha-2, alpha-3) of the vendored list the world map also uses.
fn iso_codes() -> &'static [(String, String)] {
    static CODES: std::sync::OnceLock<Vec<(String, String)>> = std::sync::OnceLock::new();
    CODES.get_or_init(|| {
        let rows: Vec<Vec<String>> =
            serde_json::from_str(include_str!("../../data/i18n-iso-countries/codes.json"))
                .unwrap_or_default();
        rows.into_iter()
            .filter_map(|r| Some((r.first()?.clone(), r.get(1)?.clone())))
            .collect()
    })
}

/// A reply's `iso2` and `iso3` are codes of the ISO list, and of one country. They go into
/// the open data, the citations and the map.
fn check_iso_codes(
    rel: &Path,
    split: &frontmatter::Split,
    meta: &ReplyMeta,
) -> Result<(), Vec<Diagnostic>> {
    let codes = iso_codes();
    let line_of = |key: &str| {
        split
            .yaml
            .lines()
            .position(|l| l.trim_start().starts_with(&format!("{key}:")))
            .map_or(split.yaml_line, |i| split.yaml_line + i)
    };
    let mut errors = Vec::new();
    let iso2 = meta.iso2.as_deref();
    let iso3 = meta.iso3.as_deref();
    let row2 = iso2.map(|c| codes.iter().find(|(a2, _)| a2 == c));
    let row3 = iso3.map(|c| codes.iter().find(|(_, a3)| a3 == c));
    for (key, code, row, help) in [
        (
            "iso2",
            iso2,
            row2,
            "two capital letters of ISO 3166-1, e.g. `FR`",
        ),
        (
            "iso3",
            iso3,
            row3,
            "three capital letters of ISO 3166-1, e.g. `FRA`",
        ),
    ] {
        if let (Some(code), Some(None)) = (code, row) {
            errors.push(
                Diagnostic::new(
                    rel,
                    format!("`{key}: {}` is not an ISO 3166-1 code", code.escape_debug()),
                )
                .at(line_of(key))
                .help(format!("write {help}, or leave the key out")),
            );
        }
    }
    if let (Some(Some(a)), Some(Some(b))) = (row2, row3)
        && a != b
    {
        errors.push(
            Diagnostic::new(
                rel,
                format!(
                    "`iso2: {}` and `iso3: {}` are codes of two countries",
                    a.0, b.1
                ),
            )
            .at(line_of("iso3"))
            .help(format!("for {}, iso3 is `{}`", a.0, a.1)),
        );
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// The kind, read by the YAML parser: errors for broken YAML, no `kind` or an unknown one.
fn probe_kind(rel: &Path, split: &frontmatter::Split) -> Result<&'static str, Vec<Diagnostic>> {
    let probe: frontmatter::KindProbe = frontmatter::parse(rel, split).map_err(|d| vec![d])?;
    let Some(kind) = probe.kind else {
        return Err(vec![
            Diagnostic::new(rel, "the front matter has no `kind`")
                .at(split.yaml_line)
                .help("add `kind: reply`, `kind: concept`, `kind: page` or `kind: home`"),
        ]);
    };
    frontmatter::KINDS
        .iter()
        .copied()
        .find(|k| *k == kind.value)
        .ok_or_else(|| {
            vec![
                Diagnostic::new(rel, format!("unknown kind `{}`", kind.value))
                    .at(split.yaml_line + kind.referenced.line() as usize - 1)
                    .help("use `reply`, `concept`, `page` or `home`"),
            ]
        })
}
