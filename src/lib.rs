//! sidman: a terminal UI and command-line tool for the sender IDs of AWS End User Messaging SMS
//! (`pinpoint-sms-voice-v2`). The library holds every part so that the binary stays thin and the
//! tests in `tests/` reach the same code the operator runs.

pub mod action;
pub mod app;
pub mod aws;
pub mod cli;
pub mod commands;
pub mod domain;
pub mod effects;
pub mod emulator;
pub mod export;
pub mod journal;
pub mod logging;
pub mod milestones;
pub mod osc52;
pub mod pacing;
pub mod private_file;
pub mod reconcile;
pub mod record_out;
pub mod regions;
pub mod run;
pub mod sanitize;
pub mod state;
pub mod ui;
