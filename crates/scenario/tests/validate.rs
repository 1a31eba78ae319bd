//! Tests of the semantic validation rules (being written).
