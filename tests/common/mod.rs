//! Helpers shared by the integration tests (`mod common;`); each test crate uses a subset.
#![allow(dead_code)]

pub mod audit;
pub mod fixtures;
pub mod harness;
pub mod hostile;
pub mod screen;
pub mod tmux;
