//! The import plan: everything the importer needs to know about one report that the report's
//! text does not say by itself — its symbol and job number (to recognise the running heads),
//! its title, the entities that replied (English names, slugs, codes, regional groups), the
//! threshold of the heading rule, and the listed hand corrections.
//!
//! It is a TOML file beside the seed, named after it: `sources/X.txt` is imported with
//! `sources/X.import.toml` (see [`plan_path`] and `docs/import.md`). Nothing about a particular
//! report is written into the code: the next report of the series is imported by adding its
//! seed and its plan.
//!
//! Every error names the plan file and line, says what is wrong and what to do.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;
use toml::Spanned;

use super::ImportError;
use crate::layout::Layout;

/// The plan of a seed: the seed's path with its extension replaced by `import.toml`
/// (`sources/A-75-123-zh.txt` → `sources/A-75-123-zh.import.toml`).
pub fn plan_path(seed: &Path) -> PathBuf {
    seed.with_extension("import.toml")
}

/// What the importer knows about one report beyond its text. Built by [`ImportPlan::parse`]
/// or [`ImportPlan::load`], which check it.
#[derive(Debug, Clone)]
pub struct ImportPlan {
    /// The plan file, for messages.
    pub path: PathBuf,
    pub report: Report,
    /// A block of at most this many characters without closing punctuation is a heading.
    pub max_heading_chars: usize,
    /// The entities that replied, in the report's order.
    pub entities: Vec<Entity>,
    /// Where footnote reference numbers stand in the running text.
    pub footnote_refs: Vec<FootnoteRef>,
    /// Heading levels the general rule gets wrong.
    pub heading_levels: Vec<HeadingLevel>,
    /// Running heads and page numbers, made from the symbol, job number and page count.
    page_head: Regex,
    /// How the edition's language prints sections, reply heads and sentence ends.
    pub layout: &'static Layout,
}

/// The report itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// Document symbol as printed in the running head (`A/75/123`).
    pub symbol: String,
    /// Job number as printed in the running head (`20-08285`).
    pub job_number: String,
    /// Number of pages, as printed in the page numbers (`31/74`).
    pub pages: u32,
    /// Title of the home page; paragraph 1 of the introduction must contain it.
    pub title: String,
    /// The edition's language, a key of [`Layout::of`] (`zh`, `en`).
    pub language: String,
}

/// Facts about an entity that the report does not print (names in English, codes, group).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity {
    /// The name exactly as printed on the reply's first line, in the edition's language.
    pub name: String,
    pub en: String,
    pub slug: String,
    /// ISO 3166-1 alpha-2 and alpha-3; `None` for an organization.
    pub iso: Option<(String, String)>,
    /// Key of `[regions]` in `wenji.toml`; `None` for an organization.
    pub region: Option<String>,
    /// Line of the entry in the plan.
    pub plan_line: usize,
}

/// A footnote reference: on `seed_line`, the number `number` right after `before` becomes
/// `[^number]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FootnoteRef {
    pub seed_line: usize,
    pub before: String,
    pub number: u32,
    /// Line of the entry in the plan.
    pub plan_line: usize,
}

/// A heading-level correction: the heading starting on `seed_line` has Markdown level `level`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadingLevel {
    pub seed_line: usize,
    pub level: u8,
    /// Line of the entry in the plan.
    pub plan_line: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlan {
    report: RawReport,
    rules: RawRules,
    replies: RawReplies,
    #[serde(default)]
    corrections: RawCorrections,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReplies {
    entities: Spanned<Vec<Spanned<RawEntity>>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawCorrections {
    #[serde(default)]
    footnote_refs: Vec<Spanned<RawFootnoteRef>>,
    #[serde(default)]
    heading_levels: Vec<Spanned<RawHeadingLevel>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReport {
    symbol: Spanned<String>,
    job_number: Spanned<String>,
    pages: Spanned<u32>,
    title: Spanned<String>,
    language: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRules {
    max_heading_chars: Spanned<usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntity {
    name: String,
    en: String,
    slug: String,
    iso2: Option<String>,
    iso3: Option<String>,
    region: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFootnoteRef {
    seed_line: usize,
    before: String,
    number: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHeadingLevel {
    seed_line: usize,
    level: u8,
}

/// A slug or a `[regions]` key: lowercase ASCII words joined by `-`.
static KEY: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[a-z0-9]+(-[a-z0-9]+)*$").unwrap());
static ISO2: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[A-Z]{2}$").unwrap());
static ISO3: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[A-Z]{3}$").unwrap());

impl ImportPlan {
    /// Read and check the plan at `path`.
    pub fn load(path: &Path) -> Result<ImportPlan, ImportError> {
        let text = std::fs::read_to_string(path).map_err(|e| ImportError::Io {
            path: path.to_path_buf(),
            message: format!(
                "cannot read the import plan: {e}; a seed `X.txt` is imported with the data \
                 file `X.import.toml` beside it (see docs/import.md)"
            ),
        })?;
        Self::parse(&text, path)
    }

    /// Parse and check a plan; `path` is only used in messages.
    pub fn parse(text: &str, path: &Path) -> Result<ImportPlan, ImportError> {
        let err = |offset: usize, message: String| ImportError::Plan {
            path: path.to_path_buf(),
            line: line_of(text, offset),
            message,
        };
        let raw: RawPlan = toml::from_str(text).map_err(|e| {
            err(
                e.span().map_or(0, |s| s.start),
                format!(
                    "{}; fix this in the import plan (each table is explained in the file's \
                     comments and in docs/import.md)",
                    e.message().trim_end()
                ),
            )
        })?;

        let r = raw.report;
        for (key, value) in [
            ("symbol", &r.symbol),
            ("job_number", &r.job_number),
            ("title", &r.title),
        ] {
            let v = value.get_ref();
            if v.trim().is_empty() || v.trim() != v {
                return Err(err(
                    value.span().start,
                    format!("[report] {key} is empty or has spaces around it; write it as printed"),
                ));
            }
        }
        if *r.pages.get_ref() == 0 {
            return Err(err(
                r.pages.span().start,
                "[report] pages must be the report's page count, as in the page numbers `31/74`"
                    .into(),
            ));
        }
        let layout = Layout::of(r.language.get_ref()).ok_or_else(|| {
            err(
                r.language.span().start,
                format!(
                    "[report] language {:?} has no layout in the importer; give one of {} (the \
                     language of the seed's text)",
                    r.language.get_ref(),
                    Layout::languages().join(", ")
                ),
            )
        })?;
        let report = Report {
            symbol: r.symbol.into_inner(),
            job_number: r.job_number.into_inner(),
            pages: r.pages.into_inner(),
            title: r.title.into_inner(),
            language: r.language.into_inner(),
        };

        let max_heading_chars = *raw.rules.max_heading_chars.get_ref();
        if max_heading_chars == 0 {
            return Err(err(
                raw.rules.max_heading_chars.span().start,
                "[rules] max_heading_chars must be at least 1".into(),
            ));
        }

        let entities_span = raw.replies.entities.span();
        let mut entities: Vec<Entity> = Vec::new();
        for e in raw.replies.entities.into_inner() {
            let at = e.span().start;
            let plan_line = line_of(text, at);
            let e = e.into_inner();
            if e.name.trim().is_empty() || e.name.trim() != e.name || e.en.trim().is_empty() {
                return Err(err(
                    at,
                    "an entity needs `name` (the name exactly as printed on the reply's first \
                     line, without spaces around it) and `en`"
                        .into(),
                ));
            }
            if !KEY.is_match(&e.slug) {
                return Err(err(
                    at,
                    format!(
                        "slug {:?} of {} must be lowercase ASCII words joined by `-`, e.g. \
                         \"bosnia-and-herzegovina\"",
                        e.slug, e.name
                    ),
                ));
            }
            if let Some(first) = entities
                .iter()
                .find(|x| x.name == e.name || x.slug == e.slug)
            {
                return Err(err(
                    at,
                    format!(
                        "{} / {} is listed twice (first at line {}); list each entity once",
                        e.name, e.slug, first.plan_line
                    ),
                ));
            }
            let (iso, region) = match (e.iso2, e.iso3, e.region) {
                (Some(iso2), Some(iso3), Some(region)) => {
                    if !ISO2.is_match(&iso2) || !ISO3.is_match(&iso3) {
                        return Err(err(
                            at,
                            format!(
                                "{}: iso2 must be two and iso3 three capital letters (ISO 3166-1), \
                                 found {iso2:?} and {iso3:?}",
                                e.name
                            ),
                        ));
                    }
                    if !KEY.is_match(&region) {
                        return Err(err(
                            at,
                            format!(
                                "{}: region {region:?} must be a key of [regions] in wenji.toml",
                                e.name
                            ),
                        ));
                    }
                    (Some((iso2, iso3)), Some(region))
                }
                (None, None, None) => (None, None),
                _ => {
                    return Err(err(
                        at,
                        format!(
                            "{}: give iso2, iso3 and region for a State, none of them for an \
                             organization",
                            e.name
                        ),
                    ));
                }
            };
            entities.push(Entity {
                name: e.name,
                en: e.en,
                slug: e.slug,
                iso,
                region,
                plan_line,
            });
        }
        if entities.is_empty() {
            return Err(err(
                entities_span.start,
                "no entities listed; list every entity that replied".into(),
            ));
        }

        let mut footnote_refs: Vec<FootnoteRef> = Vec::new();
        for f in raw.corrections.footnote_refs {
            let at = f.span().start;
            let f = f.into_inner();
            if f.seed_line == 0 || f.before.is_empty() {
                return Err(err(
                    at,
                    "a footnote reference needs seed_line (1-based) and the text `before` the \
                     number"
                        .into(),
                ));
            }
            if let Some(prev) = footnote_refs.last()
                && (f.number <= prev.number || f.seed_line < prev.seed_line)
            {
                return Err(err(
                    at,
                    format!(
                        "footnote {} (seed line {}) listed after footnote {} (seed line {}): \
                         list the references by increasing footnote number, each once",
                        f.number, f.seed_line, prev.number, prev.seed_line
                    ),
                ));
            }
            footnote_refs.push(FootnoteRef {
                seed_line: f.seed_line,
                before: f.before,
                number: f.number,
                plan_line: line_of(text, at),
            });
        }

        let mut heading_levels: Vec<HeadingLevel> = Vec::new();
        for h in raw.corrections.heading_levels {
            let at = h.span().start;
            let h = h.into_inner();
            if !(2..=6).contains(&h.level) {
                return Err(err(
                    at,
                    format!(
                        "heading level {} at seed line {}: use 2 to 6 (`##` to `######`; `#` \
                         is the page title)",
                        h.level, h.seed_line
                    ),
                ));
            }
            if heading_levels
                .last()
                .is_some_and(|prev| prev.seed_line >= h.seed_line)
            {
                return Err(err(
                    at,
                    format!(
                        "seed line {}: list heading-level corrections once each, by \
                         increasing seed line",
                        h.seed_line
                    ),
                ));
            }
            heading_levels.push(HeadingLevel {
                seed_line: h.seed_line,
                level: h.level,
                plan_line: line_of(text, at),
            });
        }

        let page_head = Regex::new(&format!(
            r"^({sym}|\d+/{pages} {job}|{job} \d+/{pages})$",
            sym = regex::escape(&report.symbol),
            job = regex::escape(&report.job_number),
            pages = report.pages,
        ))
        .expect("escaped");

        Ok(ImportPlan {
            path: path.to_path_buf(),
            report,
            max_heading_chars,
            entities,
            footnote_refs,
            heading_levels,
            page_head,
            layout,
        })
    }

    /// Is this line page furniture: a running head (the symbol alone, or page number and job
    /// number) or a page number?
    pub fn is_page_head(&self, line: &str) -> bool {
        self.page_head.is_match(line.trim())
    }

    /// `"{path}:{line}"` of a plan entry, for messages that send the reader to it.
    pub fn at(&self, plan_line: usize) -> String {
        format!("{}:{plan_line}", self.path.display())
    }
}

/// The 1-based line of byte `offset` in `text`, for errors that point into the plan.
fn line_of(text: &str, offset: usize) -> usize {
    let before = &text.as_bytes()[..offset.min(text.len())];
    before.iter().filter(|&&b| b == b'\n').count() + 1
}

/// A small plan for unit tests (not the real report's), without hand corrections.
#[cfg(test)]
pub(crate) fn example() -> ImportPlan {
    ImportPlan::parse(EXAMPLE, Path::new("example.import.toml")).unwrap()
}

/// The small plan with a few hand corrections (at the real seed's lines).
#[cfg(test)]
pub(crate) fn example_with_corrections() -> ImportPlan {
    ImportPlan::parse(
        &format!("{EXAMPLE}{CORRECTIONS}"),
        Path::new("example.import.toml"),
    )
    .unwrap()
}

#[cfg(test)]
pub(crate) const EXAMPLE: &str = r#"
[report]
symbol = "A/75/123"
job_number = "20-08285"
pages = 74
title = "从国际安全角度促进网络空间负责任国家行为"
language = "zh"

[rules]
max_heading_chars = 60

[replies]
entities = [
  { name = "亚美尼亚", en = "Armenia", slug = "armenia", iso2 = "AM", iso3 = "ARM", region = "eastern-european" },
  { name = "澳大利亚", en = "Australia", slug = "australia", iso2 = "AU", iso3 = "AUS", region = "western-european-and-others" },
  { name = "欧洲联盟", en = "European Union", slug = "european-union" },
]
"#;

#[cfg(test)]
pub(crate) const CORRECTIONS: &str = r#"
[corrections]
footnote_refs = [
  { seed_line = 406, before = "科索沃、", number = 1 },
  { seed_line = 3184, before = "2015 年公布，", number = 9 },
  { seed_line = 3184, before = "2019 年更新", number = 10 },
]

heading_levels = [
  { seed_line = 481, level = 4 },
]
"#;

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<ImportPlan, String> {
        ImportPlan::parse(text, Path::new("x.import.toml")).map_err(|e| e.to_string())
    }

    #[test]
    fn the_plan_sits_beside_the_seed() {
        assert_eq!(
            plan_path(Path::new("sources/A-75-123-zh.txt")),
            PathBuf::from("sources/A-75-123-zh.import.toml")
        );
    }

    #[test]
    fn the_example_plan_parses() {
        let p = example();
        assert_eq!(p.entities.len(), 3);
        assert_eq!(p.entities[0].iso, Some(("AM".into(), "ARM".into())));
        assert_eq!(p.entities[2].region, None);
        assert_eq!(p.entities[1].plan_line, 15);
        assert_eq!(example_with_corrections().footnote_refs[2].number, 10);
        assert!(p.footnote_refs.is_empty() && p.heading_levels.is_empty());
        assert!(p.is_page_head(" A/75/123 "));
    }

    #[test]
    fn page_heads_come_from_the_symbol_job_number_and_page_count() {
        let p = example();
        assert!(p.is_page_head("A/75/123  "));
        assert!(p.is_page_head("31/74 20-08285 "));
        assert!(p.is_page_head("20-08285 62/74 "));
        assert!(!p.is_page_head("20-08285 62/75 "));
        assert!(!p.is_page_head("A/75/1234"));
        assert!(!p.is_page_head("A/75x123"));
    }

    #[test]
    fn errors_name_the_file_and_line() {
        let bad = EXAMPLE.replace("pages = 74", "pages = 74\ncolour = \"blue\"");
        let e = parse(&bad).unwrap_err();
        assert!(
            e.starts_with("x.import.toml:6: unknown field `colour`"),
            "{e}"
        );
        let bad = EXAMPLE.replace("iso3 = \"AUS\", ", "");
        let e = parse(&bad).unwrap_err();
        assert!(
            e.starts_with("x.import.toml:15: 澳大利亚: give iso2, iso3 and region"),
            "{e}"
        );
        let bad = EXAMPLE.replace("slug = \"australia\"", "slug = \"armenia\"");
        let e = parse(&bad).unwrap_err();
        assert!(e.contains("x.import.toml:15: "), "{e}");
        assert!(e.contains("(first at line 14)"), "{e}");
        let bad = format!("{EXAMPLE}{CORRECTIONS}").replace("number = 9", "number = 1");
        let e = parse(&bad).unwrap_err();
        assert!(
            e.starts_with("x.import.toml:22: footnote 1 (seed line 3184) listed after footnote 1"),
            "{e}"
        );
        let bad = format!("{EXAMPLE}{CORRECTIONS}").replace("level = 4", "level = 1");
        let e = parse(&bad).unwrap_err();
        assert!(e.starts_with("x.import.toml:27: heading level 1"), "{e}");
        let bad = EXAMPLE.replace("language = \"zh\"", "language = \"fr\"");
        let e = parse(&bad).unwrap_err();
        assert!(
            e.starts_with("x.import.toml:7: [report] language \"fr\" has no layout")
                && e.contains("give one of zh, en"),
            "{e}"
        );
        let bad = EXAMPLE.replace("max_heading_chars = 60", "max_heading_chars = 0");
        let e = parse(&bad).unwrap_err();
        assert!(
            e.starts_with("x.import.toml:10: [rules] max_heading_chars"),
            "{e}"
        );
        let bad = EXAMPLE.replace("\"A/75/123\"", "\" A/75/123\"");
        let e = parse(&bad).unwrap_err();
        assert!(e.starts_with("x.import.toml:3: [report] symbol"), "{e}");
        let bad = EXAMPLE.replace("[rules]\nmax_heading_chars = 60\n", "");
        let e = parse(&bad).unwrap_err();
        assert!(e.contains("missing field `rules`"), "{e}");
    }

    #[test]
    fn a_missing_plan_says_where_it_is_expected() {
        let e = ImportPlan::load(Path::new("/nonexistent/x.import.toml")).unwrap_err();
        let e = e.to_string();
        assert!(
            e.starts_with("/nonexistent/x.import.toml: cannot read the import plan"),
            "{e}"
        );
        assert!(e.contains("X.import.toml"), "{e}");
    }
}
