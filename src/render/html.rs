//! Markdown events to HTML, written here rather than by `pulldown_cmark::html` because the
//! pages need what it cannot give: paragraph anchors with their numbers, footnote ids that
//! keep the report's numbers, and link targets checked for unsafe schemes.

use pulldown_cmark::{Alignment, CodeBlockKind, Event, Tag, TagEnd};

use crate::link::LinkTarget;

/// Escapes text for an HTML text node or a quoted attribute value (also valid XML, for SVG):
/// control characters that neither allows are dropped.
pub fn escape(s: &str, out: &mut String) {
    // Nearly every text of the replies has nothing to escape: a first pass the compiler
    // vectorizes tells, and the text is copied whole.
    let needs_care = |b: u8| {
        matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'')
            || (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
    };
    if !s.bytes().fold(false, |any, b| any | needs_care(b)) {
        out.push_str(s);
        return;
    }
    // Every character that needs care is ASCII: copy the runs between them whole.
    let mut run = 0;
    for (i, b) in s.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            0..0x20 if !matches!(b, b'\t' | b'\n' | b'\r') => "",
            _ => continue,
        };
        out.push_str(&s[run..i]);
        out.push_str(rep);
        run = i + 1;
    }
    out.push_str(&s[run..]);
}

pub fn escaped(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape(s, &mut out);
    out
}

/// A link target from content: schemes that run code become `#`.
pub fn safe_url(url: &str) -> &str {
    let lower: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(12)
        .collect::<String>()
        .to_ascii_lowercase();
    let scheme_end = lower.find(':');
    match scheme_end {
        Some(i) if !lower[..i].contains(['/', '?', '#']) => {
            if matches!(&lower[..i], "http" | "https" | "mailto") {
                url
            } else {
                "#"
            }
        }
        _ => url,
    }
}

/// Footnote labels become ids: keep `[A-Za-z0-9_-]`, so any label yields a valid id.
pub fn footnote_id(label: &str) -> String {
    let cleaned: String = label
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("fn-{cleaned}")
}

/// How footnote references are written: on the reply page they point to `#fn-N`; elsewhere
/// (a concept page quoting a passage) to the reply page's footnote.
#[derive(Clone, Copy)]
pub struct Ctx<'a> {
    /// The site's base path (`/` or `/repo/`), which links to its pages get.
    pub base_path: &'a str,
    /// The site's language (BCP 47), which selects the edition of a linked UN document.
    pub site_language: &'a str,
    /// Prefix for footnote links (`""` on the page itself, `/states/x/` elsewhere).
    pub footnote_base: &'a str,
    /// Give the first reference to each footnote an id so the footnote can link back.
    pub footnote_backrefs: bool,
    pub allow_raw_html: bool,
}

/// Writes events as HTML.
pub fn push_events(out: &mut String, events: &[Event], ctx: Ctx) {
    let mut table_aligns: Vec<Alignment> = Vec::new();
    let mut in_head = false;
    let mut cell = 0usize;
    let mut image_alt: Option<String> = None;
    // The last character of text written, and whether a footnote mark follows text that is
    // not ASCII: the PDF's superscript left a space after it (`，[^2] 证明`) that is no part of
    // the UN's words between Chinese characters, as the open data has it too.
    let mut last_char: Option<char> = None;
    let mut mark_after_non_ascii = false;
    for e in events {
        // Only the text right after the mark loses its space.
        let after_mark = std::mem::take(&mut mark_after_non_ascii);
        if let Some(alt) = image_alt.as_mut() {
            match e {
                Event::End(TagEnd::Image) => {
                    out.push_str(" alt=\"");
                    escape(alt, out);
                    out.push_str("\">");
                    image_alt = None;
                }
                Event::Text(t) | Event::Code(t) => alt.push_str(t),
                _ => {}
            }
            continue;
        }
        match e {
            Event::Start(tag) => match tag {
                Tag::Paragraph => out.push_str("<p>"),
                Tag::Heading { level, .. } => {
                    out.push_str(&format!("<{level}>"));
                }
                Tag::BlockQuote(_) => out.push_str("<blockquote>"),
                Tag::CodeBlock(kind) => {
                    out.push_str("<pre><code");
                    if let CodeBlockKind::Fenced(lang) = kind
                        && let Some(lang) = lang.split_whitespace().next()
                    {
                        out.push_str(" class=\"language-");
                        escape(lang, out);
                        out.push('"');
                    }
                    out.push('>');
                }
                Tag::List(Some(1)) => out.push_str("<ol>"),
                Tag::List(Some(n)) => out.push_str(&format!("<ol start=\"{n}\">")),
                Tag::List(None) => out.push_str("<ul>"),
                Tag::Item => out.push_str("<li>"),
                Tag::Table(aligns) => {
                    table_aligns = aligns.clone();
                    out.push_str("<div class=\"table\"><table>");
                }
                Tag::TableHead => {
                    in_head = true;
                    cell = 0;
                    out.push_str("<thead><tr>");
                }
                Tag::TableRow => {
                    cell = 0;
                    out.push_str("<tr>");
                }
                Tag::TableCell => {
                    out.push_str(if in_head { "<th" } else { "<td" });
                    match table_aligns.get(cell) {
                        Some(Alignment::Left) => out.push_str(" class=\"al\""),
                        Some(Alignment::Center) => out.push_str(" class=\"ac\""),
                        Some(Alignment::Right) => out.push_str(" class=\"ar\""),
                        _ => {}
                    }
                    out.push('>');
                }
                Tag::Emphasis => out.push_str("<em>"),
                Tag::Strong => out.push_str("<strong>"),
                Tag::Strikethrough => out.push_str("<del>"),
                Tag::Link {
                    dest_url, title, ..
                } => {
                    let target = LinkTarget::of(dest_url);
                    out.push_str("<a href=\"");
                    escape(
                        safe_url(&target.href(ctx.base_path, ctx.site_language)),
                        out,
                    );
                    out.push('"');
                    if let LinkTarget::UnDocument(_) = target {
                        out.push_str(" class=\"un\"");
                    } else if !title.is_empty() {
                        out.push_str(" title=\"");
                        escape(title, out);
                        out.push('"');
                    }
                    out.push('>');
                }
                Tag::Image { dest_url, .. } => {
                    out.push_str("<img src=\"");
                    escape(safe_url(dest_url), out);
                    out.push('"');
                    image_alt = Some(String::new());
                }
                Tag::HtmlBlock => {}
                _ => {}
            },
            Event::End(tag) => match tag {
                TagEnd::Paragraph => out.push_str("</p>"),
                TagEnd::Heading(level) => out.push_str(&format!("</{level}>")),
                TagEnd::BlockQuote(_) => out.push_str("</blockquote>"),
                TagEnd::CodeBlock => out.push_str("</code></pre>"),
                TagEnd::List(true) => out.push_str("</ol>"),
                TagEnd::List(false) => out.push_str("</ul>"),
                TagEnd::Item => out.push_str("</li>"),
                TagEnd::Table => out.push_str("</tbody></table></div>"),
                TagEnd::TableHead => {
                    in_head = false;
                    out.push_str("</tr></thead><tbody>");
                }
                TagEnd::TableRow => out.push_str("</tr>"),
                TagEnd::TableCell => {
                    out.push_str(if in_head { "</th>" } else { "</td>" });
                    cell += 1;
                }
                TagEnd::Emphasis => out.push_str("</em>"),
                TagEnd::Strong => out.push_str("</strong>"),
                TagEnd::Strikethrough => out.push_str("</del>"),
                TagEnd::Link => out.push_str("</a>"),
                _ => {}
            },
            Event::Text(t) => {
                let mut t: &str = t;
                let rest = t.trim_start_matches(' ');
                if after_mark && rest.chars().next().is_some_and(|c| !c.is_ascii()) {
                    t = rest;
                }
                last_char = t.chars().next_back().or(last_char);
                escape(t, out)
            }
            Event::Code(t) => {
                out.push_str("<code>");
                escape(t, out);
                out.push_str("</code>");
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                if ctx.allow_raw_html {
                    out.push_str(h)
                } else {
                    escape(h, out)
                }
            }
            Event::SoftBreak => out.push('\n'),
            Event::HardBreak => out.push_str("<br>"),
            Event::Rule => out.push_str("<hr>"),
            Event::FootnoteReference(label) => {
                mark_after_non_ascii = last_char.is_some_and(|c| !c.is_ascii());
                let id = footnote_id(label);
                out.push_str("<sup class=\"fnref\"><a href=\"");
                escape(ctx.footnote_base, out);
                out.push('#');
                out.push_str(&id);
                out.push('"');
                if ctx.footnote_backrefs {
                    out.push_str(" id=\"ref-");
                    out.push_str(&id);
                    out.push('"');
                }
                out.push('>');
                escape(label, out);
                out.push_str("</a></sup>");
            }
            Event::TaskListMarker(done) => out.push_str(if *done {
                "<input type=\"checkbox\" disabled checked>"
            } else {
                "<input type=\"checkbox\" disabled>"
            }),
            Event::InlineMath(t) | Event::DisplayMath(t) => escape(t, out),
        }
    }
}

pub fn events_to_html(events: &[Event], ctx: Ctx) -> String {
    let mut s = String::new();
    push_events(&mut s, events, ctx);
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::markdown::parse;
    use std::path::Path;

    const CTX: Ctx = Ctx {
        base_path: "/",
        site_language: "zh-Hans",
        footnote_base: "",
        footnote_backrefs: true,
        allow_raw_html: false,
    };

    fn html(md: &str) -> String {
        let d = parse(Path::new("t.md"), md, 1, false).unwrap();
        let mut s = String::new();
        for b in &d.blocks {
            if let crate::content::BlockKind::Paragraph { events, .. }
            | crate::content::BlockKind::Other { events } = &b.kind
            {
                push_events(&mut s, events, CTX);
            }
        }
        s
    }

    #[test]
    fn no_space_after_a_footnote_mark_between_chinese_characters() {
        let sup = "<sup class=\"fnref\"><a href=\"#fn-2\" id=\"ref-fn-2\">2</a></sup>";
        assert_eq!(
            html("《巴黎呼吁》，[^2] 证明\n\n[^2]: 注。\n"),
            format!("《巴黎呼吁》，{sup}证明")
        );
        // Between Latin words, or before a link, the space stays.
        assert_eq!(
            html("the Call[^2] was\n\n[^2]: n\n"),
            format!("the Call{sup} was")
        );
        assert_eq!(
            html("呼吁[^2] the Call\n\n[^2]: n\n"),
            format!("呼吁{sup} the Call")
        );
        assert!(html("呼吁[^2] [链接](https://a.org/) 证明\n\n[^2]: n\n").contains("</sup> <a "));
    }

    #[test]
    fn text_and_attributes_are_escaped() {
        assert_eq!(
            html("<img src=x onerror=alert(1)> & \"q\""),
            "&lt;img src=x onerror=alert(1)&gt; &amp; &quot;q&quot;"
        );
        assert_eq!(
            html("[x](https://a.org/?a=1&b=\"2\")"),
            "<a href=\"https://a.org/?a=1&amp;b=&quot;2&quot;\">x</a>"
        );
    }

    #[test]
    fn escape_keeps_text_and_drops_control_characters() {
        assert_eq!(escaped("国际法 <a>\u{1}'\t\n"), "国际法 &lt;a&gt;&#39;\t\n");
        assert_eq!(escaped(""), "");
        assert_eq!(escaped("&"), "&amp;");
        // Each ASCII character alone and inside text, through both paths.
        for b in 0u8..0x80 {
            let c = char::from(b);
            let want = match c {
                '&' => "&amp;".to_string(),
                '<' => "&lt;".to_string(),
                '>' => "&gt;".to_string(),
                '"' => "&quot;".to_string(),
                '\'' => "&#39;".to_string(),
                '\t' | '\n' | '\r' => c.to_string(),
                _ if b < 0x20 => String::new(),
                _ => c.to_string(),
            };
            assert_eq!(escaped(&c.to_string()), want, "{c:?}");
            assert_eq!(
                escaped(&format!("规范{c}(j)")),
                format!("规范{want}(j)"),
                "{c:?}"
            );
        }
    }

    #[test]
    fn script_urls_are_neutralised() {
        assert_eq!(html("[x](javascript:alert(1))"), "<a href=\"#\">x</a>");
        assert_eq!(html("[x]( JavaScript:alert(1))"), "<a href=\"#\">x</a>");
        assert_eq!(safe_url("data:text/html,x"), "#");
        assert_eq!(safe_url("/states/x/#p1"), "/states/x/#p1");
        assert_eq!(safe_url("a/b:c"), "a/b:c");
    }

    #[test]
    fn footnote_references_keep_their_number() {
        assert_eq!(
            html("甲[^6]乙\n\n[^6]: 注\n"),
            "甲<sup class=\"fnref\"><a href=\"#fn-6\" id=\"ref-fn-6\">6</a></sup>乙"
        );
        assert_eq!(footnote_id("a b\"<"), "fn-a-b--");
    }

    #[test]
    fn tables_render() {
        let h = html("| a | b |\n|:-|-:|\n| 1 | 2 |\n");
        assert_eq!(
            h,
            "<div class=\"table\"><table><thead><tr><th class=\"al\">a</th><th class=\"ar\">b</th></tr></thead><tbody><tr><td class=\"al\">1</td><td class=\"ar\">2</td></tr></tbody></table></div>"
        );
    }
}
