//! Stage 2 of the import: turn blocks into Markdown following `docs/content-format.md`.
//!
//! A block is classified by how it starts and ends (heading, paragraph, bullet, dash item,
//! lettered item, numbered item), then written out: headings keep the reply's own numbering,
//! list markers become Markdown list markers, URLs become links. The words are not touched.

use std::sync::LazyLock;

use regex::Regex;

use super::plan::{HeadingLevel, ImportPlan};
use super::seed::Block;

/// What a block is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Heading,
    Paragraph,
    /// `• …`
    Bullet,
    /// `– …`
    Dash,
    /// `(a) …` standing as its own block.
    Lettered,
    /// `1. …` standing as its own block.
    Numbered,
}

static NUMBERED: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\d+\. ").unwrap());
static LETTERED: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\([a-z]\) ").unwrap());
static URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:https?://|www\.)[A-Za-z0-9\-._~:/?#@!$&'*+=%]*[A-Za-z0-9\-_~/#=]").unwrap()
});

/// Classify a block by its text. A block of at most `max_heading_chars` characters that does
/// not end with closing punctuation is a heading (the threshold is the plan's
/// `[rules] max_heading_chars`, measured on the report).
pub fn classify(block: &Block, max_heading_chars: usize, closing_marks: &[char]) -> Kind {
    let t = block.text.as_str();
    if t.starts_with('•') {
        return Kind::Bullet;
    }
    if t.starts_with('–') {
        return Kind::Dash;
    }
    let closes = t.ends_with(closing_marks);
    if !closes && t.chars().count() <= max_heading_chars {
        return Kind::Heading;
    }
    if LETTERED.is_match(t) {
        return Kind::Lettered;
    }
    if NUMBERED.is_match(t) {
        return Kind::Numbered;
    }
    Kind::Paragraph
}

/// Tracks the headings of one reply to choose Markdown levels.
#[derive(Debug)]
pub struct HeadingLevels<'a> {
    corrections: &'a [HeadingLevel],
    numbered_seen: bool,
    lettered_top_seen: bool,
}

impl<'a> HeadingLevels<'a> {
    /// Start a reply, with the listed corrections (`[corrections] heading_levels`).
    pub fn new(corrections: &'a [HeadingLevel]) -> Self {
        HeadingLevels {
            corrections,
            numbered_seen: false,
            lettered_top_seen: false,
        }
    }

    /// The level of a heading: a numbered heading (`1. …`) is `##`; a lettered one (`(a) …`)
    /// is `###` under a numbered one, else `##`; an unnumbered heading is `###` after a
    /// numbered or top-level lettered heading of the same reply, else `##`. The listed hand
    /// corrections win.
    pub fn level(&mut self, block: &Block) -> u8 {
        let t = block.text.as_str();
        let rule = if NUMBERED.is_match(t) {
            self.numbered_seen = true;
            2
        } else if LETTERED.is_match(t) {
            if self.numbered_seen {
                3
            } else {
                self.lettered_top_seen = true;
                2
            }
        } else if self.numbered_seen || self.lettered_top_seen {
            3
        } else {
            2
        };
        self.corrections
            .iter()
            .find(|c| c.seed_line == block.line)
            .map_or(rule, |c| c.level)
    }
}

/// Write URLs in running text as links: `https://…` as an autolink `<https://…>`, a bare
/// `www.…` as `[www.…](target)`, the target being the hyperlink target the PDF carried for it
/// (one of `link_targets`) or else `https://` + the text.
pub fn link_urls(text: &str, link_targets: &[String]) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut last = 0;
    for m in URL.find_iter(text) {
        out.push_str(&text[last..m.start()]);
        let url = m.as_str();
        if url.starts_with("www.") {
            let target = link_targets
                .iter()
                .find(|t| t.split_once("://").is_some_and(|(_, rest)| rest == url))
                .cloned()
                .unwrap_or_else(|| format!("https://{url}"));
            out.push_str(&format!("[{url}]({target})"));
        } else {
            out.push_str(&format!("<{url}>"));
        }
        last = m.end();
    }
    out.push_str(&text[last..]);
    out
}

/// Text after a list marker (`• `, `– `).
fn after_marker(t: &str) -> &str {
    let mut chars = t.chars();
    chars.next();
    chars.as_str().trim_start()
}

/// Render a sequence of blocks (one reply's body, or the introduction) as Markdown.
pub fn render_blocks(blocks: &[Block], link_targets: &[String], plan: &ImportPlan) -> String {
    let mut out = String::new();
    let mut levels = HeadingLevels::new(&plan.heading_levels);
    // The kind of the previous block, to keep list items of one list together.
    let mut prev: Option<Kind> = None;
    // Nesting context: a dash item right after a bullet item (or after dashes nested so)
    // belongs to that bullet; a lettered item after a numbered item belongs to it.
    let mut nested_under: Option<Kind> = None;
    for b in blocks {
        let kind = classify(b, plan.max_heading_chars, plan.layout.closing_marks);
        let text = link_urls(&b.text, link_targets);
        let (line, nested) = match kind {
            Kind::Heading => {
                let level = levels.level(b);
                (format!("{} {}", "#".repeat(level as usize), text), false)
            }
            Kind::Paragraph => (text, false),
            Kind::Bullet => (format!("- {}", after_marker(&text)), false),
            Kind::Dash => {
                let nested = matches!(prev, Some(Kind::Bullet))
                    || (matches!(prev, Some(Kind::Dash)) && nested_under == Some(Kind::Bullet));
                let item = format!("- {}", after_marker(&text));
                if nested {
                    (format!("  {item}"), true)
                } else {
                    (item, false)
                }
            }
            Kind::Lettered => {
                let nested = matches!(prev, Some(Kind::Numbered))
                    || (matches!(prev, Some(Kind::Lettered))
                        && nested_under == Some(Kind::Numbered));
                let item = format!("- {text}");
                if nested {
                    (format!("   {item}"), true)
                } else {
                    (item, false)
                }
            }
            Kind::Numbered => (text, false),
        };
        let same_list = matches!(
            (&prev, &kind),
            (Some(Kind::Bullet | Kind::Dash), Kind::Bullet | Kind::Dash)
                | (Some(Kind::Lettered), Kind::Lettered)
                | (Some(Kind::Numbered), Kind::Numbered)
        );
        // A nested lettered item sits in its numbered item: a blank line keeps it in the item
        // but the list stays one list.
        let tight =
            same_list && !(kind == Kind::Lettered && nested && prev == Some(Kind::Numbered));
        if !out.is_empty() {
            out.push_str(if tight { "\n" } else { "\n\n" });
        }
        out.push_str(&line);
        nested_under = match (nested, &kind) {
            (true, _) => nested_under.or(prev.clone()),
            (false, _) => None,
        };
        prev = Some(kind);
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan;

    fn classify(block: &Block) -> Kind {
        super::classify(
            block,
            60,
            crate::layout::Layout::of("zh").unwrap().closing_marks,
        )
    }

    fn render_blocks(blocks: &[Block], link_targets: &[String]) -> String {
        super::render_blocks(blocks, link_targets, &plan::example())
    }

    fn b(line: usize, text: &str) -> Block {
        Block {
            line,
            indent: 1,
            text: text.to_string(),
        }
    }

    #[test]
    fn headings_are_short_unpunctuated_blocks() {
        assert_eq!(classify(&b(1, "国际法")), Kind::Heading);
        assert_eq!(
            classify(&b(1, "1. 对网络安全问题的总体评估")),
            Kind::Heading
        );
        assert_eq!(classify(&b(1, "(a) 信息安全专门委员会")), Kind::Heading);
        assert_eq!(
            classify(&b(1, "负责任行为标准的定义：一项重大成就")),
            Kind::Heading
        );
        assert_eq!(
            classify(&b(1, "可以与有需要的任何机构共享相关数据。")),
            Kind::Paragraph
        );
        assert_eq!(
            classify(&b(1, "哥伦比亚将积极参加各种国际论坛，")),
            Kind::Paragraph
        );
        let long = "关于在技术和政策层面确定国家联络点以处理严重的信通技术事件，信息和通信技术部已明确确定负责处理数字安全各个层面的个人。可以与有需要的任何机构共享相关数据";
        assert_eq!(classify(&b(1, long)), Kind::Paragraph);
    }

    #[test]
    fn list_items_are_recognised() {
        assert_eq!(classify(&b(1, "• 能力发展")), Kind::Bullet);
        assert_eq!(classify(&b(1, "– 经济")), Kind::Dash);
        assert_eq!(
            classify(&b(
                1,
                "(a) 建设有抵御力的基础设施。新加坡网络安全局制定了计划。"
            )),
            Kind::Lettered
        );
        assert_eq!(
            classify(&b(
                1,
                "2. 确定在政策层面能够讨论半球网络威胁影响的国家联络点；"
            )),
            Kind::Numbered
        );
    }

    #[test]
    fn heading_levels_follow_the_reply_numbering() {
        let mut l = HeadingLevels::new(&[]);
        assert_eq!(l.level(&b(1, "导言")), 2);
        assert_eq!(l.level(&b(2, "1. 信息技术")), 2);
        assert_eq!(l.level(&b(3, "(a) 信息安全专门委员会")), 3);
        assert_eq!(l.level(&b(4, "负责任行为标准的定义")), 3);
        let mut l = HeadingLevels::new(&[]);
        assert_eq!(l.level(&b(1, "(a) 在国家一级")), 2);
        assert_eq!(l.level(&b(2, "现有和新出现的威胁")), 3);
        // A listed correction wins.
        let p = plan::example_with_corrections();
        let mut l = HeadingLevels::new(&p.heading_levels);
        assert_eq!(l.level(&b(481, "波斯尼亚和黑塞哥维那联邦")), 4);
    }

    #[test]
    fn urls_become_links() {
        assert_eq!(
            link_urls(
                "(可查阅：https://unoda-web.s3.amazonaws.com/a-b/c.pdf；外交",
                &[]
            ),
            "(可查阅：<https://unoda-web.s3.amazonaws.com/a-b/c.pdf>；外交"
        );
        assert_eq!(
            link_urls("网站(https://www.guvenlinet.org.tr/)，家", &[]),
            "网站(<https://www.guvenlinet.org.tr/>)，家"
        );
        let targets = vec!["http://www.gov.ie/en/x-2019/".to_string()];
        assert_eq!(
            link_urls("可查阅 www.gov.ie/en/x-2019/。", &targets),
            "可查阅 [www.gov.ie/en/x-2019/](http://www.gov.ie/en/x-2019/)。"
        );
        assert_eq!(
            link_urls("(www.un.org/disarmament/ict-security)。", &[]),
            "([www.un.org/disarmament/ict-security](https://www.un.org/disarmament/ict-security))。"
        );
        assert_eq!(
            link_urls("v3.3-publication.pdf 和", &[]),
            "v3.3-publication.pdf 和"
        );
    }

    #[test]
    fn lists_render_as_markdown_lists() {
        let blocks = [
            b(1, "法国："),
            b(2, "• 乌克兰政府的决议草案已经拟定"),
            b(3, "– 关键基础设施指定程序的批准"),
            b(4, "– 批准议定书。"),
            b(5, "• 能力发展"),
            b(6, "– 经济"),
            b(7, "后文。"),
        ];
        assert_eq!(
            render_blocks(&blocks, &[]),
            "法国：\n\n- 乌克兰政府的决议草案已经拟定\n  - 关键基础设施指定程序的批准\n  - 批准议定书。\n- 能力发展\n  - 经济\n\n后文。\n"
        );
        let blocks = [b(1, "以下：；"), b(2, "– 国家的利益和主权"), b(3, "– 经济")];
        assert_eq!(
            render_blocks(&blocks, &[]),
            "以下：；\n\n- 国家的利益和主权\n- 经济\n"
        );
    }

    #[test]
    fn lettered_and_numbered_items() {
        let blocks = [
            b(1, "2. 在第 74/28 号决议第 2 段中，大会请所有会员国："),
            b(2, "(a) 在国家一级所作的努力；"),
            b(3, "(b) 概念的内容。"),
            b(4, "3. 根据这一要求，发出一份普通照会。"),
        ];
        assert_eq!(
            render_blocks(&blocks, &[]),
            "2. 在第 74/28 号决议第 2 段中，大会请所有会员国：\n\n   - (a) 在国家一级所作的努力；\n   - (b) 概念的内容。\n\n3. 根据这一要求，发出一份普通照会。\n"
        );
        let blocks = [
            b(1, "以下三个方面："),
            b(2, "(a) 建设有抵御力的基础设施。很长。"),
            b(3, "(b) 创建一个更安全的网络空间。"),
        ];
        assert_eq!(
            render_blocks(&blocks, &[]),
            "以下三个方面：\n\n- (a) 建设有抵御力的基础设施。很长。\n- (b) 创建一个更安全的网络空间。\n"
        );
    }
}
