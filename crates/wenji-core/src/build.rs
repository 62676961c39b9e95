//! The pipeline, stage after stage: load → resolve → ledger check → the outputs (pages,
//! citation files, open data, site files, assets, search index; see
//! [`crate::output::registry`]) → check links → commit. Each stage takes the previous one's
//! value; every file is written as it is made; `build` times the stages for the summary line
//! and the benchmark.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicU64;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::Config;
use crate::error::{BuildError, Diagnostic, Diagnostics};
use crate::link::{Site, ledger};
use crate::progress::Progress;
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

/// Time spent in each stage. Pages, index and extras are written as they are made, so
/// `render`, `index` and `extras` include writing their files; `write_threads` and
/// `scan_threads` say how much of that was writing and reading links, added up over threads.
#[derive(Debug, Default, Clone)]
pub struct Timings {
    pub load: Duration,
    pub link: Duration,
    /// Minifying the templates (once, as they load).
    pub minify: Duration,
    pub render: Duration,
    pub index: Duration,
    /// Citation files, open data, sitemap, assets.
    pub extras: Duration,
    /// Resolving every page's links against the files and ids the build made.
    pub check: Duration,
    /// Putting the written site in place of the old one.
    pub commit: Duration,
    pub write_threads: Duration,
    pub scan_threads: Duration,
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
    /// The base URL has no host, so the citation files and metadata have none either.
    pub citations_without_host: bool,
    /// Bytes, files and largest file, for the deploy check against the free hosts.
    pub size: output::deploy::SiteSize,
    /// The site was written in its large-site form (`site.large_site_from`).
    pub large: bool,
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
        ) + &citation_host_note(self.citations_without_host)
            + &output::deploy::warnings(&self.size, self.large)
    }
}

/// Said once a build: citations carry the base URL, and a path alone gives them no host.
fn citation_host_note(without_host: bool) -> String {
    if without_host {
        "\nnote: the base URL has no host, so the citation files (cite.json, cite.bib, cite.ris), the citation_* metadata and the JSON-LD give paths without a host (the cite dialog uses the page's own); pass --base-url https://… (or set site.base_url) to give them one".to_string()
    } else {
        String::new()
    }
}

/// Turns transparent huge pages off for this process (Linux). With them on (the default on
/// many machines, and on ours), every 2 MB the allocator touches after returning it to the
/// system is zeroed whole by the kernel: a quarter of a 1,000-reply build's samples were
/// `clear_page_erms`. Off, the build's system time halves and its peak memory drops by a
/// tenth (measured with `/usr/bin/time`, see docs/bench.md). Called by the commands that
/// build; the benchmark's parent does not, so Hugo runs with the machine's setting.
pub fn disable_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: prctl with PR_SET_THP_DISABLE takes integer arguments only and changes no memory.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// Loads and resolves the site: everything up to rendering.
pub fn load_site(
    root: &Path,
    base_url: Option<&str>,
    timings: &mut Timings,
) -> Result<Site, BuildError> {
    load_site_with(
        Config::load(root).map_err(BuildError::from),
        root,
        base_url,
        timings,
    )
}

fn load_site_with(
    config: Result<Config, BuildError>,
    root: &Path,
    base_url: Option<&str>,
    timings: &mut Timings,
) -> Result<Site, BuildError> {
    let t = Instant::now();
    let mut config = config?;
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

/// Runs the whole pipeline with the site's outputs ([`output::registry::outputs`]). With
/// `write`, replaces the output folder atomically.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, BuildError> {
    build_with(opts, &output::registry::outputs())
}

/// Runs the whole pipeline with `outputs`, in their order.
///
/// Every file goes to the staging folder the moment it is made and only a few facts about it
/// are kept (its path, size, ids and links), so memory holds the site model and the pages in
/// flight, not the site. The link check runs on those facts at the end; if it or anything
/// else fails, the staging folder is removed and the previous site stays as it was.
pub fn build_with(
    opts: &BuildOptions,
    outputs: &[Box<dyn output::registry::Output>],
) -> Result<BuildReport, BuildError> {
    let start = Instant::now();
    let mut timings = Timings::default();
    // One build per output folder: the lock is held until the new site is in place.
    let lock = if opts.write {
        output::check_output_folder(&opts.root, &opts.output)?;
        let lock = output::OutputLock::acquire(&opts.output)?;
        // Checked again: the build that held the lock may have changed the folder.
        output::check_output_folder(&opts.root, &opts.output)?;
        Some(lock)
    } else {
        None
    };
    let progress = Progress::start();
    let config = Config::load(&opts.root).map_err(BuildError::from);
    let minify = config.as_ref().is_ok_and(|c| c.site.minify);
    // Templates and assets load alongside content; all their errors are reported together.
    let (site, ((templates, minify_time), assets)) = rayon::join(
        || load_site_with(config, &opts.root, opts.base_url.as_deref(), &mut timings),
        || {
            let t = Instant::now();
            let templates = render::templates::load(&opts.root, minify);
            ((templates, t.elapsed()), render::assets::load(&opts.root))
        },
    );
    timings.minify = minify_time;
    let mut diags = Diagnostics::default();
    let site = site.map_err(|e| diags.extend(e.0)).ok();
    let templates = templates.map_err(|e| diags.extend(e)).ok();
    let assets = assets.map_err(|e| diags.extend(e)).ok();
    let (Some(mut site), Some(templates), Some(assets)) = (site, templates, assets) else {
        return Err(into_error(diags));
    };
    // What the outputs will publish is checked against the ledger before anything is written.
    let ledger_entries = ledger::read(&opts.root)?;
    let published = ledger::produced_by(&site, outputs);
    let (ledger_errors, new_urls) = ledger::audit(&site, &published, &ledger_entries);
    diags.extend(ledger_errors);
    // Checked against what the outputs write, in debug builds (the tests): an output whose
    // `published` and `write` disagree is a bug of wenji's, and at 10,000 replies the set
    // kept until then is 60 MB, 7% of the build's peak memory.
    let published = cfg!(debug_assertions).then_some(published);
    site.fragment_aliases = ledger::fragment_aliases(&site, &ledger_entries);
    let base_path = site.config.base_path();
    let citations_without_host = !site.config.site.base_url.contains("://");
    let large = site.is_large();

    let staging = match lock {
        Some(lock) => Some(output::Staging::create(lock)?),
        None => None,
    };
    let sink = output::Sink::new(staging);
    let scan_nanos = AtomicU64::new(0);
    let mut produced = run_outputs(
        outputs,
        &mut output::registry::OutputContext::new(
            &mut site,
            outputs,
            &templates,
            &assets,
            &progress,
            &scan_nanos,
        ),
        &sink,
        &mut timings,
    )
    .map_err(BuildError)?;
    let pages = take_pages(&mut produced);
    diags.extend(site.config.missing_strings());

    let t = Instant::now();
    let summary = sink.finish();
    diags.extend(linkcheck::resolve(
        &pages,
        summary.files.iter().map(|(p, _)| p.as_str()),
        &base_path,
    ));
    if let Some(published) = &published {
        diags.extend(linkcheck::unwritten(
            published,
            &pages,
            summary.files.iter().map(|(p, _)| p.as_str()),
        ));
    }
    diags.extend(duplicate_paths(&summary.files));
    timings.check = t.elapsed();
    timings.write_threads = summary.write_time;
    timings.scan_threads = Duration::from_nanos(scan_nanos.into_inner());
    // On an error the staging folder is dropped, and with it removed.
    diags.into_result()?;

    let t = Instant::now();
    if let Some(staging) = summary.staging {
        staging.verify(&summary.files)?;
        staging.commit()?;
    }
    timings.commit = t.elapsed();
    // The progress line is cleared when `progress` drops, before the caller's summary.
    drop(progress);
    let report = BuildReport {
        pages: pages.len(),
        files: summary.files.len(),
        bytes: summary.files.iter().map(|(_, b)| b).sum(),
        input_bytes: site.input_bytes,
        search_bytes: produced.iter().map(|p| p.search_bytes).sum(),
        total: start.elapsed(),
        timings,
        new_urls,
        citations_without_host,
        size: output::deploy::SiteSize::of(&summary.files),
        large,
    };
    // Freeing the site model (millions of small allocations) takes half a second at 10,000
    // replies; the command that called us usually exits at once, and the system frees it all
    // faster. `serve` goes on, and its thread frees it meanwhile.
    std::thread::spawn(move || drop((site, produced, summary.files, templates, assets)));
    Ok(report)
}

/// The pages the outputs wrote, taken from their reports (one list, for the link check).
fn take_pages(produced: &mut [output::registry::Produced]) -> Vec<linkcheck::PageLinks> {
    let mut pages = Vec::new();
    for p in produced {
        if pages.is_empty() {
            pages = std::mem::take(&mut p.pages);
        } else {
            pages.append(&mut p.pages);
        }
    }
    pages
}

/// Runs each output in turn, timing it in its stage.
fn run_outputs(
    outputs: &[Box<dyn output::registry::Output>],
    cx: &mut output::registry::OutputContext,
    sink: &output::Sink,
    timings: &mut Timings,
) -> Result<Vec<output::registry::Produced>, Vec<Diagnostic>> {
    use output::registry::Stage;
    let mut produced = Vec::with_capacity(outputs.len());
    for (place, out) in outputs.iter().enumerate() {
        let t = Instant::now();
        cx.start(place);
        cx.progress.stage(out.stage().label(), 0);
        produced.push(out.write(cx, sink)?);
        *match out.stage() {
            Stage::Render => &mut timings.render,
            Stage::Extras => &mut timings.extras,
            Stage::Index => &mut timings.index,
        } += t.elapsed();
    }
    Ok(produced)
}

fn duplicate_paths(files: &[(String, u64)]) -> Vec<Diagnostic> {
    // `files` is sorted: a path written twice stands twice in a row.
    files
        .windows(2)
        .filter(|w| w[0].0 == w[1].0)
        .map(|w| {
            Diagnostic::new(
                format!("site/{}", w[0].0),
                "two outputs would be written to this file",
            )
            .help("an asset, page or alias uses the path of another; rename one")
        })
        .collect()
}

/// The search documents of the index of `language`: one per heading and per passage of every
/// reply of an edition in that language, in reading order, then (in the site's own language,
/// where the concept pages are) one names doc per concept page. Made reply by reply in
/// parallel: the paragraphs' plain text is most of the work. With `free_text`, each of those
/// replies' text (`page.doc`) is freed once its documents are made.
pub fn search_docs(site: &mut Site, language: &str, free_text: bool) -> Vec<search::SearchDoc> {
    let footnote = site.config.string_in(language, "footnotes").to_string();
    let editions = &site.editions;
    let per_reply: Vec<Vec<search::SearchDoc>> = site
        .replies
        .par_iter_mut()
        .filter(|r| editions[r.edition].language == language)
        .map(|r| {
            let docs = reply_docs(r, &footnote);
            if free_text {
                drop(std::mem::take(&mut r.page.doc));
            }
            docs
        })
        .collect();
    let concept_names = site.concepts.iter().map(|c| {
        let m = &c.page.meta;
        // `norm-j` is also found as "norm (j)", as `规范(j)` (its short label) is
        let norm_en = m
            .slug
            .value
            .strip_prefix("norm-")
            .map(|x| format!("norm ({x})"));
        let names = [
            m.short.as_ref(),
            Some(&m.title),
            Some(&m.title_en),
            norm_en.as_ref(),
        ];
        name_doc(&c.url, &m.title, names.into_iter().flatten())
    });
    let mut docs: Vec<search::SearchDoc> = per_reply.into_iter().flatten().collect();
    if language == site.config.site.language {
        docs.extend(concept_names);
    }
    docs
}

/// The search documents of one reply: its names, then each heading, passage and footnote.
fn reply_docs(r: &crate::link::Reply, footnote: &str) -> Vec<search::SearchDoc> {
    let mut docs = Vec::new();
    let meta = &r.page.meta;
    let title = &meta.title;
    // the page's names first, so that a name query offers the page
    let names = [
        Some(&meta.title),
        Some(&meta.title_en),
        meta.iso2.as_ref(),
        meta.iso3.as_ref(),
    ];
    docs.push(name_doc(&r.url, title, names.into_iter().flatten()));
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
    for note in &r.page.doc.footnotes {
        let anchor = render::html::footnote_id(&note.label);
        push(anchor, &format!("{footnote} {}", note.label), &note.events);
    }
    docs
}

/// What the search page's filters need: each reply's region group and edition, and the
/// concepts each search document (a passage or a heading) is tagged with, read from the
/// model; region names in `language`, the index's.
pub fn search_facets(site: &Site, docs: &[search::SearchDoc], language: &str) -> search::Facets {
    let mut regions: Vec<(&String, &crate::config::Region)> = site.config.regions.iter().collect();
    regions.sort_by_key(|(k, r)| (r.order, k.as_str()));
    let region_index = |key: &str| regions.iter().position(|(k, _)| k.as_str() == key);
    let reply_of: std::collections::HashMap<&str, &crate::link::Reply> =
        site.replies.iter().map(|r| (r.url.as_str(), r)).collect();
    let concept_label = |c: &crate::link::Concept| {
        let m = &c.page.meta;
        m.short.clone().unwrap_or_else(|| m.title.clone())
    };
    let mut facets = search::Facets {
        regions: regions
            .iter()
            .map(|(k, r)| {
                let name = site.config.region_name_in(language, k).unwrap_or(&r.name);
                (k.to_string(), name.to_string())
            })
            .collect(),
        concepts: site
            .concepts
            .iter()
            .map(|c| (c.page.meta.slug.value.clone(), concept_label(c)))
            .collect(),
        editions: Vec::new(),
        groups: Vec::new(),
        concept_docs: vec![Vec::new(); site.concepts.len()],
    };
    let mut prev_page = None;
    for (id, d) in docs.iter().enumerate() {
        let (page, anchor) = d.url.split_once('#').unwrap_or((&d.url, ""));
        let reply = reply_of.get(page);
        if prev_page != Some(page) {
            prev_page = Some(page);
            facets.groups.push(match reply {
                Some(r) => search::Group {
                    reply: r.page.meta.slug.value.clone(),
                    region: r
                        .page
                        .meta
                        .region
                        .as_ref()
                        .and_then(|x| region_index(&x.value)),
                    edition: Some(r.edition),
                },
                None => search::Group::default(),
            });
        }
        let Some(r) = reply else { continue };
        let tagged = match anchor.strip_prefix('p').and_then(|n| n.parse::<u32>().ok()) {
            Some(n) => r.passage_concepts.get(&n),
            None => r.heading_concepts.get(anchor),
        };
        for &c in tagged.into_iter().flatten() {
            facets.concept_docs[c].push(id as u32);
        }
    }
    edition_facet(site, &mut facets);
    facets
}

/// The editions of the index's replies, keyed by their URL prefix without its `/` (`""` for
/// the first edition: keys stay when editions are added), labelled with their report's
/// symbol (one index is one language, so the symbol tells them apart); each group's
/// `Site::editions` index becomes one into that list. Only where there are several: an index
/// of one edition has no report filter, and keeps the `f.json` it had.
fn edition_facet(site: &Site, facets: &mut search::Facets) {
    let present: std::collections::BTreeSet<usize> =
        facets.groups.iter().filter_map(|g| g.edition).collect();
    if present.len() < 2 {
        for g in &mut facets.groups {
            g.edition = None;
        }
        return;
    }
    let present: Vec<usize> = present.into_iter().collect();
    facets.editions = present
        .iter()
        .map(|&e| {
            let ed = &site.editions[e];
            let key = ed.path.trim_end_matches('/').to_string();
            (key, ed.report.symbol.clone())
        })
        .collect();
    for g in &mut facets.groups {
        g.edition = g.edition.and_then(|e| present.binary_search(&e).ok());
    }
}

/// The search document of a page's names (its url has no fragment): what the site calls the
/// page, not text of the report.
fn name_doc<'a>(
    url: &str,
    title: &str,
    names: impl Iterator<Item = &'a String>,
) -> search::SearchDoc {
    let names: Vec<&str> = names
        .map(String::as_str)
        .filter(|n| !n.is_empty())
        .collect();
    search::SearchDoc {
        url: url.to_string(),
        title: title.to_string(),
        section: String::new(),
        text: names.join(" · "),
    }
}
