//! The independent plan checker (being written; see `docs/plan-semantics.md`).
