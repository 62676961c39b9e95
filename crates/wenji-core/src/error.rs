//! Build diagnostics: every problem names the file, the line (and column where known), what
//! is wrong and how to fix it, like a compiler's message. A build collects all of them before
//! it gives up, so one run shows the maintainer every problem at once.

use std::fmt;
use std::path::{Path, PathBuf};

/// One located problem in the site's input.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// The file, relative to the site root where possible.
    pub file: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    pub message: String,
    /// What the maintainer can do about it.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(file: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.as_ref().to_path_buf(),
            line: None,
            column: None,
            message: message.into(),
            help: None,
        }
    }

    pub fn at(mut self, line: usize) -> Self {
        self.line = Some(line.max(1));
        self
    }

    pub fn at_column(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line.max(1));
        self.column = Some(column.max(1));
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// `text` with control characters (terminal escape codes, line breaks) and the characters
/// that reorder text on screen shown as escapes, so a message is one line that says what the
/// file name or value really holds and cannot drive the terminal.
pub fn escape_controls(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char =
        |c: char| c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if !text.contains(unsafe_char) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out.into()
}

/// A path as messages show it: control characters escaped.
pub fn shown(path: &Path) -> String {
    escape_controls(&path.to_string_lossy()).into_owned()
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error: {}", shown(&self.file))?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        write!(f, ": {}", escape_controls(&self.message))?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {}", escape_controls(help))?;
        }
        Ok(())
    }
}

/// All the problems one build found, sorted by file and line.
#[derive(Debug, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(other);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(())` when there is nothing to report, else every diagnostic, sorted.
    pub fn into_result(mut self) -> Result<(), BuildError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            self.0.sort();
            self.0.dedup();
            Err(BuildError(self.0))
        }
    }
}

/// A failed build: one or more diagnostics.
#[derive(Debug)]
pub struct BuildError(pub Vec<Diagnostic>);

impl From<Diagnostic> for BuildError {
    fn from(d: Diagnostic) -> Self {
        BuildError(vec![d])
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        if self.0.len() > 1 {
            write!(f, "\n{} errors", self.0.len())?;
        }
        Ok(())
    }
}

impl std::error::Error for BuildError {}

/// 1-based line number of a byte offset in `text`.
pub fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_file_line_and_help() {
        let d = Diagnostic::new("content/replies/x.md", "unknown key `titel`")
            .at_column(3, 1)
            .help("did you mean `title`?");
        assert_eq!(
            d.to_string(),
            "error: content/replies/x.md:3:1: unknown key `titel`\n  help: did you mean `title`?"
        );
    }

    #[test]
    fn control_characters_are_shown_escaped_on_one_line() {
        let d = Diagnostic::new("content/a\u{1b}[31m\nb.md", "bad `x\ry` \u{202e}txt.md");
        assert_eq!(
            d.to_string(),
            "error: content/a\\u{1b}[31m\\nb.md: bad `x\\ry` \\u{202e}txt.md"
        );
        assert_eq!(escape_controls("回复 ok"), "回复 ok");
    }

    #[test]
    fn line_of_counts_newlines_before_offset() {
        assert_eq!(line_of("a\nb\nc", 0), 1);
        assert_eq!(line_of("a\nb\nc", 2), 2);
        assert_eq!(line_of("a\nb\nc", 4), 3);
        assert_eq!(line_of("a", 99), 1);
    }
}
