//! A small TopoJSON decoder: quantized, delta-encoded arcs with an optional
//! transform; Polygon and MultiPolygon geometries (other types are skipped).
//!
//! See the TopoJSON specification, sections 2.1.2 (transforms) and 2.2 (arcs).

use std::collections::BTreeMap;

use serde::Deserialize;

/// A decoded topology: every arc in absolute (untransformed-back) coordinates,
/// and the polygonal geometries of each named object.
#[derive(Debug, Clone, PartialEq)]
pub struct Topology {
    /// Arcs as absolute positions (longitude, latitude for geographic data).
    pub arcs: Vec<Vec<[f64; 2]>>,
    /// Geometries of each object, flattened out of GeometryCollections.
    pub objects: BTreeMap<String, Vec<Geometry>>,
}

/// One Polygon or MultiPolygon geometry.
#[derive(Debug, Clone, PartialEq)]
pub struct Geometry {
    /// The geometry's `id`, as a string (numbers are written in decimal).
    pub id: Option<String>,
    /// `properties.name`, if present.
    pub name: Option<String>,
    /// Polygons; each polygon is a list of rings; each ring a list of arc
    /// indexes (a negative index `!i` means arc `i` reversed).
    pub polygons: Vec<Vec<Vec<i64>>>,
}

#[derive(Deserialize)]
struct RawTopology {
    #[serde(default)]
    transform: Option<RawTransform>,
    arcs: Vec<Vec<Vec<f64>>>,
    objects: BTreeMap<String, RawGeometry>,
}

#[derive(Deserialize)]
struct RawTransform {
    scale: [f64; 2],
    translate: [f64; 2],
}

#[derive(Deserialize)]
#[serde(tag = "type")]
enum RawGeometry {
    GeometryCollection {
        geometries: Vec<RawGeometry>,
    },
    Polygon {
        arcs: Vec<Vec<i64>>,
        #[serde(default)]
        id: Option<serde_json::Value>,
        #[serde(default)]
        properties: Option<serde_json::Value>,
    },
    MultiPolygon {
        arcs: Vec<Vec<Vec<i64>>>,
        #[serde(default)]
        id: Option<serde_json::Value>,
        #[serde(default)]
        properties: Option<serde_json::Value>,
    },
    #[serde(other)]
    Other,
}

impl Topology {
    /// Parses and decodes a TopoJSON document.
    pub fn parse(json: &str) -> Result<Topology, String> {
        let raw: RawTopology =
            serde_json::from_str(json).map_err(|e| format!("invalid TopoJSON: {e}"))?;
        let arcs = decode_arcs(&raw.arcs, raw.transform.as_ref())?;
        let mut objects = BTreeMap::new();
        for (name, geom) in raw.objects {
            let mut out = Vec::new();
            flatten(geom, &mut out);
            for g in &out {
                for ring in g.polygons.iter().flatten() {
                    for &i in ring {
                        let idx = if i < 0 { !i } else { i };
                        if idx < 0 || idx as usize >= arcs.len() {
                            return Err(format!("arc index {i} out of range in object {name}"));
                        }
                    }
                }
            }
            objects.insert(name, out);
        }
        Ok(Topology { arcs, objects })
    }

    /// The positions of one ring: its arcs joined, each arc after the first
    /// losing its first position (equal to the previous arc's last).
    pub fn ring(&self, arc_indexes: &[i64]) -> Vec<[f64; 2]> {
        stitch(&self.arcs, arc_indexes)
    }
}

/// Joins arcs (any point type) into a ring as TopoJSON prescribes.
pub fn stitch<P: Copy>(arcs: &[Vec<P>], arc_indexes: &[i64]) -> Vec<P> {
    let mut out: Vec<P> = Vec::new();
    for &i in arc_indexes {
        let skip = usize::from(!out.is_empty());
        if i >= 0 {
            out.extend(arcs[i as usize].iter().skip(skip).copied());
        } else {
            out.extend(arcs[(!i) as usize].iter().rev().skip(skip).copied());
        }
    }
    out
}

fn decode_arcs(
    raw: &[Vec<Vec<f64>>],
    transform: Option<&RawTransform>,
) -> Result<Vec<Vec<[f64; 2]>>, String> {
    let mut arcs = Vec::with_capacity(raw.len());
    for (n, arc) in raw.iter().enumerate() {
        let mut pts = Vec::with_capacity(arc.len());
        let (mut x, mut y) = (0.0f64, 0.0f64);
        for pos in arc {
            if pos.len() < 2 {
                return Err(format!("arc {n} has a position with fewer than 2 values"));
            }
            match transform {
                Some(t) => {
                    // Quantized and delta-encoded.
                    x += pos[0];
                    y += pos[1];
                    pts.push([
                        x * t.scale[0] + t.translate[0],
                        y * t.scale[1] + t.translate[1],
                    ]);
                }
                None => pts.push([pos[0], pos[1]]),
            }
        }
        arcs.push(pts);
    }
    Ok(arcs)
}

fn id_string(v: Option<serde_json::Value>) -> Option<String> {
    match v? {
        serde_json::Value::String(s) => Some(s),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn name_of(p: &Option<serde_json::Value>) -> Option<String> {
    p.as_ref()?.get("name")?.as_str().map(str::to_owned)
}

fn flatten(g: RawGeometry, out: &mut Vec<Geometry>) {
    match g {
        RawGeometry::GeometryCollection { geometries } => {
            for g in geometries {
                flatten(g, out);
            }
        }
        RawGeometry::Polygon {
            arcs,
            id,
            properties,
        } => out.push(Geometry {
            id: id_string(id),
            name: name_of(&properties),
            polygons: vec![arcs],
        }),
        RawGeometry::MultiPolygon {
            arcs,
            id,
            properties,
        } => out.push(Geometry {
            id: id_string(id),
            name: name_of(&properties),
            polygons: arcs,
        }),
        RawGeometry::Other => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two unit squares side by side sharing one arc, quantized with a
    /// transform, plus a MultiPolygon island and a Point that is skipped.
    const TINY: &str = r#"{
      "type": "Topology",
      "transform": {"scale": [0.5, 0.25], "translate": [10, 20]},
      "objects": {
        "things": {"type": "GeometryCollection", "geometries": [
          {"type": "Polygon", "id": "001", "properties": {"name": "West"}, "arcs": [[0, 1]]},
          {"type": "Polygon", "id": 2, "arcs": [[-1, 2]]},
          {"type": "MultiPolygon", "arcs": [[[3]], [[~3]]]},
          {"type": "Point", "coordinates": [1, 1]}
        ]}
      },
      "arcs": [
        [[2, 0], [0, 4]],
        [[2, 4], [-2, 0], [0, -4], [2, 0]],
        [[2, 0], [2, 0], [0, 4], [-2, 0]],
        [[8, 8], [1, 0], [0, 1], [-1, 0], [0, -1]]
      ]
    }"#;

    #[test]
    fn decodes_delta_encoded_quantized_arcs() {
        // `~3` is not JSON; use -4 instead.
        let t = Topology::parse(&TINY.replace("~3", "-4")).unwrap();
        assert_eq!(t.arcs[0], vec![[11.0, 20.0], [11.0, 21.0]]);
        assert_eq!(
            t.arcs[1],
            vec![[11.0, 21.0], [10.0, 21.0], [10.0, 20.0], [11.0, 20.0]]
        );
        assert_eq!(t.arcs[3][0], [14.0, 22.0]);
        assert_eq!(t.arcs[3][2], [14.5, 22.25]);
        let things = &t.objects["things"];
        assert_eq!(things.len(), 3, "the Point is skipped");
        assert_eq!(things[0].id.as_deref(), Some("001"));
        assert_eq!(things[0].name.as_deref(), Some("West"));
        assert_eq!(things[1].id.as_deref(), Some("2"));
        assert_eq!(things[2].polygons.len(), 2);
    }

    #[test]
    fn stitches_rings_with_reversed_arcs() {
        let t = Topology::parse(&TINY.replace("~3", "-4")).unwrap();
        let west = t.ring(&t.objects["things"][0].polygons[0][0]);
        assert_eq!(
            west,
            vec![
                [11.0, 20.0],
                [11.0, 21.0],
                [10.0, 21.0],
                [10.0, 20.0],
                [11.0, 20.0]
            ]
        );
        // East square: the shared arc reversed (top to bottom), then arc 2.
        let east = t.ring(&t.objects["things"][1].polygons[0][0]);
        assert_eq!(east.first(), Some(&[11.0, 21.0]));
        assert_eq!(east[1], [11.0, 20.0]);
        assert_eq!(east.last(), Some(&[11.0, 21.0]));
        assert_eq!(east.len(), 5);
        // -4 is arc 3 reversed.
        let island_rev = t.ring(&t.objects["things"][2].polygons[1][0]);
        let mut island = t.arcs[3].clone();
        island.reverse();
        assert_eq!(island_rev, island);
    }

    #[test]
    fn untransformed_arcs_are_absolute() {
        let t = Topology::parse(
            r#"{"type":"Topology","objects":{"a":{"type":"Polygon","arcs":[[0]]}},
               "arcs":[[[1.5,2.5],[3,4],[1.5,2.5]]]}"#,
        )
        .unwrap();
        assert_eq!(t.arcs[0], vec![[1.5, 2.5], [3.0, 4.0], [1.5, 2.5]]);
    }

    #[test]
    fn rejects_out_of_range_arc() {
        let e = Topology::parse(
            r#"{"type":"Topology","objects":{"a":{"type":"Polygon","arcs":[[5]]}},"arcs":[]}"#,
        )
        .unwrap_err();
        assert!(e.contains("out of range"), "{e}");
    }
}
