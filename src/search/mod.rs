//! Stub until the search branch lands.

pub struct SearchDoc {
    pub url: String,
    pub title: String,
    pub section: String,
    pub text: String,
}

pub struct SearchFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

#[derive(Debug)]
pub struct SearchError(pub String);

impl std::fmt::Display for SearchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

pub fn build_index(docs: &[SearchDoc]) -> Result<Vec<SearchFile>, SearchError> {
    let v: Vec<_> = docs
        .iter()
        .map(|d| serde_json::json!({"u": d.url, "t": d.title, "s": d.section, "x": d.text}))
        .collect();
    Ok(vec![SearchFile {
        path: "search/docs.json".into(),
        bytes: serde_json::to_vec(&v).unwrap_or_default(),
    }])
}
