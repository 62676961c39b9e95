//! Bad and hostile input, with the real binary on a copy of the fixture site: every case
//! must end in exit 1 within bounded time and memory, without a panic, with each problem
//! located (file, line where there is one) and followed by what to do, and with nothing
//! written anywhere (the previous site, the sources and the folder around the root are
//! unchanged). Hostile text that builds must come out escaped. docs/hardening.md lists every
//! case with the message it gets.

use crate::common;

use std::path::Path;
use std::time::Duration;

use common::*;

const REPLY: &str = "content/replies/arcadia.md";
const ABOUT: &str = "content/pages/about.md";
const NEW: &str = "content/pages/x.md";

/// A new page file `content/pages/x.md` with this front matter (between `---` lines) and body.
fn new_page(front: &str, body: &str) -> impl FnOnce(&Path) {
    let text = format!("---\n{front}---\n{body}");
    move |r: &Path| write_file(r, NEW, text)
}

// ---------------------------------------------------------------- front matter

#[test]
fn front_matter_malformed_yaml() {
    assert_fails(
        new_page("kind: page\nslug: x\ntitle: [a\n", "hi\n"),
        &[
            "content/pages/x.md:4:",
            "unclosed bracket",
            "correct the YAML",
        ],
    );
}

#[test]
fn front_matter_bad_indentation() {
    assert_fails(
        new_page("kind: page\ntitle: a\n  slug: x\n", "hi\n"),
        &["content/pages/x.md:4:", "mapping values are not allowed"],
    );
}

#[test]
fn front_matter_unterminated() {
    assert_fails(
        |r| write_file(r, NEW, "---\nkind: page\ntitle: a\nslug: x\n\nbody\n"),
        &[
            "content/pages/x.md:1: the front matter is not closed",
            "add a line `---`",
        ],
    );
}

#[test]
fn front_matter_absent() {
    assert_fails(
        |r| write_file(r, NEW, "# A title\n\ntext\n"),
        &["content/pages/x.md:1: the file does not start with front matter"],
    );
}

#[test]
fn front_matter_wrong_type() {
    assert_fails(
        new_page("kind: page\ntitle: a\nslug: x\norder: [1]\n", "hi\n"),
        &["content/pages/x.md:5:", "order"],
    );
}

#[test]
fn front_matter_unknown_key() {
    assert_fails(
        |r| {
            edit_file(r, "content/concepts/norms.md", |t| {
                t.replace("order: 2", "order: 2\ntitel: x")
            })
        },
        &[
            "content/concepts/norms.md:7:",
            "unknown field `titel`",
            "correct its spelling",
        ],
    );
}

#[test]
fn front_matter_missing_required_key() {
    assert_fails(
        |r| edit_file(r, ABOUT, |t| t.replace("slug: about\n", "")),
        &[
            "content/pages/about.md:2: front matter: missing field `slug`\n",
            "add the key",
        ],
    );
}

#[test]
fn front_matter_missing_kind() {
    assert_fails(
        new_page("title: a\nslug: x\n", "hi\n"),
        &["content/pages/x.md:2: the front matter has no `kind`"],
    );
}

#[test]
fn front_matter_unknown_kind() {
    assert_fails(
        new_page("kind: article\ntitle: a\nslug: x\n", "hi\n"),
        &[
            "content/pages/x.md:2: unknown kind `article`",
            "use `reply`",
        ],
    );
}

#[test]
fn front_matter_kind_line_inside_a_quoted_value() {
    // A line reads `kind: reply`, but YAML reads it as part of the title: the file has no
    // kind and is refused as such, not built as a reply.
    assert_fails(
        new_page("title: \"a\nkind: reply\"\nslug: x\n", "hi\n"),
        &["content/pages/x.md:2: the front matter has no `kind`"],
    );
}

#[test]
fn front_matter_duplicate_key() {
    assert_fails(
        new_page("kind: page\ntitle: a\ntitle: b\nslug: x\n", "hi\n"),
        &["content/pages/x.md:4:", "duplicate mapping key: title"],
    );
}

#[test]
fn front_matter_yaml_alias_bomb() {
    // Nine levels of ten aliases each: 10^9 strings if expanded.
    let mut y = String::from("kind: page\nslug: x\na0: &a0 [x,x,x,x,x,x,x,x,x,x]\n");
    for i in 1..9 {
        let refs = vec![format!("*a{}", i - 1); 10].join(",");
        y.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    y.push_str("title: *a8\n");
    assert_fails(
        new_page(&y, "hi\n"),
        &[
            "content/pages/x.md:",
            "it expands to too much",
            "no YAML aliases",
        ],
    );
}

#[test]
fn front_matter_deep_yaml_nesting() {
    let y = format!(
        "kind: page\ntitle: a\nslug: x\naliases: {}{}\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    assert_fails(
        new_page(&y, "hi\n"),
        &["content/pages/x.md:5:", "it expands to too much"],
    );
}

// ---------------------------------------------------------------- whole files

#[test]
fn empty_file() {
    assert_fails(
        |r| write_file(r, NEW, ""),
        &["content/pages/x.md:1: the file is empty", "start it with"],
    );
}

#[test]
fn whitespace_only_file() {
    assert_fails(
        |r| write_file(r, NEW, "\n \n\t\n"),
        &["content/pages/x.md:1: the file is empty"],
    );
}

#[test]
fn file_not_utf8() {
    // Latin-1 `é` on line 8.
    let mut bytes = b"---\nkind: page\ntitle: a\nslug: x\n---\nok\n\ncaf".to_vec();
    bytes.extend([0xe9, b'\n']);
    assert_fails(
        |r| write_file(r, NEW, bytes),
        &[
            "content/pages/x.md:8:4: the file is not UTF-8",
            "save the file as UTF-8",
        ],
    );
}

#[test]
fn binary_file() {
    let bytes: Vec<u8> = (0..=255u8).cycle().take(10_000).collect();
    assert_fails(
        |r| write_file(r, NEW, bytes),
        &["content/pages/x.md:", "the file is not UTF-8"],
    );
}

#[test]
fn huge_file_is_refused() {
    let para = "这是一个很长的段落，用来测试巨大的文件。Lorem ipsum dolor sit amet. ".repeat(20);
    let mut text = String::from("---\nkind: page\ntitle: big\nslug: big\n---\n");
    while text.len() < 30 << 20 {
        text.push_str(&para);
        text.push_str("\n\n");
    }
    assert_fails(
        |r| write_file(r, NEW, text),
        &[
            "content/pages/x.md: the file is 30.",
            "the limit is 8 MB",
            "split it into several files",
        ],
    );
}

/// A reply just under the size limit builds: thousands of paragraphs, each citing a UN
/// document, all of it numbered, linked and indexed for search. (Debug build: a release build
/// is several times faster.)
#[test]
fn file_at_the_size_limit_builds_in_bounded_time_and_memory() {
    let (_outer, root) = nested_fixture();
    let para = "这是一个很长的段落，用来测试巨大的文件。A/70/174. ".repeat(30);
    let head = read(&root.join("content/replies/borduria.md"));
    let head = head.split("---\n").nth(1).unwrap();
    let head = head
        .replace("slug: borduria", "slug: big")
        .replace("order: 2", "order: 3");
    let mut text = format!("---\n{head}---\n");
    let limit = wenji_core::content::MAX_FILE_BYTES as usize - (256 << 10);
    while text.len() + para.len() + 2 < limit {
        text.push_str(&para);
        text.push_str("\n\n");
    }
    write_file(&root, "content/replies/big.md", text);
    let run = wenji_bounded(&root, &["build"], &[], Duration::from_secs(90));
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.max_rss_kb < 1536 * 1024, "{} MB", run.max_rss_kb / 1024);
    eprintln!(
        "{:.1} MB reply: {:?}, {} MB",
        limit as f64 / 1e6,
        run.elapsed,
        run.max_rss_kb / 1024
    );
}

#[test]
fn one_huge_line_builds() {
    let (_outer, root) = nested_fixture();
    write_file(
        &root,
        NEW,
        format!(
            "---\nkind: page\ntitle: a\nslug: x\n---\n{}",
            "x".repeat(6 << 20)
        ),
    );
    let run = wenji_bounded(&root, &["build"], &[], LIMIT);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.max_rss_kb < MAX_RSS_KB, "{} MB", run.max_rss_kb / 1024);
}

// ---------------------------------------------------------------- deep Markdown

#[test]
fn deeply_nested_quotes_are_refused() {
    assert_fails(
        new_page(
            "kind: page\ntitle: a\nslug: x\n",
            &format!("ok\n\n{} x\n", ">".repeat(100_000)),
        ),
        &[
            "content/pages/x.md:8: the Markdown nests more than 64 levels deep here",
            "flatten the quotes or lists",
        ],
    );
}

#[test]
fn deeply_nested_lists_are_refused() {
    assert_fails(
        new_page(
            "kind: page\ntitle: a\nslug: x\n",
            &format!("{}x\n", "- ".repeat(100_000)),
        ),
        &["content/pages/x.md:6: the Markdown nests more than 64 levels deep"],
    );
}

#[test]
fn deeply_indented_lists_are_refused() {
    let body: String = (0..1000)
        .map(|i| format!("{}- x\n", "  ".repeat(i)))
        .collect();
    assert_fails(
        new_page("kind: page\ntitle: a\nslug: x\n", &body),
        &["content/pages/x.md:", "nests more than 64 levels"],
    );
}

#[test]
fn nesting_under_the_limit_builds() {
    let (_outer, root) = nested_fixture();
    write_file(
        &root,
        NEW,
        format!(
            "---\nkind: page\ntitle: a\nslug: x\n---\n{} *a **b***\n",
            ">".repeat(60)
        ),
    );
    let run = wenji_bounded(&root, &["build"], &[], LIMIT);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
}

// ---------------------------------------------------------------- URLs

#[test]
fn two_pages_with_one_slug() {
    assert_fails(
        new_page("kind: page\ntitle: a\nslug: about\n", "hi\n"),
        &[
            "content/pages/x.md:4: the URL /about/ is already the URL of content/pages/about.md",
            "give one of the two another slug",
        ],
    );
}

#[test]
fn two_replies_with_one_slug() {
    assert_fails(
        |r| {
            edit_file(r, "content/replies/borduria.md", |t| {
                t.replace("slug: borduria", "slug: arcadia")
            })
        },
        &[
            "content/replies/",
            "the URL /states/arcadia/ is already the URL of",
        ],
    );
}

#[test]
fn alias_collides_with_a_page() {
    assert_fails(
        |r| {
            edit_file(r, ABOUT, |t| {
                t.replace(
                    "slug: about",
                    "slug: about\naliases: [\"/states/arcadia/\"]",
                )
            })
        },
        &[
            "content/pages/about.md:5: the URL /states/arcadia/ is already the URL of content/replies/arcadia.md",
        ],
    );
}

#[test]
fn alias_collides_with_a_page_wenji_builds() {
    assert_fails(
        |r| {
            edit_file(r, ABOUT, |t| {
                t.replace("slug: about", "slug: about\naliases: [\"/search/\"]")
            })
        },
        &[
            "content/pages/about.md:5: the URL /search/ is already the URL of a page wenji builds itself",
        ],
    );
}

#[test]
fn alias_collides_with_another_alias() {
    assert_fails(
        |r| {
            edit_file(r, ABOUT, |t| {
                t.replace("slug: about", "slug: about\naliases: [\"/old/arcadia/\"]")
            })
        },
        &[
            "content/pages/about.md:5: the URL /old/arcadia/ is already the URL of content/replies/arcadia.md",
        ],
    );
}

#[test]
fn alias_that_differs_from_a_url_only_in_case() {
    assert_fails(
        |r| {
            edit_file(r, ABOUT, |t| {
                t.replace(
                    "slug: about",
                    "slug: about\naliases: [\"/States/Arcadia/\"]",
                )
            })
        },
        &[
            "content/pages/about.md:5: the URL /States/Arcadia/ differs only in case from /states/arcadia/, the URL of content/replies/arcadia.md",
            "on macOS and Windows the two are one file",
        ],
    );
}

#[test]
fn slugs_that_leave_the_output_are_refused() {
    for slug in [
        "../../evil",
        "\"..\\\\..\\\\evil\"",
        "\"ev\\0il\"",
        "a/b",
        ".",
        "..",
        "Evil",
        "中文",
    ] {
        let err = assert_fails(
            new_page(&format!("kind: page\ntitle: a\nslug: {slug}\n"), "hi\n"),
            &[
                "content/pages/x.md:4: slug `",
                "is not allowed",
                "one URL segment",
            ],
        );
        assert!(!err.contains('\0'), "NUL printed raw: {err:?}");
    }
    // An absolute path, pointing beside the root.
    assert_fails(
        |r| {
            let evil = r.parent().unwrap().join("evil");
            write_file(
                r,
                NEW,
                format!("---\nkind: page\ntitle: a\nslug: {}\n---\n", evil.display()),
            )
        },
        &["content/pages/x.md:4: slug `/", "is not allowed"],
    );
}

#[test]
fn aliases_that_leave_the_output_are_refused() {
    for alias in [
        "../../evil/",
        "/a/../../../evil/",
        "//evil.example/x/",
        "/a\\\\..\\\\..\\\\evil/",
        "/a\\0b/",
        "/./x/",
        "/",
    ] {
        assert_fails(
            |r| {
                edit_file(r, ABOUT, |t| {
                    t.replace(
                        "slug: about",
                        &format!("slug: about\naliases: [\"{alias}\"]"),
                    )
                })
            },
            &[
                "content/pages/about.md:5: alias `",
                "is not a safe site path",
                "no `..`",
            ],
        );
    }
}

/// An alias is a path in the site, never in the file system: `/tmp/…/evil/` is written as
/// `site/tmp/…/evil/index.html`.
#[test]
fn an_alias_that_looks_absolute_stays_in_the_site() {
    let (outer, root) = nested_fixture();
    let evil = outer.path().join("evil");
    let alias = format!("{}/", evil.display());
    edit_file(&root, ABOUT, |t| {
        t.replace(
            "slug: about",
            &format!("slug: about\naliases: [\"{alias}\"]"),
        )
    });
    let run = wenji_bounded(&root, &["build"], &[], LIMIT);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(!evil.exists());
    let inside = root
        .join("site")
        .join(alias.trim_start_matches('/'))
        .join("index.html");
    assert!(inside.is_file(), "{}", inside.display());
}

#[test]
fn config_section_that_leaves_the_output_is_refused() {
    for bad in ["../../evil", "/tmp/evil", "a/b"] {
        assert_fails(
            |r| {
                edit_file(r, "wenji.toml", |t| {
                    t.replace("replies = \"states\"", &format!("replies = \"{bad}\""))
                })
            },
            &[
                "wenji.toml:",
                "[sections] replies = `",
                "is not allowed",
                "one URL segment",
            ],
        );
    }
}

#[test]
fn output_folder_that_is_a_source_is_refused() {
    for out in ["content", "templates", "assets", "content/pages", ".", ".."] {
        let (outer, root) = nested_fixture();
        let before = tree(outer.path());
        let run = wenji_bounded(&root, &["build", "--output", out], &[], LIMIT);
        assert_eq!(run.code, Some(1), "--output {out}: {}", run.stderr);
        assert!(
            run.stderr
                .contains("the output folder holds the site's sources"),
            "{}",
            run.stderr
        );
        assert_messages_are_located(&run.stderr);
        assert!(before == tree(outer.path()), "--output {out} wrote");
    }
}

#[test]
fn output_path_that_is_not_a_built_site_is_refused() {
    for out in ["wenji.toml", "notes", "content/_index.md"] {
        let (outer, root) = nested_fixture();
        write_file(&root, "notes/todo.txt", "keep me");
        let before = tree(outer.path());
        let run = wenji_bounded(&root, &["build", "--output", out], &[], LIMIT);
        assert_eq!(run.code, Some(1), "--output {out}: {}", run.stderr);
        assert_messages_are_located(&run.stderr);
        assert!(before == tree(outer.path()), "--output {out} wrote");
    }
    let (outer, root) = nested_fixture();
    write_file(&root, "notes/todo.txt", "keep me");
    let run = wenji_bounded(&root, &["build", "--output", "notes"], &[], LIMIT);
    assert!(
        run.stderr.contains(
            "notes: the output path exists and is not a site wenji built; writing there would delete what it holds"
        ),
        "{}",
        run.stderr
    );
    drop(outer);
}

// ---------------------------------------------------------------- links, tags, symbols

#[test]
fn broken_internal_link_in_content() {
    assert_fails(
        new_page(
            "kind: page\ntitle: a\nslug: x\n",
            "ok\n\nSee [x](/states/nope/).\n",
        ),
        &[
            "content/pages/x.md:8: the link `/states/nope/` points to /states/nope/, which is not a page of the site",
            "correct the link",
        ],
    );
}

#[test]
fn broken_anchor_in_content() {
    assert_fails(
        |r| {
            edit_file(r, REPLY, |t| {
                t.replace(
                    "适用于网络空间。",
                    "适用于网络空间，见[第 99 段](/states/arcadia/#p99)。",
                )
            })
        },
        &[
            "content/replies/arcadia.md:26: the link `/states/arcadia/#p99` points to paragraph 99 of /states/arcadia/, which has 5 paragraphs",
            "correct the link",
        ],
    );
}

#[test]
fn broken_heading_anchor_in_a_footnote() {
    assert_fails(
        new_page(
            "kind: page\ntitle: a\nslug: x\n",
            "ok[^1]\n\n[^1]: [x](/states/borduria/#s1)\n",
        ),
        &[
            "content/pages/x.md:8: the link `/states/borduria/#s1` points to heading #s1 of /states/borduria/, which has no such heading",
        ],
    );
}

/// Links to files and other anchors are checked on the built pages, which the message names.
#[test]
fn broken_file_link_in_content() {
    assert_fails(
        new_page(
            "kind: page\ntitle: a\nslug: x\n",
            "[csv](/data/nope.csv) [fn](/states/arcadia/#fn-9)\n",
        ),
        &[
            "site/x/index.html: broken link `/data/nope.csv`: no page or file /data/nope.csv is built",
            "site/x/index.html: broken link `/states/arcadia/#fn-9`: /states/arcadia/index.html has no element with id `fn-9`",
            "correct the link in the content or template that wrote it",
        ],
    );
}

#[test]
fn unknown_concept_tag() {
    assert_fails(
        |r| {
            edit_file(r, REPLY, |t| {
                t.replace("norm-a: [\"p2\"]", "norm-zz: [\"p2\"]")
            })
        },
        &[
            "content/replies/arcadia.md:18: unknown concept `norm-zz` in `concepts:`",
            "use the slug of a file in content/concepts/: international-law, norm-a, norms",
        ],
    );
}

#[test]
fn concept_tag_range_that_does_not_parse() {
    assert_fails(
        |r| {
            edit_file(r, REPLY, |t| {
                t.replace("norm-a: [\"p2\"]", "norm-a: [\"p2-p1\"]")
            })
        },
        &[
            "content/replies/arcadia.md:18: `p2-p1` is not a range",
            "write p3, p3-p7 or #s2",
        ],
    );
}

#[test]
fn concept_tag_on_a_heading_that_does_not_exist() {
    assert_fails(
        |r| {
            edit_file(r, REPLY, |t| {
                t.replace(
                    "international-law: [\"#s1\"]",
                    "international-law: [\"#s9\"]",
                )
            })
        },
        &[
            "content/replies/arcadia.md:17: `#s9` tagged as `international-law`: the reply has no heading #s9",
        ],
    );
}

#[test]
fn document_symbol_that_does_not_parse() {
    // A resolution number with no organ named before it, and outside the Assembly's sessions.
    assert_fails(
        |r| {
            edit_file(r, REPLY, |t| {
                t.replace("国际法，特别是", "第 20/8 号决议。国际法，特别是")
            })
        },
        &[
            "content/replies/arcadia.md:26: `20/8` looks like a UN document symbol but does not parse",
            "no organ named before it",
            "correct the symbol as printed in the report",
        ],
    );
}

#[test]
fn concept_wording_from_a_paragraph_that_does_not_exist() {
    for (value, problem) in [
        (
            "borduria#p9",
            "points to paragraph 9 of /states/borduria/, which has 2 paragraphs",
        ),
        ("nobody#p1", "is not the slug of a reply and a paragraph"),
        ("borduria", "is not the slug of a reply and a paragraph"),
    ] {
        assert_fails(
            |r| {
                edit_file(r, "content/concepts/norm-a.md", |t| {
                    t.replace(
                        "wording_from: borduria#p1",
                        &format!("wording_from: {value}"),
                    )
                })
            },
            &[
                &format!("content/concepts/norm-a.md:10: `wording_from: {value}` {problem}"),
                "e.g. `borduria#p1`",
            ],
        );
    }
}

/// A reply renamed with its old URL kept as an alias: the concept quoting it must follow.
#[test]
fn concept_wording_from_a_renamed_reply() {
    assert_fails(
        |r| {
            edit_file(r, "content/replies/borduria.md", |t| {
                t.replace(
                    "slug: borduria",
                    "slug: borduria-new\naliases: [\"/states/borduria/\"]",
                )
            })
        },
        &[
            "content/concepts/norm-a.md:10: `wording_from: borduria#p1` is not the slug of a reply and a paragraph",
            "help: the reply `borduria` was renamed (its old URL is an alias): write `borduria-new#p1`",
        ],
    );
}

#[test]
fn unknown_parent_concept() {
    for (parent, problem) in [
        ("normz", "unknown parent concept `normz`"),
        ("norm-a", "the concept names itself as its parent `norm-a`"),
    ] {
        assert_fails(
            |r| {
                edit_file(r, "content/concepts/norm-a.md", |t| {
                    t.replace("parent: norms", &format!("parent: {parent}"))
                })
            },
            &[&format!("content/concepts/norm-a.md:5: {problem}")],
        );
    }
}

#[test]
fn front_matter_values_of_the_wrong_shape() {
    for (line, expect) in [
        (
            "order: one",
            "5:8: front matter: expected a whole number (0, 1, 2, …) (in `order: one`)",
        ),
        ("order: -1", "5:8: front matter: expected a whole number"),
        (
            "order: [1]",
            "5:8: front matter: expected a single value here, not a list or a mapping",
        ),
        (
            "aliases: 5",
            "5:10: front matter: expected a list here, e.g. [\"a\", \"b\"]",
        ),
        (
            "title: ~",
            "4:8: front matter: the value is empty; write one or remove the key",
        ),
    ] {
        let front = format!("kind: page\ntitle: a\nslug: x\n{line}\n").replacen(
            "title: a\n",
            if line.starts_with("title") {
                ""
            } else {
                "title: a\n"
            },
            1,
        );
        let front = if line.starts_with("title") {
            format!("{front}order: 1\n")
        } else {
            front
        };
        assert_fails(
            new_page(&front, "hi\n"),
            &[&format!("content/pages/x.md:{expect}")],
        );
    }
}

#[test]
fn unknown_region_and_bad_date() {
    assert_fails(
        |r| {
            edit_file(r, REPLY, |t| {
                t.replace("region: eastern-european", "region: mars")
                    .replace("received: 2020-05-13", "received: 2020-13-45")
            })
        },
        &[
            "content/replies/arcadia.md:9: unknown region `mars`",
            "use one of the [regions] keys in wenji.toml",
            "content/replies/arcadia.md:11: `received: 2020-13-45` is not a date",
            "write it as YYYY-MM-DD",
        ],
    );
}

#[test]
fn heading_anchors_invalid_or_twice() {
    assert_fails(
        |r| {
            edit_file(r, REPLY, |t| {
                t.replace(
                    "## 国际法",
                    "## 国际法 {#Bad\"id}\n\n## 二 {#s2}\n\n## 三 {#s2}",
                )
            })
        },
        &[
            "content/replies/arcadia.md:24: heading id `Bad\"id` is not a valid anchor",
            "content/replies/arcadia.md:28: two headings have the anchor `#s2`",
        ],
    );
}

#[test]
fn two_home_pages() {
    assert_fails(
        new_page("kind: home\ntitle: a\n", ""),
        &["content/pages/x.md:2: a second home page; content/_index.md is one already"],
    );
}

#[test]
fn broken_or_hostile_config() {
    for (from, to, expect) in [
        (
            "minify = true",
            "minify = yes",
            "wenji.toml:11:10: string values must be quoted",
        ),
        (
            "minify = true",
            "minify = true\nminfy = true",
            "wenji.toml:12:1: unknown field `minfy`",
        ),
        (
            "base_url = \"/\"",
            "base_url = \"javascript:alert(1)\"",
            "wenji.toml:8: base_url `javascript:alert(1)` must be an absolute http(s) URL",
        ),
    ] {
        assert_fails(
            |r| edit_file(r, "wenji.toml", |t| t.replace(from, to)),
            &[expect],
        );
    }
    assert_fails(
        |r| std::fs::remove_file(r.join("wenji.toml")).unwrap(),
        &["wenji.toml: cannot read the site config", "pass --root DIR"],
    );
    assert_fails(
        |r| std::fs::remove_dir_all(r.join("content")).unwrap(),
        &["content: there is no content folder"],
    );
}

// ---------------------------------------------------------------- templates

#[test]
fn missing_template() {
    assert_fails(
        |r| std::fs::remove_file(r.join("templates/base.html")).unwrap(),
        &[
            "templates/base.html: the template is missing",
            "create templates/base.html",
        ],
    );
}

#[test]
fn missing_templates_folder() {
    assert_fails(
        |r| std::fs::remove_dir_all(r.join("templates")).unwrap(),
        &["templates", "create templates/"],
    );
}

#[test]
fn template_syntax_error() {
    assert_fails(
        |r| {
            edit_file(r, "templates/reply.html", |t| {
                t.replacen("{{", "{% if %}{{", 1)
            })
        },
        &["templates/reply.html:", "fix the template"],
    );
}

#[test]
fn template_unknown_variable() {
    assert_fails(
        |r| {
            edit_file(r, "templates/page.html", |t| {
                t.replace(
                    "{{ body_html | safe }}",
                    "{{ body_html | safe }}{{ nope.x }}",
                )
            })
        },
        &[
            "templates/page.html:5:",
            "Variable `nope` is not defined",
            "(rendering /about/index.html)",
        ],
    );
}

#[test]
fn template_extends_a_missing_parent() {
    assert_fails(
        |r| {
            edit_file(r, "templates/page.html", |t| {
                t.replace("\"base.html\"", "\"nobase.html\"")
            })
        },
        &["templates/page.html: extends `nobase.html`, which does not exist"],
    );
}

// ---------------------------------------------------------------- the file system

#[cfg(unix)]
#[test]
fn symlink_loop_in_content() {
    assert_fails(
        |r| std::os::unix::fs::symlink("..", r.join("content/pages/loop")).unwrap(),
        &[
            "content/pages/loop: a symbolic link here points back to a folder that contains it (a loop)",
            "remove the link",
        ],
    );
}

#[cfg(unix)]
#[test]
fn dangling_symlink_in_content() {
    assert_fails(
        |r| std::os::unix::fs::symlink("nowhere.md", r.join("content/pages/x.md")).unwrap(),
        &[
            "content/pages/x.md: a symbolic link here points to nothing",
            "remove the link or restore the file",
        ],
    );
}

/// Editors' lock and swap files (Emacs's `.#x.md` is a dangling link) do not break a build.
#[cfg(unix)]
#[test]
fn hidden_editor_files_in_content_are_skipped() {
    let (_outer, root) = nested_fixture();
    std::os::unix::fs::symlink("user@host.1234:1", root.join("content/pages/.#about.md")).unwrap();
    write_file(&root, "content/pages/.about.md.swp", b"\0\xff binary");
    write_file(&root, "content/.drafts/x.md", "not front matter");
    let run = wenji_bounded(&root, &["build"], &[], LIMIT);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
}

// ---------------------------------------------------------------- many problems at once

#[test]
fn several_errors_are_all_reported() {
    assert_fails(
        |r| {
            write_file(r, NEW, "---\nkind: page\ntitle: [a\n---\n");
            write_file(r, "content/pages/y.md", "");
            edit_file(r, REPLY, |t| {
                t.replace("norm-a: [\"p2\"]", "norm-zz: [\"p2\"]")
            });
            edit_file(r, "content/replies/borduria.md", |t| {
                t.replace("[\"p1\"]", "[\"p9\"]")
            });
            std::fs::remove_file(r.join("templates/page.html")).unwrap();
        },
        &[
            "content/pages/x.md:3:",
            "content/pages/y.md:1: the file is empty",
            "templates/page.html: the template is missing",
            "3 errors",
        ],
    );
    // Resolve-stage problems are all reported too (the load stage passed).
    assert_fails(
        |r| {
            edit_file(r, REPLY, |t| {
                t.replace("norm-a: [\"p2\"]", "norm-zz: [\"p2\"]")
                    .replace("国际法，特别是", "第 20/8 号决议。国际法，特别是")
            });
            edit_file(r, "content/replies/borduria.md", |t| {
                t.replace("[\"p1\"]", "[\"p9\"]")
            });
            write_file(
                r,
                NEW,
                "---\nkind: page\ntitle: a\nslug: about\naliases: [\"../x\"]\n---\n",
            );
        },
        &[
            "unknown concept `norm-zz`",
            "`20/8` looks like a UN document symbol",
            "only 2 paragraphs, not p9",
            "the URL /about/ is already",
            "alias `../x` is not a safe site path",
            "5 errors",
        ],
    );
}

// ---------------------------------------------------------------- hostile text

const XSS: &str = "<script>alert(1)</script>";

/// Builds the fixture with hostile text in every kind of field and returns the root.
fn hostile_site() -> (tempfile::TempDir, std::path::PathBuf) {
    let (outer, root) = nested_fixture();
    edit_file(&root, REPLY, |t| {
        t.replace(
            "title: 阿卡迪亚",
            &format!("title: \"阿卡迪亚{XSS}\\\" onmouseover=alert(2) x=\\\"</title><!--\""),
        )
        .replace(
            "title_en: Arcadia",
            "title_en: \"Arcadia</script><script>alert(3)</script><!--\"",
        )
        .replace(
            "国际法，特别是",
            "甲 <script>alert(5)</script> <div class=\"raw\">raw</div> \
             [j](javascript:alert(6)) [k]( JaVaScRiPt:alert(7)) [v](vbscript:x) \
             ![i](javascript:alert(8)) [d](data:text/html,<script>alert(9)</script>) \
             [t](https://example.org/ \"a\\\" onmouseover=\\\"alert(10)\") \
             <a href=\"javascript:alert(11)\">a</a> <img src=x onerror=alert(12)> \
             <span style=\"color:red\">s</span> 国际法，特别是",
        )
        .replace(
            "## 国际法",
            "## 国际法 <script>alert(13)</script>\n\n```\"><script>alert(14)</script>\n</code>\n```\n\n## 二",
        )
        .replace(
            "[^1]: 见",
            "x[^\"><img src=x onerror=alert(15)>]\n\n[^\"><img src=x onerror=alert(15)>]: y\n\n[^1]: 见",
        )
    });
    edit_file(&root, "content/concepts/norm-a.md", |t| {
        t.replace("short: 规范(a)", &format!("short: \"规范(a){XSS}\""))
            .replace(
                "source: A/70/174，第 13 段(a)",
                &format!("source: \"A/70/174 {XSS}\""),
            )
            .replace(
                "wording: 各国",
                "wording: \"<img src=x onerror=alert(16)>\"\nx_wording: 各国",
            )
            .replace(
                "x_wording: 各国应合作制定和采取措施，加强信通技术使用方面的稳定与安全。\n",
                "",
            )
    });
    edit_file(&root, "content/_index.md", |t| {
        t.replace(
            "title: 导言",
            &format!("title: \"导言{XSS}\"\nlead: \"<img src=x onerror=alert(17)>\""),
        )
    });
    let run = wenji_bounded(&root, &["build"], &[], LIMIT);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    (outer, root)
}

fn html_pages(site: &Path) -> Vec<(String, String)> {
    snapshot(site)
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html") || p.ends_with(".svg") || p.ends_with(".xml"))
        .map(|(p, b)| (p, String::from_utf8(b).unwrap()))
        .collect()
}

#[test]
fn hostile_text_is_escaped_never_executed() {
    let (_outer, root) = hostile_site();
    let site = root.join("site");
    let mut problems = Vec::new();
    for (path, html) in html_pages(&site) {
        problems.extend(unsafe_markup(&path, &html));
    }
    assert!(problems.is_empty(), "{problems:#?}");
    let reply = read(&site.join("states/arcadia/index.html"));
    // Shown as text, escaped.
    assert!(
        reply.contains("&lt;script>alert(5)&lt;/script>")
            || reply.contains("&lt;script&gt;alert(5)&lt;/script&gt;"),
        "{reply}"
    );
    assert!(
        reply.contains("&lt;div class=\"raw\">")
            || reply.contains("&lt;div class=&quot;raw&quot;>")
            || reply.contains("&lt;div class=&quot;raw&quot;&gt;")
            || reply.contains("&lt;div class=raw>")
    );
    assert!(!reply.contains("<div class=raw>raw") && !reply.contains("<div class=\"raw\">raw"));
    // The title's `</title>` did not end the title.
    assert!(
        ["&lt;/title>", "&lt;/title&gt;", "&lt;&#x2F;title&gt;"]
            .iter()
            .any(|t| reply.contains(t)),
        "{reply}"
    );
    // JSON in script elements cannot close them.
    for t in html_tags(&reply).iter().filter(|t| t.name == "script") {
        let body = &reply[t.at..];
        let body = &body[body.find('>').unwrap() + 1..];
        let body = &body[..body.to_ascii_lowercase().find("</script").unwrap()];
        assert!(!body.contains("<!--"), "{body}");
        if t.attr("type").is_some() {
            serde_json::from_str::<serde_json::Value>(body)
                .unwrap_or_else(|e| panic!("{e}: {body}"));
        }
    }
    // The search index is data: JSON (and varint block files), holding the text as text.
    let index: Vec<_> = snapshot(&site.join("search"))
        .into_iter()
        .filter(|(p, _)| p.ends_with(".json"))
        .collect();
    assert!(!index.is_empty());
    let mut titles = 0;
    for (p, bytes) in index {
        let v: serde_json::Value =
            serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("search/{p}: {e}"));
        titles += v.to_string().matches("\\u003cscript").count()
            + v.to_string().matches("<script>alert(1)").count();
    }
    assert!(
        titles > 0,
        "the hostile title is in the search index, as text"
    );
    let search = read(&site.join("search/index.html"));
    assert!(unsafe_markup("search/index.html", &search).is_empty());
}

#[test]
fn script_links_are_neutralised() {
    let (_outer, root) = hostile_site();
    let reply = read(&root.join("site/states/arcadia/index.html"));
    let tags = html_tags(&reply);
    let hrefs: Vec<&str> = tags
        .iter()
        .filter_map(|t| t.attr("href").or(t.attr("src")))
        .collect();
    for bad in ["javascript:", "vbscript:", "data:text/html"] {
        assert!(
            !hrefs.iter().any(|h| h.to_ascii_lowercase().contains(bad)),
            "{bad} in {hrefs:?}"
        );
    }
    // Each of the five script links became `#`.
    let links: Vec<&Tag> = tags
        .iter()
        .filter(|t| t.name == "a" && t.attr("href") == Some("#"))
        .collect();
    assert!(links.len() >= 4, "{links:?}");
    let img = tags
        .iter()
        .find(|t| t.name == "img" && t.attr("alt") == Some("i"))
        .expect("the image");
    assert_eq!(img.attr("src"), Some("#"));
    // A link title cannot add attributes.
    let titled = tags
        .iter()
        .find(|t| t.attr("href") == Some("https://example.org/"))
        .expect("the titled link");
    assert_eq!(titled.attrs.len(), 2, "{titled:?}");
}

#[test]
fn raw_html_is_escaped_by_default() {
    let (_outer, root) = hostile_site();
    let reply = read(&root.join("site/states/arcadia/index.html"));
    let tags = html_tags(&reply);
    assert!(
        !tags
            .iter()
            .any(|t| t.name == "div" && t.attr("class") == Some("raw"))
    );
    assert!(
        !tags
            .iter()
            .any(|t| t.name == "span" && t.attr("style").is_some())
    );
}

#[test]
fn raw_html_is_kept_when_allowed() {
    let (_outer, root) = nested_fixture();
    edit_file(&root, "wenji.toml", |t| {
        t.replace("allow_raw_html = false", "allow_raw_html = true")
    });
    write_file(
        &root,
        NEW,
        "---\nkind: page\ntitle: a\nslug: x\n---\n<div class=\"raw\">raw</div>\n\na <b>b</b>\n",
    );
    let run = wenji_bounded(&root, &["build"], &[], LIMIT);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let page = read(&root.join("site/x/index.html"));
    let tags = html_tags(&page);
    assert!(
        tags.iter()
            .any(|t| t.name == "div" && t.attr("class") == Some("raw")),
        "{page}"
    );
    assert!(tags.iter().any(|t| t.name == "b"), "{page}");
}

// ---------------------------------------------------------------- safe by default

fn assert_no_inline_code(site: &Path) {
    let pages = html_pages(site);
    assert!(pages.len() > 10, "{} pages", pages.len());
    let mut problems = Vec::new();
    for (path, html) in &pages {
        problems.extend(unsafe_markup(path, html));
    }
    assert!(problems.is_empty(), "{problems:#?}");
    for (path, html) in &pages {
        if path.ends_with(".html") {
            assert!(
                html.contains("Content-Security-Policy")
                    || path.ends_with("404.html")
                    || html.len() < 2000,
                "{path} has no Content-Security-Policy"
            );
        }
    }
}

#[test]
fn fixture_site_has_no_inline_scripts_or_styles() {
    let (_outer, root) = nested_fixture();
    let run = wenji_bounded(&root, &["build"], &[], LIMIT);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_no_inline_code(&root.join("site"));
}

#[test]
fn real_site_has_no_inline_scripts_or_styles() {
    let repo = repo();
    if !repo.join("content/replies").is_dir() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let run = wenji_bounded(
        &repo,
        &["build", "--output", out.to_str().unwrap()],
        &[],
        Duration::from_secs(120),
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_no_inline_code(&out);
}

// ---------------------------------------------------------------- determinism

/// A copy of `from` made file by file in reverse order, every file with another mtime.
fn copy_reversed(from: &Path, to: &Path) {
    let mut entries: Vec<_> = walkdir::WalkDir::new(from)
        .into_iter()
        .map(|e| e.unwrap())
        .collect();
    entries.sort_by(|a, b| b.path().cmp(a.path()));
    for e in entries.iter().filter(|e| e.file_type().is_dir()).rev() {
        std::fs::create_dir_all(to.join(e.path().strip_prefix(from).unwrap())).unwrap();
    }
    let base = std::time::SystemTime::now() - Duration::from_secs(86_400);
    for (i, e) in entries
        .iter()
        .filter(|e| e.file_type().is_file())
        .enumerate()
    {
        let dest = to.join(e.path().strip_prefix(from).unwrap());
        std::fs::copy(e.path(), &dest).unwrap();
        let f = std::fs::File::options().write(true).open(&dest).unwrap();
        f.set_modified(base + Duration::from_secs(i as u64 * 97))
            .unwrap();
    }
}

#[test]
fn rebuilds_are_byte_identical_whatever_threads_and_file_order() {
    let (_a_outer, a) = nested_fixture();
    let b_outer = tempfile::tempdir().unwrap();
    let b = b_outer.path().join("other-root");
    copy_reversed(&a, &b);
    let ra = wenji_bounded(&a, &["build"], &[("RAYON_NUM_THREADS", "1")], LIMIT);
    assert_eq!(ra.code, Some(0), "{}", ra.stderr);
    let rb = wenji_bounded(&b, &["build"], &[("RAYON_NUM_THREADS", "4")], LIMIT);
    assert_eq!(rb.code, Some(0), "{}", rb.stderr);
    let (sa, sb) = (snapshot(&a.join("site")), snapshot(&b.join("site")));
    assert_eq!(sa.keys().collect::<Vec<_>>(), sb.keys().collect::<Vec<_>>());
    for (k, v) in &sa {
        assert!(v == &sb[k], "{k} differs between builds");
    }
}

// ---------------------------------------------------------------- links out of the root

#[cfg(unix)]
#[test]
fn asset_symlink_out_of_the_root_is_refused() {
    let err = assert_fails(
        |r| std::os::unix::fs::symlink("/proc/self/environ", r.join("assets/env.txt")).unwrap(),
        &[
            "assets/env.txt: a symbolic link here points outside the site root, to /proc/",
            "copy the file into the site root",
        ],
    );
    assert!(!err.contains("SECRET"), "{err}");
}

#[cfg(unix)]
#[test]
fn template_and_content_symlinks_out_of_the_root_are_refused() {
    assert_fails(
        |r| {
            std::os::unix::fs::symlink("/etc/passwd", r.join("templates/passwd.html")).unwrap();
            // A folder link: nothing under it is read.
            std::os::unix::fs::symlink("/etc", r.join("assets/etc")).unwrap();
            let outside = r.parent().unwrap().join("outside.md");
            std::fs::write(
                &outside,
                "---\nkind: page\ntitle: x\nslug: x\n---\nsecret\n",
            )
            .unwrap();
            std::os::unix::fs::symlink(&outside, r.join(NEW)).unwrap();
        },
        &[
            "templates/passwd.html: a symbolic link here points outside the site root, to /etc/passwd",
            "assets/etc: a symbolic link here points outside the site root, to /etc",
            "content/pages/x.md: a symbolic link here points outside the site root, to /",
        ],
    );
}

#[cfg(unix)]
#[test]
fn symlinks_that_stay_inside_the_root_keep_working() {
    let (_outer, root) = nested_fixture();
    write_file(
        &root,
        "shared/x.md",
        "---\nkind: page\ntitle: 共享\nslug: shared\n---\n共享的页面。\n",
    );
    write_file(&root, "shared/extra.txt", "extra");
    std::os::unix::fs::symlink("../../shared/x.md", root.join(NEW)).unwrap();
    std::os::unix::fs::symlink("../shared", root.join("assets/shared")).unwrap();
    let run = wenji_bounded(&root, &["build"], &[], LIMIT);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(read(&root.join("site/shared/index.html")).contains("共享的页面"));
    assert_eq!(read(&root.join("site/assets/shared/extra.txt")), "extra");
}

// ---------------------------------------------------------------- one build per output folder

/// A bench corpus of `n` replies, generated by the real binary, and its folder.
#[cfg(unix)]
fn bench_corpus(n: usize) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_wenji"))
        .arg("--root")
        .arg(repo())
        .args([
            "bench",
            "--generate-only",
            "--sizes",
            &n.to_string(),
            "--dir",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let root = dir.path().join(format!("corpus-{n}"));
    (dir, root)
}

/// A `wenji build` running in the background; its stderr is collected as it comes.
#[cfg(unix)]
struct Background {
    child: std::process::Child,
    stderr: std::sync::Arc<std::sync::Mutex<String>>,
}

#[cfg(unix)]
impl Background {
    fn start(root: &Path, args: &[&str]) -> Background {
        use std::io::Read;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_wenji"))
            .arg("--root")
            .arg(root)
            .args(args)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut pipe = child.stderr.take().unwrap();
        let stderr = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let sink = stderr.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = pipe.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        Background { child, stderr }
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Waits (at most `limit`) for the process to end; its exit code and stderr.
    fn finish(mut self, limit: Duration) -> (Option<i32>, String) {
        let start = std::time::Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                std::thread::sleep(Duration::from_millis(50));
                return (status.code(), self.stderr());
            }
            if start.elapsed() > limit {
                let _ = self.child.kill();
                let _ = self.child.wait();
                panic!("still running after {limit:?}:\n{}", self.stderr());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// Stops the process if a test ends (or fails) while it runs.
#[cfg(unix)]
impl Drop for Background {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[cfg(unix)]
fn wait_for(what: &str, limit: Duration, mut done: impl FnMut() -> bool) {
    let start = std::time::Instant::now();
    while !done() {
        assert!(start.elapsed() < limit, "no {what} after {limit:?}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The number of files a build's summary line says it wrote.
#[cfg(unix)]
fn files_built(stderr: &str) -> usize {
    let line = stderr
        .lines()
        .find(|l| l.starts_with("built "))
        .unwrap_or_else(|| panic!("no summary line in:\n{stderr}"));
    let after = line.split(" pages (").nth(1).unwrap();
    after.split(' ').next().unwrap().parse().unwrap()
}

/// The issue's case: a second build into the same folder, interrupted while the first is
/// writing, used to delete the first one's staging folder; the first then published a partial
/// site and reported success. Now the second waits for the lock and says so; the first
/// publishes its whole site; a third, let run, publishes its whole site after it.
#[cfg(unix)]
#[test]
fn concurrent_builds_into_one_output_folder_publish_whole_sites() {
    let (_dir, root) = bench_corpus(300);
    let limit = Duration::from_secs(240);
    let first = Background::start(&root, &["build"]);
    let staging = root.join(format!(".site.new-{}", first.child.id()));
    wait_for("staging folder", limit, || staging.exists());
    let mut second = Background::start(&root, &["build"]);
    wait_for("waiting message", limit, || {
        second.stderr().contains("waiting for another wenji build")
    });
    second.child.kill().unwrap();
    second.child.wait().unwrap();
    let third = Background::start(&root, &["build"]);
    let (code, err) = first.finish(limit);
    assert_eq!(code, Some(0), "{err}");
    let files = files_built(&err);
    // The first build's site is whole the moment it exits (the third may be writing beside).
    let site = root.join("site");
    assert_eq!(snapshot(&site).len(), files, "{err}");
    let (code, err3) = third.finish(limit);
    assert_eq!(code, Some(0), "{err3}");
    assert!(err3.contains("waiting for another wenji build"), "{err3}");
    let published = snapshot(&site);
    assert_eq!(published.len(), files_built(&err3));
    for needed in ["index.html", "404.html", "data/paragraphs.csv"] {
        assert!(published.contains_key(needed), "{needed} missing");
    }
    let left: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".site.new-") || n.starts_with(".site.old-"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

/// `serve` beside a `build` into the same folder waits for it; the build killed, serve's own
/// build publishes a whole site (it used to publish one without `sitemap.xml`).
#[cfg(unix)]
#[test]
fn serve_beside_an_interrupted_build_publishes_a_whole_site() {
    let (_dir, root) = bench_corpus(300);
    let limit = Duration::from_secs(240);
    let mut build = Background::start(&root, &["build"]);
    let staging = root.join(format!(".site.new-{}", build.child.id()));
    wait_for("staging folder", limit, || staging.exists());
    let serve = Background::start(&root, &["serve", "--port", "0"]);
    wait_for("waiting message", limit, || {
        serve.stderr().contains("waiting for another wenji build")
    });
    build.child.kill().unwrap();
    build.child.wait().unwrap();
    wait_for("serving line", limit, || {
        serve.stderr().contains("serving ")
    });
    let err = serve.stderr();
    let rebuilt = err
        .lines()
        .find(|l| l.starts_with("rebuilt "))
        .unwrap_or_else(|| panic!("{err}"));
    let files: usize = rebuilt
        .split(" pages (")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let published = snapshot(&root.join("site"));
    drop(serve);
    assert_eq!(published.len(), files, "{err}");
    for needed in ["index.html", "sitemap.xml", "data/paragraphs.csv"] {
        assert!(published.contains_key(needed), "{needed} missing");
    }
    assert!(!staging.exists());
}

/// A staging folder whose build still runs is never removed; one whose build is gone is.
#[cfg(unix)]
#[test]
fn a_staging_folder_is_removed_only_when_its_build_is_gone() {
    let (_outer, root) = nested_fixture();
    let mut alive = std::process::Command::new("sleep")
        .arg("60")
        .spawn()
        .unwrap();
    let mut dead = std::process::Command::new("true").spawn().unwrap();
    let dead_pid = dead.id();
    dead.wait().unwrap();
    let live_staging = root.join(format!(".site.new-{}", alive.id()));
    let dead_staging = root.join(format!(".site.new-{dead_pid}"));
    write_file(&live_staging, "index.html", "being written");
    write_file(&dead_staging, "index.html", "left by a killed build");
    let run = wenji_bounded(&root, &["build"], &[], LIMIT);
    let _ = alive.kill();
    let _ = alive.wait();
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(live_staging.join("index.html").exists());
    assert!(!dead_staging.exists());
}

// ---------------------------------------------------------------- outputs turned against readers

/// Paragraphs a spreadsheet would run as formulas are neutralised in the CSV (OWASP: a `'` in
/// front, the cell quoted); the JSON keeps the UN's text verbatim.
#[test]
fn csv_formulas_are_neutralised_and_the_json_keeps_the_text() {
    let (_outer, root) = nested_fixture();
    let formulas = [
        "=HYPERLINK(\"https://evil.example/\",\"点击\")",
        "+cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
    ];
    edit_file(&root, REPLY, |t| {
        t.replace(
            "国际法，特别是《联合国宪章》，适用于网络空间。",
            &format!(
                "国际法，特别是《联合国宪章》，适用于网络空间。\n\n{}",
                formulas.join("\n\n")
            ),
        )
    });
    let run = wenji_bounded(&root, &["build"], &[], LIMIT);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let csv = read(&root.join("site/data/paragraphs.csv"));
    for line in csv.lines() {
        for cell in line.split(',') {
            let cell = cell.trim_start_matches('"');
            assert!(
                !cell.starts_with(['=', '+', '-', '@']),
                "a formula cell in the CSV: {line}"
            );
        }
    }
    assert!(csv.contains(",\"'=HYPERLINK(\"\"https://evil.example/\"\",\"\"点击\"\")\","));
    assert!(csv.contains(",\"'+cmd|' /C calc'!A0\","));
    let json: serde_json::Value =
        serde_json::from_str(&read(&root.join("site/data/paragraphs.json"))).unwrap();
    let texts: Vec<&str> = json["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["text"].as_str().unwrap())
        .collect();
    for f in formulas {
        assert!(texts.contains(&f), "{f} not verbatim in the JSON");
    }
    assert!(read(&root.join("site/data/index.html")).contains("OWASP"));
}

#[test]
fn config_values_that_would_break_their_format_are_refused_once() {
    for (from, to, expect) in [
        (
            "language = \"zh-Hans\"",
            "language = \"zh-Hans\"\ncname = \"a\\nb\"",
            "wenji.toml:10: cname `a\\nb` is not a domain name",
        ),
        (
            "language = \"zh-Hans\"",
            "language = \"zh}, note = {x\"",
            "wenji.toml:9: language `zh}, note = {x` is not a BCP 47 language tag",
        ),
        (
            "url = \"https://undocs.org/ch/A/75/123\"",
            "url = \"javascript:alert(1)\"",
            "wenji.toml:22: url `javascript:alert(1)` is not an absolute http(s) URL",
        ),
    ] {
        let err = assert_fails(
            |r| edit_file(r, "wenji.toml", |t| t.replace(from, to)),
            &[expect],
        );
        assert_eq!(err.matches("error: ").count(), 1, "{err}");
    }
}

#[test]
fn a_good_cname_is_written_on_one_line() {
    let (_outer, root) = nested_fixture();
    edit_file(&root, "wenji.toml", |t| {
        t.replace(
            "language = \"zh-Hans\"",
            "language = \"zh-Hans\"\ncname = \" cyber.example.org \"",
        )
    });
    let run = wenji_bounded(&root, &["build"], &[], LIMIT);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(read(&root.join("site/CNAME")), "cyber.example.org\n");
}

#[test]
fn iso_codes_are_checked_against_the_iso_list() {
    assert_fails(
        |r| {
            edit_file(r, REPLY, |t| {
                t.replace("iso2: AM", "iso2: XX")
                    .replace("iso3: ARM", "iso3: \"A\\u001b[31m\"")
            })
        },
        &[
            "content/replies/arcadia.md:7: `iso2: XX` is not an ISO 3166-1 code",
            "content/replies/arcadia.md:8: `iso3: A\\u{1b}[31m` is not an ISO 3166-1 code",
        ],
    );
    assert_fails(
        |r| edit_file(r, REPLY, |t| t.replace("iso3: ARM", "iso3: FRA")),
        &["content/replies/arcadia.md:8: `iso2: AM` and `iso3: FRA` are codes of two countries"],
    );
}

/// `//host/` and `/\host/` are links to another host in a browser: every stylesheet, script
/// and link would load from there.
#[test]
fn base_url_that_names_another_host_is_refused() {
    for bad in ["//evil.example/", "/\\\\evil.example/", "https:///evil/"] {
        let err = assert_fails(
            |r| {
                edit_file(r, "wenji.toml", |t| {
                    t.replace("base_url = \"/\"", &format!("base_url = \"{bad}\""))
                })
            },
            &["wenji.toml:8: base_url", "exactly one `/`"],
        );
        assert_eq!(err.matches("error: ").count(), 1, "{err}");
    }
    let (_outer, root) = nested_fixture();
    for bad in ["//evil.example/", "/\\evil.example/"] {
        let run = wenji_bounded(&root, &["build", "--base-url", bad], &[], LIMIT);
        assert_eq!(run.code, Some(1), "{}", run.stderr);
        assert!(
            run.stderr.contains("error: --base-url: base_url"),
            "{}",
            run.stderr
        );
        assert_messages_are_located(&run.stderr);
    }
    assert!(!root.join("site").exists());
}

#[test]
fn base_url_with_a_quote_builds_and_passes_the_link_check() {
    let (_outer, root) = nested_fixture();
    let run = wenji_bounded(
        &root,
        &["build", "--base-url", "https://x.example/'a/"],
        &[],
        LIMIT,
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(read(&root.join("site/index.html")).contains("/&#39;a/"));
}

// ---------------------------------------------------------------- messages

/// Terminal escape codes and line breaks in a file name are shown escaped, on one line.
#[cfg(unix)]
#[test]
fn control_characters_in_file_names_are_shown_escaped() {
    let err = assert_fails(
        |r| {
            write_file(
                r,
                "content/pages/x\u{1b}]0;pwned\u{7}\nerror: fake.md",
                "---\nkind: page\n---\n",
            )
        },
        &["content/pages/x\\u{1b}]0;pwned\\u{7}\\nerror: fake.md"],
    );
    assert!(!err.contains('\u{1b}'), "{err:?}");
    assert!(
        !err.lines().any(|l| l.starts_with("error: fake.md")),
        "{err}"
    );
}

/// A YAML line echoed in a message cannot drive the terminal either.
#[test]
fn control_characters_in_echoed_values_are_shown_escaped() {
    let err = assert_fails(
        |r| {
            edit_file(r, REPLY, |t| {
                t.replace("region: eastern-european", "region: \"x\\e[2J\\r\"")
            })
        },
        &["content/replies/arcadia.md:9: unknown region `x\\u{1b}[2J\\r`"],
    );
    assert!(!err.contains('\u{1b}') && !err.contains('\r'), "{err:?}");
}

/// An alias that takes the path of a file wenji writes is reported at the alias, never as a
/// write error in a temporary folder.
#[test]
fn alias_inside_the_open_data_folder_is_located() {
    let err = assert_fails(
        |r| {
            edit_file(r, ABOUT, |t| {
                t.replace(
                    "slug: about",
                    "slug: about\naliases: [\"/data/paragraphs.csv/\"]",
                )
            })
        },
        &[
            "content/pages/about.md:5: the alias /data/paragraphs.csv/ is inside /data/, where wenji writes its own files",
        ],
    );
    assert!(!err.contains(".new-"), "{err}");
    let err = assert_fails(
        |r| {
            edit_file(r, ABOUT, |t| {
                t.replace(
                    "slug: about",
                    "slug: about\naliases: [\"/sitemap.xml/\", \"/states/arcadia/cite.bib/x/\"]",
                )
            })
        },
        &[
            "content/pages/about.md:5: the alias /sitemap.xml/ takes the path of /sitemap.xml, a file wenji writes",
            "content/pages/about.md:5: the alias /states/arcadia/cite.bib/x/ takes the path of /states/arcadia/cite.bib, a file wenji writes",
        ],
    );
    assert!(!err.contains(".new-"), "{err}");
}

// ---------------------------------------------------------------- interrupted builds

/// A build killed at any moment leaves the previous site whole, or the new one whole: never
/// a mix. (Between its two renames the swap leaves no `site/` for an instant; a build killed
/// exactly then leaves the previous site in `.site.old-PID` beside it, which counts as whole.)
#[test]
fn a_killed_build_never_leaves_a_half_written_site() {
    let (_outer, root) = nested_fixture();
    for i in 0..600 {
        write_file(
            &root,
            &format!("content/pages/g{i}.md"),
            format!(
                "---\nkind: page\ntitle: 第 {i} 页\nslug: g{i}\n---\n{}\n",
                "正文。".repeat(200)
            ),
        );
    }
    let about = read(&root.join(ABOUT));
    let other = about.replace("title: 关于与引用", "title: 关于");
    // The two sites a build may leave, built once each.
    let build_to = |name: &str| {
        let out = root.join(name);
        let r = wenji_bounded(
            &root,
            &["build", "--output", out.to_str().unwrap()],
            &[],
            Duration::from_secs(120),
        );
        assert_eq!(r.code, Some(0), "{}", r.stderr);
        (snapshot(&out), r.elapsed)
    };
    let (a, full) = build_to("site");
    write_file(&root, ABOUT, &other);
    let (b, _) = build_to("../site-b");
    assert_ne!(a, b);
    let mut outcomes = Vec::new();
    for step in 0..16u32 {
        let site = root.join("site");
        let before = snapshot(&site);
        // Build towards the other version.
        write_file(&root, ABOUT, if before == a { &other } else { &about });
        let delay = full * (4 + 2 * step) / 16;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_wenji"))
            .arg("--root")
            .arg(&root)
            .arg("build")
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill();
        child.wait().unwrap();
        let now = if site.is_dir() {
            snapshot(&site)
        } else {
            let kept: Vec<_> = std::fs::read_dir(&root)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| {
                    p.file_name()
                        .unwrap()
                        .to_string_lossy()
                        .starts_with(".site.old-")
                })
                .collect();
            assert_eq!(kept.len(), 1, "no site/ and no previous site kept");
            let s = snapshot(&kept[0]);
            std::fs::rename(&kept[0], &site).unwrap();
            s
        };
        assert!(
            now == a || now == b,
            "killed after {delay:?}: site/ is neither the previous build nor the new one"
        );
        outcomes.push(if now == before { "kept" } else { "replaced" });
    }
    eprintln!("{outcomes:?}");
    // The next build clears what the killed ones left beside the site.
    let r = wenji_bounded(&root, &["build"], &[], Duration::from_secs(120));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let left: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with(".site.") && n != ".site.lock")
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

// ---------------------------------------------------------------- citation files (#17)

/// Builds the fixture with `wenji.toml` edited by `edit`; returns Arcadia's BibTeX and RIS.
fn citation_files_with(edit: impl FnOnce(String) -> String) -> (String, String) {
    let root = fixture();
    edit_file(root.path(), "wenji.toml", edit);
    let out = wenji(root.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let dir = root.path().join("site/states/arcadia");
    (read(&dir.join("cite.bib")), read(&dir.join("cite.ris")))
}

/// One BibTeX entry whose braces balance (escaped ones aside) and close at its end.
fn assert_one_bibtex_entry(bib: &str) {
    // `{@}` is an escaped `@`, text of a field.
    assert_eq!(bib.replace("{@}", "").matches('@').count(), 1, "{bib}");
    let mut depth = 0i32;
    let mut escaped = false;
    for (i, c) in bib.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                assert!(
                    depth > 0 || bib[i + 1..].trim().is_empty(),
                    "closed early: {bib}"
                );
            }
            _ => {}
        }
    }
    assert_eq!(depth, 0, "{bib}");
}

#[test]
fn citation_title_or_publisher_with_line_breaks_adds_no_ris_record() {
    let (bib, ris) = citation_files_with(|t| {
        t.replace(
            "publisher = \"联合国\"",
            "publisher = \"联合国\\r\\nER  - \\r\\nTY  - JOUR\\r\\nTI  - injected\"",
        )
        .replace(
            "title = \"从国际安全角度促进网络空间负责任国家行为\"",
            "title = \"报告\\nER  - \\n\"",
        )
    });
    let lines: Vec<&str> = ris.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(
        lines.iter().filter(|l| l.starts_with("TY  - ")).count(),
        1,
        "{ris}"
    );
    assert_eq!(
        lines.iter().filter(|l| l.starts_with("ER  - ")).count(),
        1,
        "{ris}"
    );
    assert_eq!(lines.last(), Some(&"ER  - "), "{ris}");
    assert!(
        !ris.contains('\n') || ris.matches('\n').count() == lines.len(),
        "{ris:?}"
    );
    assert!(
        ris.contains("PB  - 联合国 ER  -  TY  - JOUR TI  - injected\r\n"),
        "{ris}"
    );
    assert_one_bibtex_entry(&bib);
}

#[test]
fn citation_symbol_with_braces_keeps_the_bibtex_key() {
    let (bib, ris) = citation_files_with(|t| {
        t.replace(
            "symbol = \"A/75/123\"",
            "symbol = \"A/75/123},@misc{evil,\"",
        )
    });
    assert!(
        bib.starts_with("@techreport{A-75-123---misc-evil--arcadia,\n"),
        "{bib}"
    );
    assert!(
        bib.contains("number = {A/75/123\\},{@}misc\\{evil,}"),
        "{bib}"
    );
    assert_one_bibtex_entry(&bib);
    assert!(ris.contains("SN  - A/75/123},@misc{evil,\r\n"), "{ris}");
}
