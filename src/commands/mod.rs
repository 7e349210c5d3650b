//! The non-interactive subcommands: `list` (inventory and price audit on stdout) and `journal`
//! (the release journal). Output goes to stdout, diagnostics to stderr, every string from the
//! network already made safe by the `aws` module.

pub mod journal;
pub mod list;
