//! Resolve stage: cross-references between pages.

pub mod symbols;
