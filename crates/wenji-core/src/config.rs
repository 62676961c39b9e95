//! The site config (`wenji.toml`): the site's and the report's names, the base URL, where each
//! kind of page lives in the URL space, the region groups and every interface string. Nothing
//! about one report is written into the code; it is all here or in `content/`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

use crate::error::Diagnostic;

pub const CONFIG_FILE: &str = "wenji.toml";

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub site: SiteConfig,
    pub report: ReportConfig,
    /// Further editions: other reports, other languages ([`Config::editions`]); each entry
    /// is a `[report]` with its `language` and `path`.
    #[serde(default)]
    pub editions: Vec<ReportConfig>,
    /// Interface strings and region names of each language other than `site.language`.
    #[serde(default)]
    pub languages: BTreeMap<String, LanguageConfig>,
    #[serde(default)]
    pub sections: Sections,
    /// Region groups by key, as named in reply front matter.
    #[serde(default)]
    pub regions: BTreeMap<String, Region>,
    /// Interface strings, by key; templates read them as `t.key`.
    #[serde(default)]
    pub strings: BTreeMap<String, String>,
    /// The keys the build asked [`Config::string`] for that `[strings]` lacks: reported as
    /// errors once the pages are made ([`Config::missing_strings`]), not shown as the key.
    #[serde(skip)]
    missing: Arc<Mutex<BTreeSet<String>>>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    pub title: String,
    #[serde(default)]
    pub title_en: String,
    #[serde(default)]
    pub description: String,
    /// Absolute URL the site is published at; may carry a path (`https://u.github.io/repo/`).
    pub base_url: String,
    /// BCP 47 language tag of the pages.
    #[serde(default = "default_language")]
    pub language: String,
    /// Written to `CNAME` when set (a custom domain on GitHub Pages).
    #[serde(default)]
    pub cname: Option<String>,
    /// Raw HTML in Markdown is escaped unless this is true.
    #[serde(default)]
    pub allow_raw_html: bool,
    /// Minify HTML output.
    #[serde(default = "default_true")]
    pub minify: bool,
    /// A concept page quotes its passages in full up to this many; above it (a site of
    /// thousands of replies) it links to each passage instead, so the page stays readable, and
    /// a reply's group of links is no region named by its heading (not thousands of landmarks).
    #[serde(default = "default_quote_limit")]
    pub concept_quote_limit: usize,
    /// The slug of the plain page that explains how to cite the site, linked from each
    /// reply's cite dialog; none when unset or when no page has it.
    #[serde(default)]
    pub how_to_cite: Option<String>,
    /// From this many replies on, the site is written in its large-site form, made to fit the
    /// free static hosts (README, "Large sites"): each reply's citation downloads inside its
    /// page instead of three files, the search index in fewer, larger files, the open data as
    /// CSV in parts. Set it above the number of replies to keep the small-site form.
    #[serde(default = "default_large_site_from")]
    pub large_site_from: usize,
    /// The search index's layout, `"small"` or `"large"` (fewer, larger files); by default
    /// `"large"` from `large_site_from` replies on.
    #[serde(default)]
    pub search_layout: Option<SearchLayout>,
    /// Whether the search index's files are written gzipped and decompressed in the browser;
    /// by default from `large_site_from` replies on.
    #[serde(default)]
    pub search_gzip: Option<bool>,
    /// Whether each passage's cite button is written in the reply page (`true`) or added by
    /// `assets/reply.js` (`false`; ~100 bytes a passage, 31 MB at 10,000 replies); by default
    /// `false` from `large_site_from` replies on. The button works only with scripts either way.
    #[serde(default)]
    pub cite_buttons_in_html: Option<bool>,
    /// Whether the interface strings the scripts read are a JSON block in every page (`true`)
    /// or one file, `assets/strings.<hash>.js`, that every page loads (`false`; ~1.1 kB a
    /// page, 11 MB at 10,000 replies); by default `false` from `large_site_from` replies on.
    #[serde(default)]
    pub strings_in_pages: Option<bool>,
    /// Whether each cell of the coverage matrix carries its own label — the reply, the concept
    /// and the count as the link's `aria-label`, `·` and a hidden 0 in an empty cell (`true`) —
    /// or the table's row and column headers say them and an empty cell is empty (`false`;
    /// 12 MB at 10,000 replies); by default `false` from `large_site_from` replies on.
    #[serde(default)]
    pub matrix_cell_labels: Option<bool>,
    /// Whether a reply page carries its citation texts (`data-cite-*` on its `<article>`,
    /// `true`) or `assets/reply.js` makes them from the report's fields and citation formats
    /// (with the interface strings) and the reply's name, English name and date on the page
    /// (`false`; ~0.7 kB a page, 7 MB at 10,000 replies); by default `false` from
    /// `large_site_from` replies on. The cite dialog works only with scripts either way.
    #[serde(default)]
    pub cite_text_in_html: Option<bool>,
}

/// `site.search_layout`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SearchLayout {
    Small,
    Large,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ReportConfig {
    /// The UN document symbol, e.g. `A/75/123`.
    pub symbol: String,
    pub title: String,
    #[serde(default)]
    pub title_en: String,
    /// Year (or full ISO date) of publication, for citations.
    pub published: String,
    #[serde(default)]
    pub publisher: String,
    #[serde(default)]
    pub publisher_en: String,
    /// The official PDF of this language edition, if known.
    #[serde(default)]
    pub pdf_url: Option<String>,
    /// Stable address of the document, e.g. `https://undocs.org/ch/A/75/123`.
    #[serde(default)]
    pub url: Option<String>,
    /// The language of an `[[editions]]` entry (BCP 47); `[report]`'s is `site.language`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// The URL prefix of an `[[editions]]` entry's pages: slug segments joined by `/` (`en`,
    /// `en/a-69-112`); `[report]`'s pages have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// An editorial notice shown on every page of the edition (e.g. that its text is not
    /// the official one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<String>,
    /// Interface strings of this edition's pages that differ from its language's (e.g. a
    /// citation format for a report that is not a UN document).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub strings: BTreeMap<String, String>,
}

/// `[languages.<tag>]`: what the pages of another language say in it.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageConfig {
    /// The site's title in this language (by default `site.title`).
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// Every key of `[strings]`, in this language.
    #[serde(default)]
    pub strings: BTreeMap<String, String>,
    /// Region group names by key, in this language.
    #[serde(default)]
    pub regions: BTreeMap<String, String>,
}

/// One edition of the site: a report in a language, with its URL prefix (`""` or `en/`).
#[derive(Debug, Clone, Serialize)]
pub struct Edition {
    pub report: ReportConfig,
    pub language: String,
    /// `""` for the first edition, else the prefix with a trailing `/`.
    pub path: String,
}

impl Edition {
    /// The year of publication, for citations and the timeline.
    pub fn year(&self) -> &str {
        self.report
            .published
            .get(..4)
            .unwrap_or(&self.report.published)
    }

    /// What names it beside a reply where several editions are listed (`A/75/123 · en`).
    pub fn label(&self) -> String {
        format!("{} · {}", self.report.symbol, self.language)
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Sections {
    /// URL segment of reply pages: `/<replies>/<slug>/`.
    pub replies: String,
    /// URL segment of concept pages: `/<concepts>/<slug>/`.
    pub concepts: String,
    /// URL segment of the cited-documents page.
    pub documents: String,
    /// URL segment of the coverage matrix.
    pub matrix: String,
    /// URL segment of the search page.
    pub search: String,
    /// URL segment of the open-data downloads.
    pub data: String,
}

impl Default for Sections {
    fn default() -> Self {
        Sections {
            replies: "states".into(),
            concepts: "concepts".into(),
            documents: "documents".into(),
            matrix: "matrix".into(),
            search: "search".into(),
            data: "data".into(),
        }
    }
}

impl Sections {
    /// Each section's key and URL segment.
    fn all(&self) -> [(&'static str, &String); 6] {
        [
            ("replies", &self.replies),
            ("concepts", &self.concepts),
            ("documents", &self.documents),
            ("matrix", &self.matrix),
            ("search", &self.search),
            ("data", &self.data),
        ]
    }

    /// Every section is one URL segment, so pages cannot be written outside the output folder.
    fn check(&self, text: &str) -> Result<(), Diagnostic> {
        for (key, value) in self.all() {
            if !valid_slug(value) {
                let d = config_error(
                    text,
                    "sections",
                    key,
                    format!(
                        "[sections] {key} = `{}` is not allowed",
                        value.escape_debug()
                    ),
                );
                return Err(d.help(
                    "use lowercase ASCII letters, digits and hyphens: it becomes one URL segment",
                ));
            }
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Region {
    pub name: String,
    #[serde(default)]
    pub name_en: String,
    /// Display order.
    #[serde(default)]
    pub order: u32,
}

fn default_language() -> String {
    "zh-Hans".into()
}

fn default_quote_limit() -> usize {
    2000
}

fn default_large_site_from() -> usize {
    2000
}

fn default_true() -> bool {
    true
}

impl Config {
    /// Reads and validates `wenji.toml` under `root`.
    pub fn load(root: &Path) -> Result<Config, Diagnostic> {
        let path = root.join(CONFIG_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Diagnostic::new(CONFIG_FILE, format!("cannot read the site config: {e}"))
                .help("run wenji in a site root, or pass --root DIR pointing at one")
        })?;
        Self::parse(&text)
    }

    pub fn parse(text: &str) -> Result<Config, Diagnostic> {
        let mut config: Config = toml::from_str(text).map_err(|e| {
            let mut d = Diagnostic::new(CONFIG_FILE, e.message().to_string());
            if let Some(span) = e.span() {
                d = d.at_column(
                    crate::error::line_of(text, span.start),
                    column_of(text, span.start),
                );
            }
            d.help("see the `wenji.toml` section of the README for the keys")
        })?;
        config.site.base_url = normalize_base_url(&config.site.base_url).map_err(|m| {
            config_error(text, "site", "base_url", m)
                .help("e.g. base_url = \"https://user.github.io/repo/\" or \"/repo/\"")
        })?;
        config.check_values(text)?;
        config.sections.check(text)?;
        config.check_editions()?;
        Ok(config)
    }

    /// The site's editions: `[report]` in `site.language` first, then `[[editions]]`.
    pub fn editions(&self) -> Vec<Edition> {
        let edition = |r: &ReportConfig, language: &str, path: String| Edition {
            report: r.clone(),
            language: language.to_string(),
            path,
        };
        let first = edition(&self.report, &self.site.language, String::new());
        let more = self.editions.iter().map(|e| {
            let path = e.path.as_deref().unwrap_or_default();
            edition(
                e,
                e.language.as_deref().unwrap_or_default(),
                format!("{path}/"),
            )
        });
        std::iter::once(first).chain(more).collect()
    }

    /// Each `[[editions]]` entry: a language tag, a path of slug segments that no other
    /// edition or section has, a new (report, language) pair, URLs, and the strings of its
    /// language. Located by the entry's number, as TOML arrays of tables have no names.
    fn check_editions(&self) -> Result<(), Diagnostic> {
        if self.report.language.is_some() || self.report.path.is_some() {
            return Err(
                Diagnostic::new(CONFIG_FILE, "[report] has a `language` or a `path`").help(
                    "[report] is the first edition, in site.language at the site's root: remove \
                     them, or list the report under [[editions]]",
                ),
            );
        }
        let mut seen = BTreeSet::from([(self.report.symbol.clone(), self.site.language.clone())]);
        let mut paths = BTreeSet::new();
        for (i, e) in self.editions.iter().enumerate() {
            let (Some(language), Some(path)) = (&e.language, &e.path) else {
                let m = format!(
                    "[[editions]] number {} ({}) lacks its `language` or `path`",
                    i + 1,
                    e.symbol
                );
                return Err(Diagnostic::new(CONFIG_FILE, m).help(
                    "give each [[editions]] entry its BCP 47 language (language = \"en\") and \
                     its URL prefix (path = \"en\")",
                ));
            };
            let err = |m: String| {
                let at = format!("[[editions]] number {} ({} {language})", i + 1, e.symbol);
                Diagnostic::new(CONFIG_FILE, format!("{at}: {m}"))
            };
            if !valid_language_tag(language) {
                return Err(err(format!("language `{language}` is not a BCP 47 tag"))
                    .help("e.g. language = \"en\""));
            }
            let first_segment = path.split('/').next().unwrap_or("");
            if !path.split('/').all(valid_slug)
                || self.sections.all().iter().any(|(_, s)| *s == first_segment)
                || !paths.insert(path.clone())
            {
                return Err(
                    err(format!("path `{}` cannot be used", path.escape_debug())).help(
                        "use lowercase slug segments joined by `/`, e.g. path = \"en\", that no \
                     other edition or [sections] entry starts with",
                    ),
                );
            }
            if !seen.insert((e.symbol.clone(), language.clone())) {
                return Err(err("this report is already listed in this language".into())
                    .help("list each report once per language"));
            }
            for url in [&e.url, &e.pdf_url].into_iter().flatten() {
                if !valid_absolute_url(url) {
                    let m = format!("`{}` is not an absolute http(s) URL", url.escape_debug());
                    return Err(err(m)
                        .help("e.g. url = \"https://undocs.org/A/75/123\", or leave the key out"));
                }
            }
            if *language != self.site.language {
                self.check_language_strings(language)?;
            }
            if let Some(key) = e.strings.keys().find(|k| !self.strings.contains_key(*k)) {
                return Err(err(format!("strings has `{key}`, which [strings] has not"))
                    .help("an edition's strings replace some of [strings]: use their keys"));
            }
        }
        Ok(())
    }

    /// Another language's pages need every interface string in that language.
    fn check_language_strings(&self, language: &str) -> Result<(), Diagnostic> {
        let theirs = self.languages.get(language).map(|l| &l.strings);
        // A report's section names (`report_section_二`) are its own, and optional.
        let section_name = |k: &str| k.starts_with("report_section_");
        let missing: Vec<&str> = self
            .strings
            .keys()
            .filter(|k| !section_name(k))
            .filter(|k| theirs.is_none_or(|t| !t.contains_key(*k)))
            .map(String::as_str)
            .collect();
        if let Some(extra) = theirs.and_then(|t| {
            t.keys()
                .find(|k| !section_name(k) && !self.strings.contains_key(*k))
        }) {
            return Err(Diagnostic::new(
                CONFIG_FILE,
                format!("[languages.{language}.strings] has `{extra}`, which [strings] has not"),
            )
            .help(
                "use the keys of [strings] (a misspelt key would leave its string untranslated)",
            ));
        }
        if missing.is_empty() {
            return Ok(());
        }
        let shown = missing
            .iter()
            .take(8)
            .copied()
            .collect::<Vec<_>>()
            .join(", ");
        let more = if missing.len() > 8 {
            format!(" and {} more", missing.len() - 8)
        } else {
            String::new()
        };
        Err(Diagnostic::new(
            CONFIG_FILE,
            format!("[languages.{language}.strings] lacks {} of the [strings] keys: {shown}{more}", missing.len()),
        )
        .help(format!("an edition is in `{language}`: give its pages every interface string under [languages.{language}.strings]")))
    }

    /// The interface strings of pages in `language`.
    pub fn strings_in(&self, language: &str) -> &BTreeMap<String, String> {
        match self.languages.get(language) {
            Some(l) if language != self.site.language => &l.strings,
            _ => &self.strings,
        }
    }

    /// [`Config::string`] for a page in `language`.
    pub fn string_in<'a>(&'a self, language: &str, key: &'a str) -> &'a str {
        if language == self.site.language {
            return self.string(key);
        }
        match self.strings_in(language).get(key) {
            Some(s) => s,
            None => self.string(key),
        }
    }

    /// The interface string `key` of pages of `edition`: its own, else its language's.
    pub fn string_for<'a>(&'a self, edition: &'a Edition, key: &'a str) -> &'a str {
        match edition.report.strings.get(key) {
            Some(s) => s,
            None => self.string_in(&edition.language, key),
        }
    }

    /// The interface strings of pages of `edition`, when it has strings of its own.
    pub fn strings_for(&self, edition: &Edition) -> Option<BTreeMap<String, String>> {
        let own = &edition.report.strings;
        if own.is_empty() {
            return None;
        }
        let mut all = self.strings_in(&edition.language).clone();
        all.extend(own.clone());
        Some(all)
    }

    /// A region group's name in `language`.
    pub fn region_name_in(&self, language: &str, key: &str) -> Option<&str> {
        if language != self.site.language
            && let Some(name) = self
                .languages
                .get(language)
                .and_then(|l| l.regions.get(key))
        {
            return Some(name);
        }
        self.regions.get(key).map(|r| r.name.as_str())
    }

    /// Values written into formats of their own (`CNAME`, `lang`, citation and link URLs):
    /// refused here, once, located at their key, rather than breaking every page.
    fn check_values(&self, text: &str) -> Result<(), Diagnostic> {
        if let Some(cname) = &self.site.cname
            && !cname.trim().is_empty()
            && !valid_host(cname.trim())
        {
            return Err(config_error(
                text,
                "site",
                "cname",
                format!("cname `{}` is not a domain name", cname.escape_debug()),
            )
            .help("write the custom domain alone, e.g. cname = \"cyber.example.org\""));
        }
        if !valid_language_tag(&self.site.language) {
            return Err(config_error(
                text,
                "site",
                "language",
                format!(
                    "language `{}` is not a BCP 47 language tag",
                    self.site.language.escape_debug()
                ),
            )
            .help("e.g. language = \"zh-Hans\""));
        }
        for (key, url) in [("url", &self.report.url), ("pdf_url", &self.report.pdf_url)] {
            if let Some(url) = url
                && !valid_absolute_url(url)
            {
                return Err(config_error(
                    text,
                    "report",
                    key,
                    format!(
                        "{key} `{}` is not an absolute http(s) URL",
                        url.escape_debug()
                    ),
                )
                .help("e.g. url = \"https://undocs.org/ch/A/75/123\", or leave the key out"));
            }
        }
        Ok(())
    }

    /// The path part of the base URL, always starting and ending with `/`.
    pub fn base_path(&self) -> String {
        base_path_of(&self.site.base_url)
    }

    /// Replaces the base URL (the `--base-url` option).
    pub fn set_base_url(&mut self, url: &str) -> Result<(), Diagnostic> {
        self.site.base_url = normalize_base_url(url).map_err(|m| {
            Diagnostic::new("--base-url", m)
                .help("e.g. --base-url https://user.github.io/repo/ or --base-url /repo/")
        })?;
        Ok(())
    }

    /// The interface string `key` of `[strings]`. A missing one gives the key itself for now
    /// and is remembered: the build then fails naming it ([`Config::missing_strings`]).
    pub fn string<'a>(&'a self, key: &'a str) -> &'a str {
        match self.strings.get(key) {
            Some(s) => s,
            None => {
                if let Ok(mut missing) = self.missing.lock() {
                    missing.insert(key.to_string());
                }
                key
            }
        }
    }

    /// An error for each interface string the build used that `[strings]` lacks.
    pub fn missing_strings(&self) -> Vec<Diagnostic> {
        let missing = self.missing.lock().map(|m| m.clone()).unwrap_or_default();
        missing
            .into_iter()
            .map(|key| {
                Diagnostic::new(
                    CONFIG_FILE,
                    format!("[strings] has no `{key}`, which the site's pages use"),
                )
                .help(format!(
                    "add `{key} = \"…\"` under [strings] (the keys are those of the wenji.toml \
                     that `wenji init` writes)"
                ))
            })
            .collect()
    }
}

/// An error about `[table] key` of `wenji.toml`, at the key's line when it can be found.
fn config_error(text: &str, table: &str, key: &str, message: impl Into<String>) -> Diagnostic {
    let d = Diagnostic::new(CONFIG_FILE, message);
    let lines: Vec<&str> = text.lines().collect();
    let header = format!("[{table}]");
    let start = lines.iter().position(|l| l.trim() == header);
    let line = start.and_then(|t| {
        lines[t + 1..]
            .iter()
            .take_while(|l| !l.trim_start().starts_with('['))
            .position(|l| l.split('=').next().map(str::trim) == Some(key))
            .map(|i| t + i + 2)
    });
    match line {
        Some(line) => d.at(line),
        None => d,
    }
}

/// A host name: dot-separated labels of ASCII letters, digits and hyphens (a port allowed
/// after `:` where `port` is set).
fn valid_host_port(host: &str, port: bool) -> bool {
    let (name, port_part) = match host.rsplit_once(':') {
        Some((n, p)) if port => (n, Some(p)),
        _ => (host, None),
    };
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    let name = name.strip_suffix('.').unwrap_or(name);
    !name.is_empty()
        && name.len() <= 253
        && name.split('.').all(label_ok)
        && port_part
            .is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()))
}

fn valid_host(host: &str) -> bool {
    valid_host_port(host, false)
}

fn valid_language_tag(tag: &str) -> bool {
    !tag.is_empty()
        && tag.len() <= 35
        && tag.split('-').all(|part| {
            (1..=8).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_alphanumeric())
        })
}

/// `http(s)://host[:port]/…` with nothing a page or citation would have to escape to keep it
/// one URL: no whitespace, control characters, quotes, angle brackets or backslashes.
fn valid_absolute_url(url: &str) -> bool {
    let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    valid_host_port(host, true)
        && !url.contains(|c: char| {
            c.is_whitespace()
                || c.is_control()
                || matches!(c, '"' | '<' | '>' | '\\' | '`' | '{' | '}')
        })
}

fn column_of(text: &str, offset: usize) -> usize {
    let start = text[..offset.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    text[start..offset.min(text.len())].chars().count() + 1
}

/// Accepts `https://host/`, `https://host/path/` or a path `/path/` (exactly one `/` first:
/// `//host/` and `/\\host/` are links to another host in a browser); always ends in `/`.
fn normalize_base_url(url: &str) -> Result<String, String> {
    let url = url.trim();
    let absolute = url.starts_with("https://") || url.starts_with("http://");
    let path = url.starts_with('/') && !url[1..].starts_with(['/', '\\']);
    let ok = (if absolute {
        valid_absolute_url(url) && url.split("://").nth(1).is_some_and(|r| !r.starts_with('/'))
    } else {
        path
    }) && !url.contains(|c: char| {
        c.is_whitespace() || c.is_control() || matches!(c, '?' | '#' | '"' | '<' | '>' | '\\')
    });
    if !ok {
        return Err(format!(
            "base_url `{}` must be an absolute http(s) URL or a path starting with exactly one `/`, without query or fragment",
            url.escape_debug()
        ));
    }
    let mut url = url.to_string();
    if !url.ends_with('/') {
        url.push('/');
    }
    Ok(url)
}

fn base_path_of(url: &str) -> String {
    let path = match url.find("://") {
        Some(i) => {
            let rest = &url[i + 3..];
            rest.find('/').map_or("/", |j| &rest[j..])
        }
        None => url,
    };
    if path.ends_with('/') {
        path.to_string()
    } else {
        format!("{path}/")
    }
}

/// A slug or alias segment is safe when it cannot leave the output folder or confuse a URL.
pub fn valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= 100
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !slug.starts_with('-')
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
[site]
title = "T"
base_url = "https://user.github.io/repo"
[report]
symbol = "A/1/1"
title = "R"
published = "2020"
"#;

    #[test]
    fn base_path_comes_from_the_url() {
        let c = Config::parse(MINIMAL).unwrap();
        assert_eq!(c.site.base_url, "https://user.github.io/repo/");
        assert_eq!(c.base_path(), "/repo/");
        assert_eq!(base_path_of("https://example.org/"), "/");
        assert_eq!(base_path_of("/sub/"), "/sub/");
    }

    #[test]
    fn sections_are_one_segment() {
        for bad in ["../../evil", "/tmp/x", "a/b", "a\\\\b", ""] {
            let text = format!(
                "{MINIMAL}\n[sections]\nreplies = \"{bad}\"\nconcepts = \"c\"\ndocuments = \"d\"\nmatrix = \"m\"\nsearch = \"s\"\ndata = \"x\"\n"
            );
            let e = Config::parse(&text).unwrap_err();
            assert!(e.message.contains("[sections] replies"), "{e}");
            assert!(e.line.is_some(), "{e}");
        }
    }

    #[test]
    fn unknown_key_is_located() {
        let text = format!("{MINIMAL}\n[site2]\nx = 1\n");
        let e = Config::parse(&text).unwrap_err();
        assert_eq!(e.line, Some(10));
        assert!(e.message.contains("site2"), "{}", e.message);
    }

    #[test]
    fn bad_base_url_is_rejected() {
        for bad in [
            "javascript:alert(1)",
            "//evil.example/",
            "/\\\\evil.example/",
            "https:///x/",
            "https://evil.example\\\\@x/",
            "repo/",
            "",
        ] {
            let text = MINIMAL.replace("https://user.github.io/repo", bad);
            let e = Config::parse(&text).unwrap_err();
            assert_eq!(e.line, Some(4), "{bad}: {e}");
            assert!(e.message.contains("exactly one `/`"), "{bad}: {e}");
        }
        for good in ["https://x/'a/", "http://127.0.0.1:1111/", "/repo/", "/"] {
            let text = MINIMAL.replace("https://user.github.io/repo", good);
            assert!(Config::parse(&text).is_ok(), "{good}");
        }
    }

    #[test]
    fn values_written_into_other_formats_are_checked() {
        for (key, bad, line) in [
            ("cname", "a\\nb", 5),
            ("cname", "https://x.org/", 5),
            ("language", "zh}, x = {y", 5),
        ] {
            let text = MINIMAL.replace(
                "base_url = \"https://user.github.io/repo\"",
                &format!("base_url = \"https://user.github.io/repo\"\n{key} = \"{bad}\""),
            );
            let e = Config::parse(&text).unwrap_err();
            assert!(e.message.starts_with(key), "{e}");
            assert_eq!(e.line, Some(line), "{e}");
        }
        let text = format!("{MINIMAL}url = \"ftp://x/\"\n");
        let e = Config::parse(&text).unwrap_err();
        assert!(e.message.starts_with("url `ftp://x/`"), "{e}");
        assert_eq!(e.line, Some(9), "{e}");
        let text = format!("{MINIMAL}url = \"https://undocs.org/ch/A/75/123\"\n");
        assert!(Config::parse(&text).is_ok());
    }
}
