//! The `sidman` binary: installs the error report hook, parses the command line and hands over to
//! `sidman::run`. Everything else lives in the library so the tests exercise the same code.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    sidman::milestones::process_started();
    // The panic hook restores the terminal first (ratatui chains its own on top at TUI start).
    let _ = color_eyre::install();
    let cli = sidman::cli::Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("sidman: could not start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(sidman::run::main(cli))
}
