//! wenji: a static site generator for compilations of submissions, such as the replies
//! collected in a UN Secretary-General's report.
//!
//! The pipeline runs one way: load content → resolve cross-references → render → index → write.

pub mod import;
pub mod link;
pub mod render;
pub mod search;
