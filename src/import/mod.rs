//! Stub: the seed-text importer lands here.
