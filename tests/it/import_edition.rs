//! `wenji import SYMBOL LANGUAGE` with the real binary: a report's language edition is found
//! by its symbol and language (`sources/X-TEST-1-en.txt` and its plan), imported with that
//! language's layout, and refused when the plan beside the seed is of another edition. The
//! English seed under tests/fixtures/import/ is test text in the layout of the series, written
//! for these tests, not a UN document.

use crate::common::*;

/// A site root holding the test edition's seed and plan under sources/, and the repo's theme.
fn root_with_test_edition() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &repo().join("tests/fixtures/import/sources"),
        &dir.path().join("sources"),
    );
    copy_dir(&repo().join("templates"), &dir.path().join("templates"));
    copy_dir(&repo().join("assets"), &dir.path().join("assets"));
    std::fs::copy(repo().join("wenji.toml"), dir.path().join("wenji.toml")).unwrap();
    dir
}

#[test]
fn an_english_edition_imports_with_the_english_layout_and_builds() {
    let dir = root_with_test_edition();
    let root = dir.path();
    let out = wenji(root, &["import", "X/TEST/1", "en"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("imported 3 files"),
        "{}",
        stderr(&out)
    );

    let arcadia = read(&root.join("content/replies/arcadia.md"));
    for line in [
        "title: Arcadia\n",
        "original_language: English\n",
        "received: 2021-03-04\n",
        "received_as_printed: 4 March 2021\n",
        "report_section: II\n",
    ] {
        assert!(arcadia.contains(line), "{line:?} not in\n{arcadia}");
    }
    // Wrapped English lines are joined with a space; the footnote reference is placed.
    assert!(
        arcadia.contains("is not the words of any State.[^1]\n"),
        "{arcadia}"
    );
    assert!(
        arcadia.contains("[^1]: A footnote written for the test."),
        "{arcadia}"
    );
    assert!(arcadia.contains("## National efforts\n"), "{arcadia}");
    let borduria = read(&root.join("content/replies/borduria.md"));
    assert!(
        borduria.contains("has one paragraph that wraps over two lines."),
        "{borduria}"
    );
    let home = read(&root.join("content/_index.md"));
    assert!(home.starts_with("---\nkind: home\ntitle: A test compilation for wenji\n"));

    let built = wenji(root, &["build"]);
    assert!(built.status.success(), "{}", stderr(&built));
    let page = read(&root.join("site/states/arcadia/index.html"));
    assert!(page.contains("invented for a test"), "the reply's page");
}

#[test]
fn the_chinese_edition_imports_by_symbol_and_language() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir(root.join("sources")).unwrap();
    for f in ["A-75-123-zh.txt", "A-75-123-zh.import.toml"] {
        std::fs::copy(repo().join("sources").join(f), root.join("sources").join(f)).unwrap();
    }
    let out = wenji(root, &["import", "A/75/123", "zh"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // The same text as the committed file; the committed one also has its editorial tags.
    let imported = read(&root.join("content/replies/france.md"));
    let committed = read(&repo().join("content/replies/france.md"));
    let body = |t: &str| t.split_once("\n---\n").unwrap().1.to_string();
    assert_eq!(body(&imported), body(&committed));
    assert!(imported.contains("received_as_printed: 2020 年 5 月 29 日\n"));
}

#[test]
fn a_seed_of_another_edition_is_refused_and_nothing_is_written() {
    let dir = root_with_test_edition();
    let root = dir.path();
    // No seed for this language: the path it looked for is named.
    let out = wenji(root, &["import", "X/TEST/1", "zh"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("sources/X-TEST-1-zh.txt"),
        "{}",
        stderr(&out)
    );
    // A seed whose plan is of another report.
    let seed = root.join("sources/X-TEST-1-en.txt");
    let out = wenji(
        root,
        &["import", "X/TEST/2", "en", "--seed", seed.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(
            "X-TEST-1-en.import.toml: this is the plan of X/TEST/1 in `en`, not of X/TEST/2 in `en`"
        ),
        "{err}"
    );
    assert!(!root.join("content").exists(), "nothing written");
}

#[test]
fn a_further_edition_imports_into_its_folder_and_builds_beside_the_first() {
    let dir = root_with_test_edition();
    let root = dir.path();
    // The site's first edition stays A/75/123 in Chinese (the fixture's replies); X/TEST/1 in
    // English is listed as a further edition, with the English strings `wenji init` writes.
    copy_dir(
        &repo().join("tests/fixtures/content"),
        &root.join("content"),
    );
    let starter: toml::Table =
        toml::from_str(&read(&repo().join("src/init/starter/wenji.toml"))).unwrap();
    edit_file(root, "wenji.toml", |text| {
        let mut out = format!(
            "{text}\n[[editions]]\nsymbol = \"X/TEST/1\"\nlanguage = \"en\"\npath = \"x-test-1/en\"\ntitle = \"A test compilation for wenji\"\npublished = \"2021\"\n\n[languages.en.strings]\n"
        );
        for (key, value) in starter["strings"].as_table().unwrap() {
            out.push_str(&format!("{key:?} = {value}\n"));
        }
        out
    });
    let home_before = read(&root.join("content/_index.md"));
    let out = wenji(root, &["import", "X/TEST/1", "en"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("imported 2 files"),
        "{}",
        stderr(&out)
    );
    let arcadia = read(&root.join("content/replies/x-test-1/en/arcadia.md"));
    assert!(
        arcadia.starts_with("---\nkind: reply\nreport: X/TEST/1\nlanguage: en\ntitle: Arcadia\n"),
        "{arcadia}"
    );
    // the home page is the first edition's
    assert_eq!(read(&root.join("content/_index.md")), home_before);

    let built = wenji(root, &["build"]);
    assert!(built.status.success(), "{}", stderr(&built));
    let page = read(&root.join("site/x-test-1/en/states/arcadia/index.html"));
    assert!(page.contains("invented for a test"), "the reply's page");
    assert!(page.contains("lang=en"), "the page is in English");
    // the Chinese fixture reply of the same slug keeps its URL
    assert!(root.join("site/states/arcadia/index.html").exists());
}
