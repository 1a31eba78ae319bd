//! Tests of the plan checker on hand-broken plans (being written).
