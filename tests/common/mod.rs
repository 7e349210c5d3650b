//! Helpers shared by the integration tests (`mod common;`); each test crate uses a subset.
#![allow(dead_code)]

pub mod fixtures;
pub mod harness;
