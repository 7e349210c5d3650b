//! A headless driver of the real application: the same [`App`] the binary runs — its `State`,
//! `Runner`, journal and frames — on ratatui's `TestBackend` (150x45) instead of crossterm,
//! against the in-process emulator through the real SDK on 127.0.0.1. The test is the event loop:
//! it feeds input bursts and receives the runner's results (`tokio::time::timeout` on the channel,
//! never sleeps), calling the methods the binary's loop calls — a burst of input then a frame,
//! everything that has arrived applied at once then a frame, a tick — until a condition on the
//! state holds. Its input is scripted: its clock moves only when the test says so
//! ([`Harness::dwell`]), and nothing is typed ahead of a sheet's first frame.
//!
//! Also here: an SDK client for the test's own calls to the emulator, and the environment for
//! child processes (no ambient AWS settings, no metadata service).

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use aws_sdk_pinpointsmsvoicev2 as sms;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use futures_util::FutureExt;
use futures_util::stream::{self, Empty};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use sidman::action::{Action, Effect, Outcome};
use sidman::app::{App, Events};
use sidman::aws::{self, Api, ConnectOptions};
use sidman::domain::{Key, SenderIdRecord};
use sidman::effects::Runner;
use sidman::emulator::{Emulator, EmulatorConfig, Faults, Seed, SeedSenderId};
use sidman::journal::{self, Journal};
use sidman::state::batch::{Phase, RowStatus};
use sidman::state::{Mode, Session, State};
use sidman::ui::Theme;

/// How long any one wait of a test may take before it fails (generous: never a timing assertion).
pub const WAIT: Duration = Duration::from_secs(60);
/// The profile name the harness's session and journal use.
pub const PROFILE: &str = "e2e";
/// The static credentials every test uses; they only ever reach 127.0.0.1.
pub const ACCESS_KEY: &str = "AKIDTEST";
pub const SECRET_KEY: &str = "secret";
/// The screen the harness's App draws on (the wide size of the render tests).
pub const WIDTH: u16 = 150;
pub const HEIGHT: u16 = 45;

/// How to start a harness.
#[derive(Debug, Clone)]
pub struct Options {
    pub regions: Vec<String>,
    pub read_only: bool,
    pub seed: Seed,
    pub faults: Faults,
    /// The client-side pacing (`--max-rps` and the give-up deadline).
    pub pacing: sidman::pacing::PacingConfig,
}

impl Options {
    /// The demo seed, these regions, no faults, read-write.
    pub fn demo(regions: &[&str]) -> Options {
        Options {
            regions: regions.iter().map(|r| (*r).to_owned()).collect(),
            read_only: false,
            seed: Seed::demo(),
            faults: Faults::default(),
            pacing: sidman::pacing::PacingConfig::default(),
        }
    }
}

/// The scripted input: no events of its own (the test hands bursts to the App), a clock that
/// moves only when the test says so.
type Input = Events<Empty<std::io::Result<Event>>>;

/// The application on a `TestBackend`.
pub struct Harness {
    pub emulator: Arc<Emulator>,
    pub api: Api,
    app: App<TestBackend>,
    events: Input,
    /// Outcomes of changes that arrived in a batch with an earlier one [`Harness::next_mutated`]
    /// returned, in order.
    mutated: VecDeque<Outcome>,
    pub journal_path: PathBuf,
    pub dir: tempfile::TempDir,
    /// What the App wrote as copies (`y`/`Y`): OSC 52 sequences.
    pub clipboard: Clipboard,
}

/// A buffer the App writes its copies to, readable by the test.
#[derive(Debug, Clone, Default)]
pub struct Clipboard(Arc<std::sync::Mutex<Vec<u8>>>);

impl Clipboard {
    /// Everything written so far, as text.
    pub fn written(&self) -> String {
        let bytes = self.0.lock().map(|b| b.clone()).unwrap_or_default();
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

impl std::io::Write for Clipboard {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut b) = self.0.lock() {
            b.extend_from_slice(buf);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Harness {
    /// Starts the emulator on 127.0.0.1, connects through `aws::connect` (the path the binary
    /// takes), opens the journal in a temporary state directory and builds the App around the
    /// state and runner.
    pub async fn start(options: Options) -> Harness {
        let emulator = Emulator::start(EmulatorConfig {
            seed: options.seed,
            faults: options.faults,
            ..EmulatorConfig::default()
        })
        .await
        .expect("the emulator starts on 127.0.0.1");
        let endpoint = emulator.endpoint_url();
        assert!(endpoint.starts_with("http://127.0.0.1:"), "{endpoint}");
        let (api, info) = aws::connect(&ConnectOptions {
            regions: options.regions.clone(),
            endpoint_url: Some(endpoint),
            static_credentials: Some((ACCESS_KEY.into(), SECRET_KEY.into())),
            read_only: options.read_only,
            pacing: options.pacing,
            ..ConnectOptions::default()
        })
        .await
        .expect("connect to the emulator");
        assert_eq!(info.regions, options.regions);
        let dir = tempfile::tempdir().expect("tempdir");
        let journal_path = dir.path().join("state/sidman").join(journal::FILE_NAME);
        let journal = Journal::open(&journal_path).expect("open the journal");
        let state = State::new(Session {
            profile: PROFILE.to_owned(),
            regions: info.regions,
            endpoint: info.endpoint.clone(),
            read_only: options.read_only,
            demo: false,
            journal_error: None,
            credentials: String::new(),
            account: None,
            osc52: true,
        });
        let terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("test terminal");
        let export_dir = dir.path().to_path_buf();
        let app = App::new(
            terminal,
            state,
            |tx| {
                Runner::new(
                    api.clone(),
                    tx,
                    Some(journal),
                    journal::Target::new(info.endpoint.as_deref(), PROFILE),
                    export_dir,
                )
            },
            Theme::from_env(),
        );
        let clipboard = Clipboard::default();
        let app = app.with_clipboard(Box::new(clipboard.clone()));
        Harness {
            emulator: Arc::new(emulator),
            api,
            app,
            events: Events::scripted(stream::empty(), std::time::Instant::now()),
            mutated: VecDeque::new(),
            journal_path,
            dir,
            clipboard,
        }
    }

    /// The App's state.
    pub fn state(&self) -> &State {
        self.app.state()
    }

    /// The screen the App drew last, as text, one line per row.
    pub fn screen(&self) -> String {
        super::screen::buffer_text(self.app.backend().buffer())
    }

    /// An SDK client of the test itself (not the app's) for `region`, retries off.
    pub fn client(&self, region: &str) -> sms::Client {
        sdk_client(&self.emulator.endpoint_url(), region)
    }

    /// Starts work the test decided (or held back) itself.
    pub fn spawn(&mut self, effects: Vec<Effect>) {
        self.app.spawn(effects);
    }

    /// Draws a frame if something changed, as the binary's loop does after each wake.
    fn draw(&mut self) {
        self.app
            .draw(&mut self.events)
            .now_or_never()
            .expect("a scripted input never waits")
            .expect("draw on the test backend");
    }

    /// The service this session's intents record.
    pub fn target(&self) -> journal::Target {
        journal::Target::new(Some(&self.emulator.endpoint_url()), PROFILE)
    }

    /// Waits until `deadline` for the next result and takes every other that has arrived with
    /// it; `None` when none came in time.
    async fn receive(&mut self, deadline: tokio::time::Instant) -> Option<Vec<Action>> {
        match tokio::time::timeout_at(deadline, self.app.next_result()).await {
            Ok(Some(first)) => Some(self.app.arrived(first)),
            Ok(None) => panic!("the runner's channel closed"),
            Err(_) => None,
        }
    }

    /// Applies a batch of results and spawns their work, then draws, as the binary does.
    fn results(&mut self, batch: Vec<Action>) {
        let effects = self.app.apply_results(batch);
        self.app.spawn(effects);
        self.draw();
    }

    /// Settles the journal as the TUI does after its first load (the runner holds the journal),
    /// on the account `account`; returns what reconciliation did.
    pub async fn settle_journal(&mut self, account: Option<&str>) -> sidman::reconcile::Settled {
        self.spawn(vec![Effect::SettleJournal {
            account: account.map(ToOwned::to_owned),
        }]);
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let Some(batch) = self.receive(deadline).await else {
                panic!("the journal was not settled within {WAIT:?}");
            };
            let settled = batch.iter().find_map(|a| match a {
                Action::JournalSettled(result) => Some(result.clone()),
                _ => None,
            });
            self.results(batch);
            if let Some(result) = settled {
                return result.expect("the journal is settled");
            }
        }
    }

    /// Receives results until one change of a batch ends; returns its outcome (every result is
    /// applied as usual; later outcomes of the same batch are returned by the next calls).
    pub async fn next_mutated(&mut self, timeout: Duration) -> Outcome {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            if let Some(outcome) = self.mutated.pop_front() {
                return outcome;
            }
            let Some(batch) = self.receive(deadline).await else {
                panic!("no change ended within {timeout:?}");
            };
            self.mutated.extend(batch.iter().filter_map(|a| match a {
                Action::Mutated { outcome, .. } => Some(outcome.clone()),
                _ => None,
            }));
            self.results(batch);
        }
    }

    /// Lets the review's dwell pass on the input's clock (no real waiting): a tick at the end of
    /// it, then a frame.
    pub fn dwell(&mut self) {
        self.events.advance(sidman::state::confirm::DWELL);
        let at = self.events.now();
        self.app.tick(at);
        self.draw();
    }

    pub fn key(&mut self, code: KeyCode) {
        self.key_with(code, KeyModifiers::NONE);
    }

    /// One key as one burst of input, then the frame the binary draws after it (a sheet it opens
    /// gets its first frame, nothing typed ahead).
    pub fn key_with(&mut self, code: KeyCode, modifiers: KeyModifiers) {
        let at = self.events.now();
        self.app
            .input(at, vec![Event::Key(KeyEvent::new(code, modifiers))]);
        self.draw();
    }

    /// One key as one burst of input, returning the work it names unspawned; then a frame.
    pub fn key_unspawned(&mut self, code: KeyCode) -> Vec<Effect> {
        let at = self.events.now();
        let effects = self.app.input_unspawned(
            at,
            vec![Event::Key(KeyEvent::new(code, KeyModifiers::NONE))],
        );
        self.draw();
        effects
    }

    /// Each character as a key of its own (a burst each, as typed by hand).
    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.key(KeyCode::Char(c));
        }
    }

    /// The terminal is resized to `width` x `height`: the backend takes the size, the App gets
    /// the resize event and draws.
    pub fn resize(&mut self, width: u16, height: u16) {
        self.app.backend_mut().resize(width, height);
        let at = self.events.now();
        self.app.input(at, vec![Event::Resize(width, height)]);
        self.draw();
    }

    /// Receives the results that have arrived (waiting for the first), applies them and returns
    /// the effects they named, NOT yet spawned (so a test can change the world between a
    /// decision and its execution).
    pub async fn step(&mut self, timeout: Duration) -> Vec<Effect> {
        let deadline = tokio::time::Instant::now() + timeout;
        let Some(batch) = self.receive(deadline).await else {
            panic!(
                "no result arrived within {timeout:?}; state: {}",
                self.summary()
            )
        };
        let effects = self.app.apply_results(batch);
        self.draw();
        effects
    }

    /// Runs the loop (receive what has arrived, update, spawn, draw) until `pred` holds.
    pub async fn settle_until(&mut self, pred: impl Fn(&State) -> bool, timeout: Duration) {
        let deadline = tokio::time::Instant::now() + timeout;
        while !pred(self.state()) {
            let first = match tokio::time::timeout_at(deadline, self.app.next_result()).await {
                Ok(Some(first)) => first,
                Ok(None) => panic!("the runner's channel closed"),
                Err(_) => panic!(
                    "the condition did not hold within {timeout:?}; state: {}",
                    self.summary()
                ),
            };
            // What the binary's loop does with a result: everything arrived with it, at once.
            self.app.results(first);
            self.draw();
        }
    }

    /// Runs the loop until a batch of results names an effect `wanted` accepts; returns that
    /// batch's effects unspawned (the others were spawned as usual).
    pub async fn settle_until_effect(
        &mut self,
        wanted: impl Fn(&Effect) -> bool,
        timeout: Duration,
    ) -> Vec<Effect> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let Some(batch) = self.receive(deadline).await else {
                panic!(
                    "no such effect within {timeout:?}; state: {}",
                    self.summary()
                )
            };
            let effects = self.app.apply_results(batch);
            self.draw();
            if effects.iter().any(&wanted) {
                return effects;
            }
            self.spawn(effects);
        }
    }

    /// Loads every region (the start-up load) and waits until none is loading and every
    /// region's pools were read (or could not be).
    pub async fn load(&mut self) {
        self.app.start().expect("the test backend has a size");
        self.draw();
        self.settle_until(|s| !s.inventory.loading() && !s.pools.pending(), WAIT)
            .await;
    }

    /// Waits until the running release batch has finished.
    pub async fn finish_batch(&mut self) {
        self.settle_until(
            |s| {
                s.batch
                    .as_ref()
                    .is_some_and(|b| b.phase() == Phase::Finished)
            },
            WAIT,
        )
        .await;
    }

    /// Marks one sender ID the way an operator does: `/`, its sender ID, Enter, walk the cursor
    /// onto its row, space; then Esc clears the filter.
    pub fn mark(&mut self, key: &Key) {
        let record = self
            .state()
            .inventory
            .get(key)
            .unwrap_or_else(|| panic!("{key} is loaded"))
            .clone();
        self.key(KeyCode::Char('/'));
        assert_eq!(self.state().mode, Mode::Filter);
        self.type_text(&record.sender_id.to_lowercase());
        self.key(KeyCode::Enter);
        assert_eq!(self.state().mode, Mode::Table);
        self.key(KeyCode::Char('g'));
        for _ in 0..self.state().view.rows.len() {
            if self.state().cursor_key().as_ref() == Some(key) {
                break;
            }
            self.key(KeyCode::Char('j'));
        }
        assert_eq!(
            self.state().cursor_key().as_ref(),
            Some(key),
            "the filter shows {key}"
        );
        let was = self.state().marks().contains(key);
        self.key(KeyCode::Char(' '));
        assert_ne!(
            self.state().marks().contains(key),
            was,
            "space toggles {key}"
        );
        self.key(KeyCode::Esc);
        assert!(self.state().filter.is_empty(), "Esc clears the filter");
    }

    pub fn status(&self, key: &Key) -> Option<&RowStatus> {
        self.state().status(key).map(|(_, s)| s)
    }

    pub fn record(&self, key: &Key) -> Option<&SenderIdRecord> {
        self.state().inventory.get(key)
    }

    /// The journal's entries; a torn line fails the test.
    pub fn journal(&self) -> Vec<journal::Entry> {
        let (entries, unreadable) = journal::read(&self.journal_path).expect("read the journal");
        assert_eq!(unreadable, 0, "every journal line reads back");
        entries
    }

    /// A short description of the state for failure messages.
    pub fn summary(&self) -> String {
        let mut statuses: Vec<String> = self
            .state()
            .batch
            .iter()
            .flat_map(|b| {
                b.rows()
                    .map(|(k, s)| format!("{k}={}", s.label(b.mutation)))
            })
            .collect();
        statuses.sort();
        format!(
            "mode={:?} regions={:?} batch={:?} statuses=[{}] notice={:?}",
            self.state().mode,
            self.state().inventory.regions,
            self.state().batch.as_ref().map(|b| b.phase()),
            statuses.join(", "),
            self.state().notice
        )
    }
}

/// The key of a sender ID this account owns.
pub fn own_key(region: &str, sender_id: &str, country: &str) -> Key {
    Key {
        region: region.to_owned(),
        country: country.to_owned(),
        id: sender_id.to_owned(),
    }
}

/// The key of a seeded sender ID as sidman builds it (the ARN for a shared one).
pub fn seed_key(s: &SeedSenderId) -> Key {
    Key {
        region: s.region.clone(),
        country: s.iso_country_code.clone(),
        id: if s.is_shared() {
            s.arn()
        } else {
            s.sender_id.clone()
        },
    }
}

/// A client of the test itself for `region`, pointed at `endpoint` (always loopback), retries off.
pub fn sdk_client(endpoint: &str, region: &str) -> sms::Client {
    use sms::config::retry::RetryConfig;
    use sms::config::{BehaviorVersion, Credentials, Region};
    assert!(
        endpoint.starts_with("http://127.0.0.1:"),
        "tests only talk to loopback: {endpoint}"
    );
    let config = sms::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(region.to_owned()))
        .endpoint_url(endpoint)
        .credentials_provider(Credentials::new(
            ACCESS_KEY, SECRET_KEY, None, None, "static",
        ))
        .retry_config(RetryConfig::disabled())
        .build();
    sms::Client::from_conf(config)
}

/// A child process's environment: nothing inherited but PATH, HOME and the state directory in
/// `home`, no metadata service, shared AWS files that do not exist, no ambient profile or keys.
pub fn isolated_env(cmd: &mut tokio::process::Command, home: &Path) {
    cmd.env_clear();
    if let Some(path) = std::env::var_os("PATH") {
        cmd.env("PATH", path);
    }
    cmd.env("HOME", home)
        .env("XDG_STATE_HOME", home.join("state"))
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", home.join("no-such-aws-config"))
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            home.join("no-such-aws-credentials"),
        )
        .env("NO_COLOR", "1")
        .env("RUST_BACKTRACE", "1");
}

/// A bound on how long a child may run before the test calls it hung (never a timing assertion).
pub const CHILD_LIMIT: Duration = Duration::from_secs(60);

/// Dummy keys for the emulator, which checks that requests are signed, never what with.
pub const DUMMY_KEYS: [(&str, &str); 2] = [
    ("AWS_ACCESS_KEY_ID", "AKIDTEST"),
    ("AWS_SECRET_ACCESS_KEY", "secret"),
];

/// Runs the binary with `args` in an isolated environment in `home` ([`isolated_env`]) plus
/// `env`, stdin closed; returns what it printed once it exited.
pub async fn run_sidman(home: &Path, env: &[(&str, &str)], args: &[&str]) -> std::process::Output {
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_sidman"));
    isolated_env(&mut cmd, home);
    cmd.envs(env.iter().copied())
        .args(args)
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true);
    tokio::time::timeout(CHILD_LIMIT, cmd.output())
        .await
        .unwrap_or_else(|_| panic!("sidman {args:?} did not exit"))
        .expect("run sidman")
}
