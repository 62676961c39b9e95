//! wenji-core: the generator of wenji, a static site generator for compilations of
//! submissions, such as the replies collected in a UN Secretary-General's report. It exists
//! apart from the `wenji` command line so that the pipeline can be used, tested and measured
//! (by `wenji-bench`) without the CLI, the preview server or the importer.
//!
//! The pipeline runs one way, one module per stage:
//! [`content`] (load) → [`link`] (resolve cross-references) → [`render`] → [`search`] (index)
//! → [`output`] (write). [`build`] runs them in order.

pub mod build;
pub mod config;
pub mod content;
pub mod error;
pub mod json_text;
pub mod link;
pub mod linkcheck;
pub mod output;
pub mod progress;
pub mod render;
pub mod search;
