//! The command line: global flags shared by every subcommand (`--profile`, `--region`,
//! `--all-regions`, `--endpoint-url`, `--read-only`, `--demo`, `--no-color`, `--no-osc52`, `--max-rps`,
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
    /// No colour (also NO_COLOR)
    #[arg(long)]
    pub no_color: bool,
    /// y/Y do not copy to the terminal's clipboard (OSC 52), for terminals that refuse it
    #[arg(
        long,
        env = "SIDMAN_NO_OSC52",
        value_parser = clap::builder::FalseyValueParser::new()
    )]
    pub no_osc52: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// How to reach the service: given before the subcommand (`sidman --region R list`) or after it
/// (`sidman list --region R`); only the TUI and `list` take them.
#[derive(Debug, Clone, Args, Default)]
pub struct GlobalArgs {
    /// AWS profile from ~/.aws/config (default: AWS_PROFILE, then "default")
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// Region(s), comma-separated, loaded side by side (default: the profile's or AWS_REGION)
    #[arg(long, value_name = "R[,R...]", value_delimiter = ',')]
    pub region: Vec<String>,
    /// Every commercial region where the service exists
    #[arg(long, conflicts_with = "region")]
    pub all_regions: bool,
    /// Send requests to this endpoint instead of AWS (also AWS_ENDPOINT_URL,
    /// AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2)
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Nothing that changes AWS can be started
    #[arg(long)]
    pub read_only: bool,
    /// Run against the built-in emulator (demo data, no AWS account needed)
    #[arg(long, conflicts_with_all = ["profile", "endpoint_url"])]
    pub demo: bool,
    /// Requests per second per region and operation, at most (default: 50 for DescribeSenderIds,
    /// 20 for ReleaseSenderId); sidman slows down by itself when throttled
    #[arg(long, value_name = "N", value_parser = positive_rps)]
    pub max_rps: Option<f64>,
    /// Give up on a call once it has been throttled continuously for this many seconds
    /// (default: 30); a listing or re-read then fails with a clear error, a release batch pauses
    #[arg(long, value_name = "SECS", value_parser = positive_seconds)]
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
    #[command(flatten)]
    pub connect: GlobalArgs,
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
    /// The demo's own journal (what `sidman --demo` released)
    #[arg(long)]
    pub demo: bool,
    #[arg(long, value_enum, default_value_t = JournalFormat::Table)]
    pub format: JournalFormat,
}

impl GlobalArgs {
    /// These settings, with those given after the subcommand taking precedence.
    pub fn overridden_by(&self, later: &GlobalArgs) -> GlobalArgs {
        GlobalArgs {
            profile: later.profile.clone().or_else(|| self.profile.clone()),
            region: if later.region.is_empty() {
                self.region.clone()
            } else {
                later.region.clone()
            },
            all_regions: self.all_regions || later.all_regions,
            endpoint_url: later
                .endpoint_url
                .clone()
                .or_else(|| self.endpoint_url.clone()),
            read_only: self.read_only || later.read_only,
            demo: self.demo || later.demo,
            max_rps: later.max_rps.or(self.max_rps),
            give_up_after: later.give_up_after.or(self.give_up_after),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn give_up_after_takes_a_positive_whole_number_of_seconds() {
        let parse = |value: &str| {
            Cli::try_parse_from(["sidman", "--give-up-after", value, "list"])
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
    fn connection_flags_go_before_or_after_list_and_nowhere_else() {
        let cli = Cli::try_parse_from([
            "sidman",
            "--region",
            "us-east-1",
            "--max-rps",
            "5",
            "list",
            "--region",
            "eu-west-1",
        ])
        .expect("parses");
        let Some(Command::List(args)) = &cli.command else {
            panic!("list");
        };
        let both = cli.global.overridden_by(&args.connect);
        assert_eq!(both.region, ["eu-west-1"], "the later one wins");
        assert_eq!(
            both.max_rps,
            Some(5.0),
            "the earlier one stays when not given again"
        );
        for sub in ["journal", "emulator"] {
            assert!(
                Cli::try_parse_from(["sidman", sub, "--max-rps", "5"]).is_err(),
                "{sub}"
            );
            assert!(
                Cli::try_parse_from(["sidman", sub, "--read-only"]).is_err(),
                "{sub}"
            );
        }
        assert!(Cli::try_parse_from(["sidman", "journal", "--demo"]).is_ok());
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
