//! Integration tests of the scenario crate: one test binary, one module per concern.

mod check;
mod raw;
mod validate;
