//! Stub until the symbols branch lands: Latin-form symbols only.

pub struct SymbolRef {
    pub start: usize,
    pub end: usize,
    pub symbol: String,
}

pub struct SymbolProblem {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub message: String,
}

pub fn find_symbols(text: &str) -> (Vec<SymbolRef>, Vec<SymbolProblem>) {
    let re = regex::Regex::new(r"\bA/(?:RES/)?\d{2}/\d{1,4}\b").unwrap();
    let refs = re
        .find_iter(text)
        .map(|m| SymbolRef {
            start: m.start(),
            end: m.end(),
            symbol: m.as_str().to_string(),
        })
        .collect();
    (refs, Vec::new())
}

pub fn undocs_url(symbol: &str) -> String {
    format!("https://undocs.org/ch/{symbol}")
}

pub fn describe(_symbol: &str) -> &'static str {
    "文件"
}
