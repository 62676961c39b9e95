//! Write stage: the finished site goes into a temporary folder beside the target and is
//! swapped in only when every file is written, so a failed build leaves the previous site
//! exactly as it was. Every path is checked to stay inside the output folder.

pub mod deploy;
pub mod extras;

use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

#[cfg(test)]
use rayon::prelude::*;

use crate::error::Diagnostic;

/// One file of the built site, its path relative to the output folder with `/` separators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

impl OutputFile {
    pub fn new(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        OutputFile {
            path: path.into(),
            bytes: bytes.into(),
        }
    }
}

/// A relative path that cannot leave the folder it is joined to.
pub fn safe_relative(path: &str) -> Option<PathBuf> {
    if path.is_empty() || path.contains(['\\', '\0']) || path.starts_with('/') {
        return None;
    }
    let p = Path::new(path);
    p.components()
        .all(|c| matches!(c, Component::Normal(_)))
        .then(|| p.to_path_buf())
}

/// Writes `files` as the new content of `out`, atomically replacing what was there. The build
/// writes through a [`Sink`] as it goes; this whole-site form is what the tests of the swap use.
#[cfg(test)]
fn write_site(out: &Path, files: &[OutputFile]) -> Result<(), Diagnostic> {
    let staging = Staging::create(OutputLock::acquire(out)?)?;
    files.par_iter().try_for_each(|f| staging.write(f))?;
    staging.commit()
}

/// The parent folder of `out` (created if missing) and `out`'s name.
fn parent_and_name(out: &Path) -> Result<(PathBuf, String), Diagnostic> {
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = out.file_name().ok_or_else(|| {
        Diagnostic::new(out, "the output folder has no name").help("pass --output site")
    })?;
    fs::create_dir_all(parent).map_err(|e| {
        Diagnostic::new(
            parent,
            format!("cannot create the output's parent folder: {e}"),
        )
    })?;
    Ok((parent.to_path_buf(), name.to_string_lossy().into_owned()))
}

/// One build per output folder at a time: an advisory lock on `.NAME.lock` beside the output
/// folder, held from before the leftovers of killed builds are cleaned until the new site is
/// swapped in. The system releases it when the process ends, however it ends. The file itself
/// stays: removing a lock file lets two processes lock two different files.
pub struct OutputLock {
    out: PathBuf,
    _file: fs::File,
}

impl OutputLock {
    /// Takes the lock of `out`; if another build holds it, says so on stderr and waits.
    pub fn acquire(out: &Path) -> Result<OutputLock, Diagnostic> {
        let (parent, name) = parent_and_name(out)?;
        let path = parent.join(format!(".{name}.lock"));
        let lock_error = |e: io::Error| {
            Diagnostic::new(&path, format!("cannot lock the output folder: {e}"))
                .help("check the permissions of the folder that holds the output folder")
        };
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(lock_error)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                eprintln!(
                    "waiting for another wenji build into {} to finish (it holds {})",
                    crate::error::shown(out),
                    crate::error::shown(&path)
                );
                file.lock().map_err(lock_error)?;
            }
            Err(fs::TryLockError::Error(e)) => return Err(lock_error(e)),
        }
        Ok(OutputLock {
            out: out.to_path_buf(),
            _file: file,
        })
    }
}

/// A site being written: files go into a hidden folder beside the output as the build makes
/// them, and that folder replaces the output only on [`Staging::commit`]. Dropped without a
/// commit (an error, a broken link found late), it is removed and the output is untouched.
pub struct Staging {
    dir: PathBuf,
    out: PathBuf,
    committed: bool,
    /// Released when the staging folder is swapped in or removed.
    _lock: OutputLock,
}

impl Staging {
    /// Makes the staging folder of a build that holds `lock`, after removing what killed
    /// builds left beside the output.
    pub fn create(lock: OutputLock) -> Result<Staging, Diagnostic> {
        let out = lock.out.clone();
        let (parent, name) = parent_and_name(&out)?;
        clean_leftovers(&parent, &name, &out);
        let dir = parent.join(format!(".{name}.new-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).map_err(|e| write_error(&out, e))?;
        Ok(Staging {
            dir,
            out,
            committed: false,
            _lock: lock,
        })
    }

    /// Where the file at `path` (relative to the site) goes in the staging folder.
    fn file_path(&self, path: &str) -> Result<PathBuf, Diagnostic> {
        let rel = safe_relative(path).ok_or_else(|| {
            write_error(
                Path::new(path),
                io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "path would leave the output folder",
                ),
            )
        })?;
        Ok(self.dir.join(rel))
    }

    /// Writes one file; safe to call from several threads at once.
    pub fn write(&self, f: &OutputFile) -> Result<(), Diagnostic> {
        let path = self.file_path(&f.path)?;
        // Most files go into a folder an earlier file made: try the write first.
        match fs::write(&path, &f.bytes) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                self.create_parents(&path)?;
                fs::write(&path, &f.bytes).map_err(|e| self.write_error(&path, e))
            }
            r => r.map_err(|e| self.write_error(&path, e)),
        }
    }

    /// Creates a file to be written in pieces.
    fn create_file(&self, path: &str) -> Result<fs::File, Diagnostic> {
        let path = self.file_path(path)?;
        self.create_parents(&path)?;
        fs::File::create(&path).map_err(|e| self.write_error(&path, e))
    }

    /// Makes the folders above `path` inside the staging folder, never the staging folder
    /// itself: if something removed it, the build fails instead of publishing part of a site.
    fn create_parents(&self, path: &Path) -> Result<(), Diagnostic> {
        if !self.dir.is_dir() {
            return Err(staging_gone(&self.dir));
        }
        match path.parent() {
            Some(p) if p != self.dir => fs::create_dir_all(p).map_err(|e| self.write_error(p, e)),
            _ => Ok(()),
        }
    }

    /// An error writing `staged` (in the staging folder), named by its place in the output
    /// folder: the staging folder is a detail of the build the maintainer never sees.
    fn write_error(&self, staged: &Path, e: io::Error) -> Diagnostic {
        let shown = staged
            .strip_prefix(&self.dir)
            .map_or_else(|_| self.out.clone(), |rel| self.out.join(rel));
        match e.kind() {
            io::ErrorKind::IsADirectory
            | io::ErrorKind::NotADirectory
            | io::ErrorKind::AlreadyExists => Diagnostic::new(
                shown,
                format!("two outputs of the build use this path, one of them as a folder ({e})"),
            )
            .help("an asset, page, alias or section name takes the path of another; rename one"),
            _ => write_error(&shown, e),
        }
    }

    /// Checks that every file the build made (`files`: path and size) is in the staging
    /// folder with its size, so a folder another process emptied is never swapped in.
    pub fn verify(&self, files: &[(String, u64)]) -> Result<(), Diagnostic> {
        use rayon::prelude::*;
        let missing = files.par_iter().find_any(|(path, size)| {
            self.file_path(path)
                .ok()
                .and_then(|p| fs::symlink_metadata(p).ok())
                .is_none_or(|m| !m.is_file() || m.len() != *size)
        });
        match missing {
            Some((path, _)) => Err(Diagnostic::new(
                &self.out,
                format!(
                    "the build's `{path}` is missing from its staging folder; another process removed or changed it"
                ),
            )
            .help("the previous site is untouched; run the build again, and run one build per output folder at a time")),
            None => Ok(()),
        }
    }

    /// Puts the written site in place of the output.
    pub fn commit(mut self) -> Result<(), Diagnostic> {
        self.committed = true;
        swap_in(&self.dir, &self.out).map_err(|(path, e)| {
            let _ = fs::remove_dir_all(&self.dir);
            swap_error(&path, e)
        })
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Where the build puts each file the moment it is made: the staging folder of `wenji build`,
/// or nowhere for `wenji check`. It records every path and size (for the link check, the
/// sitemap and the summary) and the time the threads spent writing. Safe to share between
/// threads.
pub struct Sink {
    staging: Option<Staging>,
    written: Mutex<Vec<(String, u64)>>,
    write_nanos: AtomicU64,
}

/// What a [`Sink`] took in.
pub struct SinkSummary {
    pub staging: Option<Staging>,
    /// Every file's path and size, sorted by path.
    pub files: Vec<(String, u64)>,
    /// Time spent writing, added up over the threads that wrote.
    pub write_time: Duration,
}

impl Sink {
    pub fn new(staging: Option<Staging>) -> Sink {
        Sink {
            staging,
            written: Mutex::new(Vec::new()),
            write_nanos: AtomicU64::new(0),
        }
    }

    /// Writes one file.
    pub fn put(&self, f: &OutputFile) -> Result<(), Diagnostic> {
        if let Some(s) = &self.staging {
            let t = Instant::now();
            s.write(f)?;
            self.add_time(t);
        }
        self.record(f.path.clone(), f.bytes.len() as u64);
        Ok(())
    }

    /// Opens a file to be written piece by piece (large files such as the open data), to be
    /// handed back to [`Sink::close`].
    pub fn open(&self, path: &str) -> Result<SinkFile, Diagnostic> {
        let file = match &self.staging {
            Some(s) => Some(io::BufWriter::with_capacity(1 << 20, s.create_file(path)?)),
            None => None,
        };
        Ok(SinkFile {
            path: path.to_string(),
            file,
            bytes: 0,
        })
    }

    pub fn close(&self, mut f: SinkFile) -> Result<(), Diagnostic> {
        if let Some(w) = f.file.take() {
            let t = Instant::now();
            w.into_inner()
                .map(drop)
                .map_err(|e| e.into_error())
                .map_err(|e| write_error(Path::new(&f.path), e))?;
            self.add_time(t);
        }
        self.record(f.path, f.bytes);
        Ok(())
    }

    fn record(&self, path: String, bytes: u64) {
        if let Ok(mut w) = self.written.lock() {
            w.push((path, bytes));
        }
    }

    fn add_time(&self, since: Instant) {
        self.write_nanos
            .fetch_add(since.elapsed().as_nanos() as u64, Ordering::Relaxed);
    }

    pub fn finish(self) -> SinkSummary {
        let mut files = self.written.into_inner().unwrap_or_default();
        files.sort();
        SinkSummary {
            staging: self.staging,
            files,
            write_time: Duration::from_nanos(self.write_nanos.into_inner()),
        }
    }
}

/// A file being written through a [`Sink`].
pub struct SinkFile {
    path: String,
    file: Option<io::BufWriter<fs::File>>,
    bytes: u64,
}

impl SinkFile {
    pub fn write(&mut self, bytes: &[u8]) -> Result<(), Diagnostic> {
        self.bytes += bytes.len() as u64;
        match &mut self.file {
            Some(w) => w
                .write_all(bytes)
                .map_err(|e| write_error(Path::new(&self.path), e)),
            None => Ok(()),
        }
    }
}

fn staging_gone(dir: &Path) -> Diagnostic {
    Diagnostic::new(
        dir,
        "the build's staging folder was removed while the build was writing it",
    )
    .help("the previous site is untouched; run the build again, one build per output folder at a time")
}

fn swap_error(out: &Path, e: io::Error) -> Diagnostic {
    Diagnostic::new(out, format!("cannot put the new site in place: {e}")).help(
        "the previous site is untouched; check the permissions of the output folder and its parent",
    )
}

fn write_error(path: &Path, e: io::Error) -> Diagnostic {
    Diagnostic::new(path, format!("cannot write the site: {e}"))
        .help("check the disk space and the permissions of the output folder")
}

/// Folders a killed build left beside the output: its staging folder (`.site.new-PID`),
/// removed once no process PID is running (the lock keeps other wenji builds out; this keeps
/// an older wenji without the lock safe too), and the previous site it had moved aside (`.site.old-PID`), put back when the
/// output is missing (the build was killed between the two renames of the swap) and removed
/// otherwise.
fn clean_leftovers(parent: &Path, name: &str, out: &Path) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let pid_after = |file: &str, prefix: &str| {
        file.strip_prefix(prefix)
            .is_some_and(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
    };
    let mut olds = Vec::new();
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let staging_prefix = format!(".{name}.new-");
        if pid_after(&file, &staging_prefix) {
            let owner_gone = file[staging_prefix.len()..]
                .parse::<u32>()
                .is_ok_and(|pid| pid == std::process::id() || !process_is_running(pid));
            if owner_gone {
                let _ = fs::remove_dir_all(entry.path());
            }
        } else if pid_after(&file, &format!(".{name}.old-")) {
            olds.push(entry.path());
        }
    }
    olds.sort();
    for old in olds {
        if !out.exists() {
            let _ = fs::rename(&old, out);
        } else {
            let _ = fs::remove_dir_all(&old);
        }
    }
}

/// Whether a process with this id exists (on systems other than Linux and macOS, assumed).
fn process_is_running(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return false;
        };
        // SAFETY: signal 0 sends nothing; kill only checks that the process exists.
        let r = unsafe { libc::kill(pid, 0) };
        r == 0 || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

fn swap_in(staging: &Path, out: &Path) -> Result<(), (PathBuf, io::Error)> {
    if !out.exists() {
        return fs::rename(staging, out).map_err(|e| (out.to_path_buf(), e));
    }
    let old = out.with_file_name(format!(
        ".{}.old-{}",
        out.file_name().unwrap_or_default().to_string_lossy(),
        std::process::id()
    ));
    let _ = fs::remove_dir_all(&old);
    fs::rename(out, &old).map_err(|e| (out.to_path_buf(), e))?;
    if let Err(e) = fs::rename(staging, out) {
        // Put the previous site back.
        let _ = fs::rename(&old, out);
        return Err((out.to_path_buf(), e));
    }
    let _ = fs::remove_dir_all(&old);
    Ok(())
}

/// Refuses output folders that would overwrite the site's own sources: the root itself, a
/// folder above it, or a folder the build reads (`content/`, `templates/`, `assets/`) or one
/// inside them. The output is replaced whole, so any of those would be deleted.
pub fn check_output_folder(root: &Path, out: &Path) -> Result<(), Diagnostic> {
    let root_abs = absolute(root);
    let out_abs = absolute(out);
    let sources = [
        crate::content::CONTENT_DIR,
        crate::render::templates::TEMPLATES_DIR,
        crate::render::assets::ASSETS_DIR,
    ];
    if root_abs.starts_with(&out_abs)
        || sources
            .iter()
            .any(|d| out_abs.starts_with(root_abs.join(d)))
        || out_abs.join(crate::config::CONFIG_FILE).exists()
        || out_abs.join(crate::content::CONTENT_DIR).exists()
    {
        return Err(Diagnostic::new(
            out,
            "the output folder holds the site's sources; writing there would replace them",
        )
        .help("pass an output folder of its own, e.g. --output site"));
    }
    // The output is replaced whole: refuse a file, or a folder of other things (`--output
    // src`), which would be deleted. A folder wenji built has its `index.html`.
    if out_abs.exists() {
        let is_site = out_abs.join("index.html").is_file();
        let empty = fs::read_dir(&out_abs).is_ok_and(|mut d| d.next().is_none());
        if !out_abs.is_dir() || !(is_site || empty) {
            return Err(Diagnostic::new(
                out,
                "the output path exists and is not a site wenji built; writing there would delete what it holds",
            )
            .help("pass a new or empty folder, or one a previous build wrote, e.g. --output site"));
        }
    }
    Ok(())
}

/// `p` made absolute and free of `.`, `..` and symbolic links, as far as it exists; the part
/// that does not exist yet is appended as written.
fn absolute(p: &Path) -> PathBuf {
    let p = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(p))
            .unwrap_or_else(|_| p.to_path_buf())
    };
    let mut existing = p.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(c) = fs::canonicalize(existing) {
            return rest
                .iter()
                .rev()
                .fold(c, |acc: PathBuf, part| acc.join(part));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return p,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_paths_are_refused() {
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../../x",
            "a\\b",
            "a\0b",
            "./a",
        ] {
            assert!(safe_relative(bad).is_none(), "{bad:?}");
        }
        assert!(safe_relative("states/armenia/index.html").is_some());
    }

    /// The id of a process that has ended.
    fn dead_pid() -> u32 {
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        child.wait().unwrap();
        pid
    }

    #[test]
    fn a_staging_folder_removed_under_the_build_is_never_swapped_in() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("site");
        write_site(&out, &[OutputFile::new("index.html", "old")]).unwrap();
        let staging = Staging::create(OutputLock::acquire(&out).unwrap()).unwrap();
        staging.write(&OutputFile::new("a/b.html", "1")).unwrap();
        staging
            .write(&OutputFile::new("index.html", "new"))
            .unwrap();
        fs::remove_dir_all(&staging.dir).unwrap();
        // Writing into a removed staging folder fails instead of recreating it.
        let e = staging
            .write(&OutputFile::new("c/d.html", "2"))
            .unwrap_err();
        assert!(e.message.contains("staging folder was removed"), "{e}");
        let e = staging
            .verify(&[("a/b.html".into(), 1), ("index.html".into(), 3)])
            .unwrap_err();
        assert!(e.message.contains("`a/b.html` is missing"), "{e}");
        assert!(!e.file.to_string_lossy().contains(".new-"), "{e}");
        drop(staging);
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "old");
    }

    #[test]
    fn a_collision_names_the_output_path_not_the_staging_folder() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("site");
        let staging = Staging::create(OutputLock::acquire(&out).unwrap()).unwrap();
        staging
            .write(&OutputFile::new("data/x.csv/index.html", "a"))
            .unwrap();
        let e = staging
            .write(&OutputFile::new("data/x.csv", "b"))
            .unwrap_err();
        assert_eq!(e.file, out.join("data/x.csv"), "{e}");
        assert!(e.message.contains("two outputs"), "{e}");
    }

    #[test]
    fn a_killed_build_s_leftovers_are_cleaned_or_restored() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("site");
        // Killed while writing: a staging folder; killed mid-swap: no site/, the old one aside.
        fs::create_dir_all(d.path().join(format!(".site.new-{}", dead_pid()))).unwrap();
        // The staging folder of a build still running (here, pid 1) is left alone.
        fs::create_dir_all(d.path().join(".site.new-1")).unwrap();
        fs::create_dir_all(d.path().join(".site.old-2")).unwrap();
        fs::write(d.path().join(".site.old-2/a.html"), "old").unwrap();
        fs::create_dir_all(d.path().join(".site.new-notes")).unwrap();
        // A write that fails after the cleanup: the previous site is back.
        let e = write_site(&out, &[OutputFile::new("../escape", "x")]);
        assert!(e.is_err());
        assert_eq!(fs::read_to_string(out.join("a.html")).unwrap(), "old");
        let mut left: Vec<_> = fs::read_dir(d.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        assert_eq!(
            left,
            vec![".site.lock", ".site.new-1", ".site.new-notes", "site"]
        );
        // With site/ present, a stale old copy is removed.
        fs::create_dir_all(d.path().join(".site.old-3")).unwrap();
        write_site(&out, &[OutputFile::new("b.html", "new")]).unwrap();
        assert!(!d.path().join(".site.old-3").exists());
        assert_eq!(fs::read_to_string(out.join("b.html")).unwrap(), "new");
    }

    #[test]
    fn the_sources_are_never_the_output() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path().join("root");
        for dir in ["content", "templates", "assets"] {
            fs::create_dir_all(root.join(dir)).unwrap();
        }
        fs::write(root.join("wenji.toml"), "").unwrap();
        for bad in [
            "",
            "content",
            "templates",
            "assets",
            "content/site",
            "assets/../content",
            "..",
        ] {
            assert!(
                check_output_folder(&root, &root.join(bad)).is_err(),
                "{bad:?}"
            );
        }
        // A file, or a folder that is not a built site, would be deleted.
        fs::write(root.join("notes.txt"), "x").unwrap();
        fs::create_dir_all(root.join("src")).unwrap();
        fs::write(root.join("src/main.rs"), "x").unwrap();
        for bad in ["notes.txt", "src"] {
            let e = check_output_folder(&root, &root.join(bad)).unwrap_err();
            assert!(e.message.contains("not a site wenji built"), "{e}");
        }
        fs::create_dir_all(root.join("empty")).unwrap();
        fs::create_dir_all(root.join("built")).unwrap();
        fs::write(root.join("built/index.html"), "x").unwrap();
        for good in ["site", "public/site", "../site", "empty", "built"] {
            assert!(
                check_output_folder(&root, &root.join(good)).is_ok(),
                "{good:?}"
            );
        }
    }

    #[test]
    fn a_site_is_swapped_in_whole() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("site");
        write_site(&out, &[OutputFile::new("a/index.html", "1")]).unwrap();
        write_site(&out, &[OutputFile::new("b.html", "2")]).unwrap();
        assert!(!out.join("a/index.html").exists());
        assert_eq!(fs::read_to_string(out.join("b.html")).unwrap(), "2");
        // A failing write leaves the previous site as it was.
        let e = write_site(
            &out,
            &[
                OutputFile::new("c.html", "3"),
                OutputFile::new("../escape", "x"),
            ],
        );
        assert!(e.is_err());
        assert_eq!(fs::read_to_string(out.join("b.html")).unwrap(), "2");
        assert!(!out.join("c.html").exists());
        assert!(!d.path().join("escape").exists());
        let mut leftovers: Vec<_> = fs::read_dir(d.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        leftovers.sort();
        assert_eq!(leftovers, vec![".site.lock", "site"]);
    }
}
