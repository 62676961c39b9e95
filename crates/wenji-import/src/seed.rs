//! Stage 1 of the import: read the extracted lines of the seed and take the page apart.
//!
//! What comes out is the running text of the report as a list of *blocks* (one block per
//! printed paragraph, heading or list item, its wrapped lines joined), plus the footnotes
//! that were printed at page bottoms and the hyperlink targets that the extraction repeated
//! as bare lines. Nothing here knows about replies or Markdown.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use super::ImportError;
use super::fixes;
use super::plan::ImportPlan;

/// One printed paragraph, heading or list item: its lines joined, page furniture removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// Seed line (1-based) of the block's first line.
    pub line: usize,
    /// Leading spaces of the first line (the PDF's indentation, as extracted).
    pub indent: usize,
    /// The joined text, without leading or trailing spaces.
    pub text: String,
}

/// A footnote printed at a page bottom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Footnote {
    pub number: u32,
    /// Seed line of the footnote's first line.
    pub line: usize,
    pub text: String,
}

/// The seed taken apart.
#[derive(Debug, Default)]
pub struct Scanned {
    pub blocks: Vec<Block>,
    pub footnotes: BTreeMap<u32, Footnote>,
    /// Hyperlink targets printed as repeated bare lines (e.g. `http://www.sgdsn.gouv.fr/…`).
    pub link_targets: Vec<String>,
}

static RULE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^_{5,}$").unwrap());
static BARE_URL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^https?://\S+$").unwrap());
static FOOTNOTE_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^ +(\d{1,2})(?: +|(\D))(.*)$").unwrap());

/// Is line `i` (0-based) a bare hyperlink target that the extraction printed twice?
/// Only a line that holds nothing but one URL *and* is repeated on the line before or after
/// counts: a URL that is part of the text (wrapped onto its own line) is never dropped.
pub fn is_repeated_link_target(lines: &[&str], i: usize) -> bool {
    let line = lines[i];
    if !BARE_URL.is_match(line) {
        return false;
    }
    (i > 0 && lines[i - 1] == line) || (i + 1 < lines.len() && lines[i + 1] == line)
}

/// Characters that extraction may spread out with spaces in a justified line.
fn is_wide(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{303f}' | '\u{3400}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}' | '“' | '”')
}

/// A line whose characters were spread out with spaces to justify it: at least three wide
/// (Han or full-width) characters in a row, each followed by a single space.
pub fn is_spread(line: &str) -> bool {
    let chars: Vec<char> = line.trim().chars().collect();
    let mut run = 0;
    let mut i = 0;
    while i + 1 < chars.len() {
        if is_wide(chars[i]) && chars[i + 1] == ' ' {
            run += 1;
            if run >= 3 {
                return true;
            }
            i += 2;
        } else {
            run = 0;
            i += 1;
        }
    }
    false
}

/// Remove the spaces the extraction put between the characters of a spread-out line.
/// A space is kept only between two ASCII letters or digits (a real word space); every
/// space next to a Han character, a full-width sign or a bracket was inserted.
pub fn unspread(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' && i > 0 && i + 1 < chars.len() {
            let (a, b) = (chars[i - 1], chars[i + 1]);
            if !(a.is_ascii_alphanumeric() && b.is_ascii_alphanumeric()) {
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// Take the seed apart into blocks and footnotes. The plan gives the running heads (the
/// report's symbol, job number and page count) and the footnote reference positions.
pub fn scan(seed: &str, plan: &ImportPlan) -> Result<Scanned, ImportError> {
    let lines: Vec<&str> = seed.lines().collect();
    let mut out = Scanned::default();
    // Body lines that survive: (1-based line number, text).
    let mut body: Vec<(usize, String)> = Vec::new();
    let mut in_footnotes = false;
    let mut current_note: Option<Footnote> = None;

    for (i, &raw) in lines.iter().enumerate() {
        let no = i + 1;
        if raw.trim().is_empty() {
            continue;
        }
        if plan.is_page_head(raw) {
            continue;
        }
        if is_repeated_link_target(&lines, i) {
            if !out.link_targets.iter().any(|t| t == raw) {
                out.link_targets.push(raw.to_string());
            }
            // A repeated link target also ends a footnote block.
            if let Some(n) = current_note.take() {
                out.footnotes.insert(n.number, n);
            }
            in_footnotes = false;
            continue;
        }
        if RULE.is_match(raw.trim()) {
            if in_footnotes {
                return Err(ImportError::seed(
                    no,
                    "a second footnote rule inside a footnote block",
                ));
            }
            in_footnotes = true;
            continue;
        }
        let after_blank = i > 0 && lines[i - 1].trim().is_empty();
        if in_footnotes {
            if after_blank {
                if let Some(c) = FOOTNOTE_START.captures(raw) {
                    if let Some(n) = current_note.take() {
                        out.footnotes.insert(n.number, n);
                    }
                    let number: u32 = c[1].parse().expect("digits");
                    let mut text = String::new();
                    if let Some(m) = c.get(2) {
                        text.push_str(m.as_str());
                    }
                    text.push_str(c[3].trim());
                    if out.footnotes.contains_key(&number) {
                        return Err(ImportError::seed(
                            no,
                            format!("footnote {number} printed twice"),
                        ));
                    }
                    current_note = Some(Footnote {
                        number,
                        line: no,
                        text,
                    });
                    continue;
                }
                match current_note.as_mut() {
                    Some(n) => {
                        n.text.push_str(plan.layout.line_join);
                        n.text.push_str(raw.trim());
                        continue;
                    }
                    None => {
                        return Err(ImportError::seed(
                            no,
                            format!(
                                "expected a footnote (` N text`) after the rule, found {raw:?}"
                            ),
                        ));
                    }
                }
            }
            // A line that follows the previous one without a blank line: the page's running
            // text resumes here.
            if let Some(n) = current_note.take() {
                out.footnotes.insert(n.number, n);
            }
            in_footnotes = false;
        }
        body.push((no, fixes::apply_line_fixes(no, raw, plan)?));
    }
    if let Some(n) = current_note.take() {
        out.footnotes.insert(n.number, n);
    }
    // A listed footnote reference on a line that is not running text (blank, page furniture,
    // a footnote, beyond the end) was never applied: say so, rather than report the footnote
    // as unreferenced.
    if let Some(r) = plan
        .footnote_refs
        .iter()
        .find(|r| !body.iter().any(|(no, _)| *no == r.seed_line))
    {
        return Err(ImportError::seed(
            r.seed_line,
            format!(
                "listed footnote reference {}, but this line is not running text; correct the \
                 entry at {}",
                r.number,
                plan.at(r.plan_line)
            ),
        ));
    }
    out.blocks = join_blocks(&body, plan.layout.line_join);
    Ok(out)
}

/// Join wrapped lines into blocks. A printed paragraph, heading or list item ends with a line
/// that carries trailing spaces; lines inside one do not. The one exception is a URL that was
/// broken at a `/` with a space (`…/sites/default/ ` + `files/…`): that line continues.
fn join_blocks(body: &[(usize, String)], line_join: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut current: Option<Block> = None;
    // A URL broken at a `/` continues without a space in any language.
    let mut join = line_join;
    for (k, (no, raw)) in body.iter().enumerate() {
        let line = if is_spread(raw) {
            unspread(raw)
        } else {
            raw.clone()
        };
        let trimmed = line.trim();
        match current.as_mut() {
            None => {
                current = Some(Block {
                    line: *no,
                    indent: line.len() - line.trim_start_matches(' ').len(),
                    text: trimmed.to_string(),
                })
            }
            Some(b) => {
                b.text.push_str(join);
                b.text.push_str(trimmed);
            }
        }
        let ends = line.ends_with(' ');
        let url_continues = trimmed.ends_with('/')
            && body
                .get(k + 1)
                .and_then(|(_, next)| next.chars().next())
                .is_some_and(|c| c.is_ascii_graphic());
        join = if url_continues { "" } else { line_join };
        if ends && !url_continues {
            blocks.extend(current.take());
        }
    }
    blocks.extend(current.take());
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan;

    fn scan(seed: &str) -> Result<Scanned, ImportError> {
        super::scan(seed, &plan::example())
    }

    #[test]
    fn page_heads_are_recognised() {
        let p = plan::example();
        assert!(p.is_page_head(" A/75/123 "));
        assert!(p.is_page_head("A/75/123  "));
        assert!(p.is_page_head("31/74 20-08285 "));
        assert!(p.is_page_head("20-08285 62/74 "));
        assert!(!p.is_page_head("第 A/75/123 号文件"));
        assert!(!p.is_page_head(" 31/74 号决议"));
    }

    #[test]
    fn a_footnote_reference_listed_on_a_line_that_is_not_text_is_an_error() {
        // The example plan lists footnote 1 on line 406; this seed has three lines.
        let e = super::scan("一。 \n\n二。 \n", &plan::example_with_corrections()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "seed line 406: listed footnote reference 1, but this line is not running text; \
             correct the entry at example.import.toml:21"
        );
    }

    #[test]
    fn page_head_between_wrapped_lines_is_dropped_and_lines_joined() {
        let seed = " 此外，国家网络安全局\n\n A/75/123 \n\n\n\n31/74 20-08285 \n\n\n\n的政府计算机应急小组。 \n";
        let s = scan(seed).unwrap();
        assert_eq!(s.blocks.len(), 1);
        assert_eq!(
            s.blocks[0].text,
            "此外，国家网络安全局的政府计算机应急小组。"
        );
    }

    #[test]
    fn continuation_with_stray_indent_after_page_break_is_joined() {
        // Seed lines 69-70: the next page starts with a space but continues the sentence.
        let seed =
            " 欧安组织在埃里温举办联席圆桌会议，\n 与亚美尼亚利益攸关方讨论。 \n\n 下一段。 \n";
        let s = scan(seed).unwrap();
        assert_eq!(s.blocks.len(), 2);
        assert_eq!(
            s.blocks[0].text,
            "欧安组织在埃里温举办联席圆桌会议，与亚美尼亚利益攸关方讨论。"
        );
    }

    #[test]
    fn footnote_block_is_lifted_out_and_text_resumes() {
        // Seed lines 412-419.
        let seed = "加强打击网络犯罪的全面综合战略框架等方面\n\n__________________ \n\n 1 这一称谓不影响对地位问题的立场。 \n 作出贡献。波斯尼亚和黑塞哥维那安全部在该项目中是\n\n协调机构。 \n";
        let s = scan(seed).unwrap();
        assert_eq!(s.blocks.len(), 1);
        assert_eq!(
            s.blocks[0].text,
            "加强打击网络犯罪的全面综合战略框架等方面作出贡献。波斯尼亚和黑塞哥维那安全部在该项目中是协调机构。"
        );
        assert_eq!(s.footnotes[&1].text, "这一称谓不影响对地位问题的立场。");
        assert_eq!(s.footnotes[&1].line, 5);
    }

    #[test]
    fn multi_line_footnotes_and_repeated_targets() {
        // Seed lines 1832-1838 and 4968-4977.
        let seed = "问题。 \n\n__________________ \n\n 14 见题为“弹性”的联\n\n合通报。 \n\n 15  理事会第 10474/17 号结\n\n论。 \n 网络活动。 \n\n__________________ \n\n 2 可查阅：https://pariscall.international/en。 \n\nhttps://pariscall.international/en\nhttps://pariscall.international/en\n  在能力建设领域。 \n";
        let s = scan(seed).unwrap();
        let texts: Vec<&str> = s.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts, ["问题。", "网络活动。", "在能力建设领域。"]);
        assert_eq!(s.footnotes[&14].text, "见题为“弹性”的联合通报。");
        assert_eq!(s.footnotes[&15].text, "理事会第 10474/17 号结论。");
        assert_eq!(
            s.footnotes[&2].text,
            "可查阅：https://pariscall.international/en。"
        );
        assert_eq!(s.link_targets, ["https://pariscall.international/en"]);
    }

    #[test]
    fn footnote_number_glued_to_text() {
        let seed = "x。 \n\n__________________ \n\n 3可查阅：www.sgdsn.gouv.fr/a.pdf。 \n\nhttp://www.sgdsn.gouv.fr/a.pdf\nhttp://www.sgdsn.gouv.fr/a.pdf\n";
        let s = scan(seed).unwrap();
        assert_eq!(s.footnotes[&3].text, "可查阅：www.sgdsn.gouv.fr/a.pdf。");
    }

    #[test]
    fn a_single_url_line_is_text_not_a_repeated_target() {
        // Seed lines 159-163: a URL wrapped onto a line of its own is part of the text.
        let seed = "澳大利亚外交和贸易部网站：\n\nhttps://www.dfat.gov.au/themes/international-\n\nsecurity-and-cyberspace)。 \n";
        let s = scan(seed).unwrap();
        assert_eq!(
            s.blocks[0].text,
            "澳大利亚外交和贸易部网站：https://www.dfat.gov.au/themes/international-security-and-cyberspace)。"
        );
        assert!(s.link_targets.is_empty());
    }

    #[test]
    fn url_broken_at_a_slash_with_a_space_is_rejoined() {
        // Seed lines 141-145.
        let seed = " 网址：www.dfat.gov.au/sites/default/ \n\nfiles/australias-oewg-non-paper-\n\nin-cyberspace.pdf)。 \n";
        let s = scan(seed).unwrap();
        assert_eq!(s.blocks.len(), 1);
        assert_eq!(
            s.blocks[0].text,
            "网址：www.dfat.gov.au/sites/default/files/australias-oewg-non-paper-in-cyberspace.pdf)。"
        );
    }

    #[test]
    fn only_the_four_justified_lines_of_the_seed_are_spread() {
        let seed = include_str!("../../../sources/A-75-123-zh.txt");
        let spread: Vec<usize> = seed
            .lines()
            .enumerate()
            .filter(|(_, l)| is_spread(l))
            .map(|(i, _)| i + 1)
            .collect();
        assert_eq!(spread, [29, 132, 138, 181]);
    }

    #[test]
    fn only_repeated_bare_urls_of_the_seed_are_dropped() {
        let seed = include_str!("../../../sources/A-75-123-zh.txt");
        let lines: Vec<&str> = seed.lines().collect();
        let dropped: Vec<usize> = (0..lines.len())
            .filter(|&i| is_repeated_link_target(&lines, i))
            .collect();
        assert_eq!(dropped.len(), 62);
        // Dropped lines come in pairs; the text line that wraps a URL onto a line of its own
        // (seed line 161) is kept.
        assert!(
            dropped
                .chunks(2)
                .all(|p| p[1] == p[0] + 1 && lines[p[0]] == lines[p[1]])
        );
        assert!(!dropped.contains(&160));
    }

    #[test]
    fn spread_characters_are_joined() {
        assert!(is_spread("收 到 的 其 他 答 复 将 以 来 件"));
        assert!(!is_spread("2019 年 12 月 12 日，大会"));
        assert_eq!(
            unspread("收 到 的 其 他 答 复 将 以 来 件 原 文 语 言 登 载 于 裁 军 事 务 厅 网 站"),
            "收到的其他答复将以来件原文语言登载于裁军事务厅网站"
        );
        assert_eq!(
            unspread(
                "的 非 正 式 文 件 ( 可 查 阅 不 限 成 员 名 额 工 作 组 网 站 ： https://unoda-"
            ),
            "的非正式文件(可查阅不限成员名额工作组网站：https://unoda-"
        );
        assert_eq!(
            unspread("网 站 ： www.dfat.gov.au/x"),
            "网站：www.dfat.gov.au/x"
        );
    }
}
