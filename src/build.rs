//! The pipeline, stage after stage: load → resolve → render → check links → index → write.
//! Each stage takes the previous one's value; `build` times them for the summary line.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::Config;
use crate::error::{BuildError, Diagnostic, Diagnostics};
use crate::link::{Site, ledger};
use crate::output::OutputFile;
use crate::{content, link, linkcheck, output, render, search};

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub output: PathBuf,
    /// Overrides `site.base_url` of the config.
    pub base_url: Option<String>,
    /// Write the site (false for `wenji check`).
    pub write: bool,
}

/// Time spent in each stage.
#[derive(Debug, Default, Clone)]
pub struct Timings {
    pub load: Duration,
    pub link: Duration,
    pub render: Duration,
    pub check: Duration,
    pub minify: Duration,
    pub index: Duration,
    pub write: Duration,
}

#[derive(Debug)]
pub struct BuildReport {
    pub pages: usize,
    pub files: usize,
    pub bytes: u64,
    pub input_bytes: u64,
    pub search_bytes: u64,
    pub total: Duration,
    pub timings: Timings,
    /// Produced URLs not yet in the ledger.
    pub new_urls: usize,
}

impl BuildReport {
    pub fn summary(&self, verb: &str) -> String {
        format!(
            "{verb} {} pages ({} files, {:.1} MB, search index {:.0} kB) in {} ms{}",
            self.pages,
            self.files,
            self.bytes as f64 / 1e6,
            self.search_bytes as f64 / 1e3,
            self.total.as_millis(),
            if self.new_urls > 0 {
                format!(
                    "; {} new URLs not yet in {} (run `wenji ledger`)",
                    self.new_urls,
                    ledger::LEDGER_FILE
                )
            } else {
                String::new()
            }
        )
    }
}

/// Loads and resolves the site: everything up to rendering.
pub fn load_site(
    root: &Path,
    base_url: Option<&str>,
    timings: &mut Timings,
) -> Result<Site, BuildError> {
    let t = Instant::now();
    let mut config = Config::load(root)?;
    if let Some(url) = base_url {
        config.set_base_url(url)?;
    }
    let corpus = content::load(root, &config).map_err(into_error)?;
    timings.load = t.elapsed();
    let t = Instant::now();
    let site = link::resolve(&config, corpus).map_err(into_error)?;
    timings.link = t.elapsed();
    Ok(site)
}

fn into_error(d: Diagnostics) -> BuildError {
    match d.into_result() {
        Err(e) => e,
        Ok(()) => BuildError(vec![]),
    }
}

/// Runs the whole pipeline. With `write`, replaces the output folder atomically.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, BuildError> {
    let start = Instant::now();
    let mut timings = Timings::default();
    if opts.write {
        output::check_output_folder(&opts.root, &opts.output)?;
    }
    // Templates and assets load alongside content; all their errors are reported together.
    let (site, (tera, assets)) = rayon::join(
        || load_site(&opts.root, opts.base_url.as_deref(), &mut timings),
        || {
            (
                render::templates::load(&opts.root),
                render::assets::load(&opts.root),
            )
        },
    );
    let mut diags = Diagnostics::default();
    let site = site.map_err(|e| diags.extend(e.0)).ok();
    let tera = tera.map_err(|e| diags.extend(e)).ok();
    let assets = assets.map_err(|e| diags.extend(e)).ok();
    let (Some(site), Some(tera), Some(assets)) = (site, tera, assets) else {
        return Err(into_error(diags));
    };
    let ledger_entries = ledger::read(&opts.root)?;
    diags.extend(ledger::check(&site, &ledger_entries));

    let t = Instant::now();
    let mut pages = render::render(&site, &tera, &assets).map_err(BuildError)?;
    timings.render = t.elapsed();
    let page_count = pages.len();
    let page_paths: Vec<String> = pages.iter().map(|p| p.path.clone()).collect();

    let t = Instant::now();
    let search_docs = search_docs(&site);
    let search_files = search::build_index(&search_docs)
        .map_err(|e| Diagnostic::new("content", format!("cannot build the search index: {e}")))?;
    timings.index = t.elapsed();
    let search_bytes: u64 = search_files.iter().map(|f| f.bytes.len() as u64).sum();

    let mut extra = output::extras::all(&site, &page_paths);
    extra.extend(
        search_files
            .into_iter()
            .map(|f| OutputFile::new(f.path, f.bytes)),
    );
    extra.extend(assets.files.iter().cloned());

    let t = Instant::now();
    let mut all: Vec<OutputFile> = Vec::with_capacity(pages.len() + extra.len());
    all.append(&mut pages);
    all.append(&mut extra);
    diags.extend(linkcheck::check(&all, &site.config.base_path()));
    diags.extend(duplicate_paths(&all));
    timings.check = t.elapsed();
    diags.into_result()?;

    let t = Instant::now();
    if site.config.site.minify {
        let cfg = render::minify::cfg();
        all.par_iter_mut()
            .filter(|f| f.path.ends_with(".html"))
            .for_each(|f| f.bytes = render::minify::minify_html(&f.bytes, &cfg));
    }
    timings.minify = t.elapsed();
    all.sort_by(|a, b| a.path.cmp(&b.path));

    let t = Instant::now();
    if opts.write {
        output::write_site(&opts.output, &all)?;
    }
    timings.write = t.elapsed();
    Ok(BuildReport {
        pages: page_count,
        files: all.len(),
        bytes: all.iter().map(|f| f.bytes.len() as u64).sum(),
        input_bytes: site.input_bytes,
        search_bytes,
        total: start.elapsed(),
        timings,
        new_urls: ledger::new_entries(&site, &ledger_entries).len(),
    })
}

fn duplicate_paths(files: &[OutputFile]) -> Vec<Diagnostic> {
    let mut seen = std::collections::BTreeSet::new();
    files
        .iter()
        .filter(|f| !seen.insert(f.path.as_str()))
        .map(|f| {
            Diagnostic::new(
                format!("site/{}", f.path),
                "two outputs would be written to this file",
            )
            .help("an asset, page or alias uses the path of another; rename one")
        })
        .collect()
}

/// One search document per heading and per passage of every reply, in reading order.
pub fn search_docs(site: &Site) -> Vec<search::SearchDoc> {
    let mut docs = Vec::new();
    for r in &site.replies {
        let title = &r.page.meta.title;
        let mut push = |anchor: String, section: &str, events: &content::Events| {
            docs.push(search::SearchDoc {
                url: format!("{}#{anchor}", r.url),
                title: title.clone(),
                section: section.to_string(),
                text: content::markdown::plain_text(events),
            });
        };
        let mut section = String::new();
        for b in &r.page.doc.blocks {
            match &b.kind {
                content::BlockKind::Heading { id, events, .. } => {
                    section = content::markdown::plain_text(events);
                    push(id.clone(), &section, events);
                }
                content::BlockKind::Paragraph { number, events } => {
                    push(format!("p{number}"), &section, events)
                }
                content::BlockKind::List { items, .. } => {
                    for it in items {
                        push(format!("p{}", it.number), &section, &it.events);
                    }
                }
                content::BlockKind::Other { .. } => {}
            }
        }
    }
    docs
}
