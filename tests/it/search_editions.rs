//! Search on a site of several editions: one index per language (`search/`, `search/en/`),
//! each page's search box on its own language's index, and the report filter's data.

use std::path::Path;

use serde_json::Value;
use wenji_core::search::reader::Reader;

use crate::common::{fixture, read, stderr, wenji};

/// The fixture site (two Chinese replies of A/75/123) with two English editions: A/75/123
/// and A/76/136, each with a reply of Arcadia; the English strings are the starter's.
fn two_languages() -> tempfile::TempDir {
    let dir = fixture();
    let root = dir.path();
    // every key of the site's [strings], in English where the starter has it
    let parse = |p: &Path| -> toml::Table { toml::from_str(&read(p)).unwrap() };
    let starter = parse(&crate::common::repo().join("src/init/starter/wenji.toml"));
    let mut strings = parse(&root.join("wenji.toml"))["strings"]
        .as_table()
        .unwrap()
        .clone();
    strings.extend(starter["strings"].as_table().unwrap().clone());
    let mut en = toml::Table::new();
    en.insert("strings".into(), toml::Value::Table(strings));
    let mut languages = toml::Table::new();
    languages.insert("en".into(), toml::Value::Table(en));
    let mut more = toml::Table::new();
    more.insert("languages".into(), toml::Value::Table(languages));
    let config = format!(
        "{}\n{}\n{}\n{}",
        read(&root.join("wenji.toml")),
        edition("A/75/123", "en", "2020"),
        edition("A/76/136", "a76/en", "2021"),
        toml::to_string(&more).unwrap()
    );
    std::fs::write(root.join("wenji.toml"), config).unwrap();
    let replies = root.join("content/replies");
    reply(
        &replies.join("arcadia-en.md"),
        "A/75/123",
        1,
        "Arcadia attaches great importance to an open and secure cyberspace based on full respect for international law.\n\n\
         Capacity building matters to Arcadia.",
    );
    reply(
        &replies.join("arcadia-a76-en.md"),
        "A/76/136",
        1,
        "Arcadia reaffirms that international law applies to the use of ICTs.",
    );
    dir
}

fn edition(symbol: &str, path: &str, year: &str) -> String {
    format!(
        "[[editions]]\nsymbol = \"{symbol}\"\nlanguage = \"en\"\npath = \"{path}\"\n\
         title = \"Report {symbol}\"\npublished = \"{year}\"\n"
    )
}

fn reply(file: &Path, report: &str, order: u32, body: &str) {
    let text = format!(
        "---\nkind: reply\ntitle: Arcadia\ntitle_en: Arcadia\nslug: arcadia\nentity: state\n\
         region: eastern-european\noriginal_language: English\nreceived: 2020-05-13\n\
         received_as_printed: 13 May 2020\nreport_section: 二\norder: {order}\nreport: {report}\nlanguage: en\n---\n{body}\n"
    );
    std::fs::write(file, text).unwrap();
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&read(path)).unwrap()
}

/// The url of each doc `query` hits (whole query) in the index in `folder`, with the key of
/// its group's edition in that index's `f.json` (None without editions).
fn hits(site: &Path, folder: &str, query: &str) -> Vec<(String, Option<String>)> {
    let f = json(&site.join(folder).join("f.json"));
    let sizes: Vec<u64> = json(&site.join(folder).join("g.json"))["s"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    let group_of = |doc: u32| {
        let mut end = 0;
        sizes.iter().position(|&n| {
            end += n;
            u64::from(doc) < end
        })
    };
    let mut reader = Reader::in_folder(folder, |p: &str| std::fs::read(site.join(p)).ok());
    let res = reader.search(query, 100, 0);
    res.hits
        .iter()
        .filter(|h| h.tier == 0)
        .map(|h| {
            let url = reader.doc(h.doc).unwrap().url;
            let g = group_of(h.doc).unwrap();
            let edition = f["groups"][g][2]
                .as_i64()
                .filter(|&e| e >= 0)
                .map(|e| f["editions"][e as usize][0].as_str().unwrap().to_string());
            (url, edition)
        })
        .collect()
}

#[test]
fn each_language_has_its_index_and_search_page_and_a_report_filter() {
    let dir = two_languages();
    let root = dir.path();
    let out = wenji(root, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let site = root.join("site");

    // each page's search box uses its language's index, and goes to its search page
    let zh_page = read(&site.join("states/arcadia/index.html"));
    assert!(zh_page.contains("data-search=\"search/\""), "{zh_page}");
    for page in ["en/states/arcadia/index.html", "search/en/index.html"] {
        let html = read(&site.join(page));
        assert!(html.contains("data-search=\"search/en/\""), "{page}");
        assert!(html.contains("action=\"/search/en/\""), "{page}");
        assert!(html.contains("lang=\"en\""), "{page}");
    }
    assert!(read(&site.join("search/en/index.html")).contains("data-search-page"));

    // an English word is found in the English index, in both English replies
    let en = hits(&site, "search/en/", "international law");
    let mut urls: Vec<&str> = en.iter().map(|(u, _)| u.as_str()).collect();
    urls.sort();
    assert_eq!(urls, ["a76/en/states/arcadia/#p1", "en/states/arcadia/#p1"]);
    // (in the Chinese index only a concept page's English name has them)
    let in_zh = hits(&site, "search/", "international law");
    assert!(
        in_zh.iter().all(|(u, _)| !u.contains("states/")),
        "{in_zh:?}"
    );
    // a Chinese word in the Chinese index, never in the English one
    let zh = hits(&site, "search/", "国际法");
    assert!(
        zh.iter().any(|(u, _)| u.starts_with("states/arcadia/")),
        "{zh:?}"
    );
    assert!(zh.iter().all(|(u, _)| !u.contains("en/")), "{zh:?}");
    assert!(hits(&site, "search/en/", "国际法").is_empty());

    // the English index lists its two editions; the report filter keeps one report's hits
    let f = json(&site.join("search/en/f.json"));
    assert_eq!(
        f["editions"],
        serde_json::json!([["en", "A/75/123"], ["a76/en", "A/76/136"]])
    );
    for (key, url) in [
        ("en", "en/states/arcadia/#p1"),
        ("a76/en", "a76/en/states/arcadia/#p1"),
    ] {
        let kept: Vec<&str> = en
            .iter()
            .filter(|(_, e)| e.as_deref() == Some(key))
            .map(|(u, _)| u.as_str())
            .collect();
        assert_eq!(kept, [url], "{key}");
    }
    // the Chinese index holds one edition: no report filter, f.json as on a one-edition site
    let f = json(&site.join("search/f.json"));
    assert!(f.get("editions").is_none(), "{f}");
    assert!(zh.iter().all(|(_, e)| e.is_none()));
}
