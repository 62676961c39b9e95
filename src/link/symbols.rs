//! Stub: UN document symbol recognition lands here.
