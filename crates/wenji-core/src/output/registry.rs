//! The output seam: every kind of file the site publishes is made by one [`Output`] — the
//! HTML pages, the citation files, the open data, the site files (sitemap, robots.txt…), the
//! assets and the search index. Each states, before anything is written, the URLs it
//! publishes that the ledger keeps, and reports the pages it wrote for the link check. The
//! build runs the outputs of [`outputs`] in order; a new output is a module with a type that
//! implements [`Output`] and one line in that list (see docs/architecture.md).

use std::sync::atomic::AtomicU64;

use rayon::prelude::*;

use crate::error::Diagnostic;
use crate::link::Site;
use crate::linkcheck::PageLinks;
use crate::output::{OutputFile, Sink, extras};
use crate::progress::Progress;
use crate::render::{AssetMap, Templates, kinds};

/// One kind of published output.
pub trait Output: Sync {
    /// A short name for messages and timings (`pages`, `citations`…).
    fn name(&self) -> &'static str;

    /// The stage of the build's timings its time counts in.
    fn stage(&self) -> Stage {
        Stage::Extras
    }

    /// The URLs it publishes that the ledger keeps, relative to the base URL: `/path/`,
    /// `/path/#anchor` or `/path/file.ext`. Known from the site alone, so the ledger is
    /// checked before anything is written; the build checks after writing that each was.
    fn published(&self, _site: &Site) -> Vec<String> {
        Vec::new()
    }

    /// Whether it reads the replies' text (their paragraphs, headings and footnotes). The
    /// build frees that text, most of the site model, once every output that reads it has
    /// run (see [`OutputContext::done_with_reply_text`]).
    fn reads_reply_text(&self) -> bool {
        false
    }

    /// Writes its files into `sink`, and says what it wrote.
    fn write(&self, cx: &mut OutputContext, sink: &Sink) -> Result<Produced, Vec<Diagnostic>>;
}

/// The stages the build's timings and progress line are kept by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Rendering, reading and writing the pages.
    Render,
    /// Citation files, open data, site files, assets.
    Extras,
    /// Making and writing the search index.
    Index,
}

impl Stage {
    /// Its name on the progress line.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Render => "render",
            Stage::Extras => "extras",
            Stage::Index => "index",
        }
    }
}

/// What an output wrote, besides the files the sink records.
#[derive(Debug, Default)]
pub struct Produced {
    /// The HTML pages it wrote, with their ids and links, for the link check.
    pub pages: Vec<PageLinks>,
    /// Bytes of search index written (for the build summary).
    pub search_bytes: u64,
}

/// Every output of the site, in the order the build runs them. The search index comes last
/// because it needs the most memory while it runs: by then the replies' text is freed.
pub fn outputs() -> Vec<Box<dyn Output>> {
    vec![
        Box::new(HtmlPages),
        Box::new(extras::Citations),
        Box::new(extras::OpenData),
        Box::new(extras::SiteFiles),
        Box::new(Assets),
        Box::new(SearchIndex),
    ]
}

/// What the outputs get to work with.
pub struct OutputContext<'a> {
    site: &'a mut Site,
    pub templates: &'a Templates,
    pub assets: &'a AssetMap,
    pub progress: &'a Progress,
    /// Time spent reading the pages' links, added up over threads.
    pub scan_nanos: &'a AtomicU64,
    /// The running output's place in the list, and the last place whose output reads the
    /// replies' text.
    running: usize,
    last_text_reader: Option<usize>,
}

impl<'a> OutputContext<'a> {
    pub fn new(
        site: &'a mut Site,
        outputs: &[Box<dyn Output>],
        templates: &'a Templates,
        assets: &'a AssetMap,
        progress: &'a Progress,
        scan_nanos: &'a AtomicU64,
    ) -> Self {
        OutputContext {
            site,
            templates,
            assets,
            progress,
            scan_nanos,
            running: 0,
            last_text_reader: outputs.iter().rposition(|o| o.reads_reply_text()),
        }
    }

    pub fn site(&self) -> &Site {
        self.site
    }

    /// Marks the output at `place` in the list as the one running.
    pub fn start(&mut self, place: usize) {
        self.running = place;
    }

    /// Whether no output after the running one reads the replies' text.
    fn last_to_read_reply_text(&self) -> bool {
        self.last_text_reader
            .is_none_or(|last| last <= self.running)
    }

    /// The search documents; when no output after the running one reads the replies' text,
    /// each reply's text is freed as soon as its documents are made, so that the text and
    /// the documents (160 MB at 10,000 replies) are not all held at once.
    pub fn search_docs(&mut self, language: &str) -> Vec<crate::search::SearchDoc> {
        let free_text = self.last_to_read_reply_text();
        crate::build::search_docs(self.site, language, free_text)
    }

    /// Said by an output that has read all it needs of the replies' text: when no output
    /// after it reads the text, the text is freed (in parallel: millions of small
    /// allocations), leaving each reply's front matter, URL and concepts.
    pub fn done_with_reply_text(&mut self) {
        if !self.last_to_read_reply_text() {
            return;
        }
        let texts: Vec<_> = self
            .site
            .replies
            .iter_mut()
            .map(|r| {
                (
                    std::mem::take(&mut r.page.doc),
                    std::mem::take(&mut r.section_of),
                    std::mem::take(&mut r.section_id_of),
                    std::mem::take(&mut r.passage_concepts),
                    std::mem::take(&mut r.heading_concepts),
                )
            })
            .collect();
        texts.into_par_iter().for_each(drop);
    }
}

/// Every URL the outputs publish that the ledger keeps, each output's made in parallel.
pub fn published(site: &Site, outputs: &[Box<dyn Output>]) -> Vec<Vec<String>> {
    outputs
        .par_iter()
        .map(|o| o.published(site))
        .collect::<Vec<_>>()
}

/// The HTML pages of every kind in [`kinds::PAGE_KINDS`]: each rendered, its links read, and
/// written, in parallel.
pub struct HtmlPages;

impl Output for HtmlPages {
    fn name(&self) -> &'static str {
        "pages"
    }

    fn stage(&self) -> Stage {
        Stage::Render
    }

    fn published(&self, site: &Site) -> Vec<String> {
        // ~40 URLs per reply (its page and anchors): made page by page in parallel.
        kinds::all_pages(site)
            .par_iter()
            .filter(|(kind, _)| kind.published)
            .flat_map_iter(|(kind, i)| kind.published_urls(site, *i))
            .collect()
    }

    fn reads_reply_text(&self) -> bool {
        true
    }

    fn write(&self, cx: &mut OutputContext, sink: &Sink) -> Result<Produced, Vec<Diagnostic>> {
        use std::sync::atomic::Ordering;
        use std::time::Instant;
        let site = cx.site();
        let base_path = site.config.base_path();
        cx.progress.stage("render", kinds::page_count(site));
        let pages = crate::render::render_each(site, cx.templates, cx.assets, |path, html| {
            let s = Instant::now();
            let links = crate::linkcheck::scan(&path, &html, &base_path);
            cx.scan_nanos
                .fetch_add(s.elapsed().as_nanos() as u64, Ordering::Relaxed);
            sink.put(&OutputFile::new(path, html))?;
            cx.progress.tick();
            Ok(links)
        })?;
        Ok(Produced {
            pages,
            ..Produced::default()
        })
    }
}

/// The theme's assets (CSS, scripts, fonts), with their fingerprinted names.
pub struct Assets;

impl Output for Assets {
    fn name(&self) -> &'static str {
        "assets"
    }

    fn write(&self, cx: &mut OutputContext, sink: &Sink) -> Result<Produced, Vec<Diagnostic>> {
        for f in &cx.assets.files {
            sink.put(f).map_err(|d| vec![d])?;
        }
        let site = cx.site();
        // a large site's scripts' strings: one file per edition (its report's fields differ)
        if !site.strings_in_pages() {
            let mut written = std::collections::BTreeSet::new();
            for e in 0..site.editions.len() {
                let json = crate::render::context::script_strings_json(site, e);
                let file = crate::render::assets::strings_file(&json);
                if written.insert(file.path.clone()) {
                    sink.put(&file).map_err(|d| vec![d])?;
                }
            }
        }
        Ok(Produced::default())
    }
}

/// The search index and the search page's facets, made from one search document per heading
/// and passage of every reply.
pub struct SearchIndex;

impl Output for SearchIndex {
    fn name(&self) -> &'static str {
        "search"
    }

    fn stage(&self) -> Stage {
        Stage::Index
    }

    fn reads_reply_text(&self) -> bool {
        true
    }

    fn write(&self, cx: &mut OutputContext, sink: &Sink) -> Result<Produced, Vec<Diagnostic>> {
        let site = cx.site();
        // A large site's index has a layout and compression of its own (docs/search.md).
        let options = crate::search::IndexOptions {
            gzip: site.search_gzip(),
            ..match site.search_layout() {
                crate::config::SearchLayout::Large => crate::search::IndexOptions::large(),
                crate::config::SearchLayout::Small => crate::search::IndexOptions::default(),
            }
        };
        let languages: Vec<String> = crate::render::context::site_languages(site)
            .into_iter()
            .map(String::from)
            .collect();
        // One index per language of the site's pages, each in its folder with its facets.
        let mut indexes = Vec::new();
        for language in &languages {
            let docs = cx.search_docs(language);
            let site = cx.site();
            let folder = crate::link::urls::search_index(&site.config.site.language, language);
            let facets = crate::build::search_facets(site, &docs, language);
            let mut facets = crate::search::facets_file(&folder, &facets);
            if options.gzip {
                facets = crate::search::gzipped(facets).map_err(|e| vec![Diagnostic::from(e)])?;
            }
            sink.put(&OutputFile::new(facets.path, facets.bytes))
                .map_err(|d| vec![d])?;
            indexes.push((folder, docs));
        }
        // The documents hold all the indexes need of the replies.
        cx.done_with_reply_text();
        let mut bytes = 0;
        for (folder, docs) in indexes {
            let options = crate::search::IndexOptions {
                folder,
                ..options.clone()
            };
            let index =
                crate::search::build_index_each(docs, &options, |f: crate::search::SearchFile| {
                    sink.put(&OutputFile::new(f.path, f.bytes))
                })
                .map_err(|d| vec![d])?;
            bytes += index.bytes;
        }
        Ok(Produced {
            search_bytes: bytes,
            ..Produced::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;
    use crate::build::{BuildOptions, build_with};
    use crate::render::kinds::tests::repo_root;

    /// A toy output: `reply-list.txt`, each reply's slug and the length of its text, one a
    /// line. It reads the replies' text, and runs after the search index.
    struct ReplyList {
        /// Publish this path, whatever `write` writes (to test the build's check).
        claims: &'static str,
    }

    impl Output for ReplyList {
        fn name(&self) -> &'static str {
            "reply list"
        }

        fn published(&self, _site: &Site) -> Vec<String> {
            vec![format!("/{}", self.claims)]
        }

        fn reads_reply_text(&self) -> bool {
            true
        }

        fn write(&self, cx: &mut OutputContext, sink: &Sink) -> Result<Produced, Vec<Diagnostic>> {
            let mut text = String::new();
            for r in &cx.site().replies {
                let blocks = r.page.doc.blocks.len();
                text.push_str(&format!("{}\t{blocks}\n", r.page.meta.slug.value));
            }
            sink.put(&OutputFile::new("reply-list.txt", text))
                .map_err(|d| vec![d])?;
            Ok(Produced::default())
        }
    }

    fn with_reply_list(claims: &'static str) -> Vec<Box<dyn Output>> {
        let mut outputs = outputs();
        outputs.push(Box::new(ReplyList { claims }));
        outputs
    }

    // One build of the real site at a time: they share the ledger file they read.
    static BUILDS: Mutex<()> = Mutex::new(());

    fn build_into(dir: &std::path::Path, outputs: &[Box<dyn Output>]) -> crate::build::BuildReport {
        let _one = BUILDS.lock().unwrap_or_else(|e| e.into_inner());
        let opts = BuildOptions {
            root: repo_root(),
            output: dir.join("site"),
            base_url: None,
            write: true,
        };
        build_with(&opts, outputs).map_err(|e| e.0).unwrap()
    }

    #[test]
    fn an_output_added_to_the_list_is_written_ledgered_and_sees_the_replies_text() {
        let dir = tempfile::tempdir().unwrap();
        let outputs = with_reply_list("reply-list.txt");
        let report = build_into(dir.path(), &outputs);
        let list = std::fs::read_to_string(dir.path().join("site/reply-list.txt")).unwrap();
        let site = crate::render::kinds::tests::repo_site();
        assert_eq!(list.lines().count(), site.replies.len());
        // Runs after the search index, and still sees every reply's text.
        assert!(list.lines().all(|l| !l.ends_with("\t0")), "{list}");
        // The ledger sees its URL: one new URL, not in published-urls.txt.
        assert!(ledger_urls(&site, &outputs).contains("/reply-list.txt"));
        assert_eq!(report.new_urls, 1);
    }

    fn ledger_urls(site: &Site, outputs: &[Box<dyn Output>]) -> rustc_hash::FxHashSet<String> {
        crate::link::ledger::produced_by(site, outputs)
    }

    #[test]
    fn an_output_that_does_not_write_what_it_publishes_fails_the_build() {
        let dir = tempfile::tempdir().unwrap();
        let opts = BuildOptions {
            root: repo_root(),
            output: dir.path().join("site"),
            base_url: None,
            write: true,
        };
        let _one = BUILDS.lock().unwrap_or_else(|e| e.into_inner());
        let errors = build_with(&opts, &with_reply_list("reply-list.csv"))
            .expect_err("the build fails")
            .0;
        assert!(
            errors
                .iter()
                .any(|d| d.file.ends_with("reply-list.csv")
                    && d.message.contains("no output wrote it")),
            "{errors:?}"
        );
        assert!(!dir.path().join("site").exists(), "nothing is published");
    }

    #[test]
    fn every_page_kind_and_file_output_is_in_the_ledger_set() {
        let site = crate::render::kinds::tests::repo_site();
        let produced = crate::link::ledger::produced(&site);
        for kind in kinds::PAGE_KINDS.iter().filter(|k| k.published) {
            for i in 0..kind.count(&site) {
                for url in kind.published_urls(&site, i) {
                    assert!(produced.contains(&url), "{} page {url}", kind.name);
                }
            }
        }
        let r = &site.replies[0];
        assert!(produced.contains(&format!("/{}cite.ris", r.url)));
        assert!(produced.contains("/data/paragraphs.csv"));
        // What no ledger keeps: the 404 page, the search index, the site files.
        for url in [
            "/404.html",
            "/sitemap.xml",
            "/robots.txt",
            "/search/facets.json",
        ] {
            assert!(!produced.contains(url), "{url}");
        }
        // And what the committed ledger lists is exactly that set, less the retired entries.
        let ledger = crate::link::ledger::read(&repo_root()).unwrap();
        let (errors, new) = crate::link::ledger::audit(&site, &produced, &ledger);
        assert!(errors.is_empty() && new == 0, "{errors:?}, {new} new");
    }

    #[test]
    fn the_search_docs_free_the_reply_text_as_they_are_made_when_no_later_output_reads_it() {
        let mut site = crate::render::kinds::tests::repo_site();
        let templates = crate::render::templates::load(&repo_root(), false).unwrap();
        let assets = crate::render::assets::load(&repo_root()).unwrap();
        let (progress, nanos) = (Progress::start(), AtomicU64::new(0));
        let outputs = with_reply_list("reply-list.txt");
        let search = outputs.iter().position(|o| o.name() == "search").unwrap();
        let mut cx =
            OutputContext::new(&mut site, &outputs, &templates, &assets, &progress, &nanos);
        cx.start(search);
        let kept = cx.search_docs("zh-Hans");
        assert!(
            !cx.site().replies[0].page.doc.blocks.is_empty(),
            "a later output reads it"
        );
        let mut cx = OutputContext::new(
            &mut site,
            &outputs[..search + 1],
            &templates,
            &assets,
            &progress,
            &nanos,
        );
        cx.start(search);
        let freed = cx.search_docs("zh-Hans");
        assert_eq!(freed, kept, "the same documents");
        assert!(kept.len() > 500, "{}", kept.len());
        let r = &cx.site().replies[0];
        assert!(r.page.doc.blocks.is_empty() && r.page.doc.footnotes.is_empty());
        assert!(!r.passage_concepts.is_empty(), "the facets' concepts stay");
    }

    #[test]
    fn the_reply_text_is_freed_after_its_last_reader_only() {
        let mut site = crate::render::kinds::tests::repo_site();
        let templates = crate::render::templates::load(&repo_root(), false).unwrap();
        let assets = crate::render::assets::load(&repo_root()).unwrap();
        let progress = Progress::start();
        let nanos = AtomicU64::new(0);
        let outputs = with_reply_list("reply-list.txt");
        let search = outputs.iter().position(|o| o.name() == "search").unwrap();
        let mut cx =
            OutputContext::new(&mut site, &outputs, &templates, &assets, &progress, &nanos);
        cx.start(search);
        cx.done_with_reply_text();
        assert!(
            !cx.site().replies[0].page.doc.blocks.is_empty(),
            "a later output reads it"
        );
        cx.start(outputs.len() - 1);
        cx.done_with_reply_text();
        let r = &cx.site().replies[0];
        assert!(r.page.doc.blocks.is_empty() && r.section_of.is_empty());
        assert!(
            !r.url.is_empty() && !r.page.meta.title.is_empty(),
            "the front matter stays"
        );
    }
}
