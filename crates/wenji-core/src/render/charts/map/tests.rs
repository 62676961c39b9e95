use std::io::Write as _;

use super::*;

/// The 19 replying States of A/75/123, used here only as test data.
const STATES: &[(&str, &str)] = &[
    ("ARM", "亚美尼亚"),
    ("AUS", "澳大利亚"),
    ("BIH", "波斯尼亚和黑塞哥维那"),
    ("CAN", "加拿大"),
    ("COL", "哥伦比亚"),
    ("DNK", "丹麦"),
    ("FRA", "法国"),
    ("GEO", "格鲁吉亚"),
    ("HND", "洪都拉斯"),
    ("HUN", "匈牙利"),
    ("IDN", "印度尼西亚"),
    ("IRL", "爱尔兰"),
    ("ITA", "意大利"),
    ("JPN", "日本"),
    ("MEX", "墨西哥"),
    ("SGP", "新加坡"),
    ("TUR", "土耳其"),
    ("UKR", "乌克兰"),
    ("ARE", "阿拉伯联合酋长国"),
];

fn highlights() -> Vec<MapHighlight> {
    STATES
        .iter()
        .map(|(c, l)| MapHighlight {
            iso3: (*c).to_owned(),
            href: format!("/states/{}/?a=1&b=2", c.to_lowercase()),
            label: (*l).to_owned(),
        })
        .collect()
}

fn gzip_len(s: &str) -> usize {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(s.as_bytes()).unwrap();
    e.finish().unwrap().len()
}

fn replying_states_map() -> String {
    world_map_svg(
        &highlights(),
        "答复国地图",
        "19 个国家 <提交了答复> & 欧洲联盟",
    )
    .unwrap()
}

#[test]
fn one_link_per_highlight_and_well_formed() {
    let svg = replying_states_map();
    let doc = roxmltree::Document::parse(&svg).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.attribute("role"), Some("group"));
    let title_id = root.attribute("aria-labelledby").unwrap();
    let desc_id = root.attribute("aria-describedby").unwrap();
    assert!(title_id.starts_with("wmap-") && title_id.ends_with("-title"));
    let title = doc
        .descendants()
        .find(|n| n.attribute("id") == Some(title_id))
        .unwrap();
    assert_eq!(title.text(), Some("答复国地图"));
    let desc = doc
        .descendants()
        .find(|n| n.attribute("id") == Some(desc_id))
        .unwrap();
    assert_eq!(desc.text(), Some("19 个国家 <提交了答复> & 欧洲联盟"));

    let links: Vec<_> = doc.descendants().filter(|n| n.has_tag_name("a")).collect();
    assert_eq!(links.len(), STATES.len());
    for (a, (code, label)) in links.iter().zip(STATES) {
        assert_eq!(
            a.attribute("href").unwrap(),
            format!("/states/{}/?a=1&b=2", code.to_lowercase())
        );
        assert_eq!(a.attribute("aria-label"), Some(*label));
        assert_eq!(a.attribute("class"), Some("map-hit"));
        let t = a.first_element_child().unwrap();
        assert!(t.has_tag_name("title"));
        assert_eq!(t.text(), Some(*label));
        assert!(
            a.children()
                .any(|c| c.has_tag_name("path") || c.has_tag_name("circle")),
            "{code} has no shape"
        );
    }

    // The rest of the land is hidden from assistive technology.
    let land = doc
        .descendants()
        .find(|n| n.attribute("class") == Some("map-land"))
        .unwrap();
    assert_eq!(land.attribute("aria-hidden"), Some("true"));

    // ids unique; no inline style, colour or script.
    let ids: Vec<_> = doc
        .descendants()
        .filter_map(|n| n.attribute("id"))
        .collect();
    let mut uniq = ids.clone();
    uniq.sort();
    uniq.dedup();
    assert_eq!(ids.len(), uniq.len());
    assert!(!svg.contains("style") && !svg.contains("script") && !svg.contains("fill=\""));
}

#[test]
fn small_and_missing_countries_get_a_dot() {
    let svg = replying_states_map();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let link = |label: &str| {
        doc.descendants()
            .find(|n| n.has_tag_name("a") && n.attribute("aria-label") == Some(label))
            .unwrap()
    };
    // Singapore is not in the 1:110m data: a dot only, at about 103.8°E 1.4°N.
    let sg = link("新加坡");
    assert!(!sg.children().any(|c| c.has_tag_name("path")));
    let dot = sg.children().find(|c| c.has_tag_name("circle")).unwrap();
    let [x, y] = world().unwrap().place(103.8, 1.35);
    let cx: f64 = dot.attribute("cx").unwrap().parse().unwrap();
    let cy: f64 = dot.attribute("cy").unwrap().parse().unwrap();
    assert!((cx - x).abs() < 1.0 && (cy - y).abs() < 1.0);
    // Canada is large: no dot.
    assert!(!link("加拿大").children().any(|c| c.has_tag_name("circle")));
}

#[test]
fn denmark_is_denmark_not_greenland() {
    let map = world().unwrap();
    let dk = &map.countries[map.by_id[iso_numeric("DNK").unwrap()]];
    let gl = &map.countries[map.by_id[iso_numeric("GRL").unwrap()]];
    let near = |c: [f64; 2], lon: f64, lat: f64| {
        let p = map.place(lon, lat);
        (c[0] - p[0]).abs() < 10.0 * U && (c[1] - p[1]).abs() < 10.0 * U
    };
    assert!(near(dk.centroid, 9.5, 56.0), "{:?}", dk.centroid);
    assert!(near(gl.centroid, -41.0, 74.0), "{:?}", gl.centroid);
    assert!(dk.extent < 40.0 * U);
}

#[test]
fn unknown_code_is_an_error_naming_it() {
    let mut h = highlights();
    h.push(MapHighlight {
        iso3: "XYZ".into(),
        href: "/".into(),
        label: "?".into(),
    });
    let err = world_map_svg(&h, "t", "d").unwrap_err();
    assert_eq!(err, ChartError::UnknownCode("XYZ".into()));
    assert!(err.to_string().contains("XYZ"));
    let boxed: Box<dyn std::error::Error> = Box::new(err);
    assert!(boxed.to_string().contains("XYZ"));
}

#[test]
fn duplicates_bad_prefixes_and_missing_points() {
    let mut h = highlights();
    h.push(MapHighlight {
        iso3: "arm".into(),
        href: "/".into(),
        label: "again".into(),
    });
    assert_eq!(
        world_map_svg(&h, "t", "d").unwrap_err(),
        ChartError::DuplicateHighlight("arm".into())
    );
    let opts = MapOptions {
        id_prefix: Some("no spaces".into()),
        ..MapOptions::default()
    };
    assert!(matches!(
        world_map_svg_with(&[], "t", "d", &opts),
        Err(ChartError::BadIdPrefix(_))
    ));
    // Réunion is part of France in Natural Earth and has no point of its own,
    // until the caller gives one.
    let re = [MapHighlight {
        iso3: "REU".into(),
        href: "/re".into(),
        label: "留尼汪".into(),
    }];
    assert_eq!(
        world_map_svg(&re, "t", "d").unwrap_err(),
        ChartError::NoGeometry("REU".into())
    );
    let opts = MapOptions {
        id_prefix: Some("m2".into()),
        points: vec![MapPoint {
            iso3: "RE".into(),
            lat: -21.1,
            lon: 55.5,
        }],
    };
    let svg = world_map_svg_with(&re, "t", "d", &opts).unwrap();
    assert!(svg.contains("<circle class=\"map-dot\""));
    assert!(svg.contains("id=\"m2-title\""));
}

#[test]
fn codes() {
    assert_eq!(iso_numeric("ARM").unwrap(), "051");
    assert_eq!(iso_numeric("am").unwrap(), "051");
    assert_eq!(iso_numeric("SGP").unwrap(), "702");
    // Kosovo has no id in world-atlas; it is matched by name.
    assert!(
        world()
            .unwrap()
            .by_id
            .contains_key(iso_numeric("XKK").unwrap())
    );
    assert!(!world().unwrap().by_id.contains_key(ANTARCTICA));
}

#[test]
fn deterministic_and_small() {
    let a = replying_states_map();
    assert_eq!(a, replying_states_map());
    let plain = world_map_svg(&[], "t", "d").unwrap();
    let (raw, gz) = (a.len(), gzip_len(&a));
    // Output of level 9 and of level 6 (the usual server default) differ by
    // well under 1 %.
    println!(
        "world map: {raw} bytes, {gz} bytes gzipped (19 highlights); no highlights: {} / {}",
        plain.len(),
        gzip_len(&plain)
    );
    assert!(gz < 25_000, "map is {gz} bytes gzipped");
    if let Ok(dir) = std::env::var("WENJI_CHARTS_OUT") {
        std::fs::write(format!("{dir}/map.svg"), &a).unwrap();
    }
}

#[test]
fn corrections_follow_united_nations_practice() {
    let topo = Topology::parse(WORLD_110M).unwrap();
    let geoms = prepared_geometries(&topo, &topo.objects["countries"]).unwrap();
    let get = |id: &str| geoms.iter().find(|g| g.id.as_deref() == Some(id)).unwrap();
    let holds = |g: &Geo, lon: f64, lat: f64| {
        g.polygons
            .iter()
            .any(|p| point_in_ring([lon, lat], &topo.ring(&p[0])))
    };
    // Crimea is part of Ukraine, in one piece with the mainland.
    assert!(holds(get("804"), 34.1, 45.3));
    assert!(!holds(get("643"), 34.1, 45.3));
    assert_eq!(get("804").polygons.len(), 1);
    // Cyprus and Somalia are whole.
    assert!(holds(get("196"), 33.6, 35.3));
    assert_eq!(get("196").polygons.len(), 1);
    assert!(holds(get("706"), 45.0, 9.5));
    assert!(holds(get("156"), 121.0, 23.7));
    assert!(!geoms.iter().any(|g| g.id.as_deref() == Some("158")));
    assert!(
        !geoms.iter().any(|g| g.id.is_none()),
        "every geometry has an id"
    );
    assert_eq!(get("983").name.as_deref(), Some("Kosovo"));
}

#[test]
fn merges_polygons_sharing_an_arc() {
    // Two unit squares sharing arc 0 (see the topojson tests).
    let topo = Topology::parse(
        r#"{"type":"Topology","objects":{},"arcs":[
            [[1,0],[1,1]],
            [[1,1],[0,1],[0,0],[1,0]],
            [[1,0],[2,0],[2,1],[1,1]]]}"#,
    )
    .unwrap();
    let merged = merge_polygons(&topo, &[vec![0, 1]], &[vec![-1, 2]]).unwrap();
    assert_eq!(merged, vec![vec![1, 2]]);
    assert_eq!(ring_area(&topo.ring(&merged[0])), 2.0);
    assert!(merge_polygons(&topo, &[vec![0, 1]], &[vec![0, 1]]).is_none());
}
