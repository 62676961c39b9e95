//! Property tests over the front matter and Markdown pipeline: arbitrary and mangled input
//! never panics or hangs, and every error it gets is located in the file. The case budgets
//! are fixed so the whole file runs in seconds in CI.

mod common;

use std::path::Path;
use std::sync::OnceLock;
use std::sync::mpsc;
use std::time::Duration;

use proptest::prelude::*;
use proptest::test_runner::{Config as PropConfig, FileFailurePersistence};
use wenji::config::Config;

fn config() -> &'static Config {
    static C: OnceLock<Config> = OnceLock::new();
    C.get_or_init(|| Config::load(&common::repo()).unwrap())
}

/// Runs `f` on another thread and fails if it takes longer than `limit` (a hang).
fn within<T: Send + 'static>(limit: Duration, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || {
            let _ = tx.send(std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)));
        })
        .unwrap();
    match rx.recv_timeout(limit) {
        Ok(Ok(v)) => v,
        Ok(Err(panic)) => std::panic::resume_unwind(panic),
        Err(_) => panic!("still running after {limit:?}"),
    }
}

/// Loads `text` as `content/pages/gen.md` and checks every diagnostic names the file and a
/// line of it.
fn load_checked(text: String) {
    let lines = text.lines().count().max(1) + 1;
    let result = within(Duration::from_secs(10), move || {
        wenji::content::load_file(Path::new("content/pages/gen.md"), &text, config()).map(|_| ())
    });
    if let Err(diags) = result {
        assert!(!diags.is_empty());
        for d in diags {
            assert_eq!(d.file, Path::new("content/pages/gen.md"), "{d}");
            assert!(!d.message.is_empty() && d.help.is_some(), "{d}");
            if let Some(line) = d.line {
                assert!(line >= 1 && line <= lines, "line {line} of {lines}: {d}");
            }
        }
    }
}

fn prop_config(cases: u32) -> PropConfig {
    PropConfig {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::Off)),
        ..PropConfig::default()
    }
}

/// Pieces of front matter, most of them valid, many of them not.
fn front_line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("kind: page".to_string()),
        Just("kind: reply".to_string()),
        Just("kind: concept".to_string()),
        Just("kind: home".to_string()),
        Just("kind: [page]".to_string()),
        Just("title: 标题".to_string()),
        Just("title: \"<script>alert(1)</script>\"".to_string()),
        Just("slug: gen".to_string()),
        Just("slug: ../../evil".to_string()),
        Just("order: 3".to_string()),
        Just("order: -1".to_string()),
        Just("order: 99999999999999999999".to_string()),
        Just("aliases: [\"/old/gen/\"]".to_string()),
        Just("aliases: &a [*a]".to_string()),
        Just("a: &a [x, x]\nb: [*a, *a, *a]".to_string()),
        Just("source: A/70/174".to_string()),
        Just("concepts: {norm-a: [p1]}".to_string()),
        Just("  indented: 1".to_string()),
        Just("? complex\n: key".to_string()),
        Just("!!binary aGVsbG8=".to_string()),
        Just("title: |\n  block\n  scalar".to_string()),
        Just("---".to_string()),
        Just("...".to_string()),
        Just("%YAML 1.2".to_string()),
        "[a-z_]{1,12}: [^\\n]{0,30}",
        "[^\\n]{0,40}",
    ]
}

/// Pieces of Markdown, including the constructs the pipeline treats specially.
fn body_block() -> impl Strategy<Value = String> {
    prop_oneof![
        "[^\\n]{0,80}",
        Just("## 标题 {#international-law}".to_string()),
        Just("## {#Bad id}".to_string()),
        Just("# h\n\n# h {#s1}".to_string()),
        Just("- (a) 甲\n- (b) 乙\n  - 嵌套".to_string()),
        Just("1. 一\n\n2. 二".to_string()),
        Just("> 引用\n>> 更深".to_string()),
        Just("正文[^1]。\n\n[^1]: 注释 A/70/174。".to_string()),
        Just("[^x]: 没有引用的注释".to_string()),
        Just("见[链接](/states/arcadia/#p1)和[坏](javascript:alert(1))。".to_string()),
        Just("![img](x.png \"t\")".to_string()),
        Just("<div onclick=\"x\">raw</div>".to_string()),
        Just("<script>alert(1)</script>".to_string()),
        Just("| a | b |\n|:-|-:|\n| 1 | 2 |".to_string()),
        Just("```rust\nfn main() {}\n```".to_string()),
        Just("```\nunterminated".to_string()),
        Just("第 70/237 号决议和人权理事会第 20/8 号决议，A/RES/70/237，S/2020/1".to_string()),
        Just("第 20/8 号决议".to_string()),
        Just("*a **b *c".to_string()),
        Just("[[[[[[[[[[x]]]]]]]]]]".to_string()),
        Just("\u{feff}\u{0}\u{200b}\r\n\r".to_string()),
        (1usize..80).prop_map(|n| ">".repeat(n) + " deep"),
        (1usize..40).prop_map(|n| "- ".repeat(n) + "deep"),
    ]
}

fn document() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(front_line(), 0..8),
        prop::collection::vec(body_block(), 0..8),
        any::<bool>(), // close the front matter
        any::<bool>(), // CRLF
        any::<bool>(), // BOM
        0usize..3,     // blank lines between blocks
    )
        .prop_map(|(front, body, close, crlf, bom, gap)| {
            let mut s = String::new();
            if bom {
                s.push('\u{feff}');
            }
            s.push_str("---\n");
            for l in front {
                s.push_str(&l);
                s.push('\n');
            }
            if close {
                s.push_str("---\n");
            }
            for b in body {
                s.push_str(&b);
                s.push_str(&"\n".repeat(gap + 1));
            }
            if crlf { s.replace('\n', "\r\n") } else { s }
        })
}

proptest! {
    #![proptest_config(prop_config(1000))]

    /// Any string at all.
    #[test]
    fn load_file_never_panics_on_any_text(text in "\\PC{0,400}") {
        load_checked(text);
    }

    /// Any string behind a plausible front matter.
    #[test]
    fn load_file_never_panics_on_any_body(body in "(\\PC|\\n){0,400}") {
        load_checked(format!("---\nkind: page\ntitle: t\nslug: gen\n---\n{body}"));
    }

    /// Structured but mangled front matter and Markdown.
    #[test]
    fn load_file_never_panics_on_mangled_documents(text in document()) {
        load_checked(text);
    }
}

thread_local! {
    /// The tiny site the render cases of one test start from: the fixture, copied once per
    /// test thread so tests running side by side do not see each other's files.
    static TINY_SITE: tempfile::TempDir = common::fixture();
}

/// How many generated files built, and how many were refused with diagnostics.
static BUILT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
static REFUSED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Builds the tiny site (without writing it) with one generated page or reply added.
fn build_with(name: &str, text: String) {
    let root = TINY_SITE.with(|d| d.path().to_path_buf());
    let rel = format!("content/pages/{name}.md");
    std::fs::write(root.join(&rel), &text).unwrap();
    let opts = wenji::build::BuildOptions {
        root: root.clone(),
        output: root.join("site"),
        base_url: None,
        write: false,
    };
    let result = within(Duration::from_secs(20), move || {
        wenji::build::build(&opts).map(|_| ())
    });
    std::fs::remove_file(root.join(&rel)).unwrap();
    let counter = if result.is_ok() { &BUILT } else { &REFUSED };
    counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    if let Err(e) = result {
        assert!(!e.0.is_empty());
        for d in &e.0 {
            assert!(!d.message.is_empty(), "{d}");
            assert!(!d.to_string().contains("panicked"), "{d}");
        }
    }
}

fn page_of(body: Vec<String>, slug: &str) -> String {
    format!(
        "---\nkind: page\ntitle: \"<b>生成</b>\"\nslug: {slug}\n---\n{}",
        body.join("\n\n")
    )
}

fn reply_of(body: Vec<String>, slug: &str, tags: &str) -> String {
    format!(
        "---\nkind: reply\ntitle: 生成\ntitle_en: Generated\nslug: {slug}\nentity: state\n\
         original_language: 英文\nreceived: 2020-05-13\nreceived_as_printed: x\n\
         report_section: 二\norder: 9\nconcepts:\n  norm-a: [{tags}]\n---\n{}",
        body.join("\n\n")
    )
}

proptest! {
    #![proptest_config(prop_config(128))]

    /// A generated page in a real (tiny) site: rendered, link-checked and minified.
    #[test]
    fn tiny_site_never_panics_on_generated_pages(
        body in prop::collection::vec(body_block(), 0..10),
        slug in prop_oneof![Just("gen".to_string()), Just("about".to_string()), "[a-z-]{1,8}"],
    ) {
        build_with("gen", page_of(body, &slug));
    }

    /// A generated reply: its passages are numbered, tagged, cited and indexed for search.
    #[test]
    fn tiny_site_never_panics_on_generated_replies(
        body in prop::collection::vec(body_block(), 0..10),
        tags in prop_oneof![Just("p1".to_string()), Just("\"#s1\"".to_string()), "p[0-9]{1,2}(-p[0-9]{1,2})?"],
    ) {
        build_with("gen-reply", reply_of(body, "generated", &tags));
    }

    /// Whole mangled documents as a site file.
    #[test]
    fn tiny_site_never_panics_on_mangled_documents(text in document()) {
        build_with("gen-doc", text);
    }
}

/// Most generated pages and replies must build, or the render cases test only the checks.
#[test]
fn tiny_site_generated_files_mostly_build() {
    let before = BUILT.load(std::sync::atomic::Ordering::Relaxed);
    let mut runner = proptest::test_runner::TestRunner::new(prop_config(64));
    let strategy = prop::collection::vec(body_block(), 0..6);
    runner
        .run(&strategy, |body| {
            build_with("gen-count", page_of(body, "counted"));
            Ok(())
        })
        .unwrap();
    let built = BUILT.load(std::sync::atomic::Ordering::Relaxed) - before;
    eprintln!(
        "built {built} of 64 generated pages; refused {} files overall",
        REFUSED.load(std::sync::atomic::Ordering::Relaxed)
    );
    assert!(built >= 32, "only {built} of 64 generated pages built");
}

// ---------------------------------------------------------------- config values

/// Values for the config keys written into other formats: mostly hostile or broken.
fn config_value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("https://user.github.io/repo/".to_string()),
        Just("/".to_string()),
        Just("/repo/".to_string()),
        Just("//evil.example/".to_string()),
        Just("/\\evil.example/".to_string()),
        Just("https:///evil/".to_string()),
        Just("https://x/'a/".to_string()),
        Just("javascript:alert(1)".to_string()),
        Just("cyber.example.org".to_string()),
        Just("a\nb".to_string()),
        Just("zh-Hans".to_string()),
        Just("zh}, note = {x".to_string()),
        "[a-z0-9./:\\\\'\"{}\\n\\r\\t\\x1b -]{0,30}",
        "\\PC{0,30}",
    ]
}

/// A `wenji.toml` with these values, each written as a TOML string.
fn config_text(base_url: &str, language: &str, cname: &str, url: &str) -> String {
    let q = |v: &str| toml::Value::String(v.to_string()).to_string();
    format!(
        "[site]\ntitle = \"T\"\nbase_url = {}\nlanguage = {}\ncname = {}\n\
         [report]\nsymbol = \"A/1/1\"\ntitle = \"R\"\npublished = \"2020\"\nurl = {}\n",
        q(base_url),
        q(language),
        q(cname),
        q(url)
    )
}

proptest! {
    #![proptest_config(prop_config(400))]

    /// Any values: no panic; an error names wenji.toml and the line of a key, once; accepted
    /// values cannot break the formats they are written into.
    #[test]
    fn config_values_are_accepted_only_when_safe(
        values in prop::collection::vec(config_value(), 4),
        // Most cases vary one key and keep the others good, so accepted values are tried too.
        one in prop::option::weighted(0.8, 0..4usize),
    ) {
        let good = ["/", "zh-Hans", "cyber.example.org", "https://undocs.org/ch/A/75/123"];
        let v = |i: usize| match one {
            Some(k) if k != i => good[i],
            _ => values[i].as_str(),
        };
        let text = config_text(v(0), v(1), v(2), v(3));
        match Config::parse(&text) {
            Err(d) => {
                prop_assert_eq!(&d.file, Path::new("wenji.toml"));
                prop_assert!(d.help.is_some(), "{}", d);
                // A value with newlines is written as a multi-line TOML string, so the file can be
                // longer than its ten keys.
                let lines = text.lines().count();
                prop_assert!(d.line.is_some_and(|l| (1..=lines).contains(&l)), "{}", d);
                prop_assert_eq!(d.to_string().lines().count(), 2, "{}", d);
            }
            Ok(c) => {
                let base = &c.site.base_url;
                let host = base.split("://").nth(1).and_then(|r| r.split('/').next());
                prop_assert!(
                    host.is_some_and(|h| !h.is_empty()) || (base.starts_with('/') && !base[1..].starts_with(['/', '\\'])),
                    "base_url {:?}", base
                );
                prop_assert!(c.base_path().starts_with('/') && !c.base_path().starts_with("//"));
                prop_assert!(!base.contains(|ch: char| ch.is_whitespace() || ch.is_control() || ch == '\\'));
                prop_assert!(c.site.language.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
                if let Some(cname) = &c.site.cname {
                    let cname = cname.trim();
                    prop_assert!(cname.is_empty() || cname.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.'), "cname {:?}", cname);
                }
                let url = c.report.url.as_deref().unwrap_or("");
                prop_assert!(url.starts_with("https://") || url.starts_with("http://"), "url {:?}", url);
                prop_assert!(!url.contains(|ch: char| ch.is_whitespace() || ch.is_control() || matches!(ch, '"' | '<' | '>')));
            }
        }
    }
}
