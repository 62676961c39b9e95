//! The URL scheme, in one place: every published path is made here, so the scheme documented
//! in the README is the scheme the site has. Paths are relative to the base URL and end in `/`.

use crate::config::Sections;

pub fn home() -> String {
    String::new()
}

pub fn reply(sections: &Sections, slug: &str) -> String {
    format!("{}/{slug}/", sections.replies)
}

pub fn replies(sections: &Sections) -> String {
    format!("{}/", sections.replies)
}

pub fn concept(sections: &Sections, slug: &str) -> String {
    format!("{}/{slug}/", sections.concepts)
}

pub fn concepts(sections: &Sections) -> String {
    format!("{}/", sections.concepts)
}

pub fn page(slug: &str) -> String {
    format!("{slug}/")
}

pub fn documents(sections: &Sections) -> String {
    format!("{}/", sections.documents)
}

pub fn matrix(sections: &Sections) -> String {
    format!("{}/", sections.matrix)
}

pub fn search(sections: &Sections) -> String {
    format!("{}/", sections.search)
}

/// The folder of the search index of the pages in `language`: `search/` for the site's own
/// language, `search/<language>/` for another, which is also that language's search page.
pub fn search_index(site_language: &str, language: &str) -> String {
    if language == site_language {
        crate::search::DEFAULT_FOLDER.to_string()
    } else {
        format!("{}{language}/", crate::search::DEFAULT_FOLDER)
    }
}

pub fn data(sections: &Sections) -> String {
    format!("{}/", sections.data)
}

/// Paragraph anchor within a reply.
pub fn para_anchor(n: u32) -> String {
    format!("p{n}")
}

/// The file a page path is written to.
pub fn file_of(path: &str) -> String {
    format!("{path}index.html")
}

/// Slugs and section names are checked where the config is read, with the same rule.
pub use crate::config::valid_slug;

/// An alias is a site path such as `old/path/` or `/old/path/`: segments of safe characters.
pub fn normalize_alias(alias: &str) -> Option<String> {
    let trimmed = alias.trim_start_matches('/');
    if trimmed.is_empty() || alias.starts_with("//") {
        return None;
    }
    let path = trimmed.strip_suffix('/').unwrap_or(trimmed);
    let ok = path.split('/').all(|seg| {
        !seg.is_empty()
            && seg != "."
            && seg != ".."
            && seg
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    });
    ok.then(|| format!("{path}/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_cannot_leave_the_output() {
        for bad in ["", "../x", "a/b", "/abs", "a\\b", "a\0b", "A", "中文", "-x"] {
            assert!(!valid_slug(bad), "{bad:?}");
        }
        assert!(valid_slug("bosnia-and-herzegovina"));
    }

    #[test]
    fn aliases_are_normalised_or_refused() {
        assert_eq!(
            normalize_alias("/old/armenia").as_deref(),
            Some("old/armenia/")
        );
        assert_eq!(
            normalize_alias("old/armenia/").as_deref(),
            Some("old/armenia/")
        );
        for bad in [
            "../x",
            "/a/../../b",
            "//host/x",
            "a\\b",
            "a\0b",
            "/",
            "a//b",
            "./a",
        ] {
            assert_eq!(normalize_alias(bad), None, "{bad:?}");
        }
    }
}
