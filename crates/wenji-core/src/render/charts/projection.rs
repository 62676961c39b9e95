//! The Equal Earth projection (Šavrič, Patterson, Jenny 2018), as in d3-geo's
//! `geoEqualEarthRaw`: input in degrees, output in radians-scaled units, y up.

const A1: f64 = 1.340264;
const A2: f64 = -0.081106;
const A3: f64 = 0.000893;
const A4: f64 = 0.003796;

/// Projects longitude/latitude in degrees. x ∈ [-2.7066, 2.7066],
/// y ∈ [-1.3174, 1.3174], north is +y.
pub fn equal_earth(lon_deg: f64, lat_deg: f64) -> [f64; 2] {
    let m = 3f64.sqrt() / 2.0;
    let lambda = lon_deg.to_radians();
    let phi = lat_deg.to_radians();
    let l = (m * phi.sin()).asin();
    let l2 = l * l;
    let l6 = l2 * l2 * l2;
    let x = lambda * l.cos() / (m * (A1 + 3.0 * A2 * l2 + l6 * (7.0 * A3 + 9.0 * A4 * l2)));
    let y = l * (A1 + A2 * l2 + l6 * (A3 + A4 * l2));
    [x, y]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: [f64; 2], b: [f64; 2]) {
        assert!(
            (a[0] - b[0]).abs() < 1e-9 && (a[1] - b[1]).abs() < 1e-9,
            "{a:?} != {b:?}"
        );
    }

    #[test]
    fn known_points() {
        close(equal_earth(0.0, 0.0), [0.0, 0.0]);
        // Extremes of the outline: at the equator θ = 0, so x = π / (M·A1);
        // at the pole θ = asin(M) = π/3.
        let m = 3f64.sqrt() / 2.0;
        let x_max = std::f64::consts::PI / (m * A1);
        let t = std::f64::consts::FRAC_PI_3;
        let y_max = t * (A1 + A2 * t * t + t.powi(6) * (A3 + A4 * t * t));
        close(equal_earth(180.0, 0.0), [x_max, 0.0]);
        close(equal_earth(0.0, 90.0), [0.0, y_max]);
        // The poles are lines (about 0.59 of the equator's length), not points.
        let corner = equal_earth(180.0, 90.0);
        close(equal_earth(-180.0, -90.0), [-corner[0], -y_max]);
        assert!((corner[0] / x_max - 0.592).abs() < 1e-3, "{corner:?}");
        assert!((x_max - 2.7066).abs() < 1e-4 && (y_max - 1.3174).abs() < 1e-4);
        // Symmetry and monotonicity.
        let p = equal_earth(30.0, 45.0);
        close(equal_earth(-30.0, -45.0), [-p[0], -p[1]]);
        assert!(equal_earth(30.0, 60.0)[1] > p[1]);
        // Meridians are curved: a point at 60°N sits closer to the central
        // meridian than the same longitude at the equator.
        assert!(equal_earth(90.0, 60.0)[0] < equal_earth(90.0, 0.0)[0]);
    }

    /// Equal-area: small cells project to areas proportional to their area
    /// on the sphere, (sin φ2 − sin φ1)·Δλ.
    #[test]
    fn equal_area() {
        let cell = |lon: f64, lat: f64, d: f64| {
            let c = [
                equal_earth(lon, lat),
                equal_earth(lon + d, lat),
                equal_earth(lon + d, lat + d),
                equal_earth(lon, lat + d),
            ];
            let mut a = 0.0;
            for i in 0..4 {
                let (p, q) = (c[i], c[(i + 1) % 4]);
                a += p[0] * q[1] - q[0] * p[1];
            }
            a / 2.0
        };
        let sphere = |lat: f64, d: f64| {
            ((lat + d).to_radians().sin() - lat.to_radians().sin()) * d.to_radians()
        };
        for (lon, lat) in [(0.0, 0.0), (40.0, 60.0), (-120.0, -35.0), (170.0, 80.0)] {
            let r = cell(lon, lat, 0.01) / sphere(lat, 0.01);
            assert!((r - 1.0).abs() < 1e-3, "{lon},{lat}: {r}");
        }
    }
}
