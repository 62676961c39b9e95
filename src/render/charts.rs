//! Stub: build-time SVG map and charts land here.

/// Placeholder until the charts branch lands.
pub fn home_pictures(_site: &crate::link::Site) -> serde_json::Value {
    serde_json::Value::Null
}
