//! Assets from `assets/`, copied with a content hash in the file name (`style.3f2a9c1b.css`)
//! so pages can tell browsers to cache them forever; templates ask for them by their plain name.

use std::collections::BTreeMap;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::error::Diagnostic;
use crate::output::OutputFile;

pub const ASSETS_DIR: &str = "assets";

/// Plain name (`style.css`, `vendor/x.js`) → published path relative to the base (`assets/style.3f2a9c1b.css`).
#[derive(Debug, Default, Clone)]
pub struct AssetMap {
    pub paths: BTreeMap<String, String>,
    pub files: Vec<OutputFile>,
}

/// Short content hash, hex.
pub fn content_hash(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest[..5].iter().map(|b| format!("{b:02x}")).collect()
}

/// A large site's interface strings for its scripts (`site.strings_in_pages` = false): one
/// script that every page loads before the others, named by its content like the assets.
pub fn strings_file(strings_json: &str) -> OutputFile {
    let bytes = format!("window.wenjiStrings = {strings_json};\n").into_bytes();
    OutputFile {
        path: format!("{ASSETS_DIR}/strings.{}.js", content_hash(&bytes)),
        bytes,
    }
}

pub fn load(root: &Path) -> Result<AssetMap, Vec<Diagnostic>> {
    let dir = root.join(ASSETS_DIR);
    let mut map = AssetMap::default();
    let mut errors = Vec::new();
    if !dir.exists() {
        return Ok(map);
    }
    let inside = crate::content::RootGuard::new(root);
    for entry in inside.walk(&dir, |_| true) {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                errors.push(
                    Diagnostic::new(ASSETS_DIR, format!("cannot read: {e}"))
                        .help("remove the unreadable file or link"),
                );
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(&dir)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .replace('\\', "/");
        let bytes = match std::fs::read(entry.path()) {
            Ok(b) => b,
            Err(e) => {
                errors.push(Diagnostic::new(
                    Path::new(ASSETS_DIR).join(&rel),
                    format!("cannot read: {e}"),
                ));
                continue;
            }
        };
        let published = match rel.rsplit_once('.') {
            Some((stem, ext))
                if !stem.ends_with('/')
                    && matches!(
                        ext,
                        "css" | "js" | "svg" | "png" | "jpg" | "webp" | "woff2" | "ico"
                    ) =>
            {
                format!("{ASSETS_DIR}/{stem}.{}.{ext}", content_hash(&bytes))
            }
            _ => format!("{ASSETS_DIR}/{rel}"),
        };
        map.paths.insert(rel, published.clone());
        map.files.push(OutputFile {
            path: published,
            bytes,
        });
    }
    errors.extend(inside.into_errors());
    if errors.is_empty() {
        Ok(map)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_change_with_content() {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(d.path().join("assets/vendor")).unwrap();
        std::fs::write(d.path().join("assets/style.css"), "a{}").unwrap();
        std::fs::write(d.path().join("assets/vendor/LICENSE"), "MIT").unwrap();
        let m = load(d.path()).unwrap();
        let css = &m.paths["style.css"];
        assert!(
            css.starts_with("assets/style.")
                && css.ends_with(".css")
                && css.len() == "assets/style..css".len() + 10,
            "{css}"
        );
        assert_eq!(m.paths["vendor/LICENSE"], "assets/vendor/LICENSE");
        std::fs::write(d.path().join("assets/style.css"), "b{}").unwrap();
        assert_ne!(&load(d.path()).unwrap().paths["style.css"], css);
    }
}
