//! Horizontal bar charts with text labels and values.

use std::fmt::Write as _;

use super::{escape, num, valid_id_prefix};

/// One bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
    /// Label written left of the bar (Chinese or Latin text).
    pub label: String,
    /// Value; the bar's length is proportional to it.
    pub value: u32,
    /// Optional link for the row.
    pub href: Option<String>,
}

/// Font size in px the layout assumes (also set on the chart).
const FONT: f64 = 14.0;
const ROW: f64 = 26.0;
const BAR_HEIGHT: f64 = 16.0;
const BAR_MAX: f64 = 320.0;
const GAP: f64 = 8.0;
const PAD: f64 = 4.0;

/// Estimated advance of `s` in em: CJK and full-width characters 1em,
/// Latin letters, digits and ASCII punctuation ~0.55em, others 0.6em.
pub(crate) fn text_em(s: &str) -> f64 {
    s.chars()
        .map(|c| {
            let u = c as u32;
            if c.is_ascii() {
                0.55
            } else if (0x1100..=0x115F).contains(&u)
                || (0x2E80..=0xA4CF).contains(&u)
                || (0xAC00..=0xD7A3).contains(&u)
                || (0xF900..=0xFAFF).contains(&u)
                || (0xFE30..=0xFE4F).contains(&u)
                || (0xFF00..=0xFF60).contains(&u)
                || (0xFFE0..=0xFFE6).contains(&u)
                || (0x20000..=0x3FFFD).contains(&u)
            {
                1.0
            } else {
                0.6
            }
        })
        .sum()
}

/// Renders `bars` as a horizontal bar chart, top to bottom in the given order.
///
/// The SVG has `role="img"` and is labelled by its `<title>`; when any bar has
/// an `href`, the rows are links and the SVG is `role="group"` instead (an
/// image's children are hidden from assistive technology, links included), each
/// link named "label: value". Every `id` starts with `id_prefix` (an invalid
/// prefix is replaced by `chart`, made of the valid characters where possible).
/// Classes: `bar-chart`, `chart-row`, `chart-label`, `chart-bar`, `chart-value`.
///
/// The layout assumes 14px text (set with `font-size` on the chart); the SVG
/// carries `width`/`height` equal to its viewBox, so it shows at that size
/// unless CSS scales it (`max-width: 100%; height: auto`).
pub fn bar_chart_svg(id_prefix: &str, title: &str, bars: &[Bar]) -> String {
    let prefix = sanitize_prefix(id_prefix);
    let label_w = bars
        .iter()
        .map(|b| text_em(&b.label) * FONT)
        .fold(0.0, f64::max)
        .ceil();
    let value_w = bars
        .iter()
        .map(|b| text_em(&b.value.to_string()) * FONT)
        .fold(0.0, f64::max)
        .ceil();
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0);
    let bar_x = PAD + label_w + GAP;
    let width = (bar_x + BAR_MAX + GAP + value_w + PAD).ceil();
    let height = (2.0 * PAD + ROW * bars.len() as f64).ceil();
    let linked = bars.iter().any(|b| b.href.is_some());
    let role = if linked { "group" } else { "img" };

    let mut s = String::new();
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" \
         height=\"{h}\" class=\"bar-chart\" \
         role=\"{role}\" aria-labelledby=\"{p}-title\" font-size=\"{f}\">\
         <title id=\"{p}-title\">{t}</title>",
        w = num(width),
        h = num(height),
        p = prefix,
        f = num(FONT),
        t = escape(title),
    );
    for (i, b) in bars.iter().enumerate() {
        let top = PAD + ROW * i as f64;
        let mid = top + ROW / 2.0;
        // Baseline about 0.35em below the middle centres the text.
        let baseline = mid + 0.35 * FONT;
        let len = if max == 0 {
            0.0
        } else {
            BAR_MAX * f64::from(b.value) / f64::from(max)
        };
        let label = escape(&b.label);
        match (&b.href, linked) {
            (Some(href), _) => {
                let _ = write!(
                    s,
                    "<a class=\"chart-row\" href=\"{}\" aria-label=\"{label}: {}\">",
                    escape(href),
                    b.value
                );
            }
            (None, true) => {
                let _ = write!(
                    s,
                    "<g class=\"chart-row\" role=\"img\" aria-label=\"{label}: {}\">",
                    b.value
                );
            }
            (None, false) => s.push_str("<g class=\"chart-row\">"),
        }
        let _ = write!(
            s,
            "<text class=\"chart-label\" x=\"{lx}\" y=\"{by}\" text-anchor=\"end\">{label}</text>\
             <rect class=\"chart-bar\" x=\"{bx}\" y=\"{ry}\" width=\"{bw}\" height=\"{bh}\"/>\
             <text class=\"chart-value\" x=\"{vx}\" y=\"{by}\">{v}</text>",
            lx = num(PAD + label_w),
            by = num(baseline),
            bx = num(bar_x),
            ry = num(mid - BAR_HEIGHT / 2.0),
            bw = num(len),
            bh = num(BAR_HEIGHT),
            vx = num(bar_x + len + GAP / 2.0),
            v = b.value,
        );
        s.push_str(if b.href.is_some() { "</a>" } else { "</g>" });
    }
    s.push_str("</svg>");
    s
}

fn sanitize_prefix(p: &str) -> String {
    if valid_id_prefix(p) {
        return p.to_owned();
    }
    let kept: String = p
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    let candidate = format!("chart-{kept}");
    if kept.is_empty() || !valid_id_prefix(&candidate) {
        "chart".to_owned()
    } else {
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bars() -> Vec<Bar> {
        vec![
            Bar {
                label: "亚美尼亚".into(),
                value: 12,
                href: None,
            },
            Bar {
                label: r#"A<b>&"c""#.into(),
                value: 3,
                href: None,
            },
            Bar {
                label: "零".into(),
                value: 0,
                href: None,
            },
        ]
    }

    #[test]
    fn escapes_labels_and_is_well_formed() {
        let svg = bar_chart_svg("c1", "Title <&>", &bars());
        assert!(svg.contains("A&lt;b&gt;&amp;&quot;c&quot;"), "{svg}");
        assert!(svg.contains("<title id=\"c1-title\">Title &lt;&amp;&gt;</title>"));
        let doc = roxmltree::Document::parse(&svg).expect("well-formed XML");
        let root = doc.root_element();
        assert_eq!(root.attribute("role"), Some("img"));
        assert_eq!(root.attribute("aria-labelledby"), Some("c1-title"));
        let labels: Vec<_> = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("chart-label"))
            .map(|n| n.text().unwrap_or_default().to_owned())
            .collect();
        assert_eq!(labels, ["亚美尼亚", r#"A<b>&"c""#, "零"]);
        assert!(!svg.contains("style"));
    }

    #[test]
    fn bar_lengths_and_widths() {
        let svg = bar_chart_svg("c", "t", &bars());
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let widths: Vec<f64> = doc
            .descendants()
            .filter(|n| n.has_tag_name("rect"))
            .map(|n| n.attribute("width").unwrap().parse().unwrap())
            .collect();
        assert_eq!(widths, [320.0, 80.0, 0.0]);
        // The label column fits the widest label: eight Latin characters at
        // 0.55em of 14px (61.6px, rounded up), wider than four CJK characters (56px).
        let x: f64 = doc
            .descendants()
            .find(|n| n.has_tag_name("rect"))
            .unwrap()
            .attribute("x")
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(x, PAD + 62.0 + GAP);
        assert_eq!(text_em("ab"), 1.1);
        assert_eq!(text_em("中文"), 2.0);
    }

    #[test]
    fn links_make_a_group() {
        let mut b = bars();
        b[0].href = Some("/a?x=1&y=2".into());
        let svg = bar_chart_svg("9bad id", "t", &b);
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let root = doc.root_element();
        assert_eq!(root.attribute("role"), Some("group"));
        assert_eq!(
            root.attribute("aria-labelledby"),
            Some("chart-9badid-title")
        );
        let a: Vec<_> = doc.descendants().filter(|n| n.has_tag_name("a")).collect();
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].attribute("href"), Some("/a?x=1&y=2"));
        assert_eq!(a[0].attribute("aria-label"), Some("亚美尼亚: 12"));
    }

    #[test]
    fn deterministic_and_empty() {
        assert_eq!(
            bar_chart_svg("c", "t", &bars()),
            bar_chart_svg("c", "t", &bars())
        );
        let empty = bar_chart_svg("c", "t", &[]);
        roxmltree::Document::parse(&empty).unwrap();
        if let Ok(dir) = std::env::var("WENJI_CHARTS_OUT") {
            let mut b = bars();
            b.push(Bar {
                label: "欧洲联盟 (EU)".into(),
                value: 7,
                href: Some("/eu/".into()),
            });
            b.push(Bar {
                label: "波斯尼亚和黑塞哥维那".into(),
                value: 1234,
                href: Some("/bih/".into()),
            });
            let svg = bar_chart_svg("c", "答复篇幅", &b);
            std::fs::write(format!("{dir}/bar.svg"), svg).unwrap();
        }
    }
}
