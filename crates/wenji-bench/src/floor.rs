//! The floor: the least any generator must do with a corpus — read every Markdown file,
//! render its body with pulldown-cmark (`push_html`, wenji's Markdown options) and write the
//! bytes, one `…/index.html` per file as the build lays pages out, in parallel with rayon.
//! The build is reported as a multiple of this, measured in the same run.
//!
//! The output floor ([`write_only`]) is the least any generator must do to publish the site
//! wenji built: write its files, bytes already in memory, in parallel. It shows how much of the
//! gap to the floor is the output itself (search index, open data, citation files) rather
//! than the work of making it.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use pulldown_cmark::{Options, Parser, html};
use rayon::prelude::*;

#[derive(Debug, Clone, Default)]
pub struct FloorReport {
    pub files: usize,
    pub input_bytes: u64,
    pub output_bytes: u64,
    pub read_render: Duration,
    pub write: Duration,
    pub total: Duration,
}

impl FloorReport {
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "files": self.files,
            "input_bytes": self.input_bytes,
            "output_bytes": self.output_bytes,
            "read_render_ms": ms(self.read_render),
            "write_ms": ms(self.write),
            "total_ms": ms(self.total),
        })
    }
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn options() -> Options {
    let mut o = Options::empty();
    o.insert(Options::ENABLE_FOOTNOTES);
    o.insert(Options::ENABLE_TABLES);
    o.insert(Options::ENABLE_HEADING_ATTRIBUTES);
    o.insert(Options::ENABLE_STRIKETHROUGH);
    o
}

fn body(text: &str) -> &str {
    let Some(rest) = text.strip_prefix("---\n") else {
        return text;
    };
    match rest.find("\n---\n") {
        Some(i) => &rest[i + 5..],
        None => text,
    }
}

/// Reads, renders and writes every `.md` file under `site/content` into `out`.
pub fn run(site: &Path, out: &Path) -> std::io::Result<FloorReport> {
    let start = Instant::now();
    let content = site.join(wenji_core::content::CONTENT_DIR);
    let files: Vec<PathBuf> = walkdir::WalkDir::new(&content)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    let rendered: Vec<std::io::Result<(PathBuf, u64, String)>> = files
        .par_iter()
        .map(|p| {
            let text = fs::read_to_string(p)?;
            let body = body(&text);
            let mut html = String::with_capacity(body.len() * 3 / 2);
            html::push_html(&mut html, Parser::new_ext(body, options()));
            let rel = p.strip_prefix(&content).unwrap_or(p).with_extension("");
            Ok((out.join(rel).join("index.html"), text.len() as u64, html))
        })
        .collect();
    let rendered: Vec<(PathBuf, u64, String)> = rendered.into_iter().collect::<Result<_, _>>()?;
    let read_render = start.elapsed();
    let t = Instant::now();
    let written: Vec<std::io::Result<u64>> = rendered
        .par_iter()
        .map(|(dest, _, html)| {
            if let Some(parent) = dest.parent() {
                fs::create_dir_all(parent)?;
            }
            fs::write(dest, html)?;
            Ok(html.len() as u64)
        })
        .collect();
    let mut output_bytes = 0;
    for w in written {
        output_bytes += w?;
    }
    Ok(FloorReport {
        files: rendered.len(),
        input_bytes: rendered.iter().map(|r| r.1).sum(),
        output_bytes,
        read_render,
        write: t.elapsed(),
        total: start.elapsed(),
    })
}

/// The output floor of one built site.
#[derive(Debug, Clone, Default)]
pub struct WriteReport {
    pub files: usize,
    pub bytes: u64,
    pub dirs: usize,
    /// Creating the folders and writing the files, the only part timed against the floor.
    pub write: Duration,
}

impl WriteReport {
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "files": self.files,
            "output_bytes": self.bytes,
            "dirs": self.dirs,
            "write_ms": ms(self.write),
        })
    }
}

/// Reads every file of the built site `built` into memory (not timed), then times writing
/// them all under `out` with rayon, folders first, as a build lays out its output.
pub fn write_only(built: &Path, out: &Path) -> std::io::Result<WriteReport> {
    let mut dirs = Vec::new();
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(built).sort_by_file_name() {
        let entry = entry.map_err(std::io::Error::other)?;
        let rel = entry.path().strip_prefix(built).unwrap_or(entry.path());
        if entry.file_type().is_dir() {
            dirs.push(out.join(rel));
        } else if entry.file_type().is_file() {
            files.push((out.join(rel), fs::read(entry.path())?));
        }
    }
    let start = Instant::now();
    // Parents come before their children in the walk, so one pass in order creates them all.
    for d in &dirs {
        fs::create_dir_all(d)?;
    }
    files
        .par_iter()
        .try_for_each(|(dest, bytes)| fs::write(dest, bytes))?;
    let write = start.elapsed();
    Ok(WriteReport {
        files: files.len(),
        bytes: files.iter().map(|f| f.1.len() as u64).sum(),
        dirs: dirs.len(),
        write,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_every_file_once() {
        let site = tempfile::tempdir().unwrap();
        let c = site.path().join("content/replies");
        fs::create_dir_all(&c).unwrap();
        fs::write(
            c.join("a.md"),
            "---\nkind: reply\n---\n\n正文[^1]\n\n[^1]: 注\n",
        )
        .unwrap();
        fs::write(
            site.path().join("content/_index.md"),
            "---\nkind: home\n---\n# 首页\n",
        )
        .unwrap();
        let out = tempfile::tempdir().unwrap();
        let r = run(site.path(), out.path()).unwrap();
        assert_eq!(r.files, 2);
        let a = fs::read_to_string(out.path().join("replies/a/index.html")).unwrap();
        assert!(a.contains("<p>正文") && !a.contains("kind"), "{a}");
        assert!(out.path().join("_index/index.html").is_file());
    }

    #[test]
    fn write_only_copies_the_built_site() {
        let built = tempfile::tempdir().unwrap();
        fs::create_dir_all(built.path().join("states/a")).unwrap();
        fs::write(built.path().join("index.html"), "首页").unwrap();
        fs::write(built.path().join("states/a/index.html"), "答复").unwrap();
        fs::write(built.path().join(".nojekyll"), "").unwrap();
        let out = tempfile::tempdir().unwrap();
        let dest = out.path().join("copy");
        let r = write_only(built.path(), &dest).unwrap();
        assert_eq!((r.files, r.bytes), (3, 12));
        assert_eq!(
            fs::read_to_string(dest.join("states/a/index.html")).unwrap(),
            "答复"
        );
        assert!(dest.join(".nojekyll").is_file());
    }
}
