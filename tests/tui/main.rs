//! The real binary in a real terminal: `sidman` in tmux, driven with `send-keys`, read with
//! `capture-pane`; killed mid-release and started again. tmux is required (CI installs it).

#[path = "../common/mod.rs"]
mod common;

mod copy;
mod kill_release;
mod quit_loading;
mod smoke;
