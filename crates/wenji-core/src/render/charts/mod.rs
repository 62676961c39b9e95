//! Build-time pictures as inline SVG: a world map with chosen countries
//! highlighted and linked ([`world_map_svg`]), and horizontal bar charts
//! ([`bar_chart_svg`]).
//!
//! Every picture is plain SVG markup meant to be inlined in a page: no
//! scripts, no `style` attributes, no colours; CSS colours it through class
//! names (see `docs/charts.md`). The output is deterministic: the same input
//! gives the same bytes.

mod bar;
mod map;
pub mod projection;
pub mod topojson;

use std::fmt;

pub use bar::{Bar, bar_chart_svg};
pub use map::{MapHighlight, MapOptions, MapPoint, iso_numeric, world_map_svg, world_map_svg_with};

/// Why a picture could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChartError {
    /// The code is not an ISO 3166-1 alpha-3 (or alpha-2) country code.
    UnknownCode(String),
    /// The code is a known country, but neither the map data nor the
    /// fallback points nor the caller's points place it.
    NoGeometry(String),
    /// The same country was highlighted twice.
    DuplicateHighlight(String),
    /// The id prefix is not a valid XML name start (letters, digits, `-`, `_`; starting with a letter).
    BadIdPrefix(String),
    /// The embedded map data could not be read (a build defect).
    Data(String),
}

impl fmt::Display for ChartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChartError::UnknownCode(c) => write!(f, "unknown ISO 3166-1 country code {c:?}"),
            ChartError::NoGeometry(c) => write!(
                f,
                "no map geometry or point for country {c:?}; pass a MapPoint for it"
            ),
            ChartError::DuplicateHighlight(c) => {
                write!(f, "country {c:?} is highlighted more than once")
            }
            ChartError::BadIdPrefix(p) => write!(
                f,
                "invalid SVG id prefix {p:?}: use an ASCII letter then letters, digits, '-' or '_'"
            ),
            ChartError::Data(m) => write!(f, "embedded map data: {m}"),
        }
    }
}

impl std::error::Error for ChartError {}

/// Escapes text for XML character data and attribute values.
pub(crate) fn escape(s: &str) -> String {
    crate::render::html::escaped(s)
}

/// Whether `p` is usable as an id prefix: `[A-Za-z][A-Za-z0-9_-]*`.
pub(crate) fn valid_id_prefix(p: &str) -> bool {
    let mut chars = p.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Formats a length with at most one decimal, without a trailing `.0`.
pub(crate) fn num(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape(r#"<a & "b" 'c'>"#),
            "&lt;a &amp; &quot;b&quot; &#39;c&#39;&gt;"
        );
        assert_eq!(escape("x\u{1}y"), "xy");
    }

    #[test]
    fn numbers() {
        assert_eq!(num(3.0), "3");
        assert_eq!(num(3.04), "3");
        assert_eq!(num(3.25), "3.3");
        assert_eq!(num(-0.5), "-0.5");
    }

    #[test]
    fn id_prefixes() {
        assert!(valid_id_prefix("map-1_a"));
        assert!(!valid_id_prefix("1map"));
        assert!(!valid_id_prefix(""));
        assert!(!valid_id_prefix("a b"));
    }
}
