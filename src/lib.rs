//! wenji: a static site generator for compilations of submissions, such as the replies
//! collected in a UN Secretary-General's report.
//!
//! The pipeline runs one way, one module per stage:
//! [`content`] (load) → [`link`] (resolve cross-references) → [`render`] → [`search`] (index)
//! → [`output`] (write). [`build`] runs them in order.

pub mod bench;
pub mod build;
pub mod config;
pub mod content;
pub mod error;
pub mod import;
pub mod json_text;
pub mod link;
pub mod linkcheck;
pub mod output;
pub mod progress;
pub mod render;
pub mod search;
pub mod serve;
