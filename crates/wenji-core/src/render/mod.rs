//! Render stage: one Tera context per page, built from the resolved [`Site`], rendered in
//! parallel. Reply bodies are written to HTML here (see [`body`]) so that paragraph anchors,
//! numbers and concept marks are the same on every page that shows a passage.

pub mod assets;
pub mod body;
pub mod charts;
pub mod context;
pub mod html;
pub mod kinds;
pub mod minify;
pub mod templates;

use rayon::prelude::*;
use tera::Context;

use crate::error::Diagnostic;
use crate::link::Site;
pub use assets::AssetMap;
pub use templates::Templates;

/// A page to render: where it goes and with which template and context.
pub struct PageJob {
    pub path: String,
    pub template: &'static str,
    pub context: Context,
}

/// Renders every page and hands each, as soon as it is rendered, to `each` with its path
/// and HTML (the build reads its links and writes it), in parallel; only `each`'s small
/// results are kept. Errors name the template and, for content, the page's file.
pub fn render_each<T: Send>(
    site: &Site,
    templates: &Templates,
    assets: &AssetMap,
    each: impl Fn(String, Vec<u8>) -> Result<T, Diagnostic> + Sync,
) -> Result<Vec<T>, Vec<Diagnostic>> {
    let pages = context::Pages::new(site, assets);
    let render = |&(kind, i): &(&kinds::PageKind, usize)| -> Result<T, Diagnostic> {
        let job = kind.job(&pages, site, i)?;
        let html = templates
            .render(job.template, &job.context)
            .map_err(|mut d| {
                d.message = format!("{} (rendering /{})", d.message, job.path);
                d
            })?;
        // The context (for a concept page, tens of MB at 10,000 replies) goes before `each`.
        drop(job.context);
        each(job.path, html)
    };
    let all = kinds::all_pages(site);
    // One task per page: the large pages stand together at the front, and in longer runs one
    // thread would be left rendering them one after another.
    let results: Vec<Result<T, Diagnostic>> = all.par_iter().with_max_len(1).map(render).collect();
    let mut done = Vec::with_capacity(results.len());
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(t) => done.push(t),
            Err(d) => errors.push(d),
        }
    }
    if errors.is_empty() {
        Ok(done)
    } else {
        Err(errors)
    }
}
