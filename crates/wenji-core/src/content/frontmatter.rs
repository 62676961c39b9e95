//! Typed front matter, one type per kind of page. Unknown keys and wrong types are errors
//! with the line they stand on; YAML is parsed with a budget so an alias bomb or deep nesting
//! is refused instead of eating memory.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_saphyr::{Budget, Options, Spanned};

use crate::error::Diagnostic;
use std::path::Path;

/// The front matter's text and where it sits in its file.
pub struct Split<'a> {
    pub yaml: &'a str,
    /// 1-based line of the first YAML line.
    pub yaml_line: usize,
    pub body: &'a str,
    /// 1-based line of the first body line.
    pub body_line: usize,
}

/// Splits `---\n yaml \n---\n body`.
pub fn split<'a>(file: &Path, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().next().unwrap_or("");
    if text.trim().is_empty() {
        return Err(Diagnostic::new(file, "the file is empty")
            .at(1)
            .help("start it with front matter between `---` lines, e.g. `---\\nkind: page\\ntitle: …\\n---`"));
    }
    if first.trim_end() != "---" {
        return Err(
            Diagnostic::new(file, "the file does not start with front matter")
                .at(1)
                .help("put `---` on the first line, the YAML front matter, then `---` again"),
        );
    }
    let after_open = first.len() + 1;
    let rest = text.get(after_open..).unwrap_or("");
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            let yaml = &rest[..offset];
            let body_start = offset + line.len();
            let body = &rest[body_start..];
            let body_line = 2 + yaml.matches('\n').count() + 1;
            return Ok(Split {
                yaml,
                yaml_line: 2,
                body,
                body_line,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::new(file, "the front matter is not closed")
        .at(1)
        .help("add a line `---` after the last front-matter key"))
}

fn options() -> Options {
    let mut budget = Budget::default();
    budget.max_aliases = 100;
    budget.max_anchors = 100;
    budget.max_depth = 16;
    budget.max_nodes = 20_000;
    budget.max_events = 100_000;
    budget.max_total_scalar_bytes = 4 * 1024 * 1024;
    budget.max_documents = 1;
    let mut o = Options::default();
    o.budget = Some(budget);
    o.with_snippet = false;
    o
}

/// A kind of front matter. `flat` may read it without the YAML parser; only replies do, as a
/// site has thousands of them (`flat_front_matter`).
pub trait FrontMatter: for<'de> Deserialize<'de> {
    fn flat(_yaml: &str) -> Option<Self> {
        None
    }
}

impl FrontMatter for ReplyMeta {
    fn flat(yaml: &str) -> Option<Self> {
        super::flat_front_matter::reply(yaml)
    }
}
impl FrontMatter for ConceptMeta {}
impl FrontMatter for PageMeta {}
impl FrontMatter for HomeMeta {}
impl FrontMatter for KindProbe {}

/// Parses the YAML into `T`, locating any error in the file.
pub fn parse<T: FrontMatter>(file: &Path, split: &Split) -> Result<T, Diagnostic> {
    if let Some(meta) = T::flat(split.yaml) {
        return Ok(meta);
    }
    serde_saphyr::from_str_with_options(split.yaml, options()).map_err(|e| {
        let message = clean_message(&e.to_string());
        let mut d = Diagnostic::new(file, format!("front matter: {message}"));
        // A missing key is missing from the whole front matter, not from the line the parser
        // stopped on (it would quote an unrelated key): point at the first line.
        let missing = message.starts_with("missing field");
        if let Some(loc) = e.location().filter(|_| !missing) {
            let line = loc.line() as usize;
            let source = split
                .yaml
                .lines()
                .nth(line.saturating_sub(1))
                .unwrap_or("")
                .trim();
            if !source.is_empty() && !message.contains(source) {
                d.message = format!(
                    "front matter: {message} (in `{}`)",
                    source.chars().take(80).collect::<String>()
                );
            }
            d = d.at_column(split.yaml_line + line - 1, loc.column() as usize);
        } else {
            d = d.at(split.yaml_line);
        }
        d.help(help_for(&e.to_string()))
    })
}

/// The parser's message in the maintainer's terms: its first line, without its own location
/// and without advice meant for programmers.
fn clean_message(raw: &str) -> String {
    if raw.contains("budget breached") || raw.contains("recursion limit") {
        return "it expands to too much (YAML aliases, anchors or nesting past the limit)".into();
    }
    let msg = strip_location(first_line(raw));
    let msg = match msg.find(", set DuplicateKeyPolicy") {
        Some(i) => msg[..i].to_string(),
        None => msg,
    };
    // Rust type names mean nothing to the maintainer.
    const PLAIN: &[(&str, &str)] = &[
        ("invalid u32", "expected a whole number (0, 1, 2, …)"),
        (
            "expected string scalar",
            "expected a single value here, not a list or a mapping",
        ),
        (
            "expected sequence start",
            "expected a list here, e.g. [\"a\", \"b\"]",
        ),
        (
            "cannot deserialize null into string; use Option<String>",
            "the value is empty; write one or remove the key",
        ),
    ];
    PLAIN
        .iter()
        .find(|(from, _)| msg.starts_with(from))
        .map_or(msg.clone(), |(from, to)| msg.replacen(from, to, 1))
}

/// The YAML error's own "at line L, column C" counts from the front matter's first line,
/// not the file's; the diagnostic gives the file position instead.
fn strip_location(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) if msg[i..].contains("column") => msg[..i].to_string(),
        _ => msg.to_string(),
    }
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}

fn help_for(msg: &str) -> &'static str {
    if msg.contains("unknown field") {
        "remove the key or correct its spelling; the keys of each kind are listed in docs/content-format.md"
    } else if msg.contains("missing field") {
        "add the key; the keys of each kind are listed in docs/content-format.md"
    } else if msg.contains("budget")
        || msg.contains("alias")
        || msg.contains("depth")
        || msg.contains("recursion")
    {
        "front matter must be plain keys and values: no YAML aliases, anchors or deep nesting"
    } else {
        "correct the YAML; the keys and their types are listed in docs/content-format.md"
    }
}

/// The kinds of page a content file can be.
pub const KINDS: [&str; 4] = ["reply", "concept", "page", "home"];

/// The kind, read without a YAML parser when the front matter says it plainly: one line
/// `kind: reply` (or another of [`KINDS`]) at the start of a line, and no other line starting
/// `kind:`. Anything else (quotes, a comment, a second `kind:`) is left to [`KindProbe`].
pub fn plain_kind(yaml: &str) -> Option<&'static str> {
    let mut lines = yaml.lines().filter_map(|l| l.strip_prefix("kind:"));
    let value = lines.next()?.trim();
    if lines.next().is_some() {
        return None;
    }
    KINDS.iter().copied().find(|k| *k == value)
}

/// Only the `kind` key, read first to pick the typed front matter.
#[derive(Deserialize)]
pub struct KindProbe {
    pub kind: Option<Spanned<String>>,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Entity {
    State,
    Organization,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplyMeta {
    pub kind: String,
    pub title: String,
    pub title_en: String,
    pub slug: Spanned<String>,
    pub entity: Entity,
    #[serde(default)]
    pub iso2: Option<String>,
    #[serde(default)]
    pub iso3: Option<String>,
    #[serde(default)]
    pub region: Option<Spanned<String>>,
    pub original_language: String,
    pub received: Spanned<String>,
    pub received_as_printed: String,
    pub report_section: String,
    pub order: u32,
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
    /// concept slug → ranges (`p3`, `p3-p7`, `#s2`).
    #[serde(default)]
    pub concepts: BTreeMap<String, Vec<Spanned<String>>>,
    /// The symbol of the report the reply is in (its edition, with `language`); by default
    /// `[report] symbol`.
    #[serde(default)]
    pub report: Option<Spanned<String>>,
    /// The language of the reply's text (BCP 47); by default `site.language`.
    #[serde(default)]
    pub language: Option<Spanned<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConceptMeta {
    pub kind: String,
    pub title: String,
    #[serde(default)]
    pub title_en: String,
    pub slug: Spanned<String>,
    pub order: u32,
    /// Slug of the concept this one belongs to (a norm belongs to the norms concept).
    #[serde(default)]
    pub parent: Option<Spanned<String>>,
    /// A short label, e.g. `规范(a)`.
    #[serde(default)]
    pub short: Option<String>,
    /// Where the concept is defined, e.g. `A/70/174，第 13 段(a)`.
    pub source: String,
    /// The wording quoted from a reply, with the reply paragraph it is quoted from.
    #[serde(default)]
    pub wording: Option<String>,
    /// `slug#pN` of the reply paragraph the wording comes from.
    #[serde(default)]
    pub wording_from: Option<Spanned<String>>,
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageMeta {
    pub kind: String,
    pub title: String,
    pub slug: Spanned<String>,
    #[serde(default)]
    pub order: u32,
    /// Listed in the navigation bar (after the site's own sections, in page order).
    #[serde(default)]
    pub nav: bool,
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HomeMeta {
    pub kind: String,
    pub title: String,
    #[serde(default)]
    pub lead: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_kind_reads_only_a_plain_single_kind_line() {
        assert_eq!(plain_kind("title: a\nkind: reply\n"), Some("reply"));
        assert_eq!(plain_kind("kind:   page  \n"), Some("page"));
        // Quoted, commented, unknown, indented, repeated or absent: the YAML parser decides.
        for yaml in [
            "kind: \"reply\"\n",
            "kind: reply # x\n",
            "kind: article\n",
            "a:\n  kind: page\n",
            "kind: page\nkind: reply\n",
            "title: a\n",
        ] {
            assert_eq!(plain_kind(yaml), None, "{yaml:?}");
        }
    }

    fn p(s: &str) -> Result<ReplyMeta, Diagnostic> {
        let path = Path::new("x.md");
        let sp = split(path, s)?;
        parse(path, &sp)
    }

    #[test]
    fn split_finds_body_line() {
        let s = split(Path::new("x"), "---\na: 1\nb: 2\n---\nbody\n").unwrap();
        assert_eq!(s.yaml, "a: 1\nb: 2\n");
        assert_eq!(s.body, "body\n");
        assert_eq!(s.body_line, 5);
    }

    #[test]
    fn unterminated_and_missing_front_matter() {
        let e = split(Path::new("x"), "---\na: 1\n").err().unwrap();
        assert!(e.message.contains("not closed"));
        let e = split(Path::new("x"), "# hi\n").err().unwrap();
        assert!(e.message.contains("does not start"));
        let e = split(Path::new("x"), "").err().unwrap();
        assert!(e.message.contains("empty"));
    }

    #[test]
    fn unknown_key_is_an_error_on_its_line() {
        let e = p("---\nkind: reply\ntitle: a\ntitel: b\n---\n").unwrap_err();
        assert!(e.message.contains("titel"), "{}", e.message);
        assert_eq!(e.line, Some(4));
    }

    #[test]
    fn wrong_type_is_an_error_on_its_line() {
        let y = "---\nkind: reply\ntitle: a\ntitle_en: b\nslug: a\nentity: state\noriginal_language: x\nreceived: 2020-01-01\nreceived_as_printed: x\nreport_section: x\norder: [1]\n---\n";
        let e = p(y).unwrap_err();
        assert_eq!(e.line, Some(11), "{e}");
    }

    #[test]
    fn alias_bomb_is_refused() {
        let mut y = String::from("---\nkind: reply\na0: &a0 [x,x,x,x,x,x,x,x,x,x]\n");
        for i in 1..9 {
            let prev = i - 1;
            y.push_str(&format!(
                "a{i}: &a{i} [*a{prev},*a{prev},*a{prev},*a{prev},*a{prev},*a{prev},*a{prev},*a{prev},*a{prev},*a{prev}]\n"
            ));
        }
        y.push_str("---\n");
        let e = p(&y).unwrap_err();
        assert!(e.line.is_some());
    }
}
