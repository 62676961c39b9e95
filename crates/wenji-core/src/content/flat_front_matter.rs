//! A reply's front matter in the flat shape `wenji import` and the bench corpus write, read
//! without the YAML parser. serde-saphyr takes ~110 µs for a reply's ~540 bytes, ~1 s of CPU
//! at 10,000 replies and the largest part of loading them. Only a strict subset of YAML is
//! read here (listed on [`reply`]); anything else, and anything that would be an error, gives
//! `None`, and the caller parses the front matter with serde-saphyr: the values are the same
//! (the tests hold the two readers to it) and every message still comes from one place.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde::de::IntoDeserializer;
use serde::de::value::{Error as ValueError, MapDeserializer};
use serde_saphyr::{Location, Spanned};

use super::frontmatter::{Entity, ReplyMeta};

/// `yaml` as a [`ReplyMeta`], if it is made only of
/// - lines `key: value`, each key of a reply once, where a value is a double-quoted string
///   with no `"`, `\` or tab inside, or a plain scalar on its line (no leading indicator, no
///   `: `, ` #`, tab, bracket or brace, no trailing space, not a null), `order` a whole number
///   without leading zeros, and `aliases` a list `["…", "…"]` (or `[]`);
/// - `concepts:` followed by lines `  slug: ["…", …]`, each slug once;
///
/// with every line ended by `\n`, no blank or comment lines, and only characters YAML calls
/// printable. Its `Spanned` values carry the line and column serde-saphyr gives, not a span.
pub fn reply(yaml: &str) -> Option<ReplyMeta> {
    if !yaml.chars().all(printable) {
        return None;
    }
    let mut m = Fields::default();
    let mut lines = yaml
        .strip_suffix('\n')?
        .split('\n')
        .enumerate()
        .map(|(i, l)| (i + 1, l))
        .peekable();
    while let Some((n, line)) = lines.next() {
        let (key, rest) = line.split_once(':')?;
        if key == "concepts" && rest.is_empty() {
            let mut map = BTreeMap::new();
            while let Some((n, entry)) = lines.next_if(|(_, l)| l.starts_with("  ")) {
                let (slug, list) = entry[2..].split_once(": ")?;
                if !is_slug(slug) {
                    return None;
                }
                let list = flow_list(list, n, slug.len() + 5)?;
                if map.insert(slug.to_string(), list).is_some() {
                    return None;
                }
            }
            // `concepts:` with nothing under it is a null to YAML
            if map.is_empty() {
                return None;
            }
            set(&mut m.concepts, map)?;
            continue;
        }
        let value = rest.strip_prefix(' ')?;
        // keys are ASCII: the value's column in characters is its byte offset, 1-based
        let column = key.len() + 3;
        let text = || scalar(value).map(str::to_string);
        let spanned = || located(scalar(value)?, n, column);
        match key {
            "kind" => set(&mut m.kind, text()?),
            "title" => set(&mut m.title, text()?),
            "title_en" => set(&mut m.title_en, text()?),
            "slug" => set(&mut m.slug, spanned()?),
            "entity" => {
                let entity = Entity::deserialize(scalar(value)?.into_deserializer());
                set(&mut m.entity, entity.map_err(|_: ValueError| ()).ok()?)
            }
            "iso2" => set(&mut m.iso2, text()?),
            "iso3" => set(&mut m.iso3, text()?),
            "region" => set(&mut m.region, spanned()?),
            "original_language" => set(&mut m.original_language, text()?),
            "received" => set(&mut m.received, spanned()?),
            "received_as_printed" => set(&mut m.received_as_printed, text()?),
            "report_section" => set(&mut m.report_section, text()?),
            "order" => set(&mut m.order, whole_number(value)?),
            "aliases" => set(&mut m.aliases, flow_list(value, n, column)?),
            "report" => set(&mut m.report, spanned()?),
            "language" => set(&mut m.language, spanned()?),
            _ => None,
        }?;
    }
    Some(ReplyMeta {
        kind: m.kind?,
        title: m.title?,
        title_en: m.title_en?,
        slug: m.slug?,
        entity: m.entity?,
        iso2: m.iso2,
        iso3: m.iso3,
        region: m.region,
        original_language: m.original_language?,
        received: m.received?,
        received_as_printed: m.received_as_printed?,
        report_section: m.report_section?,
        order: m.order?,
        aliases: m.aliases.unwrap_or_default(),
        concepts: m.concepts.unwrap_or_default(),
        report: m.report,
        language: m.language,
    })
}

/// The keys read so far; a key met twice is left to serde-saphyr (an error there).
#[derive(Default)]
struct Fields {
    kind: Option<String>,
    title: Option<String>,
    title_en: Option<String>,
    slug: Option<Spanned<String>>,
    entity: Option<Entity>,
    iso2: Option<String>,
    iso3: Option<String>,
    region: Option<Spanned<String>>,
    original_language: Option<String>,
    received: Option<Spanned<String>>,
    received_as_printed: Option<String>,
    report_section: Option<String>,
    order: Option<u32>,
    aliases: Option<Vec<Spanned<String>>>,
    concepts: Option<BTreeMap<String, Vec<Spanned<String>>>>,
    report: Option<Spanned<String>>,
    language: Option<Spanned<String>>,
}

fn set<T>(field: &mut Option<T>, value: T) -> Option<()> {
    field.is_none().then(|| *field = Some(value))
}

/// YAML's printable characters (tab and line feed included), less `\r`, the BOM and the
/// characters YAML 1.1 took for line breaks (NEL, U+2028, U+2029).
fn printable(c: char) -> bool {
    matches!(c, '\t' | '\n' | ' '..='~' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
        && !matches!(c, '\u{FEFF}' | '\u{2028}' | '\u{2029}')
}

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// A double-quoted string's text, when nothing in it needs YAML's escapes.
fn quoted(v: &str) -> Option<&str> {
    let inner = v.strip_prefix('"')?.strip_suffix('"')?;
    (!inner.contains(['"', '\\', '\t'])).then_some(inner)
}

/// A quoted string, or a plain scalar that YAML reads as its own text.
fn scalar(v: &str) -> Option<&str> {
    if v.starts_with('"') {
        return quoted(v);
    }
    let first = v.chars().next()?;
    let plain = !"-?:,[]{}#&*!|>'\"%@` ".contains(first)
        && !v.ends_with([' ', ':'])
        && !v.contains(": ")
        && !v.contains(" #")
        && !v.contains(['\t', '[', ']', '{', '}'])
        && !matches!(v, "~" | "null" | "Null" | "NULL");
    plain.then_some(v)
}

fn whole_number(v: &str) -> Option<u32> {
    let digits = v.bytes().all(|b| b.is_ascii_digit()) && (v == "0" || !v.starts_with('0'));
    if digits { v.parse().ok() } else { None }
}

/// `["…", "…"]` at 1-based `line` and `column`, each item with its own column.
fn flow_list(v: &str, line: usize, column: usize) -> Option<Vec<Spanned<String>>> {
    let inner = v.strip_prefix('[')?.strip_suffix(']')?;
    let mut out = Vec::new();
    if inner.is_empty() {
        return Some(out);
    }
    let mut at = 1; // the item's byte offset in `v`
    for item in inner.split(", ") {
        let item_column = column + v[..at].chars().count();
        out.push(located(quoted(item)?, line, item_column)?);
        at += item.len() + 2;
    }
    Some(out)
}

fn located(text: &str, line: usize, column: usize) -> Option<Spanned<String>> {
    let at = [("line", line as u64), ("column", column as u64)];
    let at = Location::deserialize(MapDeserializer::<_, ValueError>::new(at.into_iter())).ok()?;
    Some(Spanned::new(text.to_string(), at, at))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Everything of a reply's front matter that the build reads, locations as (line,
    /// column), to compare the two readers.
    fn summary(m: &ReplyMeta) -> String {
        let at = |s: &Spanned<String>| {
            format!(
                "{:?}@{}:{}",
                s.value,
                s.referenced.line(),
                s.referenced.column()
            )
        };
        let list = |v: &[Spanned<String>]| v.iter().map(at).collect::<Vec<_>>().join(" ");
        let concepts: Vec<String> = m
            .concepts
            .iter()
            .map(|(k, v)| format!("{k}=[{}]", list(v)))
            .collect();
        format!(
            "{} {} {} {} {:?} {:?} {:?} {:?} {} {} {} {} {} [{}] {}",
            m.kind,
            m.title,
            m.title_en,
            at(&m.slug),
            m.entity,
            m.iso2,
            m.iso3,
            m.region.as_ref().map(at),
            m.original_language,
            at(&m.received),
            m.received_as_printed,
            m.report_section,
            m.order,
            list(&m.aliases),
            concepts.join(" "),
        )
    }

    fn saphyr(yaml: &str) -> Option<ReplyMeta> {
        serde_saphyr::from_str(yaml).ok()
    }

    const FLAT: &str = r##"kind: reply
title: "亚美尼亚（1）"
title_en: "Armenia (1)"
slug: armenia-00001
entity: state
iso2: AM
iso3: ARM
region: eastern-european
original_language: "英文"
received: "2020-05-13"
received_as_printed: "2020 年 5 月 13 日"
report_section: "二"
order: 1
aliases: ["亚美尼亚共和国", "Republic of Armenia"]
concepts:
  confidence-building: ["p8", "p6-p7", "#s2"]
  norm-d: ["p22", "p2-p2"]
"##;

    #[test]
    fn reads_the_flat_shape_as_serde_saphyr_does() {
        let flat = reply(FLAT).expect("flat shape");
        assert_eq!(summary(&flat), summary(&saphyr(FLAT).unwrap()));
        assert_eq!(flat.concepts["norm-d"][1].referenced.column(), 19);
        // plain scalars the importer writes: CJK, spaces, dates, commas, inner quotes
        for value in [
            "欧洲联盟",
            "2020 年 5 月 20 日",
            "2020-05-20",
            "Korea, Republic of",
            "Côte d'Ivoire",
            "a#b",
            "3",
            "yes",
            "\"国际 #1: 法\"",
        ] {
            let yaml = FLAT.replace("\"亚美尼亚（1）\"", value);
            let flat = reply(&yaml).unwrap_or_else(|| panic!("{value}"));
            assert_eq!(summary(&flat), summary(&saphyr(&yaml).unwrap()), "{value}");
        }
        // quoted or not, keys in another order, keys left out (`order` may not be)
        for (from, to) in [
            ("entity: state", "entity: \"state\""),
            ("slug: armenia-00001", "slug: \"armenia-00001\""),
            ("iso2: AM", "iso2: \"NO\""),
            ("region: eastern-european", "region: \"eastern-european\""),
            ("received: \"2020-05-13\"", "received: 2020-05-13"),
            (
                "aliases: [\"亚美尼亚共和国\", \"Republic of Armenia\"]",
                "aliases: []",
            ),
            ("kind: reply\ntitle:", "title:"),
            ("order: 1\n", ""),
            ("iso2: AM\niso3: ARM\nregion: eastern-european\n", ""),
        ] {
            assert!(FLAT.contains(from), "{from}");
            let mut yaml = FLAT.replacen(from, to, 1);
            if from.starts_with("kind") {
                yaml.push_str("kind: reply\n");
            }
            match (reply(&yaml), saphyr(&yaml)) {
                (Some(flat), Some(full)) => assert_eq!(summary(&flat), summary(&full), "{to}"),
                (None, None) => {}
                (flat, full) => panic!(
                    "{to}: flat {:?}, serde-saphyr {:?}",
                    flat.is_some(),
                    full.is_some()
                ),
            }
        }
    }

    #[test]
    fn reads_the_real_and_fixture_replies_as_serde_saphyr_does() {
        let root = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."));
        let dirs = ["content/replies", "tests/fixtures/content/replies"];
        let mut read = 0;
        for entry in dirs
            .iter()
            .flat_map(|d| std::fs::read_dir(root.join(d)).unwrap())
        {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let split = super::super::frontmatter::split(&path, &text).unwrap();
            let full = saphyr(split.yaml).unwrap();
            let flat = reply(split.yaml).unwrap_or_else(|| panic!("{}", path.display()));
            assert_eq!(summary(&flat), summary(&full), "{}", path.display());
            read += 1;
        }
        assert!(read >= 22, "{read} replies");
    }

    /// Every one-character change of the flat shape that the flat reader still takes, serde-
    /// saphyr takes too, with the same values and locations.
    #[test]
    fn whatever_it_reads_serde_saphyr_reads_alike() {
        let chars: Vec<char> = FLAT.chars().collect();
        let (mut read, mut left) = (0, 0);
        for i in 0..chars.len() {
            for c in [
                ' ', ':', '#', '"', '\'', '[', ',', '-', '\n', '国', '\\', '&', '~', '0',
            ] {
                let mut changed = chars.clone();
                changed[i] = c;
                let yaml: String = changed.into_iter().collect();
                match reply(&yaml) {
                    Some(flat) => {
                        read += 1;
                        let full = saphyr(&yaml).unwrap_or_else(|| panic!("{yaml}"));
                        assert_eq!(summary(&flat), summary(&full), "{yaml}");
                    }
                    None => left += 1,
                }
            }
        }
        assert!(read > 1000 && left > 1000, "{read} read, {left} left");
    }

    #[test]
    fn leaves_everything_else_to_serde_saphyr() {
        for (from, to) in [
            ("title: \"亚美尼亚（1）\"", "title: null"),
            ("title: \"亚美尼亚（1）\"", "title: ~"),
            ("title: \"亚美尼亚（1）\"", "title: 'single'"),
            ("title: \"亚美尼亚（1）\"", "title: \"a\\\"b\""),
            ("title: \"亚美尼亚（1）\"", "title: a: b"),
            ("title: \"亚美尼亚（1）\"", "title: a # comment"),
            ("title: \"亚美尼亚（1）\"", "title: [a]"),
            ("title: \"亚美尼亚（1）\"", "title: &x a"),
            ("title: \"亚美尼亚（1）\"", "title: *x"),
            ("title: \"亚美尼亚（1）\"", "title: |"),
            ("title: \"亚美尼亚（1）\"", "title: a "),
            ("title: \"亚美尼亚（1）\"", "title:  a"),
            ("title: \"亚美尼亚（1）\"", "title: a\u{7}"),
            ("title: \"亚美尼亚（1）\"", "title: a\r"),
            ("title: \"亚美尼亚（1）\"", "# comment\ntitle: a"),
            ("title: \"亚美尼亚（1）\"", "title: a\n\n"),
            ("title: \"亚美尼亚（1）\"", "title: a\ntitle: b"),
            ("title: \"亚美尼亚（1）\"", "titel: a"),
            ("title: \"亚美尼亚（1）\"", ""),
            ("order: 1", "order: 01"),
            ("order: 1", "order: -1"),
            ("order: 1", "order: 4294967296"),
            ("order: 1", "order: \"1\""),
            ("entity: state", "entity: country"),
            ("aliases: [", "aliases: [\"a\",\"b\"], ["),
            ("aliases: [", "aliases:\n  - a\nx: ["),
            (
                "  norm-d: [\"p22\", \"p2-p2\"]",
                "  norm-d: [\"p22\", \"p2-p2\"]\n  norm-d: []",
            ),
            ("  norm-d: [\"p22\", \"p2-p2\"]", "   norm-d: [\"p22\"]"),
            ("  norm-d: [\"p22\", \"p2-p2\"]", "  norm-d: [p22]"),
            ("  norm-d: [\"p22\", \"p2-p2\"]", "  norm-d: [\"p, 22\"]"),
            (
                "  confidence-building: [\"p8\", \"p6-p7\", \"#s2\"]\n  norm-d: [\"p22\", \"p2-p2\"]\n",
                "",
            ),
            ("title: \"亚美尼亚（1）\"", "title: a\u{2028}b"),
        ] {
            assert!(FLAT.contains(from), "{from}");
            let yaml = FLAT.replacen(from, to, 1);
            assert!(reply(&yaml).is_none(), "{to:?} was read");
        }
        assert!(reply("").is_none());
        assert!(reply(FLAT.trim_end()).is_none(), "no final line feed");
    }
}
