//! The hand corrections: the few places where a general rule would do worse than a listed fix.
//! The lists are data, in the report's import plan (`[corrections]`, see `plan` and
//! `docs/import.md`); this module applies them. Every entry names the seed line it applies to
//! and must match there exactly once, so that a changed seed fails loudly instead of being
//! corrected in the wrong place.

use super::ImportError;
use super::plan::ImportPlan;

/// Apply the line-level hand corrections to one seed line (1-based `no`): the listed footnote
/// references (`[corrections] footnote_refs`).
///
/// In the extracted text a footnote reference is an ordinary digit (`科索沃、1 塞尔维亚`),
/// indistinguishable by rule from the many real numbers around it (`11 项规范`,
/// `2015 年公布，9 2019 年`). So the places are listed: (seed line, the text just before the
/// number, the footnote number). The number becomes a Markdown reference `[^N]`; the text and
/// the spaces around it are kept.
pub fn apply_line_fixes(no: usize, line: &str, plan: &ImportPlan) -> Result<String, ImportError> {
    let mut out = line.to_string();
    for r in plan.footnote_refs.iter().filter(|r| r.seed_line == no) {
        let (before, n) = (&r.before, r.number);
        let needle = format!("{before}{n}");
        let hits = out.matches(&needle).count();
        if hits != 1 {
            return Err(ImportError::seed(
                no,
                format!(
                    "footnote reference {n} expected once after {before:?}, found {hits} times; \
                     correct the entry at {}",
                    plan.at(r.plan_line)
                ),
            ));
        }
        // The character after the number must not be another digit (`1` in `11`).
        let pos = out.find(&needle).expect("counted") + needle.len();
        if out[pos..].starts_with(|c: char| c.is_ascii_digit()) {
            return Err(ImportError::seed(
                no,
                format!(
                    "footnote reference {n} runs into more digits; correct the entry at {}",
                    plan.at(r.plan_line)
                ),
            ));
        }
        out = out.replacen(&needle, &format!("{before}[^{n}]"), 1);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan;

    #[test]
    fn footnote_reference_replaces_the_number_only() {
        let p = plan::example_with_corrections();
        let l = apply_line_fixes(
            406,
            "科索沃、1 塞尔维亚和北马其顿)和欧安组织外地特派团的代表合作开展的。该项",
            &p,
        )
        .unwrap();
        assert_eq!(
            l,
            "科索沃、[^1] 塞尔维亚和北马其顿)和欧安组织外地特派团的代表合作开展的。该项"
        );
        let l = apply_line_fixes(
            3184,
            " 爱尔兰《国防白皮书》(2015 年公布，9 2019 年更新10 )注意到",
            &p,
        )
        .unwrap();
        assert_eq!(
            l,
            " 爱尔兰《国防白皮书》(2015 年公布，[^9] 2019 年更新[^10] )注意到"
        );
        // Other lines are untouched.
        assert_eq!(
            apply_line_fixes(1, "科索沃、1 塞", &p).unwrap(),
            "科索沃、1 塞"
        );
    }

    #[test]
    fn a_moved_reference_is_an_error_naming_the_line_and_the_entry() {
        let e = apply_line_fixes(406, "科索沃、塞尔维亚", &plan::example_with_corrections())
            .unwrap_err();
        assert!(e.to_string().contains("seed line 406"), "{e}");
        assert!(
            e.to_string()
                .ends_with("correct the entry at example.import.toml:21"),
            "{e}"
        );
        let e = apply_line_fixes(
            406,
            "科索沃、11 塞尔维亚",
            &plan::example_with_corrections(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("runs into more digits"), "{e}");
    }
}
