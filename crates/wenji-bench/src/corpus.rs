//! The synthetic corpus: a site of N replies made from the real replies' paragraphs,
//! headings, footnotes, concept tags and linked UN document symbols, so that every stage of
//! the build does on it what it does on the real site, only N times over.
//!
//! Page `i` takes the front matter of real reply `i mod S` (S real replies) with a unique
//! title, slug and order, and a body of ~10.6 kB: blocks taken from the pool of every real
//! reply's blocks, starting at a different block for each page and stepping through the pool
//! with a stride that changes every pool-length pages, so consecutive pages mix paragraphs of
//! different replies and no two pages are the same. Footnotes travel with the blocks that
//! cite them and are renumbered per page. Concept tags use the concepts that exist and point
//! at paragraphs and headings the page has (counted by wenji's own Markdown parser).
//! Everything else of the site (config, templates, assets, concepts, plain pages, home page)
//! is copied; concept `wording_from` references are pointed at the first synthetic reply.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use wenji_core::content::frontmatter::{self, ConceptMeta, ReplyMeta};
use wenji_core::content::markdown;

/// Markdown bytes aimed at per reply (body and footnotes), as in the corpus.
pub const TARGET_PAGE_BYTES: usize = 10_600;

/// What the generator wrote.
#[derive(Debug, Clone, Default)]
pub struct CorpusStats {
    pub replies: usize,
    /// Bytes of every `.md` file written under `content/`.
    pub content_bytes: u64,
    /// Bytes of the replies' bodies (without front matter).
    pub body_bytes: u64,
    pub paragraphs: u64,
    pub footnotes: u64,
    pub tags: u64,
}

/// A block of a real reply's body: its Markdown and the footnote labels it cites.
#[derive(Debug, Clone)]
struct Chunk {
    source: usize,
    text: String,
    refs: Vec<String>,
}

/// A real reply, as the generator needs it.
struct Source {
    meta: ReplyMeta,
    /// Footnote label → definition text (without the `[^label]: ` prefix).
    footnotes: BTreeMap<String, String>,
}

/// The pool of blocks and the replies they come from.
pub struct Pool {
    sources: Vec<Source>,
    chunks: Vec<Chunk>,
    concepts: Vec<String>,
}

fn mix(mut x: u64) -> u64 {
    // splitmix64: a deterministic spread of small integers.
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 { a } else { gcd(b, a % b) }
}

fn md_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "md"))
        .collect();
    v.sort();
    v
}

fn footnote_refs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("[^") {
        let after = &rest[i + 2..];
        match after.find(']') {
            Some(j) if !after[..j].contains(char::is_whitespace) && j > 0 => {
                out.push(after[..j].to_string());
                rest = &after[j + 1..];
            }
            _ => rest = after,
        }
    }
    out
}

/// Splits a body into blocks at blank lines; indented blocks stay with the block before
/// them (list continuations); footnote definitions are taken out.
fn split_body(body: &str) -> (Vec<String>, BTreeMap<String, String>) {
    let mut blocks: Vec<String> = Vec::new();
    let mut notes = BTreeMap::new();
    let mut last_was_note: Option<String> = None;
    for part in body.split("\n\n") {
        let part = part.trim_end_matches('\n');
        if part.trim().is_empty() {
            continue;
        }
        let indented = part.starts_with(' ') || part.starts_with('\t');
        if part.starts_with("[^") && part.lines().next().is_some_and(|l| l.contains("]:")) {
            // One or more definitions, one per line, with any continuation lines.
            for line in part.lines() {
                if let Some(rest) = line.strip_prefix("[^")
                    && let Some((label, def)) = rest.split_once("]:")
                {
                    notes.insert(label.to_string(), def.trim().to_string());
                    last_was_note = Some(label.to_string());
                } else if let Some(d) = last_was_note.as_ref().and_then(|l| notes.get_mut(l)) {
                    d.push('\n');
                    d.push_str(line);
                }
            }
            continue;
        }
        if indented {
            if let Some(label) = &last_was_note {
                if let Some(d) = notes.get_mut(label) {
                    d.push_str("\n\n");
                    d.push_str(part);
                }
                continue;
            }
            if let Some(prev) = blocks.last_mut() {
                prev.push_str("\n\n");
                prev.push_str(part);
                continue;
            }
        }
        last_was_note = None;
        let mut block = part.trim_start().to_string();
        if block.starts_with('#') {
            // Explicit heading ids would collide when headings are reused.
            if let Some(i) = block.find(" {#") {
                block.truncate(i);
            }
        }
        blocks.push(block);
    }
    (blocks, notes)
}

impl Pool {
    /// Reads the real replies and concepts of the site at `root`.
    pub fn load(root: &Path) -> Result<Pool, String> {
        let content = root.join(wenji_core::content::CONTENT_DIR);
        let mut concepts = Vec::new();
        for path in md_files(&content.join("concepts")) {
            let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let split = frontmatter::split(&path, &text).map_err(|d| d.to_string())?;
            let meta: ConceptMeta = frontmatter::parse(&path, &split).map_err(|d| d.to_string())?;
            concepts.push(meta.slug.value);
        }
        let mut sources = Vec::new();
        let mut chunks = Vec::new();
        let mut files: Vec<(u32, PathBuf, String)> = Vec::new();
        for path in md_files(&content.join("replies")) {
            let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let split = frontmatter::split(&path, &text).map_err(|d| d.to_string())?;
            let meta: ReplyMeta = frontmatter::parse(&path, &split).map_err(|d| d.to_string())?;
            files.push((meta.order, path, text));
        }
        files.sort();
        for (_, path, text) in files {
            let split = frontmatter::split(&path, &text).map_err(|d| d.to_string())?;
            let meta: ReplyMeta = frontmatter::parse(&path, &split).map_err(|d| d.to_string())?;
            let (blocks, footnotes) = split_body(split.body);
            let source = sources.len();
            for text in blocks {
                let refs = footnote_refs(&text)
                    .into_iter()
                    .filter(|r| footnotes.contains_key(r))
                    .collect();
                chunks.push(Chunk { source, text, refs });
            }
            sources.push(Source { meta, footnotes });
        }
        if chunks.is_empty() {
            return Err(format!(
                "{} has no replies to make a corpus from",
                content.join("replies").display()
            ));
        }
        Ok(Pool {
            sources,
            chunks,
            concepts,
        })
    }

    pub fn blocks(&self) -> usize {
        self.chunks.len()
    }

    /// The body of synthetic reply `i`, and the number of footnotes in it.
    fn body(&self, i: usize) -> (String, usize) {
        let len = self.chunks.len();
        let start = (i.wrapping_mul(7919)) % len;
        // A stride prime to the pool's length visits every block before repeating one.
        // The k-th such stride for the k-th pass over the pool, so (start, stride) is unique.
        let step = (1..)
            .filter(|&s| gcd(s, len) == 1)
            .nth((i / len) % 16)
            .unwrap_or(1);
        let mut body = String::with_capacity(TARGET_PAGE_BYTES + 2048);
        let mut notes = String::new();
        let mut n_notes = 0usize;
        let mut k = 0usize;
        while body.len() + notes.len() < TARGET_PAGE_BYTES && k < len {
            let c = &self.chunks[(start + k * step) % len];
            k += 1;
            let size = c.text.len() + 2;
            if !body.is_empty() && body.len() + notes.len() + size / 2 > TARGET_PAGE_BYTES {
                break;
            }
            let mut text = c.text.clone();
            if !c.refs.is_empty() {
                // Rename to placeholders first so that [^1] → [^2] and [^2] → [^3] do not mix.
                let mut renamed = Vec::new();
                for (j, label) in c.refs.iter().enumerate() {
                    let from = format!("[^{label}]");
                    let placeholder = format!("[^\u{1}{j}]");
                    if text.contains(&from) {
                        text = text.replacen(&from, &placeholder, 1);
                        renamed.push((placeholder, label));
                    }
                }
                for (placeholder, label) in renamed {
                    n_notes += 1;
                    text = text.replacen(&placeholder, &format!("[^{n_notes}]"), 1);
                    let def = &self.sources[c.source].footnotes[label];
                    let _ = write!(notes, "[^{n_notes}]: {def}\n\n");
                }
            }
            body.push_str(&text);
            body.push_str("\n\n");
        }
        body.push_str(&notes);
        (body, n_notes)
    }

    fn concept_tags(&self, i: usize, src: &Source, body: &str) -> BTreeMap<String, Vec<String>> {
        let mut tags = BTreeMap::new();
        let Ok(doc) = markdown::parse(Path::new("x.md"), body, 1, false) else {
            return tags;
        };
        let passages = doc.paragraph_count() as u64;
        let headings: Vec<String> = doc.heading_ids().map(str::to_string).collect();
        if passages == 0 || self.concepts.is_empty() {
            return tags;
        }
        let mut slugs: Vec<&String> = src
            .meta
            .concepts
            .keys()
            .filter(|s| self.concepts.contains(s))
            .collect();
        if slugs.is_empty() {
            let n = 1 + i % 5;
            let at = mix(i as u64) as usize;
            slugs = (0..n)
                .map(|k| &self.concepts[(at + k * 3) % self.concepts.len()])
                .collect();
            slugs.sort();
            slugs.dedup();
        }
        for (j, slug) in slugs.into_iter().enumerate() {
            let h = mix(((i as u64) << 8) ^ j as u64);
            let mut ranges = vec![format!("p{}", 1 + h % passages)];
            if passages >= 3 {
                let a = 1 + (h >> 16) % passages;
                let b = (a + (h >> 32) % 4).min(passages);
                ranges.push(format!("p{a}-p{b}"));
            }
            if !headings.is_empty() && j % 2 == 0 {
                ranges.push(format!(
                    "#{}",
                    headings[(h >> 40) as usize % headings.len()]
                ));
            }
            tags.insert(slug.clone(), ranges);
        }
        tags
    }

    /// The Markdown file of synthetic reply `i` (0-based), and its stats.
    pub fn reply(&self, i: usize) -> (String, String, CorpusStats) {
        let src = &self.sources[i % self.sources.len()];
        let m = &src.meta;
        let n = i + 1;
        let slug = format!("{}-{n:05}", m.slug.value);
        let (body, n_notes) = self.body(i);
        let tags = self.concept_tags(i, src, &body);
        let q = |s: &str| serde_json::to_string(s).unwrap_or_default();
        let mut fm = String::from("---\nkind: reply\n");
        let _ = writeln!(fm, "title: {}", q(&format!("{}（{n}）", m.title)));
        let _ = writeln!(fm, "title_en: {}", q(&format!("{} ({n})", m.title_en)));
        let _ = writeln!(fm, "slug: {slug}");
        let entity = match m.entity {
            wenji_core::content::Entity::State => "state",
            wenji_core::content::Entity::Organization => "organization",
        };
        let _ = writeln!(fm, "entity: {entity}");
        // A country is drawn once on the home page's map: only the first cycle keeps codes.
        if i < self.sources.len() {
            if let Some(c) = &m.iso2 {
                let _ = writeln!(fm, "iso2: {c}");
            }
            if let Some(c) = &m.iso3 {
                let _ = writeln!(fm, "iso3: {c}");
            }
        }
        if let Some(r) = &m.region {
            let _ = writeln!(fm, "region: {}", r.value);
        }
        let _ = writeln!(fm, "original_language: {}", q(&m.original_language));
        let _ = writeln!(fm, "received: {}", q(&m.received.value));
        let _ = writeln!(fm, "received_as_printed: {}", q(&m.received_as_printed));
        let _ = writeln!(fm, "report_section: {}", q(&m.report_section));
        let _ = writeln!(fm, "order: {n}");
        fm.push_str("aliases: []\n");
        let mut n_tags = 0u64;
        if tags.is_empty() {
            fm.push_str("concepts: {}\n");
        } else {
            fm.push_str("concepts:\n");
            for (slug, ranges) in &tags {
                n_tags += ranges.len() as u64;
                let list: Vec<String> = ranges.iter().map(|r| q(r)).collect();
                let _ = writeln!(fm, "  {slug}: [{}]", list.join(", "));
            }
        }
        fm.push_str("---\n\n");
        let paragraphs = markdown::parse(Path::new("x.md"), &body, 1, false)
            .map(|d| d.paragraph_count() as u64)
            .unwrap_or(0);
        let stats = CorpusStats {
            replies: 1,
            content_bytes: (fm.len() + body.len()) as u64,
            body_bytes: body.len() as u64,
            paragraphs,
            footnotes: n_notes as u64,
            tags: n_tags,
        };
        let text = fm + &body;
        (slug, text, stats)
    }

    /// Slug of synthetic reply `i`.
    pub fn slug(&self, i: usize) -> String {
        format!(
            "{}-{:05}",
            self.sources[i % self.sources.len()].meta.slug.value,
            i + 1
        )
    }
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<u64> {
    let mut bytes = 0;
    if !from.is_dir() {
        return Ok(0);
    }
    for entry in walkdir::WalkDir::new(from).sort_by_file_name() {
        let entry = entry.map_err(std::io::Error::other)?;
        let rel = entry.path().strip_prefix(from).unwrap_or(entry.path());
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&dest)?;
        } else if entry.file_type().is_file() {
            bytes += fs::copy(entry.path(), &dest)?;
        }
    }
    Ok(bytes)
}

/// Writes a synthetic site of `n` replies made from the site at `source` into `dest`
/// (which is emptied first).
pub fn generate(source: &Path, dest: &Path, n: usize) -> Result<CorpusStats, String> {
    let pool = Pool::load(source)?;
    generate_from(&pool, source, dest, n)
}

pub fn generate_from(
    pool: &Pool,
    source: &Path,
    dest: &Path,
    n: usize,
) -> Result<CorpusStats, String> {
    use rayon::prelude::*;
    let err = |p: &Path, e: std::io::Error| format!("{}: {e}", p.display());
    if dest.exists() {
        fs::remove_dir_all(dest).map_err(|e| err(dest, e))?;
    }
    let content = dest.join(wenji_core::content::CONTENT_DIR);
    let replies = content.join("replies");
    fs::create_dir_all(&replies).map_err(|e| err(&replies, e))?;
    let cfg = wenji_core::config::CONFIG_FILE;
    fs::copy(source.join(cfg), dest.join(cfg)).map_err(|e| err(&source.join(cfg), e))?;
    for dir in ["templates", "assets"] {
        copy_dir(&source.join(dir), &dest.join(dir)).map_err(|e| err(&source.join(dir), e))?;
    }
    let mut stats = CorpusStats::default();
    let src_content = source.join(wenji_core::content::CONTENT_DIR);
    // The home page and plain pages as they are.
    for entry in fs::read_dir(&src_content).map_err(|e| err(&src_content, e))? {
        let p = entry.map_err(|e| err(&src_content, e))?.path();
        if p.is_file() {
            stats.content_bytes += fs::copy(&p, content.join(p.file_name().unwrap_or_default()))
                .map_err(|e| err(&p, e))?;
        }
    }
    stats.content_bytes += copy_dir(&src_content.join("pages"), &content.join("pages"))
        .map_err(|e| err(&src_content, e))?;
    // Concepts, with `wording_from` pointing at a synthetic reply.
    let first = pool.slug(0);
    let concepts = content.join("concepts");
    for path in md_files(&src_content.join("concepts")) {
        fs::create_dir_all(&concepts).map_err(|e| err(&concepts, e))?;
        let text = fs::read_to_string(&path).map_err(|e| err(&path, e))?;
        let mut out = String::with_capacity(text.len());
        let mut in_front = 0;
        for line in text.split_inclusive('\n') {
            if line.trim_end() == "---" {
                in_front += 1;
            }
            if in_front == 1 && line.starts_with("wording_from:") {
                let _ = writeln!(out, "wording_from: {first}#p1");
            } else {
                out.push_str(line);
            }
        }
        stats.content_bytes += out.len() as u64;
        let name = path.file_name().unwrap_or_default();
        fs::write(concepts.join(name), out).map_err(|e| err(&path, e))?;
    }
    let parts: Result<Vec<CorpusStats>, String> = (0..n)
        .into_par_iter()
        .map(|i| {
            let (slug, text, s) = pool.reply(i);
            let p = replies.join(format!("{slug}.md"));
            fs::write(&p, text).map_err(|e| err(&p, e))?;
            Ok(s)
        })
        .collect();
    for s in parts? {
        stats.replies += s.replies;
        stats.content_bytes += s.content_bytes;
        stats.body_bytes += s.body_bytes;
        stats.paragraphs += s.paragraphs;
        stats.footnotes += s.footnotes;
        stats.tags += s.tags;
    }
    Ok(stats)
}

#[cfg(test)]
mod tests {
    use super::*;
    use wenji_core::build::{BuildOptions, build};

    fn repo() -> PathBuf {
        PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
    }

    fn check(root: &Path) -> wenji_core::build::BuildReport {
        build(&BuildOptions {
            root: root.to_path_buf(),
            output: root.join("site"),
            base_url: None,
            write: false,
        })
        .unwrap_or_else(|e| panic!("wenji check fails on the corpus:\n{e}"))
    }

    #[test]
    fn footnote_refs_are_found() {
        assert_eq!(footnote_refs("a[^1] b[^x2]c [^ no]"), vec!["1", "x2"]);
    }

    #[test]
    fn blocks_keep_list_continuations_and_take_out_notes() {
        let (blocks, notes) = split_body(
            "p one[^1]\n\n- item\n\n   - nested\n\n## H {#h}\n\n[^1]: note\n[^2]: two\n  more\n",
        );
        assert_eq!(blocks, vec!["p one[^1]", "- item\n\n   - nested", "## H"]);
        assert_eq!(notes["1"], "note");
        assert_eq!(notes["2"], "two\n  more");
    }

    #[test]
    fn five_reply_corpus_of_the_real_site_passes_check() {
        let dir = tempfile::tempdir().unwrap();
        let stats = generate(&repo(), dir.path(), 5).unwrap();
        assert_eq!(stats.replies, 5);
        let report = check(dir.path());
        assert_eq!(
            std::fs::read_dir(dir.path().join("content/replies"))
                .unwrap()
                .count(),
            5
        );
        assert!(report.pages >= 5);
        // ~10.6 kB of Markdown per reply.
        let avg = stats.body_bytes / 5;
        assert!((9_000..13_000).contains(&avg), "{avg}");
    }

    #[test]
    fn corpus_with_concepts_pages_and_footnotes_passes_check() {
        // The fixture site has concept tags, a plain page, aliases and footnotes.
        let src = tempfile::tempdir().unwrap();
        let root = repo();
        std::fs::copy(root.join("wenji.toml"), src.path().join("wenji.toml")).unwrap();
        for d in ["templates", "assets"] {
            copy_dir(&root.join(d), &src.path().join(d)).unwrap();
        }
        copy_dir(
            &root.join("tests/fixtures/content"),
            &src.path().join("content"),
        )
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let stats = generate(src.path(), dir.path(), 5).unwrap();
        assert!(stats.tags > 0);
        assert!(stats.footnotes > 0);
        check(dir.path());
        let concept =
            std::fs::read_to_string(dir.path().join("content/concepts/norm-a.md")).unwrap();
        assert!(
            concept.contains("wording_from: borduria-00001#p1") || concept.contains("-00001#p1")
        );
    }

    #[test]
    fn pages_differ_and_slugs_are_unique() {
        let pool = Pool::load(&repo()).unwrap();
        let n = pool.blocks() * 2 + 7;
        let mut bodies = std::collections::BTreeSet::new();
        let mut slugs = std::collections::BTreeSet::new();
        for i in (0..n).step_by(13) {
            let (slug, text, _) = pool.reply(i);
            let body = text.split("\n---\n").nth(1).unwrap().to_string();
            assert!(bodies.insert(body), "reply {i} repeats another");
            assert!(slugs.insert(slug));
        }
    }
}
