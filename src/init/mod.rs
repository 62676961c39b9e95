//! `wenji init [DIR]`: writes a new site that builds, passes its checks and serves, so that a
//! maintainer starting a compilation of their own begins from a working example rather than by
//! stripping this repository's site by hand. The theme is this repository's `templates/` and
//! `assets/`, embedded in the binary; the config, the empty ledger and the example content are
//! the files under `src/init/starter/`, embedded too. The guide is docs/start.md.

use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};

/// Embeds the files at `$path` under `$dir` of this package as `(path, bytes)` rows, `path`
/// being where `wenji init` writes the file in the new site.
macro_rules! embed {
    ($dir:literal; $($path:literal),* $(,)?) => {
        &[$(($path, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/", $dir, $path)) as &[u8])),*]
    };
}

/// The theme: every file of `templates/` and `assets/` (a unit test keeps this list equal to
/// those folders, so a new template cannot be forgotten).
const THEME: &[(&str, &[u8])] = embed!("";
    "templates/404.html",
    "templates/base.html",
    "templates/concept.html",
    "templates/concepts.html",
    "templates/data.html",
    "templates/documents.html",
    "templates/home.html",
    "templates/matrix.html",
    "templates/page.html",
    "templates/redirect.html",
    "templates/replies.html",
    "templates/reply.html",
    "templates/search.html",
    "assets/favicon.svg",
    "assets/fragment-alias.js",
    "assets/matrix.js",
    "assets/notfound.js",
    "assets/redirect.js",
    "assets/reply.js",
    "assets/search.js",
    "assets/site.js",
    "assets/style.css",
);

/// The example site: config, an empty ledger and the content (a unit test keeps this list
/// equal to the files under `src/init/starter/`).
const STARTER: &[(&str, &[u8])] = embed!("src/init/starter/";
    "wenji.toml",
    "published-urls.txt",
    "content/_index.md",
    "content/replies/northfield-library-association.md",
    "content/replies/institute-for-example-studies.md",
    "content/concepts/open-formats.md",
    "content/pages/about.md",
);

/// Every file a new site gets: the theme and the starter.
fn files() -> impl Iterator<Item = (&'static str, &'static [u8])> {
    THEME.iter().chain(STARTER).copied()
}

/// The files and folders `init` puts directly in the site folder (`content`, `wenji.toml`, …).
fn top_level_names() -> BTreeSet<&'static str> {
    files()
        .map(|(path, _)| path.split('/').next().unwrap_or(path))
        .collect()
}

/// What `init` wrote.
pub struct Created {
    pub dir: PathBuf,
    pub files: usize,
}

/// Writes a new site into `dir`: a missing folder is created (its parent must exist), an
/// existing one must hold nothing but dotfiles (`.git`, like Zola's `zola init`, so a fresh
/// clone can be initialised). The files are written into a hidden staging folder inside `dir`
/// and moved into place only when all are written, so a failure leaves `dir` as it was.
pub fn init(dir: &Path) -> Result<Created, String> {
    let created_dir = prepare(dir)?;
    let result = write_site(dir);
    if result.is_err() && created_dir {
        // Only the folder this call made, and only if it is empty again.
        let _ = std::fs::remove_dir(dir);
    }
    result.map(|()| Created {
        dir: dir.to_path_buf(),
        files: files().count(),
    })
}

/// Checks `dir` may receive a new site and creates it when missing; true when it was created.
fn prepare(dir: &Path) -> Result<bool, String> {
    let shown = dir.display();
    match std::fs::metadata(dir) {
        Ok(meta) if !meta.is_dir() => Err(format!(
            "error: {shown}: is a file, not a folder\n  help: give `wenji init` a new or empty folder, e.g. `wenji init my-site`"
        )),
        Ok(_) => {
            let taken = visible_entries(dir).map_err(|e| {
                format!(
                    "error: {shown}: cannot list the folder: {e}\n  help: check its permissions"
                )
            })?;
            if taken.is_empty() {
                return Ok(false);
            }
            // Five names are enough to recognise the folder; more are elided.
            let mut names = taken[..taken.len().min(5)].join("`, `");
            names.push_str(if taken.len() > 5 { "`, …" } else { "`" });
            Err(format!(
                "error: {shown}: the folder is not empty (it holds `{names})\n  help: give `wenji init` a new folder, or an empty one (dotfiles such as .git are allowed); nothing was written"
            ))
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            std::fs::create_dir(dir).map_err(|e| {
                let parent = dir.parent().filter(|p| !p.as_os_str().is_empty());
                let help = match parent {
                    Some(p) if !p.exists() => format!(
                        "the folder above it, {}, does not exist: create it first",
                        p.display()
                    ),
                    _ => "check the permissions of the folder above it".to_string(),
                };
                format!("error: {shown}: cannot create the folder: {e}\n  help: {help}")
            })?;
            Ok(true)
        }
        Err(e) => Err(format!(
            "error: {shown}: cannot read the folder: {e}\n  help: check the path and its permissions"
        )),
    }
}

/// Up to six names in `dir` that do not start with a dot, in name order.
fn visible_entries(dir: &Path) -> io::Result<Vec<String>> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if !name.starts_with('.') {
            names.push(name);
        }
    }
    names.sort();
    names.truncate(6);
    Ok(names)
}

/// Writes every file into a staging folder inside `dir`, then moves the top-level entries into
/// `dir`; on a failure the entries already moved are moved back, and the staging folder goes.
fn write_site(dir: &Path) -> Result<(), String> {
    let staging = tempfile::Builder::new()
        .prefix(".wenji-init-")
        .tempdir_in(dir)
        .map_err(|e| {
            format!(
                "error: {}: cannot write in the folder: {e}\n  help: check its permissions and free space",
                dir.display()
            )
        })?;
    for (path, bytes) in files() {
        let target = staging.path().join(path);
        let written = target
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&target, bytes));
        written.map_err(|e| {
            format!(
                "error: {}: cannot write {path}: {e}\n  help: check the folder's permissions and free space; nothing was written",
                dir.display()
            )
        })?;
    }
    let mut moved: Vec<&str> = Vec::new();
    for name in top_level_names() {
        if let Err(e) = move_in(staging.path(), dir, name) {
            for done in moved.iter().rev() {
                let _ = std::fs::rename(dir.join(done), staging.path().join(done));
            }
            return Err(format!(
                "error: {}: cannot move {name} into place: {e}\n  help: check the folder's permissions; nothing was written",
                dir.display()
            ));
        }
        moved.push(name);
    }
    Ok(())
}

/// Moves `staging/name` to `dir/name`, refusing to replace anything that appeared there since
/// the folder was checked.
fn move_in(staging: &Path, dir: &Path, name: &str) -> io::Result<()> {
    let target = dir.join(name);
    if std::fs::symlink_metadata(&target).is_ok() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            "something of that name appeared in the folder meanwhile",
        ));
    }
    std::fs::rename(staging.join(name), target)
}

/// What `init` wrote and the commands to run next.
pub fn summary(created: &Created) -> String {
    let dir = created.dir.display();
    let cd = if created.dir == Path::new(".") {
        String::new()
    } else {
        format!("\n  cd {dir}")
    };
    format!(
        "created a new wenji site in {dir} ({} files):
  wenji.toml           the site config: names, the report, URL sections, groups, interface strings
  published-urls.txt   the ledger of published URLs, empty until you run `wenji ledger`
  content/             the introduction (_index.md), two example responses, a concept, an about page
  templates/, assets/  the theme

The example text is invented: replace it with your compilation's own. Next:{cd}
  wenji serve          preview at http://127.0.0.1:1111/, rebuilt on every change
  wenji check          every check of the build, writing nothing
  wenji build          the site, into site/
Before publishing for the first time, run `wenji ledger`. The guide: docs/start.md in the
wenji repository (Start your own compilation).",
        created.files
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The relative paths of every file under `root/dir`, with `/` between folders.
    fn files_under(root: &Path, dir: &str) -> BTreeSet<String> {
        let mut found = BTreeSet::new();
        let mut pending = vec![root.join(dir)];
        while let Some(folder) = pending.pop() {
            for entry in std::fs::read_dir(&folder).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    pending.push(path);
                } else {
                    let rel = path.strip_prefix(root).unwrap();
                    let parts: Vec<_> = rel.iter().map(|p| p.to_string_lossy()).collect();
                    found.insert(parts.join("/"));
                }
            }
        }
        found
    }

    fn paths(table: &[(&str, &[u8])]) -> BTreeSet<String> {
        table.iter().map(|(p, _)| p.to_string()).collect()
    }

    #[test]
    fn init_embeds_every_template_and_asset() {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut on_disk = files_under(repo, "templates");
        on_disk.extend(files_under(repo, "assets"));
        assert_eq!(paths(THEME), on_disk, "update THEME in src/init/mod.rs");
    }

    #[test]
    fn init_embeds_every_starter_file() {
        let starter = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/init/starter");
        let on_disk = files_under(&starter, "");
        assert_eq!(paths(STARTER), on_disk, "update STARTER in src/init/mod.rs");
    }

    /// Every interface string of this repository's site has an English counterpart in the
    /// starter, so a string added for a template is not missing from new sites.
    #[test]
    fn init_starter_has_every_interface_string() {
        let keys = |text: &str| -> BTreeSet<String> {
            let config: toml::Table = toml::from_str(text).unwrap();
            config["strings"]
                .as_table()
                .unwrap()
                .keys()
                .filter(|k| !k.starts_with("report_section_"))
                .cloned()
                .collect()
        };
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let site = keys(&std::fs::read_to_string(repo.join("wenji.toml")).unwrap());
        let (_, config) = STARTER.iter().find(|(p, _)| *p == "wenji.toml").unwrap();
        let starter = keys(std::str::from_utf8(config).unwrap());
        let missing: Vec<_> = site.difference(&starter).collect();
        assert!(
            missing.is_empty(),
            "add to src/init/starter/wenji.toml: {missing:?}"
        );
    }

    /// When a name is taken between the check and the move (here `templates`, moved after
    /// `assets`, `content` and the ledger), what was moved goes back: the folder is as it was.
    #[test]
    fn init_failing_midway_leaves_the_folder_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("templates"), "taken").unwrap();
        let err = write_site(dir.path()).unwrap_err();
        assert!(err.contains("cannot move templates into place"), "{err}");
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, ["templates"]);
        let kept = std::fs::read_to_string(dir.path().join("templates")).unwrap();
        assert_eq!(kept, "taken");
    }

    #[test]
    fn init_theme_and_starter_do_not_overlap() {
        assert!(paths(THEME).is_disjoint(&paths(STARTER)));
    }
}
