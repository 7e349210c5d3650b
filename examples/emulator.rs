//! Runs the emulator standalone, as `sidman emulator` does:
//! `cargo run --example emulator -- --listen 127.0.0.1:4566`.

use std::process::ExitCode;

use clap::Parser;
use sidman::emulator::{EmulatorArgs, run_standalone};

#[derive(Parser)]
struct Cli {
    #[command(flatten)]
    args: EmulatorArgs,
}

#[tokio::main]
async fn main() -> ExitCode {
    match run_standalone(Cli::parse().args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            let causes: Vec<String> = error.chain().map(ToString::to_string).collect();
            eprintln!("error: {}", causes.join(": "));
            ExitCode::FAILURE
        }
    }
}
