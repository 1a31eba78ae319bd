//! Planners (being written).
