//! Search: the tokenizer (one specification, shared test vectors with `assets/search.js`) and
//! the prebuilt, sharded index the browser reads. Format and figures: `docs/search.md`.
//!
//! ```
//! use wenji_core::search::{build_index, SearchDoc};
//! let docs = vec![SearchDoc {
//!     url: "states/armenia/#p3".into(),
//!     title: "亚美尼亚".into(),
//!     section: "国际法".into(),
//!     text: "国际法适用于网络空间。".into(),
//! }];
//! let files = build_index(&docs).unwrap();
//! assert!(files.iter().any(|f| f.path == "search/meta.json"));
//! ```

#[cfg(test)]
mod bench;
mod facets;
mod fold_table;
mod index;
#[cfg(any(test, feature = "test-support"))]
pub mod reader;
#[cfg(test)]
mod tests;
pub mod tokenize;

pub use facets::{Facets, Group, facets_file};
pub use index::{
    DEFAULT_FOLDER, IndexOptions, IndexSummary, build_index, build_index_each, build_index_with,
    gzipped,
};
pub use tokenize::{
    Token, WenjiLanguage, contains_parts, for_each_token, join_digit_groups, phrase_key,
    query_parts, query_tokens, tokenize,
};

/// One searchable unit: a paragraph (or a short page).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchDoc {
    /// Site-relative permalink, e.g. `states/armenia/#p3`.
    pub url: String,
    /// The reply or page name.
    pub title: String,
    /// The heading text above the paragraph; may be empty.
    pub section: String,
    /// Plain text of the paragraph.
    pub text: String,
}

/// One file of the index, to be written under the site root.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchFile {
    /// Path relative to the site root, e.g. `search/meta.json`.
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Why an index could not be built.
#[derive(Debug)]
pub enum SearchError {
    /// More documents than the format addresses (2^31 - 1).
    TooManyDocs(usize),
    /// A document's url is empty or starts with `/` (urls are site-relative).
    BadUrl { index: usize, url: String },
    /// Serializing a file failed.
    Json(serde_json::Error),
    /// Gzipping a file failed.
    Gzip(std::io::Error),
}

impl std::fmt::Display for SearchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SearchError::TooManyDocs(n) => write!(f, "search index: too many documents ({n})"),
            SearchError::BadUrl { index, url } => write!(
                f,
                "search index: document {index} has url {url:?}; expected a site-relative url \
                 such as \"states/armenia/#p3\""
            ),
            SearchError::Json(e) => write!(f, "search index: {e}"),
            SearchError::Gzip(e) => write!(f, "search index: gzipping a file: {e}"),
        }
    }
}

impl std::error::Error for SearchError {}

impl From<std::io::Error> for SearchError {
    fn from(e: std::io::Error) -> Self {
        SearchError::Gzip(e)
    }
}

impl From<SearchError> for crate::error::Diagnostic {
    fn from(e: SearchError) -> Self {
        crate::error::Diagnostic::new("content", format!("cannot build the search index: {e}"))
            .help("report this as a bug in wenji, with the content that caused it")
    }
}

impl From<serde_json::Error> for SearchError {
    fn from(e: serde_json::Error) -> Self {
        SearchError::Json(e)
    }
}
