//! Start-up of each command: logging, the demo emulator, the AWS session, the journal, then the
//! TUI, `list`, `journal` or `emulator`. Every error a user can cause ends here as one sentence on
//! stderr and a non-zero exit code, after the terminal has been restored.

use crate::app::{self, Exit};
use crate::aws::{self, ConnectOptions};
use crate::cli::{Cli, Command, GlobalArgs};
use crate::effects::Runner;
use crate::emulator::{Emulator, Seed};
use crate::journal::{self, Journal};
use crate::sanitize::clean;
use crate::state::{Session, State};
use crate::ui::Theme;
use std::process::ExitCode;

/// Static credentials of the demo: they only ever reach the in-process emulator on 127.0.0.1.
const DEMO_CREDENTIALS: (&str, &str) = ("AKIASIDMANDEMO", "sidman-demo-secret");

/// Exit code for an error the user can fix (bad flag, no credentials, unreachable endpoint).
pub const EXIT_USAGE: u8 = 2;
/// Exit code when a signal ended the session.
pub const EXIT_SIGNAL: u8 = 130;

pub async fn main(cli: Cli) -> ExitCode {
    crate::logging::init();
    let result = match cli.command {
        None => tui(&cli.global, cli.no_color, !cli.no_osc52).await,
        Some(Command::List(args)) => {
            let connect = cli.global.overridden_by(&args.connect);
            crate::commands::list::run(&connect, &args).await
        }
        Some(Command::Journal(args)) => {
            crate::commands::journal::run(&args, args.demo || cli.global.demo)
        }
        Some(Command::Emulator(args)) => crate::emulator::run_standalone(args)
            .await
            .map(|()| ExitCode::SUCCESS)
            // The whole chain: "cannot listen on ADDR: Address already in use (os error 98)".
            .map_err(|e| format!("{e:#}")),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("sidman: {}", clean(&message));
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// The demo emulator, when `--demo` asked for one, and the options to reach it.
pub async fn connect_options(
    global: &GlobalArgs,
) -> Result<(ConnectOptions, Option<Emulator>), String> {
    let mut opts = ConnectOptions {
        profile: global.profile.clone(),
        regions: global.region.clone(),
        all_regions: global.all_regions,
        endpoint_url: global.endpoint_url.clone(),
        static_credentials: None,
        read_only: global.read_only,
        pacing: crate::pacing::PacingConfig::with_max_rps(global.max_rps)
            .with_give_up_after(global.give_up_after.map(std::time::Duration::from_secs)),
    };
    if !global.demo {
        return Ok((opts, None));
    }
    let seed = Seed::demo();
    if opts.regions.is_empty() && !opts.all_regions {
        opts.regions = seed.regions();
    }
    let emulator = Emulator::start_local(seed)
        .await
        .map_err(|e| format!("could not start the demo emulator on 127.0.0.1: {e}"))?;
    opts.endpoint_url = Some(emulator.endpoint_url());
    opts.static_credentials = Some((DEMO_CREDENTIALS.0.to_owned(), DEMO_CREDENTIALS.1.to_owned()));
    opts.profile = None;
    Ok((opts, Some(emulator)))
}

async fn tui(global: &GlobalArgs, no_color: bool, osc52: bool) -> Result<ExitCode, String> {
    let (opts, _emulator) = connect_options(global).await?;
    let (api, info) = aws::connect(&opts).await.map_err(|e| e.to_string())?;
    let profile = if global.demo {
        "demo".to_owned()
    } else {
        info.profile.clone()
    };
    // The demo keeps its own journal; a second sidman on the same journal browses only.
    let journal_path = journal::path_for(global.demo);
    let (journal, journal_error) = match journal_path.clone() {
        Some(path) => match Journal::open(&path) {
            Ok(j) => (Some(j), None),
            Err(e) => (None, Some(e.to_string())),
        },
        None => (
            None,
            Some(
                "this platform has no state directory for the journal: releases are disabled"
                    .to_owned(),
            ),
        ),
    };
    if let Some(e) = &journal_error {
        tracing::error!("journal unavailable, releases disabled: {e}");
    }
    let notice = journal_error.clone();
    let session = Session {
        profile: profile.clone(),
        regions: info.regions.clone(),
        endpoint: info.endpoint.clone(),
        read_only: global.read_only,
        demo: global.demo,
        journal_error,
        credentials: if global.demo {
            "demo credentials".to_owned()
        } else {
            info.credentials.clone()
        },
        account: info.account.clone(),
        osc52,
    };
    let theme = if no_color {
        Theme::plain()
    } else {
        Theme::from_env()
    };
    let export_dir = std::env::current_dir().unwrap_or_else(|_| ".".into());
    let target = journal::Target::new(info.endpoint.as_deref(), &profile);
    let mut state = State::new(session);
    state.notice = notice;
    let exit = app::terminal::run(
        state,
        |tx| Runner::new(api, tx, journal, target, export_dir).with_history(journal_path),
        theme,
    )
    .await;
    match exit {
        Ok(Exit::Quit) => Ok(ExitCode::SUCCESS),
        Ok(Exit::Signal(why)) => {
            eprintln!("sidman: stopped by {why}; releases in flight were recorded in the journal");
            Ok(ExitCode::from(EXIT_SIGNAL))
        }
        Err(e) => Err(format!("the terminal failed: {e}")),
    }
}
