//! Diagnostics go to a log file in the state directory (`sidman.log` beside the journal), never to
//! the terminal the TUI draws on. The level comes from `SIDMAN_LOG` (e.g. `debug`), `info` by
//! default. The log is opened as the journal is (no link followed, a regular file, mode 0600).
//! A log that cannot be opened is not an error: sidman runs without one.

use std::sync::Mutex;
use tracing_subscriber::EnvFilter;

/// The log file's path, when the platform has a state directory.
pub fn path() -> Option<std::path::PathBuf> {
    crate::journal::default_path().map(|p| p.with_file_name("sidman.log"))
}

pub fn init() {
    let Some(path) = path() else { return };
    if let Some(dir) = path.parent()
        && crate::private_file::ensure_private_dir(dir).is_err()
    {
        return;
    }
    let Ok(file) = crate::private_file::open(&path, crate::private_file::Access::Append) else {
        return;
    };
    let filter = EnvFilter::try_from_env("SIDMAN_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(Mutex::new(file))
        .try_init();
}
