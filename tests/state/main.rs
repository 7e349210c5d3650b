//! Pure tests without a network: state transitions (`update` driven by keys and results), the
//! derived view checked against a plain computation, resilience of the release flow to every kind
//! of answer, and render snapshots on ratatui's `TestBackend`.

#[path = "../common/mod.rs"]
mod common;

mod derived;
mod errors;
mod filters;
mod keymap;
mod operator;
mod prices;
mod protection;
mod render;
mod resilience;
mod screens;
mod transitions;
