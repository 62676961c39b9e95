//! `wenji init`: the new site builds, passes its checks, takes a ledger and serves; a folder
//! that is not empty, a file, or a folder whose parent is missing is refused with nothing
//! written.

use crate::common;

use std::path::Path;
use std::process::{Command, Output};

/// `wenji init DIR`, run from `cwd`.
fn init(cwd: &Path, dir: &Path) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_wenji"));
    cmd.current_dir(cwd).arg("init").arg(dir);
    cmd.output().unwrap()
}

fn assert_ok(what: &str, out: &Output) -> String {
    let err = common::stderr(out);
    assert_eq!(out.status.code(), Some(0), "{what}:\n{err}");
    assert!(
        !err.contains("error") && !err.contains("warning"),
        "{what}:\n{err}"
    );
    err
}

#[test]
fn init_writes_a_site_that_builds_checks_and_takes_a_ledger() {
    let outer = tempfile::tempdir().unwrap();
    let site = outer.path().join("my-site");
    let said = assert_ok("init", &init(outer.path(), &site));
    assert!(said.contains("created a new wenji site in"), "{said}");
    assert!(said.contains("wenji ledger"), "{said}");

    assert_ok("build", &common::wenji(&site, &["build"]));
    let out = site.join("site");
    for page in [
        "index.html",
        "responses/index.html",
        "responses/northfield-library-association/index.html",
        "responses/institute-for-example-studies/index.html",
        "concepts/open-formats/index.html",
        "about/index.html",
        "search/index.html",
        "search/meta.json",
        "data/paragraphs.csv",
    ] {
        assert!(out.join(page).is_file(), "{page} was not built");
    }
    // The concept page gathers both responses' tagged passages; the about page is in the
    // navigation; the pages speak English.
    let concept = common::read(&out.join("concepts/open-formats/index.html"));
    assert!(
        concept.contains("r-northfield-library-association"),
        "{concept}"
    );
    assert!(
        concept.contains("r-institute-for-example-studies"),
        "{concept}"
    );
    let home = common::read(&out.join("index.html"));
    assert!(common::has_attr(&home, "lang", "en"), "{home}");
    assert!(home.contains("/about/"), "{home}");
    let reply = common::read(&out.join("responses/northfield-library-association/index.html"));
    assert!(reply.contains("Cite this response"), "{reply}");
    assert_no_chinese_words(&out);

    assert_ok("check", &common::wenji(&site, &["check"]));
    let before = common::read(&site.join("published-urls.txt"));
    assert_ok("ledger", &common::wenji(&site, &["ledger"]));
    let ledger = common::read(&site.join("published-urls.txt"));
    assert!(
        ledger.len() > before.len(),
        "the ledger took the site's URLs"
    );
    assert!(
        ledger.contains("/responses/institute-for-example-studies/#p2\tfp:"),
        "{ledger}"
    );
    let built = assert_ok("build with the ledger", &common::wenji(&site, &["build"]));
    assert!(!built.contains("not yet in"), "{built}");
}

/// The English starter's pages hold no Chinese word: every interface text comes from its
/// `[strings]`, none is written into a template.
fn assert_no_chinese_words(out: &Path) {
    let han = regex::Regex::new(r"\p{Han}+").unwrap();
    for (path, bytes) in common::snapshot(out) {
        if path.ends_with(".html") {
            let html = String::from_utf8(bytes).unwrap();
            let words: Vec<&str> = han.find_iter(&html).map(|m| m.as_str()).collect();
            assert!(words.is_empty(), "{path}: {words:?}");
        }
    }
}

#[test]
fn init_refuses_a_folder_that_is_not_empty_and_changes_nothing() {
    let outer = tempfile::tempdir().unwrap();
    let site = outer.path().join("notes");
    common::write_file(&site, "todo.txt", "keep me");
    let before = common::tree(outer.path());
    let out = init(outer.path(), &site);
    let err = common::stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!(
            "error: {}: the folder is not empty",
            site.display()
        )),
        "{err}"
    );
    assert!(err.contains("`todo.txt`") && err.contains("help:"), "{err}");
    assert_eq!(common::tree(outer.path()), before);
}

#[test]
fn init_refuses_a_file_and_a_missing_parent_and_changes_nothing() {
    let outer = tempfile::tempdir().unwrap();
    common::write_file(outer.path(), "file.txt", "a file");
    let before = common::tree(outer.path());
    for (dir, expect) in [
        ("file.txt", "is a file, not a folder"),
        ("missing/site", "does not exist: create it first"),
    ] {
        let out = init(outer.path(), Path::new(dir));
        let err = common::stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{dir}: {err}");
        assert!(
            err.contains(expect) && err.contains("help:"),
            "{dir}: {err}"
        );
        assert_eq!(common::tree(outer.path()), before, "{dir}");
    }
}

/// A fresh clone holds `.git`: init writes beside it (into the --root folder when no DIR is
/// given), leaves it alone, and leaves no staging folder behind.
#[test]
fn init_accepts_a_folder_of_dotfiles_only() {
    let outer = tempfile::tempdir().unwrap();
    common::write_file(outer.path(), ".git/HEAD", "ref: refs/heads/main\n");
    let said = assert_ok("init", &common::wenji(outer.path(), &["init"]));
    assert!(said.contains("created a new wenji site"), "{said}");
    assert_eq!(
        common::read(&outer.path().join(".git/HEAD")),
        "ref: refs/heads/main\n"
    );
    let mut names: Vec<String> = std::fs::read_dir(outer.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            ".git",
            "assets",
            "content",
            "published-urls.txt",
            "templates",
            "wenji.toml"
        ]
    );
    assert_ok("check", &common::wenji(outer.path(), &["check"]));
}

#[test]
fn init_site_serves() {
    let outer = tempfile::tempdir().unwrap();
    let site = outer.path().join("site-root");
    assert_ok("init", &init(outer.path(), &site));
    let server = crate::serve::Server::start(&site);
    let (status, answer) = crate::serve::get(server.port, "/");
    assert_eq!(status, 200, "{answer}");
    assert!(answer.contains("Example compilation"), "{answer}");
}
