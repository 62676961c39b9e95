//! Builds real sites with the real binary: the fixture site and the repository's own
//! content, and checks the pages, the failure cases, the atomic swap and determinism.

use crate::common;

use common::*;

#[test]
fn fixture_site_builds_with_every_kind_of_page() {
    let root = fixture();
    let out = wenji(root.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("built "), "{}", stderr(&out));
    let site = root.path().join("site");
    for page in [
        "index.html",
        "states/index.html",
        "states/arcadia/index.html",
        "states/borduria/index.html",
        "concepts/index.html",
        "concepts/norm-a/index.html",
        "matrix/index.html",
        "documents/index.html",
        "data/index.html",
        "search/index.html",
        "about/index.html",
        "404.html",
        "old/arcadia/index.html",
        "robots.txt",
        ".nojekyll",
        "data/paragraphs.json",
        "data/paragraphs.csv",
        "states/arcadia/cite.bib",
        "states/arcadia/cite.ris",
        "states/arcadia/cite.json",
    ] {
        assert!(site.join(page).is_file(), "missing {page}");
    }
    let reply = read(&site.join("states/arcadia/index.html"));
    // Paragraph anchors with their numbers, footnotes, symbols linked, tags shown.
    assert!(has_attr(&reply, "id", "p1"), "{reply}");
    assert!(has_attr(&reply, "href", "#p2"), "paragraph number link");
    assert!(reply.contains("https://undocs.org/ch/A/70/174"));
    assert!(reply.contains("https://undocs.org/ch/A/RES/70/237"));
    assert!(has_attr(&reply, "id", "fn-1"));
    assert!(reply.contains("/concepts/international-law/"));
    assert!(reply.contains("citation_technical_report_number"));
    // Assets carry a content hash.
    let assets: Vec<_> = std::fs::read_dir(site.join("assets"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert!(
        assets.iter().any(|a| a.starts_with("style.")
            && a.ends_with(".css")
            && a.len() > "style..css".len() + 8),
        "{assets:?}"
    );
    // The concept page quotes the tagged passages, linking to them.
    let concept = read(&site.join("concepts/norm-a/index.html"));
    assert!(
        concept.contains("/states/arcadia/#p2") && concept.contains("/states/borduria/#p1"),
        "{concept}"
    );
    // Human Rights Council resolution recognised by context.
    let borduria = read(&site.join("states/borduria/index.html"));
    assert!(
        borduria.contains("https://undocs.org/ch/A/HRC/RES/20/8"),
        "{borduria}"
    );
    // A redirect page carries the fragment by script and says where it goes.
    let redirect = read(&site.join("old/arcadia/index.html"));
    assert!(redirect.contains("/states/arcadia/"));
}

#[test]
fn rebuilds_are_byte_identical_whatever_the_thread_count() {
    let root = fixture();
    let a = wenji_env(
        root.path(),
        &["build", "--output", "a"],
        &[("RAYON_NUM_THREADS", "1")],
    );
    assert!(a.status.success(), "{}", stderr(&a));
    let b = wenji_env(
        root.path(),
        &["build", "--output", "b"],
        &[("RAYON_NUM_THREADS", "4")],
    );
    assert!(b.status.success(), "{}", stderr(&b));
    let (sa, sb) = (
        snapshot(&root.path().join("a")),
        snapshot(&root.path().join("b")),
    );
    assert_eq!(sa.keys().collect::<Vec<_>>(), sb.keys().collect::<Vec<_>>());
    for (k, v) in &sa {
        assert!(v == &sb[k], "{k} differs between builds");
    }
}

#[test]
fn check_writes_nothing() {
    let root = fixture();
    let out = wenji(root.path(), &["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!root.path().join("site").exists());
}

#[test]
fn bad_front_matter_is_located() {
    assert_fails(
        |r| {
            edit_file(r, "content/replies/arcadia.md", |t| {
                t.replace("order: 1", "order: one")
            })
        },
        &["content/replies/arcadia.md:14", "order"],
    );
}

#[test]
fn unknown_key_is_located() {
    assert_fails(
        |r| {
            edit_file(r, "content/replies/arcadia.md", |t| {
                t.replace("order: 1", "order: 1\ncolour: red")
            })
        },
        &["content/replies/arcadia.md:15", "colour"],
    );
}

#[test]
fn missing_template_is_named() {
    assert_fails(
        |r| std::fs::remove_file(r.join("templates/reply.html")).unwrap(),
        &["templates/reply.html", "missing"],
    );
}

#[test]
fn template_syntax_error_is_located() {
    assert_fails(
        |r| {
            edit_file(r, "templates/page.html", |t| {
                t.replace("{{ body_html | safe }}", "{{ body_html | safe }\n")
            })
        },
        &["templates/page.html:5"],
    );
}

#[test]
fn unreadable_file_is_named() {
    assert_fails(
        |r| {
            std::fs::write(
                r.join("content/pages/bad.md"),
                b"---\nkind: page\ntitle: \xff\xfe\n---\n",
            )
            .unwrap()
        },
        &["content/pages/bad.md:3", "UTF-8"],
    );
}

#[test]
fn several_errors_are_all_reported() {
    assert_fails(
        |r| {
            edit_file(r, "content/replies/arcadia.md", |t| {
                t.replace("norm-a: [\"p2\"]", "norm-z: [\"p2\"]")
            });
            edit_file(r, "content/replies/borduria.md", |t| {
                t.replace("[\"p1\"]", "[\"p9\"]")
            });
        },
        &[
            "unknown concept `norm-z`",
            "only 2 paragraphs, not p9",
            "2 errors",
        ],
    );
}

#[test]
fn the_real_site_builds() {
    let repo = repo();
    let dir = tempfile::tempdir().unwrap();
    let out = wenji(
        &repo,
        &[
            "build",
            "--output",
            dir.path().join("site").to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let n = std::fs::read_dir(dir.path().join("site/states"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().join("index.html").is_file())
        .count();
    assert!(n >= 20, "{n} reply pages");
}

#[test]
fn the_ledger_fails_a_build_that_drops_an_anchor_until_an_alias_covers_it() {
    let root = fixture();
    let out = wenji(root.path(), &["ledger"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let ledger = read(&root.path().join("published-urls.txt"));
    assert!(
        ledger.contains("/states/arcadia/#p5\tfp:") && ledger.contains("/concepts/norm-a/\n"),
        "{ledger}"
    );
    let out = wenji(root.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("new URLs"), "{}", stderr(&out));

    // Dropping the last list item removes the anchor #p5.
    edit_file(root.path(), "content/replies/arcadia.md", |t| {
        t.replace("- (b) 第二项。\n", "")
    });
    let out = wenji(root.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("published-urls.txt") && stderr(&out).contains("/states/arcadia/#p5"),
        "{}",
        stderr(&out)
    );

    // Renaming a reply without an alias fails; with the old path as an alias it passes, and
    // the old anchors are carried by the redirect.
    edit_file(root.path(), "content/replies/arcadia.md", |t| {
        t.replace("- (a) 第一项；\n", "- (a) 第一项；\n- (b) 第二项。\n")
    });
    edit_file(root.path(), "content/replies/borduria.md", |t| {
        t.replace("slug: borduria", "slug: borduria-new")
    });
    // The concept quoting it follows (an internal reference, checked by the build).
    edit_file(root.path(), "content/concepts/norm-a.md", |t| {
        t.replace("wording_from: borduria#p1", "wording_from: borduria-new#p1")
    });
    let out = wenji(root.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("/states/borduria/ is no longer produced"),
        "{}",
        stderr(&out)
    );
    edit_file(root.path(), "content/replies/borduria.md", |t| {
        t.replace("order: 2\n", "order: 2\naliases: [\"/states/borduria/\"]\n")
    });
    let out = wenji(root.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // The renamed reply's URLs are new, as many as it had under its old name (its anchors on
    // concept pages among them).
    let renamed = ledger
        .lines()
        .filter(|l| l.starts_with("/states/borduria/") || l.contains("#r-borduria"))
        .count();
    assert!(renamed > 5, "{ledger}");
    assert!(
        stderr(&out).contains(&format!(
            "; {renamed} new URLs not yet in published-urls.txt"
        )),
        "{}",
        stderr(&out)
    );
    let redirect = read(&root.path().join("site/states/borduria/index.html"));
    assert!(redirect.contains("/states/borduria-new/"), "{redirect}");
    // Its passages' anchor on a concept page follows, by a fragment alias.
    let concept = read(&root.path().join("site/concepts/norm-a/index.html"));
    assert!(
        concept.contains("&quot;r-borduria&quot;:&quot;/concepts/norm-a/#r-borduria-new&quot;"),
        "{concept}"
    );
}

#[test]
fn a_site_under_a_sub_path_links_everything_under_it() {
    let root = fixture();
    let out = wenji(
        root.path(),
        &["build", "--base-url", "https://user.github.io/repo/"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let home = read(&root.path().join("site/index.html"));
    assert!(
        has_attr(&home, "href", "/repo/states/") && home.contains("/repo/assets/style."),
        "{home}"
    );
    assert!(!has_attr(&home, "href", "/states/"));
    let sitemap = read(&root.path().join("site/sitemap.xml"));
    assert!(
        sitemap.contains("<loc>https://user.github.io/repo/states/arcadia/</loc>"),
        "{sitemap}"
    );
    assert!(
        read(&root.path().join("site/robots.txt"))
            .contains("Sitemap: https://user.github.io/repo/sitemap.xml")
    );
}

#[test]
fn a_concept_page_over_the_quote_limit_links_its_passages() {
    let root = fixture();
    edit_file(root.path(), "wenji.toml", |t| {
        t.replace("minify = true", "minify = true\nconcept_quote_limit = 2")
    });
    let out = wenji(root.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // international-law has three passages: over the limit, listed as links.
    let law = read(
        &root
            .path()
            .join("site/concepts/international-law/index.html"),
    );
    assert!(
        law.contains("passage-links") && !has_attr(&law, "class", "passage"),
        "{law}"
    );
    assert!(law.contains("/states/arcadia/#p3") && law.contains("/states/arcadia/#p5"));
    // the three are in one section, named once after them
    assert_eq!(law.matches("<span class=section>").count(), 1, "{law}");
    assert!(
        law.contains(
            "<li><a href=\"/states/arcadia/#p3\">本站第 3 段</a>、<a href=\"/states/arcadia/#p4\">"
        ),
        "{law}"
    );
    // norm-a has two: still quoted.
    let norm = read(&root.path().join("site/concepts/norm-a/index.html"));
    assert!(
        has_attr(&norm, "class", "passage") && norm.contains("各国应合作制定和采取措施"),
        "{norm}"
    );
    // A group of links is no named region (thousands of them at 10,000 replies); a quoted
    // one is. Either keeps its anchor.
    // (each group: its id, its aria-labelledby, its heading's id)
    let groups = |html: &str| {
        let tags = html_tags(html);
        let attr = |i: usize, a: &str| tags[i].attr(a).map(str::to_string);
        (0..tags.len())
            .filter(|&i| tags[i].name == "section" && tags[i].attr("class") == Some("group"))
            .map(|i| {
                (
                    attr(i, "id").unwrap(),
                    attr(i, "aria-labelledby"),
                    attr(i + 1, "id"),
                )
            })
            .collect::<Vec<_>>()
    };
    let (law, norm) = (groups(&law), groups(&norm));
    assert!(!law.is_empty() && !norm.is_empty());
    for (id, label, heading) in law {
        assert!(
            id.starts_with("r-") && label.is_none() && heading.is_none(),
            "{id}"
        );
    }
    for (id, label, heading) in norm {
        let h = Some(format!("{id}-h"));
        assert!(id.starts_with("r-") && label == h && heading == h, "{id}");
    }
}

/// The templates are minified once instead of every page: the pages must be what minifying
/// every page would make of them, on the real site (every kind of page, the map, the charts).
#[test]
fn minified_templates_make_the_pages_a_minify_pass_would() {
    let root = site_root(&repo().join("content"));
    std::fs::copy(
        repo().join("published-urls.txt"),
        root.path().join("published-urls.txt"),
    )
    .unwrap();
    // An alias, so that a redirect page is among the pages compared; concept pages of both
    // kinds, passages quoted and listed as links.
    edit_file(root.path(), "content/replies/france.md", |t| {
        t.replacen("aliases: []", "aliases: [\"/old/france/\"]", 1)
    });
    edit_file(root.path(), "wenji.toml", |t| {
        t.replace("[site]\n", "[site]\nconcept_quote_limit = 20\n")
    });
    let out = wenji(root.path(), &["build", "--output", "minified"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(root.path().join("minified/old/france/index.html").is_file());
    let concept_pages = |class: &str| {
        std::fs::read_dir(root.path().join("minified/concepts"))
            .unwrap()
            .filter(|e| {
                let page = e.as_ref().unwrap().path().join("index.html");
                page.is_file() && std::fs::read_to_string(page).unwrap().contains(class)
            })
            .count()
    };
    assert!(concept_pages("class=passage-links") > 0 && concept_pages("class=passage>") > 0);
    edit_file(root.path(), "wenji.toml", |t| {
        assert!(t.contains("minify = true"));
        t.replace("minify = true", "minify = false")
    });
    let out = wenji(root.path(), &["build", "--output", "plain"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (minified, plain) = (
        snapshot(&root.path().join("minified")),
        snapshot(&root.path().join("plain")),
    );
    assert_eq!(
        minified.keys().collect::<Vec<_>>(),
        plain.keys().collect::<Vec<_>>()
    );
    let cfg = wenji_core::render::minify::cfg();
    let (mut pages, mut minified_bytes, mut plain_bytes) = (0, 0, 0);
    for (path, bytes) in minified.iter().filter(|(p, _)| p.ends_with(".html")) {
        let a = wenji_core::render::minify::minify_html(bytes, &cfg);
        let b = wenji_core::render::minify::minify_html(&plain[path], &cfg);
        assert!(
            a == b,
            "{path}: minified templates and a minified page differ:\n{}\n---\n{}",
            String::from_utf8_lossy(&a),
            String::from_utf8_lossy(&b)
        );
        pages += 1;
        minified_bytes += bytes.len();
        plain_bytes += plain[path].len();
    }
    assert!(pages >= 40, "{pages} pages");
    // Only the templates' own markup shrinks: reply bodies and lists of links are made
    // compact in Rust, the same in both builds.
    assert!(
        minified_bytes < plain_bytes * 98 / 100,
        "{minified_bytes} {plain_bytes}"
    );
}

#[test]
fn a_site_over_a_host_s_limit_is_warned_of_once_naming_the_host_and_the_limit() {
    let root = fixture();
    let out = wenji(root.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("does not fit"), "{}", stderr(&out));
    // A 26 MiB asset: over Cloudflare Pages' 25 MiB a file, within the other hosts' limits.
    write_file(root.path(), "assets/big.bin", vec![b'x'; 26 * 1024 * 1024]);
    let out = wenji(root.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(err.matches("warning:").count(), 1, "{err}");
    assert!(
        err.contains("warning: this site does not fit Cloudflare Pages (free), which takes files of at most 26.2 MB: it has 27.3 MB (assets/big"),
        "{err}"
    );
    assert!(err.contains("\n  help: set site.large_site_from"), "{err}");
    assert!(!err.contains("GitHub Pages"), "{err}");
}

/// A gzipped file of the site, unpacked.
fn gunzip_file(path: &std::path::Path) -> Vec<u8> {
    let mut out = Vec::new();
    std::io::Read::read_to_end(
        &mut flate2::read::GzDecoder::new(std::fs::File::open(path).unwrap()),
        &mut out,
    )
    .unwrap();
    out
}

/// The large-site form (`site.large_site_from`): no citation files, each reply's downloads
/// linked to a gzipped part holding exactly the files a small build writes (reply.js saves
/// them: tests/browser/large.test.mjs); the open data as
/// CSV parts holding exactly the small build's CSV rows; the search index in fewer files that
/// hold the same documents; every link checked.
#[test]
fn the_large_site_form_keeps_the_citations_the_data_and_the_search_in_fewer_files() {
    let (small, large) = (
        fixture_built_with(""),
        fixture_built_with("large_site_from = 2\n"),
    );
    let (s, l) = (small.path().join("site"), large.path().join("site"));
    for slug in ["arcadia", "borduria"] {
        assert!(s.join(format!("states/{slug}/cite.bib")).is_file());
        assert!(!l.join(format!("states/{slug}/cite.bib")).exists());
        let page = read(&l.join(format!("states/{slug}/index.html")));
        let small_page = read(&s.join(format!("states/{slug}/index.html")));
        assert!(small_page.contains("rel=alternate") || small_page.contains("rel=\"alternate\""));
        assert!(!page.contains("rel=alternate") && !page.contains("rel=\"alternate\""));
        // the passages' cite buttons: in the small page, added by reply.js to the large one
        // (tests/browser/large.test.mjs)
        assert!(small_page.contains("class=\"cite\" data-p=\"1\""));
        assert!(!page.contains("class=\"cite\" data-p="));
        let part: serde_json::Value =
            serde_json::from_slice(&gunzip_file(&l.join("cite/001.json.gz"))).unwrap();
        for (i, ext) in ["json", "bib", "ris"].into_iter().enumerate() {
            let a = html_tags(&page)
                .into_iter()
                .find(|t| t.attr("data-cite-download") == Some(ext))
                .unwrap_or_else(|| panic!("no {ext} download in {slug}"));
            assert_eq!(a.attr("href"), Some("/cite/001.json.gz"));
            assert_eq!(a.attr("data-slug"), Some(slug));
            assert_eq!(
                part[slug][i].as_str().unwrap().as_bytes(),
                std::fs::read(s.join(format!("states/{slug}/cite.{ext}"))).unwrap(),
                "{slug} cite.{ext}"
            );
        }
    }
    // The open data: one part here (two replies), gzipped, the small build's CSV byte for byte.
    assert!(!l.join("data/paragraphs.json").exists());
    assert!(!l.join("data/paragraphs.csv").exists());
    let csv = gunzip_file(&l.join("data/paragraphs-001.csv.gz"));
    assert_eq!(csv, std::fs::read(s.join("data/paragraphs.csv")).unwrap());
    let data = read(&l.join("data/index.html"));
    assert!(data.contains("paragraphs-001.csv.gz") && !data.contains("paragraphs.json"));
    // The search index: the same documents (the doc store's text), in no more files,
    // gzipped (`site.search_gzip`, by default as large_site_from).
    let files = |d: &std::path::Path| {
        walkdir::WalkDir::new(d.join("search"))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .count()
    };
    assert!(files(&l) <= files(&s), "{} > {}", files(&l), files(&s));
    let meta = |d: &std::path::Path| -> serde_json::Value {
        serde_json::from_str(&read(&d.join("search/meta.json"))).unwrap()
    };
    assert_eq!(meta(&l)["n"], meta(&s)["n"]);
    assert_eq!(meta(&l)["blk"], 32768);
    assert_eq!(meta(&l)["gz"], 1);
    assert!(s.join("search/g.json").is_file() && !s.join("search/g.json.gz").exists());
    assert!(l.join("search/g.json.gz").is_file() && !l.join("search/g.json").exists());
    assert!(l.join("search/f.json.gz").is_file() && l.join("search/d/0.json.gz").is_file());
}

/// The fixture site built with these `[site]` settings (TOML lines) added.
fn fixture_built_with(settings: &str) -> tempfile::TempDir {
    let site = fixture();
    if !settings.is_empty() {
        edit_file(site.path(), "wenji.toml", |t| {
            t.replace("[site]\n", &format!("[site]\n{settings}"))
        });
    }
    let out = wenji(site.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    site
}

/// The interface strings the scripts read (`site.strings_in_pages`): a JSON block in every
/// small-site page; in the large-site form one file, `assets/strings.<hash>.js`, holding the
/// same strings, that every page loads before its other scripts.
#[test]
fn the_large_site_form_loads_the_interface_strings_from_one_file() {
    let build = fixture_built_with;
    // (with the citation texts in the pages, whose formats would join the strings otherwise)
    let (small, large) = (
        build(""),
        build("large_site_from = 2\ncite_text_in_html = true\n"),
    );
    let inline = build("large_site_from = 2\ncite_text_in_html = true\nstrings_in_pages = true\n");
    let block = |html: &str| -> Option<serde_json::Value> {
        let start = html.find("id=wenji-strings type=application/json>")?;
        let json = &html[start..][html[start..].find('>')? + 1..];
        Some(serde_json::from_str(&json[..json.find("</script>")?]).unwrap())
    };
    for page in [
        "states/arcadia/index.html",
        "concepts/index.html",
        "index.html",
    ] {
        let s = read(&small.path().join("site").join(page));
        let l = read(&large.path().join("site").join(page));
        let strings = block(&s).unwrap_or_else(|| panic!("no strings in the small {page}"));
        assert!(block(&l).is_none(), "strings in the large {page}");
        // the file, named in the head before site.js
        let src = html_tags(&l)
            .into_iter()
            .filter_map(|t| t.attr("src").map(str::to_string))
            .collect::<Vec<_>>();
        let at = src.iter().position(|s| s.starts_with("/assets/strings."));
        let at = at.unwrap_or_else(|| panic!("no strings file in {page}: {src:?}"));
        assert!(src[at + 1].starts_with("/assets/site."), "{src:?}");
        let file = read(&large.path().join("site").join(&src[at][1..]));
        let json = file
            .strip_prefix("window.wenjiStrings = ")
            .and_then(|f| f.strip_suffix(";\n"))
            .unwrap_or_else(|| panic!("{file}"));
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(json).unwrap(),
            strings
        );
        // the setting keeps them in the page on a large site
        let kept = read(&inline.path().join("site").join(page));
        assert_eq!(block(&kept), Some(strings), "{page}");
        assert!(!kept.contains("/assets/strings."));
    }
}

/// A reply's citation texts (`site.cite_text_in_html`): in the small page's `<article>`; in the
/// large-site form not in the page, and the strings file holds what reply.js makes them of
/// (it gives the small page's texts: tests/browser/large.test.mjs); the setting keeps them.
#[test]
fn the_large_site_form_leaves_the_citation_texts_to_the_script() {
    let build = fixture_built_with;
    let (small, large) = (build(""), build("large_site_from = 2\n"));
    let kept = build("large_site_from = 2\ncite_text_in_html = true\n");
    const ATTRS: [&str; 5] = [
        "data-cite-zh",
        "data-cite-en",
        "data-cite-url",
        "data-para-zh",
        "data-para-en",
    ];
    let article = |site: &tempfile::TempDir, slug: &str| {
        let page = read(&site.path().join(format!("site/states/{slug}/index.html")));
        let tag = html_tags(&page)
            .into_iter()
            .find(|t| t.name == "article")
            .unwrap();
        ATTRS.map(|a| tag.attr(a).map(str::to_string))
    };
    for slug in ["arcadia", "borduria"] {
        let s = article(&small, slug);
        assert!(s.iter().all(Option::is_some), "{s:?}");
        assert!(s[1].as_deref().unwrap().contains("(received "), "{s:?}");
        assert_eq!(article(&large, slug), [None, None, None, None, None]);
        assert_eq!(article(&kept, slug), s);
    }
    let strings = |site: &tempfile::TempDir| -> serde_json::Value {
        let dir = site.path().join("site/assets");
        let file = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(Result::ok)
            .find(|e| e.file_name().to_string_lossy().starts_with("strings."))
            .expect("a strings file");
        let text = read(&file.path());
        serde_json::from_str(text["window.wenjiStrings = ".len()..].trim_end_matches(";\n"))
            .unwrap()
    };
    let config = read(&large.path().join("wenji.toml"));
    let l = strings(&large);
    assert!(
        config.contains(&format!("cite_format_zh = {}", l["cite_format_zh"])),
        "{l}"
    );
    assert!(
        config.contains(&format!("cite_para_en = {}", l["cite_para_en"])),
        "{l}"
    );
    assert_eq!(l["cite_report"]["symbol"], "A/75/123");
    assert_eq!(l["cite_report"]["year"], "2020");
    assert!(strings(&kept).get("cite_format_zh").is_none());
}

/// The coverage matrix (`site.matrix_cell_labels`): in the large-site form a cell holds only
/// its count, linked, or nothing, named by the table's headers; the same counts and links.
#[test]
fn the_large_site_form_writes_the_matrix_cells_without_their_own_labels() {
    let (small, large) = (
        fixture_built_with(""),
        fixture_built_with("large_site_from = 2\n"),
    );
    let cell =
        regex::Regex::new(r#"<td[^>]*>(?:<a ([^>]*)>(\d+)</a>)?[^<]*(?:<span[^<]*</span>)*</td>"#)
            .unwrap();
    let cells = |site: &tempfile::TempDir| {
        let html = read(&site.path().join("site/matrix/index.html"));
        cell.captures_iter(&html)
            .map(|c| {
                (
                    c[0].to_string(),
                    c.get(1).map(|a| a.as_str().to_string()),
                    c.get(2).map(|n| n.as_str().to_string()),
                )
            })
            .collect::<Vec<_>>()
    };
    let labelled = fixture();
    edit_file(labelled.path(), "wenji.toml", |t| {
        t.replace(
            "[site]\n",
            "[site]\nlarge_site_from = 2\nmatrix_cell_labels = true\n",
        )
    });
    let out = wenji(labelled.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (s, l) = (cells(&small), cells(&large));
    assert_eq!(cells(&labelled), s, "the setting keeps the labels");
    assert_eq!(s.len(), l.len());
    assert!(s.iter().any(|c| c.2.is_none()) && s.iter().any(|c| c.2.is_some()));
    for (s, l) in s.iter().zip(&l) {
        assert_eq!(l.2, s.2, "the same count");
        match &s.1 {
            None => {
                assert!(s.0.contains(">0</span>"), "{}", s.0);
                assert_eq!(l.0, "<td></td>");
            }
            Some(attrs) => {
                assert!(attrs.contains("aria-label="), "{attrs}");
                let href = |a: &str| a.split("href=").nth(1).map(str::to_string);
                let la = l.1.as_deref().unwrap();
                assert!(!la.contains("aria-label"), "{la}");
                assert_eq!(href(la), href(attrs));
            }
        }
    }
}

/// The index's layout and gzip are settings of their own (`site.search_layout`,
/// `site.search_gzip`): a small site can have a large site's index, and the other way round.
#[test]
fn the_search_index_layout_and_gzip_are_chosen_apart_from_the_size() {
    let site = fixture();
    edit_file(site.path(), "wenji.toml", |t| {
        t.replace(
            "[site]\n",
            "[site]\nsearch_layout = \"large\"\nsearch_gzip = true\n",
        )
    });
    let out = wenji(site.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let s = site.path().join("site");
    let meta = read(&s.join("search/meta.json"));
    assert!(
        meta.contains("\"blk\":32768") && meta.ends_with(",\"gz\":1}"),
        "{meta}"
    );
    assert!(s.join("search/g.json.gz").is_file());
    assert!(
        s.join("states/arcadia/cite.bib").is_file(),
        "still the small-site form"
    );
    let large = fixture();
    edit_file(large.path(), "wenji.toml", |t| {
        t.replace(
            "[site]\n",
            "[site]\nlarge_site_from = 1\nsearch_layout = \"small\"\nsearch_gzip = false\n",
        )
    });
    let out = wenji(large.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let l = large.path().join("site");
    let meta = read(&l.join("search/meta.json"));
    assert!(
        meta.contains("\"blk\":1024") && !meta.contains("gz"),
        "{meta}"
    );
    assert!(
        !l.join("states/arcadia/cite.bib").exists(),
        "the large-site form"
    );
    let bad = fixture();
    edit_file(bad.path(), "wenji.toml", |t| {
        t.replace("[site]\n", "[site]\nsearch_layout = \"huge\"\n")
    });
    let out = wenji(bad.path(), &["build"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out)
            .contains("wenji.toml:4:17: unknown variant `huge`, expected `small` or `large`"),
        "{}",
        stderr(&out)
    );
}

/// The large-site form's search index answers every query as the small-site form's does
/// (read by the Rust reader that answers as `assets/search.js`), on a 100-reply bench corpus,
/// where frequent tokens are blocked in one layout and inline in the other.
#[test]
fn the_large_site_search_index_answers_as_the_small_one() {
    let dir = tempfile::tempdir().unwrap();
    let o = wenji(
        &repo(),
        &[
            "bench",
            "--generate-only",
            "--sizes",
            "100",
            "--dir",
            dir.path().to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let corpus = dir.path().join("corpus-100");
    let build = |large: bool, out: &str| {
        if large {
            edit_file(&corpus, "wenji.toml", |t| {
                t.replace("[site]\n", "[site]\nlarge_site_from = 1\n")
            });
        }
        let out = dir.path().join(out);
        let o = wenji(&corpus, &["build", "-o", out.to_str().unwrap()]);
        assert!(o.status.success(), "{}", stderr(&o));
        out
    };
    let small = build(false, "small");
    let large = build(true, "large");
    let reader = |site: std::path::PathBuf| {
        wenji_core::search::reader::Reader::new(move |p: &str| std::fs::read(site.join(p)).ok())
    };
    let (mut s, mut l) = (reader(small), reader(large));
    let (mut compared, mut hits) = (0, 0);
    for q in [
        "国际法",
        "网络安全",
        "建立信任措施",
        "A/70/174",
        "5G",
        "关键基础设施",
        "人权",
        "联合国宪章",
        "能力建设",
        "量子计算",
        "第 70/237 号决议",
        "信息和通信技术",
    ] {
        let (rs, rl) = (s.search(q, 50, 0), l.search(q, 50, 0));
        if rs.more {
            continue; // windows of blocks differ with the block size by design
        }
        assert_eq!(rs.hits, rl.hits, "{q}");
        assert_eq!(rs.total, rl.total, "{q}");
        for h in &rs.hits {
            assert_eq!(s.doc(h.doc), l.doc(h.doc), "{q} doc {}", h.doc);
        }
        compared += 1;
        hits += rs.hits.len();
    }
    assert!(compared >= 8, "only {compared} queries compared");
    assert!(hits >= 200, "only {hits} hits compared");
}

/// An interface string the code asks for and `[strings]` lacks fails the build, named, instead
/// of showing its key on the pages.
#[test]
fn a_missing_interface_string_fails_the_build_naming_it() {
    let root = fixture();
    edit_file(root.path(), "wenji.toml", |t| {
        t.lines()
            .filter(|l| !l.starts_with("cite_document_type = "))
            .collect::<Vec<_>>()
            .join("\n")
    });
    let out = wenji(root.path(), &["build"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(
            "error: wenji.toml: [strings] has no `cite_document_type`, which the site's pages use"
        ),
        "{err}"
    );
    assert!(
        err.contains("help: add `cite_document_type = \"…\"` under [strings]"),
        "{err}"
    );
    assert!(!root.path().join("site").exists(), "nothing published");
}
