//! The importer: a report of the Secretary-General compiling the replies of States and
//! organizations (Chinese edition, text extracted from the PDF) → `content/_index.md` and one
//! `content/replies/<slug>.md` per reply.
//!
//! Why it exists: the seed (`sources/<report>.txt`) is the only source of the reply texts,
//! and the PDF extraction broke it in mechanical ways — wrapped lines, running heads and page
//! numbers, footnotes printed mid-paragraph at page bottoms, hyperlink targets repeated as bare
//! lines, URLs broken across lines, characters spread out with spaces. Repairing that by hand
//! in many files could not be checked or repeated; this module repairs only what the
//! extraction broke, by rules plus a short listed table of hand corrections (`fixes`), and
//! produces the same files every time. It never rewords, drops or adds text.
//!
//! Everything particular to one report — its symbol and job number, title, the entities that
//! replied, the hand corrections — is data: the import plan beside the seed
//! (`sources/<report>.import.toml`, see `plan`). The code knows only the shape of the series.
//!
//! Pipeline: `seed::scan` (lines → blocks + footnotes) → split into the introduction and the
//! replies (each starts with the entity's name, `[原件：…]` and `[yyyy 年 m 月 d 日]`) →
//! `markdown::render_blocks` (blocks → Markdown) → front matter. See `docs/import.md`.

pub mod fixes;
pub mod layout;
pub mod markdown;
pub mod plan;
pub mod seed;

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;

pub use plan::{Entity, ImportPlan, plan_path};
use seed::{Block, Footnote, Scanned};

/// One file the importer produces, relative to the site root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedFile {
    pub rel_path: PathBuf,
    pub contents: String,
}

/// What went wrong, with the seed line where it went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportError {
    /// The seed does not have the expected shape at this line (1-based).
    Seed { line: usize, message: String },
    /// Reading the seed or the plan, or writing a content file, failed.
    Io { path: PathBuf, message: String },
    /// The plan beside the seed is of another report or language than the one asked for.
    OtherReport { path: PathBuf, message: String },
    /// The import plan is wrong at this line (1-based).
    Plan {
        path: PathBuf,
        line: usize,
        message: String,
    },
}

impl ImportError {
    pub fn seed(line: usize, message: impl Into<String>) -> Self {
        ImportError::Seed {
            line,
            message: message.into(),
        }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::Seed { line, message } => write!(f, "seed line {line}: {message}"),
            ImportError::Io { path, message } | ImportError::OtherReport { path, message } => {
                write!(f, "{}: {message}", path.display())
            }
            ImportError::Plan {
                path,
                line,
                message,
            } => write!(f, "{}:{line}: {message}", path.display()),
        }
    }
}

impl std::error::Error for ImportError {}

static FOOTNOTE_REF: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\[\^(\d+)\]").unwrap());

/// One reply as found in the seed.
struct Reply<'a> {
    entity: &'a Entity,
    /// Seed line of the entity's name.
    line: usize,
    order: usize,
    section: String,
    original_language: String,
    received: String,
    received_as_printed: String,
    body: Vec<Block>,
}

/// Convert the seed text into the site's content files, with what the plan says about the
/// report: `content/_index.md` first, then the replies in the report's order.
pub fn import(seed_text: &str, plan: &ImportPlan) -> Result<Vec<ImportedFile>, ImportError> {
    let scanned = seed::scan(seed_text, plan)?;
    let (intro, replies) = split(&scanned, plan)?;
    check_heading_levels(&scanned, plan)?;
    let mut used_notes = BTreeSet::new();
    let mut files = Vec::with_capacity(replies.len() + 1);

    files.push(ImportedFile {
        rel_path: PathBuf::from("content/_index.md"),
        contents: render_home(&intro, &scanned, plan, &mut used_notes)?,
    });
    for r in &replies {
        files.push(ImportedFile {
            rel_path: PathBuf::from(format!("content/replies/{}.md", r.entity.slug)),
            contents: render_reply(r, &scanned, plan, &mut used_notes)?,
        });
    }
    if let Some(n) = scanned
        .footnotes
        .values()
        .find(|n| !used_notes.contains(&n.number))
    {
        return Err(ImportError::seed(
            n.line,
            format!("footnote {} is never referenced", n.number),
        ));
    }
    Ok(files)
}

/// Every listed heading-level correction must name the first line of a heading, so that a
/// changed seed cannot leave a correction silently unused.
fn check_heading_levels(scanned: &Scanned, plan: &ImportPlan) -> Result<(), ImportError> {
    for c in &plan.heading_levels {
        let heading = scanned.blocks.iter().find(|b| b.line == c.seed_line);
        if !heading.is_some_and(|b| {
            markdown::classify(b, plan.max_heading_chars, plan.layout.closing_marks)
                == markdown::Kind::Heading
        }) {
            return Err(ImportError::seed(
                c.seed_line,
                format!(
                    "listed heading-level correction, but no heading starts here; correct the \
                     entry at {}",
                    plan.at(c.plan_line)
                ),
            ));
        }
    }
    Ok(())
}

/// Where the seed of a report's language edition is, relative to the site root:
/// `sources/A-75-123-zh.txt` for `A/75/123` in `zh`.
pub fn seed_path(symbol: &str, language: &str) -> PathBuf {
    PathBuf::from(format!(
        "sources/{}-{language}.txt",
        symbol.replace('/', "-")
    ))
}

/// Import the language edition `language` of the report `symbol`: read the seed at `seed` and
/// its import plan beside it ([`plan_path`]: `X.txt` → `X.import.toml`), which must be the
/// plan of that report and language, and write the content files under `site_root`. Returns
/// how many files were written. Nothing is written unless the whole import succeeds.
pub fn run(
    seed: &Path,
    site_root: &Path,
    symbol: &str,
    language: &str,
) -> Result<usize, ImportError> {
    let io = |path: &Path, e: std::io::Error| ImportError::Io {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    let text = std::fs::read_to_string(seed).map_err(|e| io(seed, e))?;
    let plan = ImportPlan::load(&plan_path(seed))?;
    let report = &plan.report;
    if report.symbol != symbol || report.language != language {
        return Err(ImportError::OtherReport {
            path: plan.path.clone(),
            message: format!(
                "this is the plan of {} in `{}`, not of {symbol} in `{language}`; give the \
                 seed of that edition (--seed) or correct [report] symbol and language",
                report.symbol, report.language
            ),
        });
    }
    let mut files = import(&text, &plan)?;
    if let Some(path) = further_edition(site_root, symbol, language) {
        files = into_edition(files, &path, symbol, language);
    }
    for f in &files {
        let path = site_root.join(&f.rel_path);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
        }
        // Tags and aliases are editorial: a re-import keeps those already in the file.
        let contents = match std::fs::read_to_string(&path) {
            Ok(existing) => keep_editorial(&f.contents, &existing),
            Err(_) => f.contents.clone(),
        };
        std::fs::write(&path, contents).map_err(|e| io(&path, e))?;
    }
    Ok(files.len())
}

/// The URL path of the edition `symbol` in `language` when the site's `wenji.toml` lists it
/// under `[[editions]]` (not as its first edition, `[report]`).
fn further_edition(site_root: &Path, symbol: &str, language: &str) -> Option<String> {
    let text = std::fs::read_to_string(site_root.join("wenji.toml")).ok()?;
    let config: toml::Table = toml::from_str(&text).ok()?;
    config
        .get("editions")?
        .as_array()?
        .iter()
        .find(|e| {
            e.get("symbol").and_then(|v| v.as_str()) == Some(symbol)
                && e.get("language").and_then(|v| v.as_str()) == Some(language)
        })?
        .get("path")?
        .as_str()
        .map(str::to_string)
}

/// The files of a further edition: its replies in `content/replies/<path>/`, each naming its
/// report and language; not the home page, which is the first edition's.
fn into_edition(
    files: Vec<ImportedFile>,
    path: &str,
    symbol: &str,
    language: &str,
) -> Vec<ImportedFile> {
    let keys = format!("kind: reply\nreport: {symbol}\nlanguage: {language}\n");
    files
        .into_iter()
        .filter(|f| f.rel_path.starts_with("content/replies"))
        .map(|f| ImportedFile {
            rel_path: Path::new("content/replies")
                .join(path)
                .join(f.rel_path.file_name().unwrap_or_default()),
            contents: f.contents.replacen("kind: reply\n", &keys, 1),
        })
        .collect()
}

/// The editorial tail of a reply's front matter (from `aliases:` to the closing `---`):
/// what a maintainer adds after import, which a re-import must not wipe out.
fn editorial_tail(text: &str) -> Option<(usize, usize)> {
    let start = if text.starts_with("aliases:") {
        0
    } else {
        text.find("\naliases:")? + 1
    };
    let end = start + text[start..].find("\n---\n")? + 1;
    Some((start, end))
}

/// `imported` with the editorial front matter (aliases, concept tags) of `existing`.
pub fn keep_editorial(imported: &str, existing: &str) -> String {
    match (editorial_tail(imported), editorial_tail(existing)) {
        (Some((a, b)), Some((c, d))) => {
            format!("{}{}{}", &imported[..a], &existing[c..d], &imported[b..])
        }
        _ => imported.to_string(),
    }
}

/// Split the blocks into the introduction (section 一) and the replies, and check that the
/// replies of all the plan's entities are there, each with some text.
fn split<'p>(
    scanned: &Scanned,
    plan: &'p ImportPlan,
) -> Result<(Vec<Block>, Vec<Reply<'p>>), ImportError> {
    let (intro, replies) = split_unchecked(scanned, plan)?;
    let blocks = &scanned.blocks;
    if replies.len() != plan.entities.len() {
        let missing: Vec<&str> = plan
            .entities
            .iter()
            .filter(|e| !replies.iter().any(|r| r.entity.slug == e.slug))
            .map(|e| e.name.as_str())
            .collect();
        return Err(ImportError::seed(
            blocks.last().map_or(0, |b| b.line),
            format!(
                "replies not found: {}",
                missing.join(plan.layout.name_separator)
            ),
        ));
    }
    if let Some(r) = replies.iter().find(|r| r.body.is_empty()) {
        return Err(ImportError::seed(
            r.line,
            format!("the reply of {} has no text", r.entity.name),
        ));
    }
    Ok((intro, replies))
}

/// Split the blocks into the introduction (section 一) and the replies found.
fn split_unchecked<'p>(
    scanned: &Scanned,
    plan: &'p ImportPlan,
) -> Result<(Vec<Block>, Vec<Reply<'p>>), ImportError> {
    let blocks = &scanned.blocks;
    let layout = plan.layout;
    let intro_section = layout.intro_section;
    let mut intro = Vec::new();
    let mut replies: Vec<Reply> = Vec::new();
    let mut section: Option<String> = None;
    let mut i = 0;
    while i < blocks.len() {
        let b = &blocks[i];
        if let Some(c) = layout.section.captures(&b.text) {
            section = Some(c[1].to_string());
            i += 1;
            continue;
        }
        if let Some(entity) = plan.entities.iter().find(|e| e.name == b.text) {
            let sec = section
                .clone()
                .filter(|s| s != intro_section)
                .ok_or_else(|| {
                    ImportError::seed(
                        b.line,
                        format!(
                            "reply of {} outside the replies' sections (before any section or in \
                         section {intro_section}, the introduction)",
                            entity.name
                        ),
                    )
                })?;
            let meta = |k: usize, re: &Regex, what: &str| {
                blocks
                    .get(i + k)
                    .and_then(|m| re.captures(&m.text))
                    .ok_or_else(|| {
                        ImportError::seed(
                            b.line,
                            format!("{} is not followed by {what}", entity.name),
                        )
                    })
            };
            let original = meta(1, &layout.original, layout.original_shape)?;
            let received = meta(2, &layout.received, layout.received_shape)?;
            let Some((y, m, d)) = layout.date(&received) else {
                return Err(ImportError::seed(blocks[i + 2].line, "impossible date"));
            };
            if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
                return Err(ImportError::seed(blocks[i + 2].line, "impossible date"));
            }
            if replies.iter().any(|r| r.entity.slug == entity.slug) {
                return Err(ImportError::seed(
                    b.line,
                    format!("second reply of {}", entity.name),
                ));
            }
            replies.push(Reply {
                entity,
                line: b.line,
                order: replies.len() + 1,
                section: sec,
                original_language: original[1].to_string(),
                received: format!("{y:04}-{m:02}-{d:02}"),
                received_as_printed: received[1].to_string(),
                body: Vec::new(),
            });
            i += 3;
            continue;
        }
        // A reply of an entity the plan does not list would silently become part of the
        // previous reply.
        let starts_reply =
            |k: usize, re: &Regex| blocks.get(i + k).is_some_and(|m| re.is_match(&m.text));
        if starts_reply(1, &layout.original) && starts_reply(2, &layout.received) {
            return Err(ImportError::seed(
                b.line,
                format!(
                    "a reply of {:?}, which is not listed; add it to [replies] entities in {}",
                    b.text,
                    plan.path.display()
                ),
            ));
        }
        match (replies.last_mut(), section.as_deref()) {
            (Some(r), _) => r.body.push(b.clone()),
            (None, Some(s)) if s == intro_section => intro.push(b.clone()),
            _ => {
                return Err(ImportError::seed(
                    b.line,
                    format!("text outside any section or reply: {:?}", b.text),
                ));
            }
        }
        i += 1;
    }
    Ok((intro, replies))
}

/// Render a body and append the definitions of the footnotes it references.
fn body_with_notes(
    blocks: &[Block],
    scanned: &Scanned,
    plan: &ImportPlan,
    used: &mut BTreeSet<u32>,
) -> Result<String, ImportError> {
    let mut out = markdown::render_blocks(blocks, &scanned.link_targets, plan);
    let mut notes: Vec<&Footnote> = Vec::new();
    for b in blocks {
        for c in FOOTNOTE_REF.captures_iter(&b.text) {
            let n: u32 = c[1].parse().unwrap();
            let note = scanned.footnotes.get(&n).ok_or_else(|| {
                ImportError::seed(
                    b.line,
                    format!("reference to footnote {n}, which is not printed"),
                )
            })?;
            if !used.insert(n) {
                return Err(ImportError::seed(
                    b.line,
                    format!("footnote {n} referenced twice"),
                ));
            }
            notes.push(note);
        }
    }
    if !notes.is_empty() {
        out.push('\n');
        for n in notes {
            out.push_str(&format!(
                "[^{}]: {}\n",
                n.number,
                markdown::link_urls(&n.text, &scanned.link_targets)
            ));
        }
    }
    Ok(out)
}

fn render_home(
    intro: &[Block],
    scanned: &Scanned,
    plan: &ImportPlan,
    used: &mut BTreeSet<u32>,
) -> Result<String, ImportError> {
    let title = &plan.report.title;
    let first = intro.first().ok_or_else(|| {
        ImportError::seed(
            1,
            format!("no introduction (section {})", plan.layout.intro_section),
        )
    })?;
    if !first.text.starts_with("1. ") {
        return Err(ImportError::seed(
            first.line,
            "the introduction does not start with paragraph 1",
        ));
    }
    if !first.text.contains(title.as_str()) {
        return Err(ImportError::seed(
            first.line,
            format!(
                "paragraph 1 of the introduction does not quote the report's title {title:?}; \
                 correct [report] title in {}",
                plan.path.display()
            ),
        ));
    }
    let body = body_with_notes(intro, scanned, plan, used)?;
    Ok(format!("---\nkind: home\ntitle: {title}\n---\n\n{body}"))
}

fn render_reply(
    r: &Reply,
    scanned: &Scanned,
    plan: &ImportPlan,
    used: &mut BTreeSet<u32>,
) -> Result<String, ImportError> {
    let e = r.entity;
    let mut fm = String::from("---\nkind: reply\n");
    fm.push_str(&format!(
        "title: {}\ntitle_en: {}\nslug: {}\n",
        e.name, e.en, e.slug
    ));
    match (&e.iso, &e.region) {
        (Some((iso2, iso3)), Some(region)) => fm.push_str(&format!(
            "entity: state\niso2: {iso2}\niso3: {iso3}\nregion: {region}\n"
        )),
        _ => fm.push_str("entity: organization\n"),
    }
    fm.push_str(&format!(
        "original_language: {}\nreceived: {}\nreceived_as_printed: {}\nreport_section: {}\norder: {}\n",
        r.original_language, r.received, r.received_as_printed, r.section, r.order
    ));
    fm.push_str("aliases: []\nconcepts: {}\n---\n\n");
    Ok(fm + &body_with_notes(&r.body, scanned, plan, used)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Import with the small example plan (three entities).
    fn import_example(seed_text: &str) -> Result<Vec<ImportedFile>, ImportError> {
        import(seed_text, &plan::example())
    }

    const MINI: &str = "  一. 导言 \n\n1. 大会通过了题为“从国际安全角度促进网络空间负责任国家行为”的第 74/28 号决议。 \n\n 二. 从各国政府收到的答复 \n\n  亚美尼亚 \n\n[原件：英文] \n\n[2020 年 5 月 13 日] \n\n 亚美尼亚高度重视。 \n\n  国际法 \n\n 第二段。 \n";

    #[test]
    fn a_minimal_report_gives_home_and_one_reply_until_entities_run_out() {
        // Nineteen replies are missing: a clear error, not a partial site.
        let e = import_example(MINI).unwrap_err();
        assert!(
            e.to_string()
                .contains("replies not found: 澳大利亚、欧洲联盟"),
            "{e}"
        );
    }

    #[test]
    fn reply_front_matter_and_body() {
        let p = plan::example();
        let scanned = seed::scan(MINI, &p).unwrap();
        let (intro, replies) = split_unchecked(&scanned, &p).unwrap();
        assert_eq!(intro.len(), 1);
        let mut used = BTreeSet::new();
        let md = render_reply(&replies[0], &scanned, &p, &mut used).unwrap();
        assert_eq!(
            md,
            "---\nkind: reply\ntitle: 亚美尼亚\ntitle_en: Armenia\nslug: armenia\nentity: state\niso2: AM\niso3: ARM\nregion: eastern-european\noriginal_language: 英文\nreceived: 2020-05-13\nreceived_as_printed: 2020 年 5 月 13 日\nreport_section: 二\norder: 1\naliases: []\nconcepts: {}\n---\n\n亚美尼亚高度重视。\n\n## 国际法\n\n第二段。\n"
        );
    }

    #[test]
    fn error_display_names_the_seed_line() {
        let e = ImportError::seed(414, "footnote 1 is never referenced");
        assert_eq!(
            e.to_string(),
            "seed line 414: footnote 1 is never referenced"
        );
    }

    #[test]
    fn text_before_any_section_is_an_error() {
        let e = import_example(" 无节的文字。 \n").unwrap_err();
        assert_eq!(
            e,
            ImportError::seed(1, "text outside any section or reply: \"无节的文字。\"")
        );
    }

    #[test]
    fn plan_errors_name_the_plan_file_and_line() {
        let e = ImportError::Plan {
            path: PathBuf::from("sources/x.import.toml"),
            line: 12,
            message: "unknown field `colour`".into(),
        };
        assert_eq!(
            e.to_string(),
            "sources/x.import.toml:12: unknown field `colour`"
        );
    }

    #[test]
    fn a_wrong_title_sends_the_reader_to_the_plan() {
        // Only Armenia replies in MINI; the plan's title is not the one paragraph 1 quotes.
        let text: String = plan::EXAMPLE
            .replace("负责任国家行为\"", "负责任行为\"")
            .lines()
            .filter(|l| !l.contains("澳大利亚") && !l.contains("欧洲联盟"))
            .map(|l| format!("{l}\n"))
            .collect();
        let p = ImportPlan::parse(&text, Path::new("x.import.toml")).unwrap();
        let e = import(MINI, &p).unwrap_err().to_string();
        assert!(
            e.starts_with("seed line 3: paragraph 1 of the introduction"),
            "{e}"
        );
        assert!(
            e.ends_with("correct [report] title in x.import.toml"),
            "{e}"
        );
        // With the right title, MINI imports.
        let p = ImportPlan::parse(
            &text.replace("负责任行为\"", "负责任国家行为\""),
            Path::new("x"),
        )
        .unwrap();
        assert_eq!(import(MINI, &p).unwrap().len(), 2);
    }

    // The real seed, with its real plan: the series' first report as test data.
    const SEED: &str = include_str!("../../../sources/A-75-123-zh.txt");
    const SEED_PLAN: &str = include_str!("../../../sources/A-75-123-zh.import.toml");

    fn import_seed(seed_text: &str) -> Result<Vec<ImportedFile>, ImportError> {
        let p = ImportPlan::parse(SEED_PLAN, Path::new("sources/A-75-123-zh.import.toml"))?;
        import(seed_text, &p)
    }

    #[test]
    fn a_damaged_seed_gives_an_error_naming_the_line() {
        let e = import_seed(&SEED.replace("[原件：法文]", "[原文：法文]")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "seed line 1698: 法国 is not followed by [原件：…]"
        );
        let e = import_seed(&SEED.replace(" 1 这一称谓不影响对地位问题的立场。", "")).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("seed line 417: expected a footnote"),
            "{e}"
        );
        let e = import_seed(&SEED.replace("科索沃、1 塞尔维亚", "科索沃、塞尔维亚")).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("seed line 406: footnote reference 1"),
            "{e}"
        );
        let e = import_seed(&SEED.replace("  丹麦 \n", "  丹 麦 \n")).unwrap_err();
        assert!(
            e.to_string()
                .contains("a reply of \"丹 麦\", which is not listed"),
            "{e}"
        );
    }

    #[test]
    fn the_real_seed_imports() {
        let files = import_seed(SEED).unwrap();
        assert_eq!(files.len(), 21);
        assert_eq!(files[0].rel_path, PathBuf::from("content/_index.md"));
        assert_eq!(
            files[20].rel_path,
            PathBuf::from("content/replies/european-union.md")
        );
    }
}

#[cfg(test)]
mod editorial_tests {
    use super::keep_editorial;

    #[test]
    fn reimport_keeps_tags_and_aliases() {
        let imported = "---\nkind: reply\ntitle: 新\naliases: []\nconcepts: {}\n---\n\n新正文\n";
        let existing = "---\nkind: reply\ntitle: 旧\naliases: [\"/old/\"]\nconcepts:\n  international-law: [\"p2\"]\n---\n\n旧正文\n";
        assert_eq!(
            keep_editorial(imported, existing),
            "---\nkind: reply\ntitle: 新\naliases: [\"/old/\"]\nconcepts:\n  international-law: [\"p2\"]\n---\n\n新正文\n"
        );
        assert_eq!(keep_editorial(imported, "no front matter"), imported);
    }
}
