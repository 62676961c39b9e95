//! Editions (several reports, each in several languages, on one site): a reply naming an
//! edition the config lacks, and an edition the config cannot publish, fail the build located
//! and with what to do, like any other bad input.

use crate::common::*;

use std::path::Path;

const REPLY: &str = "content/replies/arcadia.md";

/// An English edition of the fixture's report, with every interface string of `[strings]`
/// copied under `[languages.en.strings]` unless `drop` names one to leave out.
fn with_english_edition(root: &Path, path: &str, drop: Option<&str>) {
    edit_file(root, "wenji.toml", |text| {
        let config: toml::Table = toml::from_str(&text).unwrap();
        let mut out = format!(
            "{text}\n[[editions]]\nsymbol = \"A/75/123\"\nlanguage = \"en\"\npath = \"{path}\"\ntitle = \"T\"\npublished = \"2020\"\n\n[languages.en.strings]\n"
        );
        for (key, value) in config["strings"].as_table().unwrap() {
            if Some(key.as_str()) != drop {
                out.push_str(&format!("{key:?} = {value}\n"));
            }
        }
        out
    });
}

fn add_front_matter(line: &'static str) -> impl FnOnce(&Path) {
    move |root: &Path| {
        edit_file(root, REPLY, |t| {
            t.replacen("kind: reply\n", &format!("kind: reply\n{line}\n"), 1)
        })
    }
}

#[test]
fn a_reply_of_an_edition_the_config_lacks_fails_at_its_line() {
    let err = assert_fails(
        add_front_matter("report: A/9/9"),
        &[
            "content/replies/arcadia.md:3:",
            "no edition of the site is report `A/9/9` in language `zh-Hans`",
            "A/75/123 zh-Hans",
        ],
    );
    assert!(err.contains("[[editions]]"), "{err}");
}

#[test]
fn an_edition_whose_language_lacks_a_string_fails_naming_it() {
    assert_fails(
        |root| with_english_edition(root, "en", Some("nav_matrix")),
        &["[languages.en.strings] lacks 1 of the [strings] keys: nav_matrix"],
    );
}

#[test]
fn a_language_string_that_strings_lacks_fails_naming_it() {
    assert_fails(
        |root| {
            with_english_edition(root, "en", None);
            edit_file(root, "wenji.toml", |t| {
                format!("{t}nav_replys = \"Replies\"\n")
            });
        },
        &["[languages.en.strings] has `nav_replys`, which [strings] has not"],
    );
}

#[test]
fn an_edition_path_on_a_section_fails() {
    assert_fails(
        |root| with_english_edition(root, "states", None),
        &["path `states` cannot be used", "path = \"en\""],
    );
}

#[test]
fn an_english_reply_gets_its_own_url_language_and_citation() {
    let site = fixture();
    let root = site.path();
    with_english_edition(root, "en", None);
    let english = std::fs::read_to_string(root.join(REPLY))
        .unwrap()
        .replacen("kind: reply\n", "kind: reply\nlanguage: en\n", 1)
        .replacen("aliases: [\"/old/arcadia/\"]", "aliases: []", 1);
    write_file(root, "content/replies/en/arcadia.md", english);
    let out = wenji(root, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let zh = read(&root.join("site/states/arcadia/index.html"));
    let en = read(&root.join("site/en/states/arcadia/index.html"));
    assert!(en.contains("lang=\"en\"") || en.contains("lang=en"), "{en}");
    for page in [&zh, &en] {
        assert!(page.contains("hreflang=\"en\""), "{page}");
        assert!(page.contains("hreflang=\"zh-Hans\""), "{page}");
        assert!(page.contains("class=languages"), "{page}");
    }
    let cite: serde_json::Value =
        serde_json::from_str(&read(&root.join("site/en/states/arcadia/cite.json"))).unwrap();
    assert_eq!(cite[0]["language"], "en", "{cite}");
    assert_eq!(cite[0]["URL"], "/en/states/arcadia/", "{cite}");
    let data: serde_json::Value =
        serde_json::from_str(&read(&root.join("site/data/en/paragraphs.json"))).unwrap();
    assert_eq!(data["language"], "en");
    assert_eq!(data["paragraphs"][0]["url"], "/en/states/arcadia/#p1");
    // the first edition's data keeps only its own replies
    let first = read(&root.join("site/data/paragraphs.json"));
    assert!(!first.contains("/en/states/"), "{}", &first[..400]);
    assert!(root.join("site/en/index.html").exists());
}

/// The editions test site (tests/editions/: the real A/75/123 in Chinese with the ledger of the
/// real site, an invented English edition and an invented second report) builds and checks:
/// every URL and anchor the real site has published is still produced with the same words.
#[cfg(unix)]
#[test]
fn the_editions_test_site_builds_and_keeps_every_published_url() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site-root");
    let assembled = std::process::Command::new("sh")
        .arg(repo().join("tests/editions/assemble.sh"))
        .arg(&root)
        .output()
        .unwrap();
    assert!(assembled.status.success(), "{}", stderr(&assembled));
    for command in ["build", "check"] {
        let out = wenji(&root, &[command]);
        assert!(out.status.success(), "{command}: {}", stderr(&out));
    }
    let site = root.join("site");
    // France answered both reports: its timeline lists the newer first, on each of its pages.
    let france = read(&site.join("states/france/index.html"));
    let timeline = &france[france.find("id=timeline").expect("a timeline")..];
    let (newer, older) = (timeline.find("X/TEST/2024"), timeline.find("A/75/123"));
    assert!(newer.unwrap() < older.unwrap(), "{timeline}");
    assert!(!read(&site.join("states/japan/index.html")).contains("id=timeline"));
    // the invented editions' pages say so; the real ones do not
    assert!(read(&site.join("en/states/japan/index.html")).contains("edition-notice"));
    assert!(!france.contains("edition-notice"));
    // each edition's open data is its own
    let en: serde_json::Value =
        serde_json::from_str(&read(&site.join("data/en/paragraphs.json"))).unwrap();
    assert_eq!(en["report"], "A/75/123");
    assert_eq!(en["language"], "en");
    let test: serde_json::Value =
        serde_json::from_str(&read(&site.join("data/test-2024/paragraphs.json"))).unwrap();
    assert_eq!(test["report"], "X/TEST/2024");
}
