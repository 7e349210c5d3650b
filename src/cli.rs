//! The command line: global flags shared by every subcommand (`--profile`, `--region`,
//! `--all-regions`, `--endpoint-url`, `--read-only`, `--demo`, `--no-color`, `--max-rps`,
//! `--give-up-after`) and the subcommands
//! (`list`, `journal`, `emulator`). With no subcommand sidman opens the TUI.

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "sidman",
    version,
    about = "Audit and release the sender IDs of AWS End User Messaging SMS",
    long_about = "sidman lists every sender ID of an account by country and message type, audits monthly \
                  leasing prices, and releases the ones you mark after a typed confirmation. Credentials, \
                  profile and region come from the standard AWS chain (~/.aws/config, AWS_* variables). \
                  Try it without an account: sidman --demo"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Args, Default)]
pub struct GlobalArgs {
    /// AWS profile from ~/.aws/config (default: AWS_PROFILE, then "default")
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,
    /// Region(s), comma-separated, loaded side by side (default: the profile's or AWS_REGION)
    #[arg(long, global = true, value_name = "R[,R...]", value_delimiter = ',')]
    pub region: Vec<String>,
    /// Every commercial region where the service exists
    #[arg(long, global = true, conflicts_with = "region")]
    pub all_regions: bool,
    /// Send requests to this endpoint instead of AWS (also AWS_ENDPOINT_URL,
    /// AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2)
    #[arg(long, global = true, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Nothing that changes AWS can be started
    #[arg(long, global = true)]
    pub read_only: bool,
    /// Run against the built-in emulator (demo data, no AWS account needed)
    #[arg(long, global = true, conflicts_with_all = ["profile", "endpoint_url"])]
    pub demo: bool,
    /// No colour (also NO_COLOR)
    #[arg(long, global = true)]
    pub no_color: bool,
    /// Requests per second per region and operation, at most (default: 50 for DescribeSenderIds,
    /// 20 for ReleaseSenderId); sidman slows down by itself when throttled
    #[arg(long, global = true, value_name = "N", value_parser = positive_rps)]
    pub max_rps: Option<f64>,
    /// Give up on a call once it has been throttled continuously for this many seconds
    /// (default: 30); a listing or re-read then fails with a clear error, a release batch pauses
    #[arg(long, global = true, value_name = "SECS", value_parser = positive_seconds)]
    pub give_up_after: Option<u64>,
}

fn positive_rps(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(n) if n.is_finite() && n > 0.0 => Ok(n),
        _ => Err(format!(
            "{text} is not a positive number of requests per second"
        )),
    }
}

fn positive_seconds(text: &str) -> Result<u64, String> {
    match text.parse::<u64>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!("{text} is not a positive whole number of seconds")),
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the inventory with monthly leasing prices and totals (table, JSON or CSV)
    List(ListArgs),
    /// Print the release journal, newest last
    Journal(JournalArgs),
    /// Run the built-in emulator as a local server for tests, demos and other clients
    Emulator(crate::emulator::EmulatorArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    #[default]
    Table,
    Json,
    Csv,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Only these countries (ISO codes, comma-separated)
    #[arg(long, value_name = "CC[,CC]", value_delimiter = ',')]
    pub country: Vec<String>,
    /// Only this message type
    #[arg(long, value_name = "TRANSACTIONAL|PROMOTIONAL")]
    pub message_type: Option<String>,
    /// Only registered (true) or unregistered (false) sender IDs
    #[arg(long, value_name = "true|false")]
    pub registered: Option<bool>,
    /// Only sender IDs with (true) or without (false) deletion protection
    #[arg(long, value_name = "true|false")]
    pub protected: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum JournalFormat {
    #[default]
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct JournalArgs {
    #[arg(long, value_enum, default_value_t = JournalFormat::Table)]
    pub format: JournalFormat,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn give_up_after_takes_a_positive_whole_number_of_seconds() {
        let parse = |value: &str| {
            Cli::try_parse_from(["sidman", "list", "--give-up-after", value])
                .map(|cli| cli.global.give_up_after)
        };
        assert_eq!(parse("2").ok(), Some(Some(2)));
        for bad in ["0", "-1", "1.5", "soon"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        let cli = Cli::try_parse_from(["sidman", "list"]).expect("no flag");
        assert_eq!(cli.global.give_up_after, None, "the 30 s default");
    }

    #[test]
    fn throttle_region_is_repeatable_and_comma_separated() {
        let cli = Cli::try_parse_from([
            "sidman",
            "emulator",
            "--throttle-region",
            "eu-west-1,ap-southeast-2",
            "--throttle-region",
            "us-west-2",
        ])
        .expect("parses");
        let Some(Command::Emulator(args)) = cli.command else {
            panic!("the emulator subcommand");
        };
        assert_eq!(
            args.faults().throttled_regions,
            ["eu-west-1", "ap-southeast-2", "us-west-2"]
        );
    }
}
