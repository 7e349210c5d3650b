//! Runs the emulator standalone, as `sidman emulator` does:
//! `cargo run --example emulator -- --listen 127.0.0.1:4566`.

use clap::Parser;
use sidman::emulator::{EmulatorArgs, run_standalone};

#[derive(Parser)]
struct Cli {
    #[command(flatten)]
    args: EmulatorArgs,
}

#[tokio::main]
async fn main() -> color_eyre::Result<()> {
    run_standalone(Cli::parse().args).await
}
