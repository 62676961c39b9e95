//! Fidelity of the content files to the seed, checked without the importer.
//!
//! The seed is taken apart here by its own simple reading (reply = from the entity's name line
//! to the next one; page heads, footnote rules, footnote blocks and repeated hyperlink-target
//! lines set aside), and compared with what the content files say: for every reply, the
//! sequence of Han characters, CJK punctuation and ASCII letters and digits of its running text
//! must equal that of the file's body, and each footnote's text must equal the seed's. Markdown
//! syntax (heading marks, list marks, link targets, `[^N]`) is not text and is skipped; the
//! characters the extraction inserted or broke (spaces, line breaks) are not compared.

use std::collections::BTreeMap;
use std::path::Path;

use regex::Regex;

const SEED: &str = include_str!("../../sources/A-75-123-zh.txt");

/// (zh as printed, slug), in the report's order.
const REPLIES: &[(&str, &str)] = &[
    ("亚美尼亚", "armenia"),
    ("澳大利亚", "australia"),
    ("波斯尼亚和黑塞哥维那", "bosnia-and-herzegovina"),
    ("加拿大", "canada"),
    ("哥伦比亚", "colombia"),
    ("丹麦", "denmark"),
    ("法国", "france"),
    ("格鲁吉亚", "georgia"),
    ("洪都拉斯", "honduras"),
    ("匈牙利", "hungary"),
    ("印度尼西亚", "indonesia"),
    ("爱尔兰", "ireland"),
    ("意大利", "italy"),
    ("日本", "japan"),
    ("墨西哥", "mexico"),
    ("新加坡", "singapore"),
    ("土耳其", "turkey"),
    ("乌克兰", "ukraine"),
    ("阿拉伯联合酋长国", "united-arab-emirates"),
    ("欧洲联盟", "european-union"),
];

/// A character that is compared: Han, CJK or full-width punctuation, quotes, ASCII letters
/// and digits, and the ASCII punctuation that Markdown syntax here does not use (so not
/// `# - * [ ] ^ : < >`).
fn counted(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{303f}' | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}'
        | '\u{ff00}'..='\u{ffef}' | '“' | '”' | '—' | '…' | '·')
        || c.is_ascii_alphanumeric()
        || "(),./;%&'+=?_~@$!".contains(c)
}

/// A compared character and where it came from (seed line, or content file line).
type Trace = Vec<(char, usize)>;

fn trace_of(text: &str, line: usize, out: &mut Trace) {
    out.extend(text.chars().filter(|&c| counted(c)).map(|c| (c, line)));
}

/// The seed, read independently of the importer.
struct SeedText {
    /// Running text of the introduction (section 一) and of each reply, in order.
    intro: Trace,
    replies: Vec<ReplyFacts>,
    /// Footnote number → its text.
    footnotes: BTreeMap<u32, Trace>,
}

struct ReplyFacts {
    title: String,
    line: usize,
    original_language: String,
    received_as_printed: String,
    section: String,
    text: Trace,
}

fn read_seed() -> SeedText {
    let lines: Vec<&str> = SEED.lines().collect();
    let furniture = Regex::new(r"^\s*(A/75/123|\d+/74 20-08285|20-08285 \d+/74)\s*$").unwrap();
    let url_line = Regex::new(r"^https?://\S+$").unwrap();
    let rule = Regex::new(r"^\s*_{5,}\s*$").unwrap();
    let note_start = Regex::new(r"^ +(\d+)").unwrap();
    let section = Regex::new(r"^\s*([一二三])\. ").unwrap();
    let original = Regex::new(r"^\s*\[原件：(.+)\]\s*$").unwrap();
    let received = Regex::new(r"^\s*\[(\d{4} 年 \d+ 月 \d+ 日)\]\s*$").unwrap();

    let mut seed = SeedText {
        intro: Vec::new(),
        replies: Vec::new(),
        footnotes: BTreeMap::new(),
    };
    let mut current_section = String::new();
    let mut in_notes = false;
    let mut note: Option<u32> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let no = i + 1;
        i += 1;
        if line.trim().is_empty() || furniture.is_match(line) {
            continue;
        }
        let repeated = url_line.is_match(line)
            && ((no >= 2 && lines[no - 2] == line) || lines.get(no) == Some(&line));
        if repeated {
            in_notes = false;
            continue;
        }
        if rule.is_match(line) {
            in_notes = true;
            continue;
        }
        if in_notes {
            if lines[no - 2].trim().is_empty() {
                if let Some(c) = note_start.captures(line) {
                    note = Some(c[1].parse().unwrap());
                }
                let n = note.expect("a footnote block starts with its number");
                trace_of(line, no, seed.footnotes.entry(n).or_default());
                continue;
            }
            in_notes = false;
        }
        if let Some(c) = section.captures(line) {
            current_section = c[1].to_string();
            continue;
        }
        let next_nonblank = lines[no..]
            .iter()
            .find(|l| !l.trim().is_empty())
            .copied()
            .unwrap_or("");
        if let Some(&(zh, _)) = REPLIES.iter().find(|(zh, _)| line.trim() == *zh)
            && next_nonblank.trim_start().starts_with("[原件：")
        {
            seed.replies.push(ReplyFacts {
                title: zh.to_string(),
                line: no,
                original_language: String::new(),
                received_as_printed: String::new(),
                section: current_section.clone(),
                text: Vec::new(),
            });
            continue;
        }
        if let Some(r) = seed.replies.last_mut() {
            if r.original_language.is_empty()
                && let Some(c) = original.captures(line)
            {
                r.original_language = c[1].to_string();
                continue;
            }
            if r.received_as_printed.is_empty()
                && let Some(c) = received.captures(line)
            {
                r.received_as_printed = c[1].to_string();
                continue;
            }
            trace_of(line, no, &mut r.text);
        } else if current_section == "一" {
            trace_of(line, no, &mut seed.intro);
        } else {
            panic!("seed line {no}: text outside the introduction and the replies");
        }
    }
    seed
}

/// A content file split into front matter, body and footnote definitions.
struct ContentFile {
    rel: String,
    front_matter: String,
    body: Trace,
    footnotes: BTreeMap<u32, (usize, Trace)>,
}

fn read_content(rel: &str) -> ContentFile {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let rest = text
        .strip_prefix("---\n")
        .unwrap_or_else(|| panic!("{rel}: no front matter"));
    let end = rest
        .find("\n---\n")
        .unwrap_or_else(|| panic!("{rel}: front matter not closed"));
    let front_matter = rest[..end + 1].to_string();
    let fm_lines = front_matter.lines().count() + 2;
    let link_target = Regex::new(r"\]\([^)\s]*\)").unwrap();
    let note_def = Regex::new(r"^\[\^(\d+)\]: (.*)$").unwrap();
    let mut body = Vec::new();
    let mut footnotes = BTreeMap::new();
    for (k, line) in rest[end + 5..].lines().enumerate() {
        let no = fm_lines + k + 1;
        let line = link_target.replace_all(line, "]");
        if let Some(c) = note_def.captures(&line) {
            let mut t = Vec::new();
            trace_of(&c[1], no, &mut t);
            trace_of(&c[2], no, &mut t);
            footnotes.insert(c[1].parse().unwrap(), (no, t));
        } else {
            trace_of(&line, no, &mut body);
        }
    }
    ContentFile {
        rel: rel.to_string(),
        front_matter,
        body,
        footnotes,
    }
}

/// Compare two traces; on a difference, describe it with both versions around it.
fn compare(seed: &Trace, content: &Trace, rel: &str, what: &str) -> Result<(), String> {
    let first = seed
        .iter()
        .zip(content.iter())
        .position(|(a, b)| a.0 != b.0);
    let at = match first {
        Some(k) => k,
        None if seed.len() == content.len() => return Ok(()),
        None => seed.len().min(content.len()),
    };
    let around = |t: &Trace| -> String {
        let from = at.saturating_sub(20);
        let to = (at + 20).min(t.len());
        t[from..to].iter().map(|x| x.0).collect()
    };
    let line_of = |t: &Trace| t.get(at).or(t.last()).map_or(0, |x| x.1);
    Err(format!(
        "{rel}:{}: {what} differs from seed line {} ({} vs {} characters compared)\n  seed:    …{}…\n  content: …{}…",
        line_of(content),
        line_of(seed),
        seed.len(),
        content.len(),
        around(seed),
        around(content),
    ))
}

#[test]
fn every_reply_says_what_the_seed_says() {
    let seed = read_seed();
    assert_eq!(
        seed.replies.len(),
        REPLIES.len(),
        "replies found in the seed"
    );
    let mut failures = Vec::new();
    let mut notes_seen: BTreeMap<u32, String> = BTreeMap::new();
    let mut files: Vec<ContentFile> = REPLIES
        .iter()
        .map(|(_, slug)| read_content(&format!("content/replies/{slug}.md")))
        .collect();
    files.push(read_content("content/_index.md"));
    let empty = Vec::new();
    for (k, file) in files.iter().enumerate() {
        let seed_text = seed.replies.get(k).map_or(&seed.intro, |r| &r.text);
        if let Err(e) = compare(seed_text, &file.body, &file.rel, "the running text") {
            failures.push(e);
        }
        for (n, (line, text)) in &file.footnotes {
            if let Some(other) = notes_seen.insert(*n, file.rel.clone()) {
                failures.push(format!(
                    "{}:{line}: footnote {n} also defined in {other}",
                    file.rel
                ));
            }
            let seed_note = seed.footnotes.get(n).unwrap_or(&empty);
            if let Err(e) = compare(seed_note, text, &file.rel, &format!("footnote {n}")) {
                failures.push(e);
            }
        }
    }
    for n in seed.footnotes.keys() {
        if !notes_seen.contains_key(n) {
            failures.push(format!("footnote {n} of the seed is in no content file"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    assert_eq!(seed.footnotes.len(), 16);
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct ReplyFrontMatter {
    kind: String,
    title: String,
    title_en: String,
    slug: String,
    entity: String,
    iso2: Option<String>,
    iso3: Option<String>,
    region: Option<String>,
    original_language: String,
    received: String,
    received_as_printed: String,
    report_section: String,
    order: u32,
    aliases: Vec<String>,
    concepts: BTreeMap<String, Vec<String>>,
}

#[test]
fn front_matter_facts_match_the_seed() {
    let seed = read_seed();
    let date = Regex::new(r"^(\d{4}) 年 (\d+) 月 (\d+) 日$").unwrap();
    let mut failures = Vec::new();
    for (k, ((_, slug), r)) in REPLIES.iter().zip(&seed.replies).enumerate() {
        let file = read_content(&format!("content/replies/{slug}.md"));
        let fm: ReplyFrontMatter = serde_saphyr::from_str(&file.front_matter)
            .unwrap_or_else(|e| panic!("{}: front matter: {e}", file.rel));
        let c = date.captures(&r.received_as_printed).expect("seed date");
        let iso = format!("{}-{:0>2}-{:0>2}", &c[1], &c[2], &c[3]);
        let checks = [
            ("kind", fm.kind.as_str(), "reply"),
            ("slug", fm.slug.as_str(), slug),
            ("title", fm.title.as_str(), r.title.as_str()),
            (
                "original_language",
                fm.original_language.as_str(),
                r.original_language.as_str(),
            ),
            (
                "received_as_printed",
                fm.received_as_printed.as_str(),
                r.received_as_printed.as_str(),
            ),
            ("received", fm.received.as_str(), iso.as_str()),
            (
                "report_section",
                fm.report_section.as_str(),
                r.section.as_str(),
            ),
        ];
        for (key, got, want) in checks {
            if got != want {
                failures.push(format!(
                    "{}: {key} is {got:?}, seed line {} says {want:?}",
                    file.rel, r.line
                ));
            }
        }
        if fm.order as usize != k + 1 {
            failures.push(format!(
                "{}: order is {}, the reply is number {} in the seed",
                file.rel,
                fm.order,
                k + 1
            ));
        }
        let organization = r.title == "欧洲联盟";
        let want_entity = if organization {
            "organization"
        } else {
            "state"
        };
        if fm.entity != want_entity
            || fm.iso2.is_some() == organization
            || fm.region.is_some() == organization
        {
            failures.push(format!(
                "{}: entity/iso/region do not fit a {want_entity}",
                file.rel
            ));
        }
        if !fm.aliases.is_empty() {
            failures.push(format!(
                "{}: aliases are not the importer's business",
                file.rel
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// The Markdown parses as intended (CommonMark with footnotes, as the generator reads it):
/// every footnote reference resolves to a definition, every URL is a link, and no Markdown
/// syntax is left over as text.
#[test]
fn markdown_parses_as_intended() {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    let opts =
        Options::ENABLE_FOOTNOTES | Options::ENABLE_TABLES | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut failures = Vec::new();
    let mut files: Vec<String> = REPLIES
        .iter()
        .map(|(_, slug)| format!("content/replies/{slug}.md"))
        .collect();
    files.push("content/_index.md".into());
    for rel in files {
        let text =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(&rel)).unwrap();
        let body = &text[text[4..].find("\n---\n").unwrap() + 9..];
        let (mut refs, mut defs, mut links) = (BTreeMap::new(), 0, 0);
        for ev in Parser::new_ext(body, opts) {
            match ev {
                Event::FootnoteReference(n) => *refs.entry(n.to_string()).or_insert(0) += 1,
                Event::Start(Tag::FootnoteDefinition(_)) => defs += 1,
                Event::Start(Tag::Link { .. }) => links += 1,
                Event::Text(t) if t.contains("[^") || t.contains("](") || t.contains("<http") => {
                    failures.push(format!("{rel}: Markdown left as text: {t}"))
                }
                _ => {}
            }
        }
        let urls = body.matches("<http").count() + body.matches("](http").count();
        if refs.len() != defs || refs.values().any(|&n| n != 1) {
            failures.push(format!(
                "{rel}: {} footnote references, {defs} definitions",
                refs.len()
            ));
        }
        if links != urls {
            failures.push(format!("{rel}: {urls} URLs but {links} links"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
