//! Render stage: one Tera context per page, built from the resolved [`Site`], rendered in
//! parallel. Reply bodies are written to HTML here (see [`body`]) so that paragraph anchors,
//! numbers and concept marks are the same on every page that shows a passage.

pub mod assets;
pub mod body;
pub mod charts;
pub mod context;
pub mod html;
pub mod minify;
pub mod templates;

use rayon::prelude::*;
use tera::{Context, Tera};

use crate::error::Diagnostic;
use crate::link::Site;
use crate::output::OutputFile;
pub use assets::AssetMap;

/// A page to render: where it goes and with which template and context.
pub struct PageJob {
    pub path: String,
    pub template: &'static str,
    pub context: Context,
}

/// Renders every page. Errors name the template and, for content, the page's file.
pub fn render(
    site: &Site,
    tera: &Tera,
    assets: &AssetMap,
) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let jobs = context::jobs(site, assets).map_err(|d| vec![d])?;
    let results: Vec<Result<OutputFile, Diagnostic>> = jobs
        .par_iter()
        .map(|job| {
            tera.render(job.template, &job.context)
                .map(|html| OutputFile::new(job.path.clone(), html))
                .map_err(|e| {
                    let mut d = templates::diagnostic(&e);
                    d.message = format!("{} (rendering /{})", d.message, job.path);
                    d
                })
        })
        .collect();
    let mut files = Vec::with_capacity(results.len());
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(f) => files.push(f),
            Err(d) => errors.push(d),
        }
    }
    if errors.is_empty() {
        Ok(files)
    } else {
        Err(errors)
    }
}
