//! Citations and open data on a built site: the footnotes in the data with their URLs, the
//! text without the space a footnote mark left, and the build's note when citations would
//! have no host.

use crate::common;

use common::*;

#[test]
fn open_data_carries_each_passage_s_footnotes_with_their_urls() {
    let root = fixture();
    let out = wenji(
        root.path(),
        &["build", "--base-url", "https://example.org/w/"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let data: serde_json::Value =
        serde_json::from_str(&read(&root.path().join("site/data/paragraphs.json"))).unwrap();
    assert_eq!(
        data["fields"].as_array().unwrap().last().unwrap(),
        "footnotes"
    );
    assert!(
        data["paragraph_numbering"]
            .as_str()
            .unwrap()
            .contains("本网站所编")
    );
    let rows = data["paragraphs"].as_array().unwrap();
    let p1 = rows
        .iter()
        .find(|r| r["url"] == "https://example.org/w/states/arcadia/#p1")
        .unwrap();
    assert_eq!(
        p1["footnotes"],
        serde_json::json!([{
            "links": ["https://example.org/a"],
            "mark": "1",
            "text": "见 https://example.org/a。",
            "url": "https://example.org/w/states/arcadia/#fn-1",
        }])
    );
    // The footnote's URL is an anchor the reply page has.
    let page = read(&root.path().join("site/states/arcadia/index.html"));
    assert!(
        page.contains("id=\"fn-1\"") || page.contains("id=fn-1"),
        "{page}"
    );
    let p2 = rows
        .iter()
        .find(|r| r["url"] == "https://example.org/w/states/arcadia/#p2")
        .unwrap();
    assert_eq!(p2["footnotes"], serde_json::json!([]));
    let csv = read(&root.path().join("site/data/paragraphs.csv"));
    assert!(
        csv.starts_with(
            "\u{feff}reply,reply_en,slug,iso3,paragraph,section,concepts,text,url,footnotes\r\n"
        ),
        "{csv}"
    );
    assert!(
        csv.contains(",https://example.org/w/states/arcadia/#p1,\"[{\"\"links\"\":[\"\"https://example.org/a\"\"],\"\"mark\"\":\"\"1\"\""),
        "{csv}"
    );
}

#[test]
fn open_data_text_has_no_space_where_a_footnote_mark_was() {
    let root = fixture();
    edit_file(root.path(), "content/replies/arcadia.md", |t| {
        t.replace(
            "国际法，特别是《联合国宪章》，",
            "国际法，特别是《联合国宪章》，[^1] ",
        )
    });
    let out = wenji(root.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let data = read(&root.path().join("site/data/paragraphs.json"));
    assert!(
        data.contains("特别是《联合国宪章》，适用于网络空间。"),
        "{data}"
    );
}

#[test]
fn the_build_says_once_when_citations_will_have_no_host() {
    let root = fixture();
    let out = wenji(root.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stderr(&out).matches("--base-url").count(),
        1,
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("citation files"), "{}", stderr(&out));
    let ris = read(&root.path().join("site/states/arcadia/cite.ris"));
    assert!(ris.contains("UR  - /states/arcadia/\r\n"), "{ris}");
    let out = wenji(
        root.path(),
        &["build", "--base-url", "https://example.org/w/"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("--base-url"), "{}", stderr(&out));
    for ext in ["json", "bib", "ris"] {
        let text = read(&root.path().join(format!("site/states/arcadia/cite.{ext}")));
        assert!(
            text.contains("https://example.org/w/states/arcadia/"),
            "{text}"
        );
    }
}
