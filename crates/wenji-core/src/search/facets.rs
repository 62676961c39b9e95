//! `search/f.json`: what the search page's filters need (region group, reply, concept), kept
//! apart from the index so that only the search page loads it.
//!
//! ```json
//! {"regions":[["asia-pacific","亚太国家组"],…],
//!  "concepts":[["norm-j","规范(j)"],…],
//!  "editions":[["","A/75/123"],["a76","A/76/136"]],
//!  "groups":[["armenia",3,0],["",-1,-1],…],
//!  "docs":[[0,4,7,…],…]}
//! ```
//!
//! `groups` follows `search/g.json`: per group its filter key (the reply's slug, "" for other
//! pages), its region (an index into `regions`, -1 for none) and, when there is `editions`,
//! its edition (an index into `editions`, -1 for a page that is no reply). `docs[k]` lists the
//! doc ids tagged with concept `k`, ascending, the first absolute and the others as
//! differences. `editions` (key = the edition's URL prefix, "" for the site's first edition;
//! label = its report's symbol) is there only when the index holds more than one edition:
//! one-edition sites keep the file they had, and the browser shows no report filter.

use super::SearchFile;

fn push_json_string(out: &mut String, s: &str) {
    let mut v = Vec::new();
    crate::json_text::write_str(&mut v, s);
    out.push_str(&String::from_utf8_lossy(&v));
}

/// The filter values and what carries them; see the module documentation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facets {
    /// (key, label) of each region group, in display order.
    pub regions: Vec<(String, String)>,
    /// (key, label) of each concept, in display order.
    pub concepts: Vec<(String, String)>,
    /// (key, label) of each edition in the index; empty when there is only one.
    pub editions: Vec<(String, String)>,
    /// Per group of `search/g.json`: its reply, region and edition.
    pub groups: Vec<Group>,
    /// Per concept: its doc ids, ascending.
    pub concept_docs: Vec<Vec<u32>>,
}

/// What the filters know of a group of `search/g.json` (a page).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Group {
    /// The reply's key (its slug), "" for a page that is no reply.
    pub reply: String,
    /// Index into `Facets::regions`.
    pub region: Option<usize>,
    /// Index into `Facets::editions`.
    pub edition: Option<usize>,
}

fn index_or_minus_one(i: Option<usize>) -> String {
    i.map_or("-1".into(), |i| i.to_string())
}

fn pair(out: &mut String, a: &str, b: &str) {
    out.push('[');
    push_json_string(out, a);
    out.push(',');
    push_json_string(out, b);
    out.push(']');
}

/// The file `f.json` of the index in `folder` (`search/f.json` for `search/`) for `facets`.
pub fn facets_file(folder: &str, facets: &Facets) -> SearchFile {
    let mut out = String::from("{\"regions\":[");
    for (i, (k, l)) in facets.regions.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        pair(&mut out, k, l);
    }
    out.push_str("],\"concepts\":[");
    for (i, (k, l)) in facets.concepts.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        pair(&mut out, k, l);
    }
    let with_editions = !facets.editions.is_empty();
    if with_editions {
        out.push_str("],\"editions\":[");
        for (i, (k, l)) in facets.editions.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            pair(&mut out, k, l);
        }
    }
    out.push_str("],\"groups\":[");
    for (i, g) in facets.groups.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('[');
        push_json_string(&mut out, &g.reply);
        out.push(',');
        out.push_str(&index_or_minus_one(g.region));
        if with_editions {
            out.push(',');
            out.push_str(&index_or_minus_one(g.edition));
        }
        out.push(']');
    }
    out.push_str("],\"docs\":[");
    for (i, docs) in facets.concept_docs.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('[');
        let mut prev = 0;
        for (j, &d) in docs.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            out.push_str(&(d - if j == 0 { 0 } else { prev }).to_string());
            prev = d;
        }
        out.push(']');
    }
    out.push_str("]}");
    SearchFile {
        path: format!("{}f.json", super::index::folder_prefix(folder)),
        bytes: out.into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(reply: &str, region: Option<usize>, edition: Option<usize>) -> Group {
        Group {
            reply: reply.into(),
            region,
            edition,
        }
    }

    #[test]
    fn facets_file_is_the_documented_json() {
        let f = Facets {
            regions: vec![("asia-pacific".into(), "亚太\"组".into())],
            concepts: vec![
                ("norm-j".into(), "规范(j)".into()),
                ("x".into(), "X".into()),
            ],
            editions: Vec::new(),
            groups: vec![group("japan", Some(0), None), group("", None, None)],
            concept_docs: vec![vec![3, 5, 9], vec![]],
        };
        let file = facets_file("search/", &f);
        assert_eq!(file.path, "search/f.json");
        let v: serde_json::Value = serde_json::from_slice(&file.bytes).unwrap();
        assert_eq!(
            v,
            serde_json::json!({
                "regions": [["asia-pacific", "亚太\"组"]],
                "concepts": [["norm-j", "规范(j)"], ["x", "X"]],
                "groups": [["japan", 0], ["", -1]],
                "docs": [[3, 2, 4], []],
            })
        );
    }

    #[test]
    fn editions_are_listed_and_each_group_names_its_own() {
        let f = Facets {
            regions: Vec::new(),
            concepts: Vec::new(),
            editions: vec![
                ("en".into(), "A/75/123".into()),
                ("a76/en".into(), "A/76/136".into()),
            ],
            groups: vec![
                group("japan", None, Some(1)),
                group("japan", None, Some(0)),
                group("", None, None),
            ],
            concept_docs: Vec::new(),
        };
        // the folder's trailing slash is optional
        let file = facets_file("search/en", &f);
        assert_eq!(file.path, "search/en/f.json");
        let v: serde_json::Value = serde_json::from_slice(&file.bytes).unwrap();
        assert_eq!(
            v,
            serde_json::json!({
                "regions": [],
                "concepts": [],
                "editions": [["en", "A/75/123"], ["a76/en", "A/76/136"]],
                "groups": [["japan", -1, 1], ["japan", -1, 0], ["", -1, -1]],
                "docs": [],
            })
        );
    }
}
