//! The URL ledger keeps the words of every published anchor: a build that changes them fails,
//! naming the anchor and its old and new words, until a fragment alias or an accepted
//! correction says what happened.

use crate::common;

use common::*;

/// A fixture site whose ledger records what it publishes now.
fn published() -> tempfile::TempDir {
    let root = fixture();
    let out = wenji(root.path(), &["ledger"]);
    assert!(out.status.success(), "{}", stderr(&out));
    root
}

fn ledger_of(root: &std::path::Path) -> String {
    read(&root.join("published-urls.txt"))
}

#[test]
fn the_ledger_records_the_words_of_every_anchor() {
    let root = published();
    let ledger = ledger_of(root.path());
    let p3 = ledger
        .lines()
        .find(|l| l.starts_with("/states/arcadia/#p3\t"))
        .unwrap();
    // "国际法，特别是《联合国宪章》，适用于网络空间。" normalised, its first 16 characters.
    assert!(
        p3.contains("\tfp:") && p3.contains("\twords:国际法，特别是《联合国宪章》，适…"),
        "{p3}"
    );
    assert!(ledger.contains("/states/arcadia/#s1\tfp:"), "{ledger}");
    // A reply's passages on a concept page are published anchors too (no words of their own).
    assert!(ledger.contains("/concepts/norm-a/#r-arcadia\n"), "{ledger}");
    // Whitespace and width do not count: the same words respaced keep their fingerprint.
    edit_file(root.path(), "content/replies/arcadia.md", |t| {
        t.replace("适用于网络空间。", "适用于 网络\n空间。")
    });
    let out = wenji(root.path(), &["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn inserting_a_paragraph_fails_until_each_moved_anchor_is_sent_on() {
    let root = published();
    let before = ledger_of(root.path());
    edit_file(root.path(), "content/replies/arcadia.md", |t| {
        t.replace(
            "---\n阿卡迪亚高度重视",
            "---\n新插入的一段。\n\n阿卡迪亚高度重视",
        )
    });
    let out = wenji(root.path(), &["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("published-urls.txt:")
            && err.contains("the published anchor /states/arcadia/#p1 now holds other words: published «阿卡迪亚高度重视在完全遵守国际法…», now «新插入的一段。»")
            && err.contains("wenji ledger --move '/states/arcadia/#p1' --to '/states/arcadia/#p2'"),
        "{err}"
    );
    // Every shifted paragraph is named, and nothing was written.
    for n in 1..=5 {
        assert!(
            err.contains(&format!("/states/arcadia/#p{n} now holds")),
            "p{n}: {err}"
        );
    }
    assert!(!root.path().join("site").exists());
    // `wenji ledger` refuses too, and leaves the ledger as it was.
    let out = wenji(root.path(), &["ledger"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(ledger_of(root.path()), before);

    // A move that does not match the words is refused by the check that follows it.
    let out = wenji(
        root.path(),
        &["ledger", "--move", "/states/arcadia/#p1", "--to", "#p3"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(ledger_of(root.path()), before);

    // One move alone leaves the others failing: nothing is written.
    let out = wenji(
        root.path(),
        &["ledger", "--move", "/states/arcadia/#p1", "--to", "#p2"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(ledger_of(root.path()), before);
    // The moves the messages give, in one command.
    let mut args = vec!["ledger".to_string()];
    for n in 1..=5 {
        args.extend([
            "--move".into(),
            format!("/states/arcadia/#p{n}"),
            "--to".into(),
            format!("#p{}", n + 1),
        ]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = wenji(root.path(), &args);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(ledger_of(root.path()).contains("\talias:/states/arcadia/#p6"));
    let out = wenji(root.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = read(&root.path().join("site/states/arcadia/index.html"));
    assert!(
        page.contains("fragment-alias.")
            && page.contains("&quot;p1&quot;:&quot;/states/arcadia/#p2&quot;"),
        "{page}"
    );
    // `wenji ledger` above added the new paragraph's anchor, #p6.
    assert!(!stderr(&out).contains("new URLs"), "{}", stderr(&out));
}

#[test]
fn a_move_by_command_records_a_fragment_alias() {
    let root = published();
    // Swapping the two list items: #p4 and #p5 exchange their words.
    edit_file(root.path(), "content/replies/arcadia.md", |t| {
        t.replace(
            "- (a) 第一项；\n- (b) 第二项。\n",
            "- (b) 第二项。\n- (a) 第一项；\n",
        )
    });
    let out = wenji(root.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("--to '/states/arcadia/#p5'"),
        "{}",
        stderr(&out)
    );
    let out = wenji(
        root.path(),
        &["ledger", "--move", "/states/arcadia/#p4", "--to", "#p5"],
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "p5 still fails: {}",
        stderr(&out)
    );
    // Unpaired --move and --to are a usage error.
    let out = wenji(
        root.path(),
        &[
            "ledger",
            "--move",
            "/states/arcadia/#p4",
            "--move",
            "/states/arcadia/#p5",
            "--to",
            "#p4",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let out = wenji(
        root.path(),
        &[
            "ledger",
            "--move",
            "/states/arcadia/#p4",
            "--to",
            "#p5",
            "--move",
            "/states/arcadia/#p5",
            "--to",
            "#p4",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let ledger = ledger_of(root.path());
    assert!(
        ledger.contains("\talias:/states/arcadia/#p5")
            && ledger.contains("\talias:/states/arcadia/#p4"),
        "{ledger}"
    );
    let out = wenji(root.path(), &["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn a_corrected_text_is_accepted_with_its_reason() {
    let root = published();
    edit_file(root.path(), "content/replies/arcadia.md", |t| {
        t.replace("国际法，特别是", "国际法，尤其是")
    });
    let out = wenji(root.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("wenji ledger --accept '/states/arcadia/#p3' --reason"),
        "{}",
        stderr(&out)
    );
    // A reason is required.
    let out = wenji(root.path(), &["ledger", "--accept", "/states/arcadia/#p3"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("needs a reason"), "{}", stderr(&out));
    let out = wenji(
        root.path(),
        &[
            "ledger",
            "--accept",
            "/states/arcadia/#p3",
            "--reason",
            "PDF extraction error repaired",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let ledger = ledger_of(root.path());
    assert!(
        ledger.contains(
            "words:国际法，尤其是《联合国宪章》，适…\taccepted:PDF extraction error repaired"
        ),
        "{ledger}"
    );
    let out = wenji(root.path(), &["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // An unknown URL is named.
    let out = wenji(
        root.path(),
        &[
            "ledger",
            "--accept",
            "/states/arcadia/#p99",
            "--reason",
            "x",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("/states/arcadia/#p99 is not in the ledger"));
}

#[test]
fn a_reply_dropped_from_a_concept_page_is_retired_or_sent_on() {
    let root = published();
    edit_file(root.path(), "content/replies/arcadia.md", |t| {
        t.replace("  norm-a: [\"p2\"]\n", "")
    });
    let out = wenji(root.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("the published URL /concepts/norm-a/#r-arcadia is no longer produced")
            && err.contains("wenji ledger --accept '/concepts/norm-a/#r-arcadia'"),
        "{err}"
    );
    // Several at once, with one reason.
    let saved = ledger_of(root.path());
    let out = wenji(
        root.path(),
        &[
            "ledger",
            "--accept",
            "/concepts/norm-a/#r-arcadia",
            "--accept",
            "/concepts/international-law/#r-arcadia",
            "--reason",
            "tags revised",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let ledger = ledger_of(root.path());
    assert!(
        ledger.contains("/concepts/norm-a/#r-arcadia\tretired:tags revised"),
        "{ledger}"
    );
    // An anchor still produced keeps its place; the reason is recorded.
    assert!(
        ledger.contains("/concepts/international-law/#r-arcadia\taccepted:tags revised"),
        "{ledger}"
    );
    write_file(root.path(), "published-urls.txt", &saved);
    // Sent to the reply instead: the concept page sends the old anchor there.
    let out = wenji(
        root.path(),
        &[
            "ledger",
            "--move",
            "/concepts/norm-a/#r-arcadia",
            "--to",
            "/states/arcadia/",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = wenji(root.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = read(&root.path().join("site/concepts/norm-a/index.html"));
    assert!(
        page.contains("&quot;r-arcadia&quot;:&quot;/states/arcadia/&quot;"),
        "{page}"
    );
    // Or given up, with its reason.
    write_file(root.path(), "published-urls.txt", &saved);
    let out = wenji(
        root.path(),
        &[
            "ledger",
            "--accept",
            "/concepts/norm-a/#r-arcadia",
            "--reason",
            "tag reviewed",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(ledger_of(root.path()).contains("/concepts/norm-a/#r-arcadia\tretired:tag reviewed"));
    let out = wenji(root.path(), &["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn heading_ids_in_markdown_may_not_take_the_site_s_anchors() {
    for (id, what) in [("p3", "paragraph anchor"), ("main", "templates use")] {
        let root = fixture();
        edit_file(root.path(), "content/replies/arcadia.md", |t| {
            t.replace("## 国际法\n", &format!("## 国际法 {{#{id}}}\n"))
        });
        let out = wenji(root.path(), &["build"]);
        assert_eq!(out.status.code(), Some(1));
        let err = stderr(&out);
        assert!(
            err.contains("arcadia.md:24:")
                && err.contains(&format!("`{{#{id}}}`"))
                && err.contains(what),
            "{err}"
        );
    }
}

#[test]
fn redirect_pages_keep_the_query_and_the_fragment() {
    let script = read(&repo().join("assets/redirect.js"));
    assert!(
        script.contains("target + location.search + location.hash"),
        "{script}"
    );
}

#[test]
fn an_anchor_as_a_page_alias_points_to_the_ledger() {
    let root = published();
    edit_file(root.path(), "content/replies/arcadia.md", |t| {
        t.replace(
            "aliases: [\"/old/arcadia/\"]",
            "aliases: [\"/old/arcadia/\", \"/states/arcadia/#p3\"]",
        )
    });
    let out = wenji(root.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("arcadia.md:15: alias `/states/arcadia/#p3` names an anchor")
            && err.contains("wenji ledger --move '/states/arcadia/#p3' --to '#pN'"),
        "{err}"
    );
}

#[test]
fn a_malformed_ledger_line_is_located() {
    let root = published();
    let text = ledger_of(root.path()).replacen(
        "/states/arcadia/#p2\t",
        "/states/arcadia/#p2\tcolour:red\t",
        1,
    );
    write_file(root.path(), "published-urls.txt", &text);
    let line = text.lines().position(|l| l.contains("colour:red")).unwrap() + 1;
    for cmd in ["check", "ledger"] {
        let out = wenji(root.path(), &[cmd]);
        assert_eq!(out.status.code(), Some(1), "{cmd}");
        assert!(
            stderr(&out).contains(&format!(
                "published-urls.txt:{line}: unknown field `colour:red`"
            )),
            "{cmd}: {}",
            stderr(&out)
        );
    }
    assert_eq!(ledger_of(root.path()), text);
}
