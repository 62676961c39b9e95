//! The hand corrections: the few places where a general rule would do worse than a listed fix.
//! Every entry names the seed line it applies to and must match there exactly once, so that a
//! changed seed fails loudly instead of being corrected in the wrong place. Each table is
//! listed in `docs/import.md`.

use super::ImportError;

/// Where each footnote's reference number stands in the running text.
///
/// In the extracted text a footnote reference is an ordinary digit (`科索沃、1 塞尔维亚`),
/// indistinguishable by rule from the many real numbers around it (`11 项规范`,
/// `2015 年公布，9 2019 年`). So the places are listed: (seed line, the text just before the
/// number, the footnote number). The number becomes a Markdown reference `[^N]`; the text and
/// the spaces around it are kept.
pub const FOOTNOTE_REFS: &[(usize, &str, u32)] = &[
    (406, "科索沃、", 1),
    (1806, "《巴黎呼吁》，", 2),
    (1876, "的战略评估中，", 3),
    (2281, "行为”。", 4),
    (2292, "原则得到尊重。", 5),
    (2462, "积极合作下，", 6),
    (2464, "行动计划第三稿。", 7),
    (3142, "关键行动和目标。", 8),
    (3184, "2015 年公布，", 9),
    (3184, "2019 年更新", 10),
    (4077, "国家关键信息基础设施", 11),
    (4875, "网络安全战略", 12),
    (4885, "理事会结论中强调，", 13),
    (4914, "安全》的联合通报", 14),
    (4920, "网络外交工具箱。", 15),
    (5031, "联合国人权理事会", 16),
];

/// Heading levels that the general rule (see `markdown::heading_level`) gets wrong, because
/// the extracted text does not show the typographic level of an unnumbered heading.
/// (seed line of the heading, Markdown level.)
pub const HEADING_LEVELS: &[(usize, u8)] = &[
    // Bosnia and Herzegovina: "State level", "Entity level" > "Federation", "Republika Srpska".
    (271, 3),
    (479, 3),
    (481, 4),
    (502, 4),
    // Denmark: the three concepts under "The content of the concepts…".
    (1595, 3),
    (1620, 3),
    (1678, 3),
    // Honduras: numbered sections 1-8 under the report's own title.
    (2588, 3),
    (2598, 3),
    (2606, 3),
    (2620, 3),
    (2644, 3),
    (2689, 3),
    (2695, 3),
    (2703, 3),
    // Indonesia: national and international efforts under "national efforts".
    (2944, 3),
    (2980, 3),
    // Ireland: sub-headings under its two main headings.
    (3136, 3),
    (3182, 3),
    (3208, 3),
    (3232, 3),
    (3242, 3),
    (3258, 3),
    (3272, 3),
    (3293, 3),
    (3307, 3),
    (3323, 3),
    (3335, 3),
    // Italy: "Cyber defence" under the national efforts heading.
    (3506, 3),
    // United Arab Emirates: sections under the report's own title.
    (4717, 3),
    (4725, 3),
    (4792, 3),
    (4822, 3),
];

/// Apply the line-level hand corrections to one seed line (1-based `no`).
pub fn apply_line_fixes(no: usize, line: &str) -> Result<String, ImportError> {
    let mut out = line.to_string();
    for &(at, before, n) in FOOTNOTE_REFS.iter().filter(|(at, _, _)| *at == no) {
        let needle = format!("{before}{n}");
        let hits = out.matches(&needle).count();
        if hits != 1 {
            return Err(ImportError::seed(
                at,
                format!(
                    "footnote reference {n} expected once after {before:?}, found {hits} times"
                ),
            ));
        }
        // The character after the number must not be another digit (`1` in `11`).
        let pos = out.find(&needle).expect("counted") + needle.len();
        if out[pos..].starts_with(|c: char| c.is_ascii_digit()) {
            return Err(ImportError::seed(
                at,
                format!("footnote reference {n} runs into more digits"),
            ));
        }
        out = out.replacen(&needle, &format!("{before}[^{n}]"), 1);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn footnote_reference_replaces_the_number_only() {
        let l = apply_line_fixes(
            406,
            "科索沃、1 塞尔维亚和北马其顿)和欧安组织外地特派团的代表合作开展的。该项",
        )
        .unwrap();
        assert_eq!(
            l,
            "科索沃、[^1] 塞尔维亚和北马其顿)和欧安组织外地特派团的代表合作开展的。该项"
        );
        let l = apply_line_fixes(
            3184,
            " 爱尔兰《国防白皮书》(2015 年公布，9 2019 年更新10 )注意到",
        )
        .unwrap();
        assert_eq!(
            l,
            " 爱尔兰《国防白皮书》(2015 年公布，[^9] 2019 年更新[^10] )注意到"
        );
        // Other lines are untouched.
        assert_eq!(apply_line_fixes(1, "科索沃、1 塞").unwrap(), "科索沃、1 塞");
    }

    #[test]
    fn a_moved_reference_is_an_error_naming_the_line() {
        let e = apply_line_fixes(406, "科索沃、塞尔维亚").unwrap_err();
        assert!(e.to_string().contains("seed line 406"), "{e}");
    }

    #[test]
    fn tables_are_sorted_and_unique() {
        assert!(FOOTNOTE_REFS.windows(2).all(|w| w[0].2 + 1 == w[1].2));
        assert!(HEADING_LEVELS.windows(2).all(|w| w[0].0 < w[1].0));
    }
}
