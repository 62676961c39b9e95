//! Render stage.

pub mod charts;
