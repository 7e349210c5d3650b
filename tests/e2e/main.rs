//! End-to-end tests: the real SDK against the emulator on 127.0.0.1, through the same state,
//! runner and journal the TUI uses (`sidman list` as a process), including hostile servers.

#[path = "../common/mod.rs"]
mod common;

mod errors;
mod hostile_api;
mod hostile_list;
mod hostile_pools;
mod hostile_tui;
mod list;
mod pooled_review;
mod pools;
mod protect;
mod release;
mod reread;
mod resilience;
mod review_scroll;
mod screen;
mod tags;
