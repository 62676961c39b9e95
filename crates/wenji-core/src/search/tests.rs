//! Index tests: round trip through the reader, the committed fixture shared with the node
//! tests, determinism. `WENJI_BLESS=1 cargo test -p wenji-core --lib search::tests` rewrites the fixture.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::reader::{Reader, Results};
use super::{
    IndexOptions, IndexSummary, SearchDoc, SearchError, SearchFile, build_index, build_index_each,
    build_index_with,
};

fn fixture_dir() -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).join("tests/search/fixture")
}

fn fixture_docs() -> Vec<SearchDoc> {
    let v: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture_dir().join("docs.json")).unwrap())
            .unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|d| SearchDoc {
            url: d["url"].as_str().unwrap().into(),
            title: d["title"].as_str().unwrap().into(),
            section: d["section"].as_str().unwrap().into(),
            text: d["text"].as_str().unwrap().into(),
        })
        .collect()
}

/// Small shards and blocks, so that the fixture exercises blocked posting lists.
fn fixture_options() -> IndexOptions {
    IndexOptions {
        block: 8,
        inline: 8,
        shard_bytes: 4096,
        doc_bytes: 2000,
        gzip: false,
        folder: super::DEFAULT_FOLDER.into(),
    }
}

fn reader(files: &[SearchFile]) -> Reader<impl FnMut(&str) -> Option<Vec<u8>> + '_> {
    let map: BTreeMap<&str, &[u8]> = files
        .iter()
        .map(|f| (f.path.as_str(), f.bytes.as_slice()))
        .collect();
    Reader::new(move |p: &str| map.get(p).map(|b| b.to_vec()))
}

fn urls(files: &[SearchFile], res: &Results) -> Vec<String> {
    let mut r = reader(files);
    res.hits.iter().map(|h| r.doc(h.doc).unwrap().url).collect()
}

fn search(files: &[SearchFile], q: &str, limit: usize) -> (Vec<String>, Results) {
    let res = reader(files).search(q, limit, 0);
    (urls(files, &res), res)
}

const FIXTURE_QUERIES: &[(&str, usize, usize)] = &[
    ("国际法", 5, 0),
    ("的", 5, 0),
    ("的", 5, 1),
    ("5G", 5, 0),
    ("5 g", 5, 0),
    ("A/70/174", 5, 0),
    ("a / 70 / 174", 5, 0),
    ("第 70/237 号决议", 5, 0),
    ("第70/237号决议", 5, 0),
    ("ISO/IEC 27001", 5, 0),
    ("iso/iec27001", 5, 0),
    ("建立信任措施", 5, 0),
    ("国际 法", 5, 0),
    ("网络空间", 2, 0),
    ("Canada", 5, 0),
    ("ＣＯＶＩＤ-19", 5, 0),
    ("国际和平", 5, 0),
    ("不存在的词语xyz", 5, 0),
    ("，", 5, 0),
];

fn expectations(files: &[SearchFile]) -> Value {
    let mut out = Vec::new();
    for &(q, limit, page) in FIXTURE_QUERIES {
        let mut r = reader(files);
        let res = r.search(q, limit, page);
        let mut fetched = r.fetched.clone();
        fetched.sort();
        let hits: Vec<Value> = res
            .hits
            .iter()
            .map(|h| json!([r.doc(h.doc).unwrap().url, h.tier, h.score, h.matched]))
            .collect();
        out.push(json!({
            "q": q, "limit": limit, "page": page, "total": res.total, "more": res.more,
            "hits": hits, "fetched": fetched,
        }));
    }
    json!(out)
}

#[test]
fn fixture_is_up_to_date() {
    let files = build_index_with(&fixture_docs(), &fixture_options()).unwrap();
    let dir = fixture_dir().join("index");
    let exp_path = fixture_dir().join("queries.json");
    let exp = serde_json::to_string_pretty(&expectations(&files)).unwrap() + "\n";
    if std::env::var_os("WENJI_BLESS").is_some() {
        let _ = std::fs::remove_dir_all(&dir);
        for f in &files {
            let p = dir.join(&f.path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, &f.bytes).unwrap();
        }
        std::fs::write(&exp_path, &exp).unwrap();
    }
    let mut on_disk: Vec<String> = walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(&dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    on_disk.sort();
    let built: Vec<String> = files.iter().map(|f| f.path.clone()).collect();
    assert_eq!(
        on_disk, built,
        "fixture index is stale: WENJI_BLESS=1 cargo test -p wenji-core --lib search::tests"
    );
    for f in &files {
        assert_eq!(
            std::fs::read(dir.join(&f.path)).unwrap(),
            f.bytes,
            "fixture {} is stale: WENJI_BLESS=1 cargo test -p wenji-core --lib search::tests",
            f.path
        );
    }
    assert_eq!(
        std::fs::read_to_string(&exp_path).unwrap(),
        exp,
        "queries.json is stale"
    );
    // the fixture exercises block files
    assert!(files.iter().any(|f| f.path.starts_with("search/b/")));
}

#[test]
fn every_file_is_json_but_the_blocks() {
    for opts in [IndexOptions::default(), fixture_options()] {
        let files = build_index_with(&fixture_docs(), &opts).unwrap();
        for f in &files {
            assert!(f.path.starts_with("search/"), "{}", f.path);
            if f.path.starts_with("search/b/") {
                // LEB128 varints: the last byte ends a number, an even count of numbers
                assert!(f.path.ends_with(".bin"), "{}", f.path);
                assert!(f.bytes.last().is_some_and(|&b| b < 0x80), "{}", f.path);
                let numbers = f.bytes.iter().filter(|&&b| b < 0x80).count();
                assert!(numbers >= 2 && numbers % 2 == 0, "{}", f.path);
            } else {
                assert!(f.path.ends_with(".json"), "{}", f.path);
                serde_json::from_slice::<Value>(&f.bytes)
                    .unwrap_or_else(|e| panic!("{} is not JSON: {e}", f.path));
            }
        }
    }
}

#[test]
fn round_trip_queries() {
    for opts in [IndexOptions::default(), fixture_options()] {
        let files = build_index_with(&fixture_docs(), &opts).unwrap();
        // symbols with and without spaces, full-width, find each other; phrase matches first
        for q in ["第 70/237 号决议", "第70/237号决议", "第７０／２３７号决议"] {
            let (u, res) = search(&files, q, 5);
            let mut top = u[..2].to_vec();
            top.sort();
            assert_eq!(top, ["states/france/#p2", "states/japan/#p1"], "{q}");
            assert!(res.hits[..2].iter().all(|h| h.tier == 0));
        }
        for q in ["A/70/174", "a / 70 / 174", "Ａ／７０／１７４"] {
            let (u, res) = search(&files, q, 5);
            let top: Vec<&str> = res
                .hits
                .iter()
                .zip(&u)
                .filter(|(h, _)| h.tier == 0)
                .map(|(_, u)| u.as_str())
                .collect();
            for want in ["states/canada/#p1", "states/france/#p2", "states/japan/#p1"] {
                assert!(top.contains(&want), "{q}: {want} in {top:?}");
            }
            assert_eq!(top.len(), 5, "{q}: {top:?}"); // two more in Armenia's text
        }
        for q in ["5G", "5 g", "5g"] {
            let (u, res) = search(&files, q, 5);
            assert!(u[..2].contains(&"states/france/#p1".to_string()), "{q}");
            assert!(u[..2].contains(&"states/canada/#p1".to_string()), "{q}");
            assert!(res.hits[..2].iter().all(|h| h.tier == 0));
        }
        for q in ["ISO/IEC 27001", "iso/iec27001", "ＩＳＯ／ＩＥＣ２７００１"] {
            let (u, res) = search(&files, q, 5);
            let mut top = u[..2].to_vec();
            top.sort();
            assert_eq!(top, ["states/canada/#p1", "states/france/#p1"], "{q}");
            assert!(res.hits[..2].iter().all(|h| h.tier == 0));
        }
        // a query with a space contains the whole query when it has every part:
        // "国际和平与安全；法律" has 国际 and 法, so it is a whole-query doc of "国际 法"
        let (u, res) = search(&files, "国际 法", 20);
        if opts.block < 21 {
            assert!(res.more); // 国际 and 法 are blocked: page 0 is a window
        } else {
            let canada = u.iter().position(|x| x == "states/canada/#p2").unwrap();
            assert_eq!(res.hits[canada].tier, 0);
            assert!(u.contains(&"states/japan/#p1".to_string()));
        }
        // without the space it is one phrase, which that paragraph does not contain
        let (u, res) = search(&files, "国际法", 20);
        if let Some(canada) = u.iter().position(|x| x == "states/canada/#p2") {
            assert_ne!(res.hits[canada].tier, 0);
        }
        // one character finds every paragraph containing it
        let docs = fixture_docs();
        let (u, _) = search(&files, "的", 100);
        let with: Vec<&str> = docs
            .iter()
            .filter(|d| d.text.contains('的'))
            .map(|d| d.url.as_str())
            .collect();
        if opts.block >= docs.len() {
            let mut got: Vec<&str> = u.iter().map(|s| s.as_str()).collect();
            got.sort();
            let mut want = with.clone();
            want.sort();
            assert_eq!(got, want);
        } else {
            // blocked: the pages together find them all
            let mut got = Vec::new();
            for page in 0.. {
                let res = reader(&files).search("的", 100, page);
                got.extend(urls(&files, &res));
                if !res.more {
                    break;
                }
            }
            got.sort();
            let mut want: Vec<String> = with.iter().map(|s| s.to_string()).collect();
            want.sort();
            assert_eq!(got, want);
        }
        // nothing
        assert!(search(&files, "不存在xyz", 5).1.hits.is_empty());
        assert!(search(&files, "，。", 5).1.hits.is_empty());
        assert!(search(&files, "", 5).1.hits.is_empty());
    }
}

fn synthetic_docs(n: usize) -> Vec<SearchDoc> {
    let base = fixture_docs();
    (0..n)
        .map(|i| {
            let d = &base[i % base.len()];
            SearchDoc {
                url: format!("s/{}/#p{}", i / 40, i % 40),
                title: d.title.clone(),
                section: d.section.clone(),
                text: format!(
                    "{}{}",
                    d.text,
                    base[(i * 7 + 3) % base.len()]
                        .text
                        .chars()
                        .take(10)
                        .collect::<String>()
                ),
            }
        })
        .collect()
}

#[test]
fn deterministic_whatever_the_thread_count() {
    let docs = synthetic_docs(2500);
    let opts = IndexOptions {
        block: 300,
        inline: 300,
        ..IndexOptions::default()
    };
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap()
        .install(|| build_index_with(&docs, &opts).unwrap());
    let four = rayon::ThreadPoolBuilder::new()
        .num_threads(4)
        .build()
        .unwrap()
        .install(|| build_index_with(&docs, &opts).unwrap());
    assert_eq!(one, four);
    assert_eq!(one, build_index_with(&docs, &opts).unwrap());
}

#[test]
fn empty_and_bad_input() {
    let files = build_index(&[]).unwrap();
    assert!(files.iter().any(|f| f.path == "search/meta.json"));
    assert!(reader(&files).search("国际法", 5, 0).hits.is_empty());
    let bad = SearchDoc {
        url: "/states/x/".into(),
        title: String::new(),
        section: String::new(),
        text: "x".into(),
    };
    match build_index(&[bad]) {
        Err(e @ SearchError::BadUrl { .. }) => assert!(e.to_string().contains("/states/x/")),
        other => panic!("{other:?}"),
    }
}

/// Docs that exercise what a faster builder could get wrong: the real seed text (CJK runs,
/// symbols, full-width forms), JSON escapes in every stored field, upper case and mixed
/// letter/digit words, empty text, and term frequencies past 255 and 65,535 in one doc.
fn pinned_docs() -> Vec<SearchDoc> {
    let seed = std::fs::read_to_string(
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).join("sources/A-75-123-zh.txt"),
    )
    .unwrap();
    let paras = super::bench::seed_paragraphs(&seed);
    let mut docs = super::bench::synthetic(&paras, 3000);
    docs.extend(paras.iter().enumerate().map(|(i, p)| SearchDoc {
        url: format!("seed/#p{i}"),
        title: "A/75/123".into(),
        section: String::new(),
        text: p.clone(),
    }));
    let odd = [
        "引号\"与\\反斜杠\u{1}\u{1f}\t\n\r\u{8}\u{c}\u{7f}",
        "ＣＯＶＩＤ-19 ISO/IEC27001 5G A/70/174 Ⅻ ﬁle ÀÉÎ Ωμέγα Привет 𠀀𠀁𠀂",
        "",
        "，。！",
    ];
    for (i, t) in odd.iter().enumerate() {
        docs.push(SearchDoc {
            url: format!("odd/\"{i}\"\\/#p"),
            title: format!("标题\u{2}{i}"),
            section: t.to_string(),
            text: t.to_string(),
        });
    }
    docs.push(SearchDoc {
        url: "big/#p1".into(),
        title: "big".into(),
        section: String::new(),
        text: "的".repeat(70_000) + &"国际法 ".repeat(300) + &"ab1 ".repeat(1000),
    });
    docs
}

/// SHA-256 over every file's path and bytes, in path order.
fn files_hash(files: &[SearchFile]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for f in files {
        h.update((f.path.len() as u64).to_le_bytes());
        h.update(f.path.as_bytes());
        h.update((f.bytes.len() as u64).to_le_bytes());
        h.update(&f.bytes);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Pins the exact output of the builder (hashes taken with the straightforward
/// HashMap<String, _> builder before it was made faster): a rewrite of the builder must not
/// change a byte. If the format changes on purpose, update the hashes (format 2, block files
/// as varints: updated once the reader's results were checked identical to format 1's).
#[test]
fn output_is_pinned() {
    let docs = pinned_docs();
    let got: Vec<String> = [
        IndexOptions::default(),
        fixture_options(),
        IndexOptions {
            block: 1,
            inline: 1,
            shard_bytes: 1,
            doc_bytes: 1,
            gzip: false,
            folder: super::DEFAULT_FOLDER.into(),
        },
    ]
    .iter()
    .map(|o| files_hash(&build_index_with(&docs, o).unwrap()))
    .collect();
    println!("pinned hashes: {got:?}");
    assert_eq!(got, PINNED);
}

const PINNED: [&str; 3] = [
    "f695ee74bc95c44ab64ae49f2e067676bfc0eee58a2285ebd146cb94e36ec069",
    "8ac93fe2dfc02fd60b66aa9107cea0b588749941f0fa05665a4781efd133fea3",
    "3a4e0d070965145d0ea694ebad5721f8ba19216bf21aea0c9befeab344463591",
];

/// The streaming entry point emits exactly the files `build_index_with` returns, reports
/// their number and size, and stops at the first error of the callback.
#[test]
fn each_emits_the_same_files_and_stops_on_error() {
    let docs = synthetic_docs(1500);
    let opts = fixture_options();
    let all = build_index_with(&docs, &opts).unwrap();
    let got = std::sync::Mutex::new(Vec::new());
    let summary = build_index_each(docs.clone(), &opts, |f| {
        got.lock().unwrap().push(f);
        Ok::<(), SearchError>(())
    })
    .unwrap();
    let mut got = got.into_inner().unwrap();
    got.sort_by(|a, b| a.path.cmp(&b.path));
    assert_eq!(got, all);
    assert_eq!(
        summary,
        IndexSummary {
            files: all.len(),
            bytes: all.iter().map(|f| f.bytes.len() as u64).sum(),
        }
    );

    type BoxError = Box<dyn std::error::Error + Send + Sync>;
    let err = build_index_each(docs.clone(), &opts, |f| {
        if f.path.starts_with("search/b/") {
            Err(BoxError::from("disk full"))
        } else {
            Ok(())
        }
    })
    .unwrap_err();
    assert_eq!(err.to_string(), "disk full");

    let bad = vec![SearchDoc {
        url: String::new(),
        ..docs[0].clone()
    }];
    let err = build_index_each(bad.clone(), &opts, |_| -> Result<(), BoxError> {
        panic!("nothing is emitted for bad input")
    })
    .unwrap_err();
    assert!(err.to_string().contains("document 0"), "{err}");
}

/// A gzipped index (`IndexOptions::gzip`): every file but meta.json gzipped under `….gz`, and
/// the reader answers every fixture query as from the plain index, fetching the same files.
#[test]
fn a_gzipped_index_answers_as_the_plain_one() {
    let plain = build_index_with(&fixture_docs(), &fixture_options()).unwrap();
    let gz = build_index_with(
        &fixture_docs(),
        &IndexOptions {
            gzip: true,
            ..fixture_options()
        },
    )
    .unwrap();
    assert_eq!(plain.len(), gz.len());
    for (p, g) in plain.iter().zip(&gz) {
        if p.path == "search/meta.json" {
            assert_eq!(g.path, p.path);
            assert!(String::from_utf8_lossy(&g.bytes).ends_with(",\"gz\":1}"));
            continue;
        }
        assert_eq!(g.path, format!("{}.gz", p.path));
        assert_eq!(&g.bytes[..2], [0x1f, 0x8b], "{}", g.path);
        let mut unpacked = Vec::new();
        std::io::Read::read_to_end(
            &mut flate2::read::GzDecoder::new(g.bytes.as_slice()),
            &mut unpacked,
        )
        .unwrap();
        assert_eq!(unpacked, p.bytes, "{}", g.path);
    }
    let queries: Value =
        serde_json::from_slice(&std::fs::read(fixture_dir().join("queries.json")).unwrap())
            .unwrap();
    let mut compared = 0;
    for q in queries.as_array().unwrap() {
        let (text, page) = (
            q["q"].as_str().unwrap(),
            q["page"].as_u64().unwrap() as usize,
        );
        let limit = q["limit"].as_u64().unwrap() as usize;
        let (mut a, mut b) = (reader(&plain), reader(&gz));
        let (ra, rb) = (a.search(text, limit, page), b.search(text, limit, page));
        assert_eq!(ra, rb, "{text}");
        for h in &ra.hits {
            assert_eq!(a.doc(h.doc), b.doc(h.doc), "{text}");
        }
        assert_eq!(a.fetched, b.fetched, "{text}");
        compared += ra.hits.len();
    }
    assert!(compared > 50, "only {compared} hits compared");
}

/// Two indexes side by side, as a two-language site has them: each folder holds its own
/// files only, and a reader of one folder answers from that index and reads nothing else
/// (the English one gzipped, so that its `meta.json` is found in its folder too).
#[test]
fn two_folders_are_two_indexes() {
    let doc = |url: &str, text: &str| SearchDoc {
        url: url.into(),
        title: "Japan".into(),
        section: String::new(),
        text: text.into(),
    };
    let zh = vec![doc("states/japan/#p1", "国际法适用于网络空间。")];
    let en = vec![
        doc(
            "en/states/japan/#p1",
            "International law applies in cyberspace.",
        ),
        doc("en/states/japan/#p2", "Capacity building matters."),
    ];
    let mut files = build_index(&zh).unwrap();
    let en_opts = IndexOptions {
        folder: "search/en".into(),
        gzip: true,
        ..IndexOptions::default()
    };
    let en_files = build_index_with(&en, &en_opts).unwrap();
    assert!(en_files.iter().all(|f| f.path.starts_with("search/en/")));
    assert!(en_files.iter().any(|f| f.path == "search/en/meta.json"));
    assert!(files.iter().all(|f| !f.path.starts_with("search/en/")));
    files.extend(en_files);
    let map: BTreeMap<&str, &[u8]> = files
        .iter()
        .map(|f| (f.path.as_str(), f.bytes.as_slice()))
        .collect();
    let fetch = |p: &str| map.get(p).map(|b| b.to_vec());
    let mut r_en = Reader::in_folder("search/en/", fetch);
    let res = r_en.search("international law", 10, 0);
    assert_eq!(res.hits.len(), 1);
    assert_eq!(
        r_en.doc(res.hits[0].doc).unwrap().url,
        "en/states/japan/#p1"
    );
    assert!(r_en.search("国际法", 10, 0).hits.is_empty());
    assert!(r_en.fetched.iter().all(|p| p.starts_with("search/en/")));
    let mut r_zh = Reader::new(fetch);
    let res = r_zh.search("国际法", 10, 0);
    assert_eq!(res.hits.len(), 1);
    assert_eq!(r_zh.doc(res.hits[0].doc).unwrap().url, "states/japan/#p1");
    assert!(r_zh.search("capacity", 10, 0).hits.is_empty());
    assert!(r_zh.fetched.iter().all(|p| !p.starts_with("search/en/")));
}
