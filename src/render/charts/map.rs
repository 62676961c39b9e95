//! The world map: Natural Earth 1:110m countries (npm `world-atlas` 2.0.2),
//! Equal Earth projection, Antarctica cropped, highlighted countries linked.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::sync::OnceLock;

use sha2::{Digest, Sha256};

use super::projection::equal_earth;
use super::topojson::{Topology, stitch};
use super::{ChartError, escape, num, valid_id_prefix};

const WORLD_110M: &str = include_str!("../../../data/world-atlas/countries-110m.json");
const FALLBACK_POINTS: &str = include_str!("../../../data/world-atlas/fallback-points.json");
const ISO_CODES: &str = include_str!("../../../data/i18n-iso-countries/codes.json");
const CORRECTIONS: &str = include_str!("../../../data/world-atlas/corrections.json");

/// Width of the map's viewBox, in its integer coordinate units.
const WIDTH: f64 = 2000.0;
/// One thousandth of the width.
const U: f64 = WIDTH / 1000.0;
/// Blank margin around the land, in viewBox units.
const PAD: f64 = 2.0 * U;
/// Douglas–Peucker tolerance for simplifying arcs, in viewBox units.
const TOLERANCE: f64 = 0.3 * U;
/// The narrowest the map is drawn, in CSS px: the site's stylesheet gives the SVG this
/// `min-width` (scrolling sideways in its frame on phones), so that the sizes below hold.
pub const MAP_MIN_PX: f64 = 640.0;
/// A highlighted country whose shape is smaller than 24 CSS px (width or height, at the
/// narrowest map) gets a marker: a 24 × 24 px target (WCAG 2.5.8) it is reached by.
const SMALL: f64 = 24.0 * WIDTH / MAP_MIN_PX;
/// Radius of a marker circle: 12 CSS px at the narrowest map, so the target is 24 px across.
const DOT_RADIUS: f64 = 12.0 * WIDTH / MAP_MIN_PX + 1.0;
/// Markers whose countries lie closer than this are set out in a column beside them, each
/// with a line to its country, so that no marker covers another.
const CROWD: f64 = 2.8 * DOT_RADIUS;
/// Crowds closer than this share one column.
const NEIGHBOURING_CROWDS: f64 = 10.0 * DOT_RADIUS;
/// Space between markers in a column, and from the column to the westmost of its countries.
const MARKER_GAP: f64 = 0.4 * DOT_RADIUS;
const COLUMN_OFFSET: f64 = 3.0 * DOT_RADIUS;
/// ISO 3166-1 numeric code of Antarctica, left off the map.
const ANTARCTICA: &str = "010";

/// A country to highlight and link on the world map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapHighlight {
    /// ISO 3166-1 alpha-3 code (alpha-2 is accepted too), any case.
    pub iso3: String,
    /// Where the country links to.
    pub href: String,
    /// Accessible name and tooltip, e.g. `亚美尼亚`.
    pub label: String,
}

/// A caller-supplied position for a country, used for its marker circle.
#[derive(Debug, Clone, PartialEq)]
pub struct MapPoint {
    /// ISO 3166-1 alpha-3 (or alpha-2) code.
    pub iso3: String,
    /// Latitude in degrees, north positive.
    pub lat: f64,
    /// Longitude in degrees, east positive.
    pub lon: f64,
}

/// Options for [`world_map_svg_with`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MapOptions {
    /// Prefix of every `id` in the SVG; by default `wmap-` and 8 hex digits
    /// of a hash of the map's title, description and highlights.
    pub id_prefix: Option<String>,
    /// Marker positions that take precedence over the map data and the
    /// vendored fallback points.
    pub points: Vec<MapPoint>,
}

/// Renders the world map with `highlights` linked, as an inline SVG.
///
/// The SVG is `role="group"` labelled by its `<title>` (`title`) and described
/// by its `<desc>` (`desc`). Each highlight is an `<a class="map-hit">` with an
/// `aria-label` and a `<title>`; the rest of the land is one `aria-hidden`
/// path of class `map-land`. Small or missing countries get a
/// `<circle class="map-dot">`.
pub fn world_map_svg(
    highlights: &[MapHighlight],
    title: &str,
    desc: &str,
) -> Result<String, ChartError> {
    world_map_svg_with(highlights, title, desc, &MapOptions::default())
}

/// [`world_map_svg`] with an explicit id prefix and extra marker positions.
pub fn world_map_svg_with(
    highlights: &[MapHighlight],
    title: &str,
    desc: &str,
    options: &MapOptions,
) -> Result<String, ChartError> {
    let map = world()?;
    let prefix = match &options.id_prefix {
        Some(p) if valid_id_prefix(p) => p.clone(),
        Some(p) => return Err(ChartError::BadIdPrefix(p.clone())),
        None => default_prefix(highlights, title, desc),
    };

    let mut points: BTreeMap<String, [f64; 2]> = BTreeMap::new();
    for p in &options.points {
        let numeric = map.numeric(&p.iso3)?;
        points.insert(numeric.to_owned(), map.place(p.lon, p.lat));
    }

    // Resolve every highlight before writing anything.
    let mut chosen: Vec<(&MapHighlight, &str)> = Vec::with_capacity(highlights.len());
    for h in highlights {
        let numeric = map.numeric(&h.iso3)?;
        if chosen.iter().any(|(_, n)| *n == numeric) {
            return Err(ChartError::DuplicateHighlight(h.iso3.clone()));
        }
        let has_shape = map.by_id.contains_key(numeric);
        if !has_shape && !points.contains_key(numeric) && !map.fallback.contains_key(numeric) {
            return Err(ChartError::NoGeometry(h.iso3.clone()));
        }
        chosen.push((h, numeric));
    }

    let mut svg = String::with_capacity(40_000);
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" class=\"world-map\" \
         role=\"group\" aria-labelledby=\"{p}-title\" aria-describedby=\"{p}-desc\">\
         <title id=\"{p}-title\">{t}</title><desc id=\"{p}-desc\">{d}</desc>",
        w = map.width,
        h = map.height,
        p = prefix,
        t = escape(title),
        d = escape(desc),
    );

    svg.push_str("<path class=\"map-land\" aria-hidden=\"true\" fill-rule=\"evenodd\" d=\"");
    for c in &map.countries {
        let lit =
            c.id.as_deref()
                .is_some_and(|id| chosen.iter().any(|(_, n)| *n == id));
        if !lit {
            svg.push_str(&c.d);
        }
    }
    svg.push_str("\"/>");

    if !chosen.is_empty() {
        svg.push_str("<g class=\"map-hits\">");
    }
    // Where each small country's marker goes: on the country, or in a column beside a crowd.
    let anchors: Vec<Option<[f64; 2]>> = chosen
        .iter()
        .map(|(_, numeric)| {
            let shape = map.by_id.get(*numeric).map(|&i| &map.countries[i]);
            match shape {
                Some(c) if !c.d.is_empty() && c.extent >= SMALL => None,
                _ => points
                    .get(*numeric)
                    .copied()
                    .or(shape.map(|c| c.centroid))
                    .or_else(|| map.fallback.get(*numeric).copied()),
            }
        })
        .collect();
    let markers = place_markers(&anchors, map.height as f64);
    for (i, (h, numeric)) in chosen.iter().enumerate() {
        let label = escape(&h.label);
        let _ = write!(
            svg,
            "<a class=\"map-hit\" href=\"{}\" aria-label=\"{label}\"><title>{label}</title>",
            escape(&h.href)
        );
        let shape = map.by_id.get(*numeric).map(|&i| &map.countries[i]);
        if let Some(c) = shape.filter(|c| !c.d.is_empty()) {
            let _ = write!(svg, "<path fill-rule=\"evenodd\" d=\"{}\"/>", c.d);
        }
        if let (Some(anchor), Some(marker)) = (anchors[i], markers[i]) {
            write_marker(&mut svg, anchor, marker, &label);
        }
        svg.push_str("</a>");
    }
    if !chosen.is_empty() {
        svg.push_str("</g>");
    }
    svg.push_str("</svg>");
    Ok(svg)
}

/// A marker: a line from the country when the marker stands apart, the circle, and the
/// country's name beside it (shown by the stylesheet on hover and focus).
fn write_marker(svg: &mut String, [ax, ay]: [f64; 2], [mx, my]: [f64; 2], label: &str) {
    let (dx, dy) = (ax - mx, ay - my);
    let len = dx.hypot(dy);
    if len > DOT_RADIUS {
        let _ = write!(
            svg,
            "<line class=\"map-leader\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
            num(mx + dx / len * DOT_RADIUS),
            num(my + dy / len * DOT_RADIUS),
            num(ax),
            num(ay)
        );
    }
    let _ = write!(
        svg,
        "<circle class=\"map-dot\" cx=\"{}\" cy=\"{}\" r=\"{}\"/>\
         <text class=\"map-label\" x=\"{}\" y=\"{}\" text-anchor=\"end\" aria-hidden=\"true\">{label}</text>",
        num(mx),
        num(my),
        num(DOT_RADIUS),
        num(mx - DOT_RADIUS - MARKER_GAP),
        num(my + DOT_RADIUS * 0.35),
    );
}

/// Marker positions for the countries that need one (`anchors[i]` is where the country is).
/// Countries closer together than [`CROWD`] form a group; a group of one keeps its marker on
/// the country, a larger group gets a column of markers west of its westmost country, in the
/// countries' north–south order, so that no two markers overlap.
fn place_markers(anchors: &[Option<[f64; 2]>], height: f64) -> Vec<Option<[f64; 2]>> {
    let small: Vec<usize> = (0..anchors.len())
        .filter(|&i| anchors[i].is_some())
        .collect();
    let at = |i: usize| anchors[i].unwrap_or_default();
    // Groups: linked by any pair closer than CROWD (a union–find over the few small ones).
    let mut group: Vec<usize> = (0..anchors.len()).collect();
    fn root(g: &mut [usize], i: usize) -> usize {
        let mut r = i;
        while g[r] != r {
            r = g[r];
        }
        g[i] = r;
        r
    }
    for (k, &i) in small.iter().enumerate() {
        for &j in &small[k + 1..] {
            let ([x1, y1], [x2, y2]) = (at(i), at(j));
            if (x1 - x2).hypot(y1 - y2) < CROWD {
                let (a, b) = (root(&mut group, i), root(&mut group, j));
                group[a] = b;
            }
        }
    }
    // Crowds near each other share one column, so that no column stands on another crowd's
    // countries (the Caucasus beside the Balkans); a lone country keeps its marker in place.
    let sizes = |g: &mut Vec<usize>| {
        let mut n: BTreeMap<usize, usize> = BTreeMap::new();
        for &i in &small {
            *n.entry(root(g, i)).or_default() += 1;
        }
        n
    };
    let crowd_size = sizes(&mut group);
    let crowded: Vec<usize> = small
        .iter()
        .copied()
        .filter(|&i| crowd_size[&root(&mut group, i)] > 1)
        .collect();
    for (k, &i) in crowded.iter().enumerate() {
        for &j in &crowded[k + 1..] {
            let ([x1, y1], [x2, y2]) = (at(i), at(j));
            if (x1 - x2).hypot(y1 - y2) < NEIGHBOURING_CROWDS {
                let (a, b) = (root(&mut group, i), root(&mut group, j));
                group[a] = b;
            }
        }
    }
    let mut out = vec![None; anchors.len()];
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for &i in &small {
        let r = root(&mut group, i);
        groups.entry(r).or_default().push(i);
    }
    for members in groups.values() {
        if let [only] = members[..] {
            out[only] = Some(at(only));
            continue;
        }
        let mut members = members.clone();
        members.sort_by(|&a, &b| at(a)[1].total_cmp(&at(b)[1]));
        let x = members
            .iter()
            .map(|&i| at(i)[0])
            .fold(f64::INFINITY, f64::min)
            - COLUMN_OFFSET;
        let step = 2.0 * DOT_RADIUS + MARKER_GAP;
        let mean = members.iter().map(|&i| at(i)[1]).sum::<f64>() / members.len() as f64;
        let span = step * (members.len() - 1) as f64;
        let top =
            (mean - span / 2.0).clamp(DOT_RADIUS, (height - DOT_RADIUS - span).max(DOT_RADIUS));
        for (k, &i) in members.iter().enumerate() {
            out[i] = Some([x.max(DOT_RADIUS), top + step * k as f64]);
        }
    }
    out
}

/// The ISO 3166-1 numeric code (as in world-atlas, e.g. `"051"`) of an
/// alpha-3 or alpha-2 code, any case.
pub fn iso_numeric(code: &str) -> Result<&'static str, ChartError> {
    world()?.numeric(code)
}

fn default_prefix(highlights: &[MapHighlight], title: &str, desc: &str) -> String {
    let mut h = Sha256::new();
    for part in [title, desc] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    for m in highlights {
        for part in [&m.iso3, &m.href, &m.label] {
            h.update(part.as_bytes());
            h.update([0]);
        }
    }
    let digest = h.finalize();
    let mut p = String::from("wmap-");
    for b in &digest[..4] {
        let _ = write!(p, "{b:02x}");
    }
    p
}

/// `data/world-atlas/corrections.json`.
#[derive(serde::Deserialize)]
struct Corrections {
    moves: Vec<Move>,
    names: BTreeMap<String, String>,
}

/// Moves polygons of one geometry to another, dissolving their border.
#[derive(serde::Deserialize)]
struct Move {
    from: Option<String>,
    from_name: Option<String>,
    /// Only the polygons containing this longitude/latitude.
    at: Option<[f64; 2]>,
    to: String,
}

/// A geometry being prepared.
struct Geo {
    id: Option<String>,
    name: Option<String>,
    polygons: Polygons,
}

/// The countries of the topology with ids filled in and the moves of
/// `corrections.json` applied.
fn prepared_geometries(
    topo: &Topology,
    geoms: &[super::topojson::Geometry],
) -> Result<Vec<Geo>, String> {
    let corrections: Corrections =
        serde_json::from_str(CORRECTIONS).map_err(|e| format!("corrections.json: {e}"))?;
    let mut geoms: Vec<Geo> = geoms
        .iter()
        .map(|g| Geo {
            id: g
                .id
                .clone()
                .or_else(|| corrections.names.get(g.name.as_deref()?).cloned()),
            name: g.name.clone(),
            polygons: g.polygons.clone(),
        })
        .collect();
    for m in &corrections.moves {
        apply_move(topo, &mut geoms, m)?;
    }
    Ok(geoms)
}

fn apply_move(topo: &Topology, geoms: &mut Vec<Geo>, m: &Move) -> Result<(), String> {
    let what = m.from.as_deref().or(m.from_name.as_deref()).unwrap_or("?");
    let from = geoms
        .iter()
        .position(|g| match (&m.from, &m.from_name) {
            (Some(id), _) => g.id.as_deref() == Some(id.as_str()),
            (None, Some(name)) => g.name.as_deref() == Some(name.as_str()),
            (None, None) => false,
        })
        .ok_or_else(|| format!("correction: no geometry {what}"))?;
    let polys = std::mem::take(&mut geoms[from].polygons);
    let (moved, kept): (Polygons, Polygons) = polys.into_iter().partition(|p| match m.at {
        Some(at) => point_in_ring(at, &topo.ring(&p[0])),
        None => true,
    });
    if moved.is_empty() {
        return Err(format!(
            "correction: no polygon of {what} contains {:?}",
            m.at
        ));
    }
    geoms[from].polygons = kept;
    if geoms[from].polygons.is_empty() {
        geoms.remove(from);
    }
    let to = geoms
        .iter()
        .position(|g| g.id.as_deref() == Some(m.to.as_str()))
        .ok_or_else(|| format!("correction: no geometry {}", m.to))?;
    for poly in moved {
        let target = &mut geoms[to].polygons;
        match (0..target.len())
            .find_map(|i| merge_polygons(topo, &target[i], &poly).map(|p| (i, p)))
        {
            Some((i, merged)) => target[i] = merged,
            None => target.push(poly),
        }
    }
    Ok(())
}

/// Joins two polygons that share border arcs into one, dropping the shared
/// arcs (as topojson-client's `merge` does); `None` if they share none.
fn merge_polygons(topo: &Topology, a: &[Vec<i64>], b: &[Vec<i64>]) -> Option<Vec<Vec<i64>>> {
    let mut arcs: Vec<i64> = a[0].iter().chain(&b[0]).copied().collect();
    let shared: Vec<i64> = a[0]
        .iter()
        .copied()
        .filter(|&i| b[0].contains(&!i))
        .collect();
    if shared.is_empty() {
        return None;
    }
    arcs.retain(|i| !shared.contains(i) && !shared.contains(&!i));
    let ends = |i: i64| -> ([f64; 2], [f64; 2]) {
        let arc = &topo.arcs[if i < 0 { !i } else { i } as usize];
        let (first, last) = (arc[0], arc[arc.len() - 1]);
        if i < 0 { (last, first) } else { (first, last) }
    };
    let mut rings: Vec<Vec<i64>> = Vec::new();
    let mut used = vec![false; arcs.len()];
    while let Some(start) = used.iter().position(|u| !u) {
        used[start] = true;
        let mut ring = vec![arcs[start]];
        let ring_start = ends(arcs[start]).0;
        let mut end = ends(arcs[start]).1;
        while end != ring_start {
            let next = (0..arcs.len()).find(|&j| !used[j] && ends(arcs[j]).0 == end)?;
            used[next] = true;
            ring.push(arcs[next]);
            end = ends(arcs[next]).1;
        }
        rings.push(ring);
    }
    // The largest ring is the exterior; any others enclose holes.
    rings.sort_by(|x, y| {
        ring_area(&topo.ring(y))
            .partial_cmp(&ring_area(&topo.ring(x)))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    rings.extend(a[1..].iter().cloned());
    rings.extend(b[1..].iter().cloned());
    Some(rings)
}

fn ring_area(ring: &[[f64; 2]]) -> f64 {
    area_centroid(ring).0
}

/// Even–odd point-in-ring test.
fn point_in_ring(p: [f64; 2], ring: &[[f64; 2]]) -> bool {
    let mut inside = false;
    for i in 0..ring.len() {
        let a = ring[i];
        let b = ring[(i + 1) % ring.len()];
        if (a[1] > p[1]) != (b[1] > p[1])
            && p[0] < a[0] + (p[1] - a[1]) * (b[0] - a[0]) / (b[1] - a[1])
        {
            inside = !inside;
        }
    }
    inside
}

/// Polygons → rings → arc indexes, as in [`super::topojson::Geometry`].
type Polygons = Vec<Vec<Vec<i64>>>;

/// One country, ready to draw.
struct Country {
    id: Option<String>,
    /// Path data (absolute first move, then relative lines); empty when the
    /// country vanished in simplification.
    d: String,
    /// Area centroid of the largest ring, in viewBox units.
    centroid: [f64; 2],
    /// The larger of the width and height of its bounding box.
    extent: f64,
}

/// The parsed, projected and simplified map, built once per process.
struct WorldMap {
    width: i64,
    height: i64,
    countries: Vec<Country>,
    by_id: HashMap<String, usize>,
    /// Fallback marker positions, in viewBox units, by numeric code.
    fallback: HashMap<String, [f64; 2]>,
    /// alpha-3 and alpha-2 → numeric.
    codes: HashMap<String, String>,
    /// Projected-to-viewBox transform: x = PAD + (px − min_x)·k, y = PAD + (max_y − py)·k.
    min_x: f64,
    max_y: f64,
    k: f64,
}

impl WorldMap {
    fn numeric(&'static self, code: &str) -> Result<&'static str, ChartError> {
        self.codes
            .get(&code.trim().to_ascii_uppercase())
            .map(String::as_str)
            .ok_or_else(|| ChartError::UnknownCode(code.to_owned()))
    }

    fn place(&self, lon: f64, lat: f64) -> [f64; 2] {
        let [px, py] = equal_earth(lon, lat);
        [
            PAD + (px - self.min_x) * self.k,
            PAD + (self.max_y - py) * self.k,
        ]
    }
}

fn world() -> Result<&'static WorldMap, ChartError> {
    static WORLD: OnceLock<Result<WorldMap, String>> = OnceLock::new();
    WORLD
        .get_or_init(build_world)
        .as_ref()
        .map_err(|e| ChartError::Data(e.clone()))
}

fn build_world() -> Result<WorldMap, String> {
    let topo = Topology::parse(WORLD_110M)?;
    let geoms = topo
        .objects
        .get("countries")
        .ok_or("no object \"countries\"")?;

    let geoms = prepared_geometries(&topo, geoms)?;
    let geoms: Vec<(Option<String>, &Polygons)> = geoms
        .iter()
        .map(|g| (g.id.clone(), &g.polygons))
        .filter(|(id, _)| id.as_deref() != Some(ANTARCTICA))
        .collect();

    // Project every arc; find the bounds of the arcs in use.
    let projected: Vec<Vec<[f64; 2]>> = topo
        .arcs
        .iter()
        .map(|a| a.iter().map(|p| equal_earth(p[0], p[1])).collect())
        .collect();
    let mut used = vec![false; projected.len()];
    for (_, polys) in &geoms {
        for &i in polys.iter().flatten().flatten() {
            used[if i < 0 { !i } else { i } as usize] = true;
        }
    }
    let (mut min_x, mut max_x, mut min_y, mut max_y) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for p in projected
        .iter()
        .zip(&used)
        .filter(|(_, u)| **u)
        .flat_map(|(a, _)| a)
    {
        min_x = min_x.min(p[0]);
        max_x = max_x.max(p[0]);
        min_y = min_y.min(p[1]);
        max_y = max_y.max(p[1]);
    }
    let k = (WIDTH - 2.0 * PAD) / (max_x - min_x);
    let to_view = |p: &[f64; 2]| [PAD + (p[0] - min_x) * k, PAD + (max_y - p[1]) * k];
    let width = WIDTH as i64;
    let height = ((max_y - min_y) * k + 2.0 * PAD).ceil() as i64;

    // Simplify each arc once, in viewBox units, so that shared borders stay
    // shared; keep the kept points in longitude/latitude for the cut below.
    let simple: Vec<Vec<[f64; 2]>> = topo
        .arcs
        .iter()
        .zip(&projected)
        .map(|(ll, proj)| {
            let view: Vec<[f64; 2]> = proj.iter().map(to_view).collect();
            simplify_arc(ll, &view, TOLERANCE)
        })
        .collect();
    let mut countries = Vec::with_capacity(geoms.len());
    let mut by_id = HashMap::new();
    for (id, polys) in geoms {
        let mut d = String::new();
        let (mut bx0, mut by0, mut bx1, mut by1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        let mut best = (0.0f64, [0.0f64, 0.0f64]);
        for poly in polys {
            for (r, ring) in poly.iter().enumerate() {
                // Extent and centroid from the unsimplified ring.
                for part in cut_antimeridian(topo.ring(ring)) {
                    let full: Vec<[f64; 2]> = part
                        .iter()
                        .map(|p| to_view(&equal_earth(p[0], p[1])))
                        .collect();
                    for p in &full {
                        bx0 = bx0.min(p[0]);
                        by0 = by0.min(p[1]);
                        bx1 = bx1.max(p[0]);
                        by1 = by1.max(p[1]);
                    }
                    if r == 0 {
                        let (area, c) = area_centroid(&full);
                        if area > best.0 || best.0 == 0.0 {
                            best = (area, c);
                        }
                    }
                }
                for part in cut_antimeridian(stitch(&simple, ring)) {
                    let pts: Vec<[i64; 2]> = part
                        .iter()
                        .map(|p| {
                            let v = to_view(&equal_earth(p[0], p[1]));
                            [v[0].round() as i64, v[1].round() as i64]
                        })
                        .collect();
                    write_ring(&mut d, &pts);
                }
            }
        }
        if let Some(id) = &id {
            by_id.insert(id.clone(), countries.len());
        }
        countries.push(Country {
            id,
            d,
            centroid: best.1,
            extent: (bx1 - bx0).max(by1 - by0),
        });
    }

    let fallback_raw: BTreeMap<String, [f64; 2]> =
        serde_json::from_str(FALLBACK_POINTS).map_err(|e| format!("fallback-points.json: {e}"))?;
    let fallback = fallback_raw
        .into_iter()
        .map(|(id, [lon, lat])| (id, to_view(&equal_earth(lon, lat))))
        .collect();

    let table: Vec<Vec<String>> =
        serde_json::from_str(ISO_CODES).map_err(|e| format!("codes.json: {e}"))?;
    let mut codes = HashMap::new();
    for row in table {
        if let [alpha2, alpha3, numeric, ..] = row.as_slice() {
            codes.insert(alpha3.to_ascii_uppercase(), numeric.clone());
            codes.insert(alpha2.to_ascii_uppercase(), numeric.clone());
        }
    }

    Ok(WorldMap {
        width,
        height,
        countries,
        by_id,
        fallback,
        codes,
        min_x,
        max_y,
        k,
    })
}

/// Appends one closed ring as `M x y l dx dy … z`, dropping repeated points;
/// rings that collapse to fewer than three distinct points are skipped.
fn write_ring(d: &mut String, ring: &[[i64; 2]]) {
    let mut pts: Vec<[i64; 2]> = Vec::with_capacity(ring.len());
    for &p in ring {
        if pts.last() != Some(&p) {
            pts.push(p);
        }
    }
    while pts.len() > 1 && pts.first() == pts.last() {
        pts.pop();
    }
    if pts.len() < 3 {
        return;
    }
    let _ = write!(d, "M{} {}l", pts[0][0], pts[0][1]);
    let mut first = true;
    for w in pts.windows(2) {
        for v in [w[1][0] - w[0][0], w[1][1] - w[0][1]] {
            if !first && v >= 0 {
                d.push(' ');
            }
            let _ = write!(d, "{v}");
            first = false;
        }
    }
    d.push('z');
}

/// Simplifies one arc: Douglas–Peucker on its viewBox positions `view`,
/// returning the kept positions from `lonlat`. The arc is split where it
/// jumps across the antimeridian, and both sides of each jump are kept.
fn simplify_arc(lonlat: &[[f64; 2]], view: &[[f64; 2]], tolerance: f64) -> Vec<[f64; 2]> {
    let mut out = Vec::with_capacity(lonlat.len());
    let mut start = 0;
    for end in 1..=lonlat.len() {
        let jump = end < lonlat.len() && (lonlat[end][0] - lonlat[end - 1][0]).abs() > 180.0;
        if end == lonlat.len() || jump {
            for i in dp_keep(&view[start..end], tolerance) {
                out.push(lonlat[start + i]);
            }
            start = end;
        }
    }
    out
}

/// Splits a ring that crosses the antimeridian (a step of more than 180° in
/// longitude) into rings within [-180°, 180°]; other rings are returned as is.
fn cut_antimeridian(ring: Vec<[f64; 2]>) -> Vec<Vec<[f64; 2]>> {
    if !ring.windows(2).any(|w| (w[1][0] - w[0][0]).abs() > 180.0) {
        return vec![ring];
    }
    // Make longitudes continuous.
    let mut un = Vec::with_capacity(ring.len());
    let mut shift = 0.0;
    for (i, p) in ring.iter().enumerate() {
        if i > 0 {
            let step = p[0] - ring[i - 1][0];
            if step > 180.0 {
                shift -= 360.0;
            } else if step < -180.0 {
                shift += 360.0;
            }
        }
        un.push([p[0] + shift, p[1]]);
    }
    if shift != 0.0 {
        // The ring winds around a pole; it cannot be cut this way.
        return vec![ring];
    }
    let mut out = Vec::new();
    for offset in [-360.0, 0.0, 360.0] {
        // The window [-180, 180] shifted by `offset`, brought back.
        let lo = -180.0 + offset;
        let hi = 180.0 + offset;
        let part = clip_x(&clip_x(&un, lo, true), hi, false);
        if part.len() >= 3 {
            out.push(part.iter().map(|p| [p[0] - offset, p[1]]).collect());
        }
    }
    out
}

/// Sutherland–Hodgman clipping of a closed ring to x ≥ `edge` (`keep_above`)
/// or x ≤ `edge`.
fn clip_x(ring: &[[f64; 2]], edge: f64, keep_above: bool) -> Vec<[f64; 2]> {
    let inside = |p: &[f64; 2]| {
        if keep_above {
            p[0] >= edge
        } else {
            p[0] <= edge
        }
    };
    let mut out = Vec::with_capacity(ring.len() + 4);
    for i in 0..ring.len() {
        let cur = ring[i];
        let prev = ring[(i + ring.len() - 1) % ring.len()];
        let (ci, pi) = (inside(&cur), inside(&prev));
        if ci != pi {
            let t = (edge - prev[0]) / (cur[0] - prev[0]);
            out.push([edge, prev[1] + t * (cur[1] - prev[1])]);
        }
        if ci {
            out.push(cur);
        }
    }
    out
}

/// Douglas–Peucker simplification keeping both end points; returns the
/// indexes of the kept points, in order.
fn dp_keep(pts: &[[f64; 2]], tolerance: f64) -> Vec<usize> {
    simplify_mask(pts, tolerance)
        .into_iter()
        .enumerate()
        .filter(|(_, k)| *k)
        .map(|(i, _)| i)
        .collect()
}

/// Douglas–Peucker simplification keeping both end points.
fn simplify_mask(pts: &[[f64; 2]], tolerance: f64) -> Vec<bool> {
    if pts.len() < 3 {
        return vec![true; pts.len()];
    }
    let mut keep = vec![false; pts.len()];
    keep[0] = true;
    keep[pts.len() - 1] = true;
    let mut stack = vec![(0usize, pts.len() - 1)];
    while let Some((a, b)) = stack.pop() {
        let mut worst = (0.0f64, 0usize);
        for i in a + 1..b {
            let dist = segment_distance(pts[i], pts[a], pts[b]);
            if dist > worst.0 {
                worst = (dist, i);
            }
        }
        if worst.0 > tolerance {
            keep[worst.1] = true;
            stack.push((a, worst.1));
            stack.push((worst.1, b));
        }
    }
    keep
}

fn segment_distance(p: [f64; 2], a: [f64; 2], b: [f64; 2]) -> f64 {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let len2 = dx * dx + dy * dy;
    if len2 == 0.0 {
        return ((p[0] - a[0]).powi(2) + (p[1] - a[1]).powi(2)).sqrt();
    }
    let t = (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2).clamp(0.0, 1.0);
    ((p[0] - a[0] - t * dx).powi(2) + (p[1] - a[1] - t * dy).powi(2)).sqrt()
}

/// Absolute area and area centroid of a ring (falls back to the mean of its
/// points when the area is zero).
fn area_centroid(ring: &[[f64; 2]]) -> (f64, [f64; 2]) {
    if ring.is_empty() {
        return (0.0, [0.0, 0.0]);
    }
    let (mut a, mut cx, mut cy) = (0.0, 0.0, 0.0);
    for i in 0..ring.len() {
        let p = ring[i];
        let q = ring[(i + 1) % ring.len()];
        let c = p[0] * q[1] - q[0] * p[1];
        a += c;
        cx += (p[0] + q[0]) * c;
        cy += (p[1] + q[1]) * c;
    }
    if a.abs() < 1e-9 {
        let n = ring.len() as f64;
        let sx: f64 = ring.iter().map(|p| p[0]).sum();
        let sy: f64 = ring.iter().map(|p| p[1]).sum();
        return (0.0, [sx / n, sy / n]);
    }
    (a.abs() / 2.0, [cx / (3.0 * a), cy / (3.0 * a)])
}

#[cfg(test)]
mod tests;
