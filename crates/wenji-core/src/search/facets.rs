//! `search/f.json`: what the search page's filters need (region group, reply, concept), kept
//! apart from the index so that only the search page loads it.
//!
//! ```json
//! {"regions":[["asia-pacific","亚太国家组"],…],
//!  "concepts":[["norm-j","规范(j)"],…],
//!  "groups":[["armenia",3],["",-1],…],
//!  "docs":[[0,4,7,…],…]}
//! ```
//!
//! `groups` follows `search/g.json`: per group its filter key (the reply's slug, "" for other
//! pages) and its region (an index into `regions`, -1 for none). `docs[k]` lists the doc ids
//! tagged with concept `k`, ascending, the first absolute and the others as differences.

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
    /// Per group of `search/g.json`: (reply key or "", region index).
    pub groups: Vec<(String, Option<usize>)>,
    /// Per concept: its doc ids, ascending.
    pub concept_docs: Vec<Vec<u32>>,
}

fn pair(out: &mut String, a: &str, b: &str) {
    out.push('[');
    push_json_string(out, a);
    out.push(',');
    push_json_string(out, b);
    out.push(']');
}

/// The file `search/f.json` for `facets`.
pub fn facets_file(facets: &Facets) -> SearchFile {
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
    out.push_str("],\"groups\":[");
    for (i, (k, r)) in facets.groups.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('[');
        push_json_string(&mut out, k);
        out.push_str(&format!(",{}]", r.map_or(-1, |r| r as i64)));
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
        path: "search/f.json".into(),
        bytes: out.into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facets_file_is_the_documented_json() {
        let f = Facets {
            regions: vec![("asia-pacific".into(), "亚太\"组".into())],
            concepts: vec![
                ("norm-j".into(), "规范(j)".into()),
                ("x".into(), "X".into()),
            ],
            groups: vec![("japan".into(), Some(0)), (String::new(), None)],
            concept_docs: vec![vec![3, 5, 9], vec![]],
        };
        let file = facets_file(&f);
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
}
