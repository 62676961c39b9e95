//! HTML minification with minify-html. Scripts are left as they are: Zola turned JS
//! minification off after it broke scripts, and ours are small and gzip well.

use minify_html::{Cfg, minify};

pub fn cfg() -> Cfg {
    let mut cfg = Cfg::new();
    cfg.minify_css = true;
    cfg.minify_js = false;
    cfg.keep_closing_tags = true;
    cfg.keep_html_and_head_opening_tags = true;
    cfg.keep_comments = false;
    cfg.allow_noncompliant_unquoted_attribute_values = false;
    cfg.allow_removing_spaces_between_attributes = false;
    cfg.allow_optimal_entities = false;
    cfg
}

pub fn minify_html(html: &[u8], cfg: &Cfg) -> Vec<u8> {
    minify(html, cfg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minifies_without_touching_text() {
        let out = minify_html(b"<!doctype html><html lang=zh-Hans><head><title>t</title></head><body>\n  <p>  \xe4\xb8\xad A/70/174  </p>\n</body></html>", &cfg());
        let s = String::from_utf8(out).unwrap();
        assert!(s.contains("中 A/70/174"), "{s}");
        assert!(s.len() < 110, "{s}");
    }
}
