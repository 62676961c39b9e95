//! Stub: the search tokenizer and index land here.
