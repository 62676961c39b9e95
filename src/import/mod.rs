//! Stub: the seed-text importer lands here.

/// Stub until the content branch lands.
pub fn run(_seed: &std::path::Path, _root: &std::path::Path) -> Result<usize, String> {
    Err("the importer is not built yet".into())
}
