//! Helpers for the integration tests: make a site root in a temp folder from the repo's
//! templates, assets and config plus some content, and run the real `wenji` binary on it.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// A site root with the repo's templates, assets and config and the given content folder.
pub fn site_root(content: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("templates"), &dir.path().join("templates"));
    copy_dir(&repo().join("assets"), &dir.path().join("assets"));
    std::fs::copy(repo().join("wenji.toml"), dir.path().join("wenji.toml")).unwrap();
    copy_dir(content, &dir.path().join("content"));
    dir
}

/// The small fixture site.
pub fn fixture() -> tempfile::TempDir {
    site_root(&repo().join("tests/fixtures/content"))
}

pub fn wenji(root: &Path, args: &[&str]) -> Output {
    wenji_env(root, args, &[])
}

pub fn wenji_env(root: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_wenji"));
    cmd.arg("--root").arg(root).args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Every file under `dir`, relative path → bytes.
pub fn snapshot(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The real binary's run under a time limit, with its peak memory.
#[derive(Debug)]
pub struct Run {
    /// Exit code; `None` when killed by a signal (a crash or the time limit).
    pub code: Option<i32>,
    pub signal: Option<i32>,
    pub stderr: String,
    pub elapsed: std::time::Duration,
    /// Peak resident memory of the process, in kB.
    pub max_rss_kb: u64,
    pub timed_out: bool,
}

/// Runs `wenji --root ROOT ARGS` and kills it after `limit`; measures its peak memory.
/// On Unix the child is reaped by `wait4` (which gives its resource usage), not by `Child::wait`.
pub fn wenji_bounded(
    root: &Path,
    args: &[&str],
    env: &[(&str, &str)],
    limit: std::time::Duration,
) -> Run {
    use std::io::Read;
    use std::process::Stdio;
    use std::time::Instant;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_wenji"));
    cmd.arg("--root")
        .arg(root)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let start = Instant::now();
    let mut child = cmd.spawn().unwrap();
    let mut err = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err.read_to_end(&mut v);
        v
    });
    let (exit, max_rss_kb, timed_out) = reap_bounded(child, start, limit);
    let elapsed = start.elapsed();
    let stderr = String::from_utf8_lossy(&reader.join().unwrap()).into_owned();
    Run {
        code: exit.code,
        signal: exit.signal,
        stderr,
        elapsed,
        max_rss_kb,
        timed_out,
    }
}

/// How a child process ended.
struct Exit {
    code: Option<i32>,
    signal: Option<i32>,
}

/// Waits for `child`, killing it after `limit`; with `wait4`, which gives its peak memory in
/// kB (`ru_maxrss`, which macOS gives in bytes).
#[cfg(unix)]
#[allow(clippy::zombie_processes)]
fn reap_bounded(
    mut child: std::process::Child,
    start: std::time::Instant,
    limit: std::time::Duration,
) -> (Exit, u64, bool) {
    let pid = child.id() as libc::pid_t;
    let mut timed_out = false;
    let (status, usage) = loop {
        let mut status = 0;
        // SAFETY: plain FFI call with valid pointers to locals; `rusage` is POD.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        let r = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if r == pid {
            break (status, usage);
        }
        assert!(r == 0, "wait4 failed: {}", std::io::Error::last_os_error());
        if !timed_out && start.elapsed() > limit {
            timed_out = true;
            let _ = child.kill();
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    };
    let exited = libc::WIFEXITED(status);
    let exit = Exit {
        code: exited.then(|| libc::WEXITSTATUS(status)),
        signal: libc::WIFSIGNALED(status).then(|| libc::WTERMSIG(status)),
    };
    let unit = if cfg!(target_os = "macos") { 1024 } else { 1 };
    (exit, usage.ru_maxrss.max(0) as u64 / unit, timed_out)
}

/// Waits for `child`, killing it after `limit`. Without `wait4` there is no peak memory to
/// read: 0, which every memory bound accepts.
#[cfg(not(unix))]
fn reap_bounded(
    mut child: std::process::Child,
    start: std::time::Instant,
    limit: std::time::Duration,
) -> (Exit, u64, bool) {
    let mut timed_out = false;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if !timed_out && start.elapsed() > limit {
            timed_out = true;
            let _ = child.kill();
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    };
    let exit = Exit {
        code: status.code(),
        signal: None,
    };
    (exit, 0, timed_out)
}

/// Time and memory every build of a small broken site must stay within.
pub const LIMIT: std::time::Duration = std::time::Duration::from_secs(20);
pub const MAX_RSS_KB: u64 = 1024 * 1024;

/// Everything under `dir`: files with their bytes, folders and links marked, by relative path.
pub fn tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .map(|e| e.unwrap())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let ft = e.file_type();
            let bytes = if ft.is_symlink() {
                format!(
                    "<link to {}>",
                    std::fs::read_link(e.path()).unwrap().display()
                )
                .into_bytes()
            } else if ft.is_dir() {
                b"<dir>".to_vec()
            } else {
                std::fs::read(e.path()).unwrap()
            };
            (rel, bytes)
        })
        .collect()
}

/// A fixture site root at `outer/root`, so a test can check nothing is written beside it.
pub fn nested_fixture() -> (tempfile::TempDir, PathBuf) {
    let outer = tempfile::tempdir().unwrap();
    let root = outer.path().join("root");
    copy_dir(&repo().join("templates"), &root.join("templates"));
    copy_dir(&repo().join("assets"), &root.join("assets"));
    std::fs::copy(repo().join("wenji.toml"), root.join("wenji.toml")).unwrap();
    copy_dir(
        &repo().join("tests/fixtures/content"),
        &root.join("content"),
    );
    (outer, root)
}

pub fn edit_file(root: &Path, rel: &str, f: impl FnOnce(String) -> String) {
    let p = root.join(rel);
    let text = std::fs::read_to_string(&p).unwrap();
    let new = f(text.clone());
    assert_ne!(new, text, "the edit of {rel} changed nothing");
    std::fs::write(&p, new).unwrap();
}

pub fn write_file(root: &Path, rel: &str, bytes: impl AsRef<[u8]>) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, bytes).unwrap();
}

/// Checks what every failed build must do: exit 1 in bounded time and memory, no panic, every
/// error located in a file and followed by what to do, the expected words, and nothing
/// written anywhere: the previous site, the sources and the folder around the root are
/// exactly as they were. Returns the messages.
pub fn assert_fails(edit: impl FnOnce(&Path), expect: &[&str]) -> String {
    let (outer, root) = nested_fixture();
    let ok = wenji_bounded(&root, &["build"], &[], LIMIT);
    assert_eq!(ok.code, Some(0), "{}", ok.stderr);
    edit(&root);
    let before = tree(outer.path());
    let run = wenji_bounded(&root, &["build"], &[], LIMIT);
    let err = &run.stderr;
    assert!(!run.timed_out, "still running after {LIMIT:?}:\n{err}");
    assert!(
        run.max_rss_kb < MAX_RSS_KB,
        "used {} MB:\n{err}",
        run.max_rss_kb / 1024
    );
    assert_eq!(run.code, Some(1), "signal {:?}:\n{err}", run.signal);
    assert!(!err.contains("panicked"), "{err}");
    assert_messages_are_located(err);
    for e in expect {
        assert!(err.contains(e), "expected `{e}` in:\n{err}");
    }
    // Shown with `--nocapture`; docs/hardening.md quotes these.
    eprintln!(
        "==== {} ({:.1} s, {} MB)\n{err}",
        std::thread::current().name().unwrap_or("?"),
        run.elapsed.as_secs_f64(),
        run.max_rss_kb / 1024
    );
    let after = tree(outer.path());
    if before != after {
        let changed: Vec<_> = before
            .keys()
            .chain(after.keys())
            .filter(|k| before.get(*k) != after.get(*k))
            .collect();
        panic!("the failed build changed {changed:?}\n{err}");
    }
    run.stderr
}

/// Every `error:` names a file (with `:line` where the message is about a line) and is
/// followed by a `help:` line saying what to do.
pub fn assert_messages_are_located(err: &str) {
    let lines: Vec<&str> = err.lines().collect();
    let errors: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].starts_with("error: "))
        .collect();
    assert!(!errors.is_empty(), "no error message:\n{err}");
    for i in errors {
        let rest = &lines[i]["error: ".len()..];
        let file = rest.split(": ").next().unwrap_or("");
        assert!(
            !file.is_empty() && !file.contains(char::is_whitespace),
            "no file in `{}`",
            lines[i]
        );
        assert!(
            lines.get(i + 1).is_some_and(|l| l.starts_with("  help: ")),
            "no help after `{}`:\n{err}",
            lines[i]
        );
    }
}

/// One start tag of an HTML page, as a browser's tokenizer would see it.
#[derive(Debug)]
pub struct Tag {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    /// Byte offset of the `<`.
    pub at: usize,
}

impl Tag {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The start tags of `html`, skipping comments, end tags, quoted attribute values, and the
/// text of raw-text and escapable raw-text elements (`script`, `style`, `title`, `textarea`),
/// so a `<script>` that is only text or an attribute value is not taken for an element.
/// Character references in attribute values are left as written.
pub fn html_tags(html: &str) -> Vec<Tag> {
    let b = html.as_bytes();
    let lower = html.to_ascii_lowercase();
    let mut tags = Vec::new();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        i += off;
        let rest = &html[i..];
        if rest.starts_with("<!--") {
            i += rest.find("-->").map_or(rest.len(), |j| j + 3);
            continue;
        }
        if rest.starts_with("</") || rest.starts_with("<!") || rest.starts_with("<?") {
            i += rest.find('>').map_or(rest.len(), |j| j + 1);
            continue;
        }
        if !b.get(i + 1).is_some_and(u8::is_ascii_alphabetic) {
            i += 1;
            continue;
        }
        let at = i;
        i += 1;
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' && b[i] != b'/' {
            i += 1;
        }
        let name = html[start..i].to_ascii_lowercase();
        let mut attrs = Vec::new();
        loop {
            while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
                i += 1;
            }
            if i >= b.len() || b[i] == b'>' {
                i += 1;
                break;
            }
            let s = i;
            i += 1; // an attribute name may start with `=`
            while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/')
            {
                i += 1;
            }
            let attr = html[s..i].to_ascii_lowercase();
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            let mut value = String::new();
            if i < b.len() && b[i] == b'=' {
                i += 1;
                while i < b.len() && b[i].is_ascii_whitespace() {
                    i += 1;
                }
                if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                    let q = b[i];
                    let end = html[i + 1..].find(q as char).map_or(b.len(), |j| i + 1 + j);
                    value = html[i + 1..end].to_string();
                    i = (end + 1).min(b.len());
                } else {
                    let s = i;
                    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                        i += 1;
                    }
                    value = html[s..i].to_string();
                }
            }
            attrs.push((attr, value));
        }
        if matches!(name.as_str(), "script" | "style" | "title" | "textarea") {
            let close = format!("</{name}");
            i = lower[i.min(b.len())..]
                .find(&close)
                .map_or(b.len(), |j| i + j);
        }
        tags.push(Tag { name, attrs, at });
    }
    tags
}

/// What a page must not contain for the Content-Security-Policy to forbid inline code: a
/// `<script>` without `src=` that is not JSON data, an `on…=` handler, a `style` attribute or
/// element, or a link or source whose scheme runs code. Returns one line per problem.
pub fn unsafe_markup(path: &str, html: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for t in html_tags(html) {
        let ctx = || html[t.at..].chars().take(120).collect::<String>();
        if t.name == "script"
            && t.attr("src").is_none()
            && !matches!(
                t.attr("type"),
                Some("application/json" | "application/ld+json")
            )
        {
            problems.push(format!("{path}: inline script: {}", ctx()));
        }
        if t.name == "style" {
            problems.push(format!("{path}: <style> element: {}", ctx()));
        }
        for (name, value) in &t.attrs {
            if name.starts_with("on") {
                problems.push(format!("{path}: event handler `{name}`: {}", ctx()));
            }
            if name == "style" {
                problems.push(format!("{path}: style attribute: {}", ctx()));
            }
            if matches!(
                name.as_str(),
                "href" | "src" | "action" | "formaction" | "xlink:href"
            ) {
                let v: String = value
                    .replace("&#58;", ":")
                    .replace("&colon;", ":")
                    .chars()
                    .filter(|c| !c.is_whitespace() && !c.is_control())
                    .collect::<String>()
                    .to_ascii_lowercase();
                if v.starts_with("javascript:") || v.starts_with("vbscript:") {
                    problems.push(format!("{path}: script URL in {name}: {}", ctx()));
                }
            }
        }
    }
    problems
}

/// Whether `html` has the attribute `name="value"`, written with or without quotes (the
/// templates are minified, which drops the quotes a value does not need).
#[allow(dead_code)]
pub fn has_attr(html: &str, name: &str, value: &str) -> bool {
    [
        format!(" {name}=\"{value}\""),
        format!(" {name}='{value}'"),
        format!(" {name}={value}>"),
        format!(" {name}={value} "),
    ]
    .iter()
    .any(|a| html.contains(a.as_str()))
}
