//! HTML minification with minify-html, applied to the templates once as they load rather
//! than to every page (a pass over every page was a quarter of a large build and saved 4% of
//! a reply page's bytes, 2% gzipped). Scripts are left as they are: Zola turned JS
//! minification off after it broke scripts, and ours are small and gzip well.

use minify_html::{Cfg, minify};

/// Settings for a page: keeps what validators and the link check expect (closing tags,
/// quoted attribute values where a value needs them, entities as written).
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

/// Settings for a Tera template: as for a page, and the `{{ }}`, `{% %}` and `{# #}` syntax
/// passes through untouched.
pub fn template_cfg() -> Cfg {
    let mut cfg = cfg();
    cfg.preserve_brace_template_syntax = true;
    cfg
}

pub fn minify_html(html: &[u8], cfg: &Cfg) -> Vec<u8> {
    minify(html, cfg)
}

/// A template's source, minified. Minify-html reads the template as HTML, which the Tera
/// syntax is not everywhere: tags between a start tag's attributes
/// (`<a href="…"{% if x %} aria-current="page"{% endif %}>`) would be read as attribute names
/// and reordered, so they are set aside before and put back after; and an attribute value
/// that holds a Tera expression without a space loses its quotes, which is safe only if it
/// renders without spaces, so the quotes are put back on every such value.
pub fn minify_template(source: &str, cfg: &Cfg) -> String {
    let (protected, kept) = set_aside_tags_in_start_tags(source);
    let Ok(mut out) = String::from_utf8(minify(protected.as_bytes(), cfg)) else {
        return source.to_string();
    };
    for (i, (span, after_space)) in kept.iter().enumerate() {
        // The placeholder stands after a space; so did the stretch, or else after a quote.
        let spaced = format!(" {}", placeholder(i));
        out = if !after_space && out.contains(&spaced) {
            out.replacen(&spaced, span, 1)
        } else {
            out.replacen(&placeholder(i), span, 1)
        };
    }
    requote_template_values(&out)
}

fn placeholder(i: usize) -> String {
    format!("data-wenji-tera{i}x")
}

/// Replaces, in each start tag, the stretch from its first Tera tag to its last (outside
/// quoted values) with one placeholder attribute; returns the stretches in order, each with
/// whether white space stood before it.
fn set_aside_tags_in_start_tags(src: &str) -> (String, Vec<(String, bool)>) {
    let b = src.as_bytes();
    let mut out = String::with_capacity(src.len());
    let mut kept = Vec::new();
    let mut i = 0;
    let mut copied = 0;
    while i < b.len() {
        if !opens_start_tag(b, i) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        let (mut first, mut last) = (None, None);
        while j < b.len() && b[j] != b'>' {
            if let Some(end) = tera_tag_end(src, j) {
                first.get_or_insert(j);
                j = end;
                last = Some(j);
            } else if matches!(b[j], b'"' | b'\'') {
                j = quoted_end(b, j);
            } else {
                j += 1;
            }
        }
        if let (Some(f), Some(l)) = (first, last) {
            out.push_str(&src[copied..f]);
            out.push(' ');
            out.push_str(&placeholder(kept.len()));
            out.push(' ');
            kept.push((src[f..l].to_string(), b[f - 1].is_ascii_whitespace()));
            copied = l;
        }
        i = j;
    }
    out.push_str(&src[copied..]);
    (out, kept)
}

/// `attr={{x}}` → `attr="{{x}}"`, and likewise for values that mix text and `{{ }}`. Only
/// attribute values of start tags are looked at; quoted ones are left as they are.
fn requote_template_values(html: &str) -> String {
    let b = html.as_bytes();
    let mut out = String::with_capacity(html.len() + 16);
    let mut copied = 0;
    let mut i = 0;
    while i < b.len() {
        if !opens_start_tag(b, i) {
            i += 1;
            continue;
        }
        // Inside a start tag: skip quoted values and Tera tags, requote unquoted values.
        i += 1;
        while i < b.len() && b[i] != b'>' {
            if let Some(end) = tera_tag_end(html, i) {
                i = end;
                continue;
            }
            match b[i] {
                b'"' | b'\'' => i = quoted_end(b, i),
                b'=' if !matches!(b.get(i + 1), Some(b'"' | b'\'')) => {
                    let start = i + 1;
                    let end = start + value_end(&html[start..]);
                    let value = &html[start..end];
                    if value.contains("{{") || value.contains("{%") {
                        out.push_str(&html[copied..start]);
                        out.push('"');
                        out.push_str(value);
                        out.push('"');
                        copied = end;
                    }
                    i = end;
                }
                _ => i += 1,
            }
        }
    }
    out.push_str(&html[copied..]);
    out
}

/// Where an unquoted attribute value ends: at white space or `>`, but not inside a Tera tag.
fn value_end(s: &str) -> usize {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if let Some(end) = tera_tag_end(s, i) {
            i = end;
        } else if b[i].is_ascii_whitespace() || b[i] == b'>' {
            return i;
        } else {
            i += 1;
        }
    }
    b.len()
}

/// Whether a start tag (`<` and a letter) opens at `i`.
fn opens_start_tag(b: &[u8], i: usize) -> bool {
    b[i] == b'<' && b.get(i + 1).is_some_and(u8::is_ascii_alphabetic)
}

/// If a Tera tag (`{{`, `{%` or `{#`) opens at `i`, where it ends (the end of the text if it
/// is not closed).
fn tera_tag_end(s: &str, i: usize) -> Option<usize> {
    let b = s.as_bytes();
    if b.get(i) != Some(&b'{') {
        return None;
    }
    let close = match b.get(i + 1)? {
        b'{' => "}}",
        b'%' => "%}",
        b'#' => "#}",
        _ => return None,
    };
    Some(s[i + 2..].find(close).map_or(b.len(), |k| i + 2 + k + 2))
}

/// Where the quoted value that opens at `i` ends, its closing quote included.
fn quoted_end(b: &[u8], i: usize) -> usize {
    let q = b[i];
    let mut j = i + 1;
    while j < b.len() && b[j] != q {
        j += 1;
    }
    (j + 1).min(b.len())
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

    #[test]
    fn template_syntax_survives_and_values_stay_quoted() {
        let t = "<ul class=\"tags\">\n  {% for c in cs %}\n    <li><a href=\"{{c.url}}\" title=\"{{ c.title }}\">{{ c.short }}</a></li>\n  {% endfor %}\n</ul>\n<p class=\"x\">{{ a }} <span>{{ b }}</span></p>";
        let m = minify_template(t, &template_cfg());
        assert!(m.contains("{% for c in cs %}"), "{m}");
        assert!(m.contains("href=\"{{c.url}}\""), "{m}");
        assert!(m.contains("title=\"{{ c.title }}\""), "{m}");
        assert!(m.contains("{{ a }} <span>{{ b }}</span>"), "{m}");
        assert!(!m.contains("\n  "), "{m}");
    }

    #[test]
    fn tera_tags_between_attributes_are_kept_in_place() {
        let t = "<nav>\n  <a href=\"{{ u }}\"{% if cur %} aria-current=\"page\"{% endif %}>x</a>\n  <th class=\"{% if c %}child{% else %}top{% endif %}\">y</th>\n</nav>";
        let m = minify_template(t, &template_cfg());
        assert!(
            m.contains("\"{{ u }}\"{% if cur %} aria-current=\"page\"{% endif %}>"),
            "{m}"
        );
        assert!(
            m.contains("class=\"{% if c %}child{% else %}top{% endif %}\""),
            "{m}"
        );
        assert!(!m.contains("data-wenji"), "{m}");
    }

    #[test]
    fn quoted_values_with_equals_signs_are_left_alone() {
        let t =
            "<meta http-equiv=\"refresh\" content=\"0; url={{ target }}\"><a href={{u}}>x=y</a>";
        let m = minify_template(t, &template_cfg());
        assert!(m.contains("content=\"0; url={{ target }}\""), "{m}");
        assert!(m.contains("href=\"{{u}}\""), "{m}");
        assert!(m.contains(">x=y</a>"), "{m}");
    }
}
