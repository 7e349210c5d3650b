//! `sidman emulator`: the emulator as a standalone server for other clients (the AWS CLI, boto3,
//! scripts). It parses the seed and fault flags, refuses a non-loopback address unless
//! `--allow-remote` is given (the emulator has no authentication at all), prints where it listens
//! and serves until Ctrl-C or SIGTERM.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use color_eyre::eyre::{WrapErr, eyre};

use super::{Emulator, EmulatorConfig, Faults, Seed};

/// Flags of `sidman emulator`.
#[derive(Debug, Clone, clap::Args)]
pub struct EmulatorArgs {
    /// Address to listen on.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:4566")]
    pub listen: SocketAddr,
    /// Seed file (JSON, same format as assets/demo-seed.json); default: the built-in demo seed.
    #[arg(long, value_name = "FILE")]
    pub seed: Option<PathBuf>,
    /// Allow listening on a non-loopback address (anyone who can reach it can use it).
    #[arg(long)]
    pub allow_remote: bool,
    /// Latency added to every request, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 0)]
    pub latency_ms: u64,
    /// Requests per second allowed per region; past it, ThrottlingException.
    #[arg(long, value_name = "RPS", value_parser = positive_rate)]
    pub rate_limit: Option<f64>,
    /// Probability (0-1) of answering ThrottlingException.
    #[arg(long, value_name = "P", default_value_t = 0.0, value_parser = probability)]
    pub throttle_probability: f64,
    /// Probability (0-1) of answering InternalServerException (HTTP 500).
    #[arg(long, value_name = "P", default_value_t = 0.0, value_parser = probability)]
    pub error_probability: f64,
    /// Answer every request signed for these regions with ThrottlingException (repeatable or
    /// comma-separated); the other regions are served as usual.
    #[arg(long, value_name = "R[,R...]", value_delimiter = ',')]
    pub throttle_region: Vec<String>,
    /// Answer every request for these operations with AccessDeniedException, in every region, as
    /// AWS does when the caller's policy does not allow them (repeatable or comma-separated), e.g.
    /// `--deny-operation DescribePools,ListPoolOriginationIdentities`.
    #[arg(long, value_name = "OP[,OP...]", value_delimiter = ',', value_parser = operation_name)]
    pub deny_operation: Vec<String>,
    /// Add N synthetic sender IDs to each of the synthetic regions.
    #[arg(long, value_name = "N")]
    pub synthetic: Option<usize>,
    /// Regions that receive synthetic sender IDs.
    #[arg(
        long,
        value_name = "R[,R...]",
        value_delimiter = ',',
        default_value = "us-east-1,eu-west-1,ap-southeast-2"
    )]
    pub synthetic_regions: Vec<String>,
    /// Act as a broken or malicious server (for testing clients): escapes, error-bodies,
    /// server-fault, error-type, error-type-header, error-without-type, truncated, not-json,
    /// wrong-types, invalid-utf8, missing-members, unknown-enums, repeating-token, huge-field:N,
    /// huge-page:N, huge-chunked:N, huge-token:N, endless-token:N.
    #[arg(long, value_name = "MODE")]
    pub hostile: Option<super::Hostile>,
}

fn probability(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(p) if (0.0..=1.0).contains(&p) => Ok(p),
        _ => Err(format!("{text} is not a probability between 0 and 1")),
    }
}

fn operation_name(text: &str) -> Result<String, String> {
    let known = super::protocol::Operation::ALL.map(super::protocol::Operation::name);
    if known.contains(&text) {
        Ok(text.to_owned())
    } else {
        Err(format!(
            "{text} is not an operation the emulator serves ({})",
            known.join(", ")
        ))
    }
}

fn positive_rate(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(r) if r.is_finite() && r > 0.0 => Ok(r),
        _ => Err(format!(
            "{text} is not a positive number of requests per second"
        )),
    }
}

impl EmulatorArgs {
    /// The fault knobs these flags ask for.
    pub fn faults(&self) -> Faults {
        Faults {
            latency: Duration::from_millis(self.latency_ms),
            rate_limit_per_region: self.rate_limit,
            throttle_probability: self.throttle_probability,
            internal_error_probability: self.error_probability,
            expired_credentials: false,
            throttled_regions: self.throttle_region.clone(),
            denied_operations: self.deny_operation.clone(),
        }
    }

    /// The seed these flags ask for (file or demo, plus synthetic sender IDs).
    pub fn seed(&self) -> color_eyre::Result<Seed> {
        let seed = match &self.seed {
            Some(path) => {
                Seed::from_file(path).wrap_err("the emulator needs a valid --seed file")?
            }
            None => Seed::demo(),
        };
        Ok(match self.synthetic {
            Some(count) if count > 0 => {
                let regions: Vec<&str> =
                    self.synthetic_regions.iter().map(String::as_str).collect();
                seed.with_synthetic(&regions, count)
            }
            _ => seed,
        })
    }
}

/// Runs the emulator until Ctrl-C or SIGTERM.
pub async fn run_standalone(args: EmulatorArgs) -> color_eyre::Result<()> {
    if !args.listen.ip().is_loopback() && !args.allow_remote {
        return Err(eyre!(
            "refusing to listen on {}: it is not a loopback address and the emulator has no \
             authentication; use --listen 127.0.0.1:PORT, or pass --allow-remote to expose it",
            args.listen
        ));
    }
    let seed = args.seed()?;
    let (total, regions) = (seed.len(), seed.regions().len());
    let faults = args.faults();
    let config = EmulatorConfig {
        listen: args.listen,
        seed,
        faults: faults.clone(),
    };
    let emulator = Emulator::start(config)
        .await
        .wrap_err_with(|| format!("cannot listen on {}", args.listen))?;
    println!(
        "sidman emulator listening on {} ({total} sender IDs in {regions} regions)",
        emulator.endpoint_url()
    );
    if faults.is_active() {
        println!("faults: {}", faults.describe());
    }
    if let Some(mode) = &args.hostile {
        println!("hostile mode: {mode:?}");
        emulator.set_hostile(Some(mode.clone()));
    }
    wait_for_termination().await;
    emulator.stop().await;
    Ok(())
}

async fn wait_for_termination() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut terminate) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = terminate.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        args: EmulatorArgs,
    }

    #[test]
    fn denied_operations_are_named_and_checked() {
        let cli = Cli::try_parse_from([
            "emulator",
            "--deny-operation",
            "DescribePools,ListPoolOriginationIdentities",
            "--deny-operation",
            "ListTagsForResource",
        ])
        .expect("parses");
        assert_eq!(
            cli.args.faults().denied_operations,
            [
                "DescribePools",
                "ListPoolOriginationIdentities",
                "ListTagsForResource"
            ]
        );
        assert!(cli.args.faults().is_active());
        let error = Cli::try_parse_from(["emulator", "--deny-operation", "DescribePool"])
            .err()
            .map(|e| e.to_string());
        assert!(error.is_some_and(|e| e.contains("DescribePools")));
    }
}
