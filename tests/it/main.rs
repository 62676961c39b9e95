//! wenji's integration tests, one module per concern, in one test binary: they build real
//! sites with the real `wenji` binary, so an edit relinks one test executable, not ten.

mod bench;
mod build_site;
mod citations;
mod common;
mod concept_tags;
mod editions;
mod fidelity;
mod hardening;
mod import_edition;
mod import_repeatable;
mod init;
mod ledger;
mod proptest_pipeline;
mod search_editions;
mod serve;
