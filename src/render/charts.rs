//! Stub: build-time SVG map and charts land here.
