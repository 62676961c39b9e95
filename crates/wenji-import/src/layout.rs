//! The printed layout of the series in each language of the UN: how a section heading, a
//! reply's "original language" line and its date line are printed, which punctuation closes a
//! sentence. The shape of a report is the same in every language edition; only these words and
//! marks differ, so a new language is a new entry here, and a new report of the series in a
//! language already here is data only (its seed and import plan).

use std::sync::LazyLock;

use regex::{Captures, Regex};

/// The marks of one language edition.
pub struct Layout {
    /// The plan's `[report] language` value (`zh`, `en`).
    pub language: &'static str,
    /// A section heading: the section's number (group 1) and its title (group 2).
    pub section: Regex,
    /// The number of the introduction's section (`一`, `I`).
    pub intro_section: &'static str,
    /// A reply's second line: the language of the original (group 1).
    pub original: Regex,
    /// How [`Layout::original`] is printed, for errors.
    pub original_shape: &'static str,
    /// A reply's third line: the date it was received as printed (group 1).
    pub received: Regex,
    /// How [`Layout::received`] is printed, for errors.
    pub received_shape: &'static str,
    /// (year, month, day) of a [`Layout::received`] match.
    date: fn(&Captures) -> Option<(u32, u32, u32)>,
    /// Marks that end a sentence or a clause: a short block ending otherwise is a heading.
    pub closing_marks: &'static [char],
    /// Between names in a list of names (in errors).
    pub name_separator: &'static str,
    /// Between the wrapped lines of a paragraph when they are joined: nothing between Chinese
    /// characters, a space between English words.
    pub line_join: &'static str,
}

impl std::fmt::Debug for Layout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Layout")
            .field("language", &self.language)
            .finish_non_exhaustive()
    }
}

impl Layout {
    /// The layout of a language of the UN, or `None` if it has none yet.
    pub fn of(language: &str) -> Option<&'static Layout> {
        LAYOUTS.iter().find(|l| l.language == language)
    }

    /// The languages with a layout, for errors.
    pub fn languages() -> Vec<&'static str> {
        LAYOUTS.iter().map(|l| l.language).collect()
    }

    /// The date of a received line that matched [`Layout::received`].
    pub fn date(&self, c: &Captures) -> Option<(u32, u32, u32)> {
        (self.date)(c)
    }
}

static LAYOUTS: LazyLock<[Layout; 2]> = LazyLock::new(|| {
    [
        Layout {
            language: "zh",
            section: Regex::new(r"^([一二三四五六七八九十]+)\. (.+)$").unwrap(),
            intro_section: "一",
            original: Regex::new(r"^\[原件：(.+)\]$").unwrap(),
            original_shape: "[原件：…]",
            received: Regex::new(r"^\[((\d{4}) 年 (\d{1,2}) 月 (\d{1,2}) 日)\]$").unwrap(),
            received_shape: "[yyyy 年 m 月 d 日]",
            date: |c| Some((c[2].parse().ok()?, c[3].parse().ok()?, c[4].parse().ok()?)),
            closing_marks: &['。', '；', '：', '！', '？', '，'],
            name_separator: "、",
            line_join: "",
        },
        Layout {
            language: "en",
            section: Regex::new(r"^([IVXL]+)\. (.+)$").unwrap(),
            intro_section: "I",
            original: Regex::new(r"^\[Original: (.+)\]$").unwrap(),
            original_shape: "[Original: …]",
            received: Regex::new(
                r"^\[((\d{1,2}) (January|February|March|April|May|June|July|August|September|October|November|December) (\d{4}))\]$",
            )
            .unwrap(),
            received_shape: "[d Month yyyy]",
            date: |c| {
                let month = MONTHS.iter().position(|m| *m == &c[3])? as u32 + 1;
                Some((c[4].parse().ok()?, month, c[2].parse().ok()?))
            },
            closing_marks: &['.', ';', ':', '!', '?', ','],
            name_separator: ", ",
            line_join: " ",
        },
    ]
});

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_language_reads_its_own_date_line() {
        let zh = Layout::of("zh").unwrap();
        let c = zh.received.captures("[2020 年 5 月 13 日]").unwrap();
        assert_eq!(zh.date(&c), Some((2020, 5, 13)));
        let en = Layout::of("en").unwrap();
        let c = en.received.captures("[13 May 2020]").unwrap();
        assert_eq!(en.date(&c), Some((2020, 5, 13)));
        assert_eq!(&c[1], "13 May 2020");
        assert!(en.received.captures("[2020 年 5 月 13 日]").is_none());
        assert!(en.received.captures("[13 Mai 2020]").is_none());
    }

    #[test]
    fn sections_and_originals_by_language() {
        let en = Layout::of("en").unwrap();
        let c = en
            .section
            .captures("II. Replies received from Governments")
            .unwrap();
        assert_eq!(&c[1], "II");
        assert!(en.original.is_match("[Original: French]"));
        assert!(!en.original.is_match("[原件：法文]"));
        assert!(
            Layout::of("zh")
                .unwrap()
                .section
                .is_match("二. 从各国政府收到的答复")
        );
        assert!(Layout::of("fr").is_none());
        assert_eq!(Layout::languages(), ["zh", "en"]);
    }
}
