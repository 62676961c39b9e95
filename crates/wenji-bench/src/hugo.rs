//! The same corpus as a Hugo site: every reply's body unchanged under `content/replies/`,
//! front matter reduced to title and slug, and minimal layouts (a page, a list, a home page).
//! Hugo is Debian's `hugo` (`apt-get install -y hugo`); without it the comparison is skipped.

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use wenji_core::content::frontmatter::{self, ReplyMeta};

const CONFIG: &str = r#"baseURL = "http://127.0.0.1/"
languageCode = "zh-Hans"
defaultContentLanguage = "zh"
hasCJKLanguage = true
title = "文集 benchmark"
disableKinds = ["taxonomy", "term"]
"#;

const BASEOF: &str = r#"<!doctype html>
<html lang="zh-Hans"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body>{{ block "main" . }}{{ end }}</body></html>
"#;

const SINGLE: &str = r#"{{ define "main" }}<article><h1>{{ .Title }}</h1>{{ .Content }}</article>{{ end }}
"#;

const LIST: &str = r#"{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
"#;

/// `hugo`'s path if it is installed.
pub fn find() -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join("hugo"))
            .find(|p| p.is_file())
    })
}

/// `hugo version`'s first line.
pub fn version(hugo: &Path) -> String {
    std::process::Command::new(hugo)
        .arg("version")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.lines().next().unwrap_or("").to_string())
        .unwrap_or_default()
}

/// Writes the wenji corpus at `corpus` as a Hugo site at `dest`.
pub fn write_site(corpus: &Path, dest: &Path) -> Result<usize, String> {
    let err = |p: &Path, e: std::io::Error| format!("{}: {e}", p.display());
    if dest.exists() {
        fs::remove_dir_all(dest).map_err(|e| err(dest, e))?;
    }
    let layouts = dest.join("layouts/_default");
    let replies = dest.join("content/replies");
    for d in [&layouts, &replies] {
        fs::create_dir_all(d).map_err(|e| err(d, e))?;
    }
    let files: [(&Path, &str, &str); 6] = [
        (dest, "hugo.toml", CONFIG),
        (&layouts, "baseof.html", BASEOF),
        (&layouts, "single.html", SINGLE),
        (&layouts, "list.html", LIST),
        (
            &dest.join("layouts"),
            "index.html",
            &LIST.replace(".Pages", ".Site.RegularPages"),
        ),
        (
            &dest.join("content"),
            "_index.md",
            "---\ntitle: \"文集\"\n---\n",
        ),
    ];
    for (dir, name, text) in files {
        fs::write(dir.join(name), text).map_err(|e| err(&dir.join(name), e))?;
    }
    fs::write(
        replies.join("_index.md"),
        "---\ntitle: \"各国和欧洲联盟的答复\"\n---\n",
    )
    .map_err(|e| err(&replies, e))?;
    let src = corpus.join("content/replies");
    let paths: Vec<PathBuf> = fs::read_dir(&src)
        .map_err(|e| err(&src, e))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    paths
        .par_iter()
        .map(|p| {
            let text = fs::read_to_string(p).map_err(|e| err(p, e))?;
            let split = frontmatter::split(p, &text).map_err(|d| d.to_string())?;
            let meta: ReplyMeta = frontmatter::parse(p, &split).map_err(|d| d.to_string())?;
            let q = |s: &str| serde_json::to_string(s).unwrap_or_default();
            let out = format!(
                "---\ntitle: {}\nslug: {}\nweight: {}\n---\n{}",
                q(&meta.title),
                meta.slug.value,
                meta.order,
                split.body
            );
            let dest = replies.join(p.file_name().unwrap_or_default());
            fs::write(&dest, out).map_err(|e| err(&dest, e))
        })
        .collect::<Result<Vec<()>, String>>()?;
    Ok(paths.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_a_hugo_site_with_the_same_bodies() {
        let corpus = tempfile::tempdir().unwrap();
        let root = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."));
        crate::corpus::generate(&root, corpus.path(), 3).unwrap();
        let hugo = tempfile::tempdir().unwrap();
        let dest = hugo.path().join("site");
        assert_eq!(write_site(corpus.path(), &dest).unwrap(), 3);
        let name = fs::read_dir(dest.join("content/replies"))
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.file_name())
            .find(|n| n != "_index.md")
            .unwrap();
        let a = fs::read_to_string(dest.join("content/replies").join(&name)).unwrap();
        let b = fs::read_to_string(corpus.path().join("content/replies").join(&name)).unwrap();
        assert!(a.starts_with("---\ntitle: "));
        assert_eq!(a.split("\n---\n").nth(1), b.split("\n---\n").nth(1));
        assert!(dest.join("layouts/_default/single.html").is_file());
    }
}
