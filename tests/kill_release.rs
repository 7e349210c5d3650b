//! Interrupted bulk releases, with the real binary: sidman runs in a detached tmux session (its
//! own tmux server) against the emulator of this test on 127.0.0.1 with 500 ms of latency, the
//! operator's keys start a bulk release, and sidman is killed in the middle of it — SIGKILL (no
//! chance to record anything) or SIGHUP (the SSH link dropped: stop scheduling, finish and record
//! what is in flight, exit non-zero). Then sidman is started again on the same state directory:
//! the journal is reconciled at start-up and tells exactly what happened to each sender ID.
//! Waits poll the screen, the journal or the emulator (bounded); nothing asserts timing.
//! tmux is required (CI installs it).

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use common::audit::{assert_consistent, outcomes, release_calls};
use common::harness::seed_key;
use sidman::domain::Key;
use sidman::emulator::{Emulator, EmulatorConfig, Faults, Seed};
use sidman::journal::{self, Entry};

const US: &str = "us-east-1";
const LATENCY: Duration = Duration::from_millis(500);
const DEADLINE: Duration = Duration::from_secs(60);
const POLL: Duration = Duration::from_millis(50);

/// A private tmux server whose sessions run sidman with dummy keys, no metadata service, no
/// AWS files and a state directory of their own.
struct Tmux {
    dir: tempfile::TempDir,
    socket: PathBuf,
    sessions: usize,
}

impl Tmux {
    fn new() -> Tmux {
        let ok = Command::new("tmux")
            .arg("-V")
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(ok, "tmux is required for these tests: install tmux");
        let dir = tempfile::tempdir().expect("tempdir");
        let socket = dir.path().join("tmux.sock");
        Tmux {
            dir,
            socket,
            sessions: 0,
        }
    }

    fn home(&self) -> &Path {
        self.dir.path()
    }

    fn journal(&self) -> PathBuf {
        self.home().join("state/sidman/journal.jsonl")
    }

    fn run(&self, args: &[&str]) -> Output {
        let home = self.home();
        let mut cmd = Command::new("tmux");
        cmd.env_clear();
        if let Some(path) = std::env::var_os("PATH") {
            cmd.env("PATH", path);
        }
        cmd.env("HOME", home)
            .env("SHELL", "/bin/sh")
            .env("TERM", "xterm-256color")
            .env("XDG_STATE_HOME", home.join("state"))
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("AWS_CONFIG_FILE", "/dev/null")
            .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
            .env("AWS_ACCESS_KEY_ID", "AKIDTEST")
            .env("AWS_SECRET_ACCESS_KEY", "secret")
            .env("NO_COLOR", "1")
            .arg("-u")
            .arg("-f")
            .arg("/dev/null")
            .arg("-S")
            .arg(&self.socket)
            .args(args);
        cmd.output().expect("run tmux")
    }

    /// Starts `sidman <args>` in a new session; returns it.
    fn start(&mut self, args: &str) -> Session {
        self.sessions += 1;
        let name = format!("kill-{}", self.sessions);
        let pid_file = self.home().join(format!("{name}.pid"));
        let exit_file = self.home().join(format!("{name}.exit"));
        // The inner shell writes its pid and becomes sidman (exec keeps the pid); the outer one
        // records how it ended.
        let command = format!(
            "sh -c 'echo $$ > {}; exec {} {args}'; echo EXIT=$? > {}",
            pid_file.display(),
            Path::new(env!("CARGO_BIN_EXE_sidman")).display(),
            exit_file.display()
        );
        let out = self.run(&[
            "new-session",
            "-d",
            "-s",
            &name,
            "-x",
            "120",
            "-y",
            "40",
            &command,
        ]);
        assert!(
            out.status.success(),
            "tmux new-session: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Session {
            target: format!("{name}:"),
            pid_file,
            exit_file,
        }
    }

    fn keys(&self, s: &Session, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", &s.target];
        args.extend_from_slice(keys);
        assert!(self.run(&args).status.success(), "send-keys {keys:?}");
    }

    fn type_text(&self, s: &Session, text: &str) {
        let args = ["send-keys", "-t", &s.target, "-l", text];
        assert!(self.run(&args).status.success(), "send-keys -l {text:?}");
    }

    fn screen(&self, s: &Session) -> String {
        let out = self.run(&["capture-pane", "-p", "-t", &s.target]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn wait_screen(&self, s: &Session, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let screen = poll(what, || {
            let screen = self.screen(s);
            pred(&screen).then_some(screen)
        });
        screen.unwrap_or_else(|| panic!("waited for {what}; screen:\n{}", self.screen(s)))
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}

struct Session {
    target: String,
    pid_file: PathBuf,
    exit_file: PathBuf,
}

impl Session {
    fn pid(&self) -> String {
        poll("the pid file", || {
            std::fs::read_to_string(&self.pid_file)
                .ok()
                .filter(|t| t.ends_with('\n'))
                .map(|t| t.trim().to_owned())
        })
        .expect("sidman wrote its pid")
    }

    fn wait_exit(&self) -> String {
        poll("sidman's exit", || {
            std::fs::read_to_string(&self.exit_file)
                .ok()
                .filter(|t| t.ends_with('\n'))
                .map(|t| t.trim().to_owned())
        })
        .expect("sidman exited")
    }
}

/// Polls `f` every [`POLL`] until it gives a value or [`DEADLINE`] passes.
fn poll<T>(what: &str, mut f: impl FnMut() -> Option<T>) -> Option<T> {
    let start = Instant::now();
    loop {
        if let Some(v) = f() {
            return Some(v);
        }
        if start.elapsed() > DEADLINE {
            eprintln!("gave up waiting for {what}");
            return None;
        }
        std::thread::sleep(POLL);
    }
}

fn signal(pid: &str, sig: &str) {
    let out = Command::new("kill")
        .args([sig, pid])
        .output()
        .expect("run kill");
    assert!(out.status.success(), "kill {sig} {pid}");
}

fn entries(path: &Path) -> Vec<Entry> {
    journal::read(path).map(|(e, _)| e).unwrap_or_default()
}

fn intents(entries: &[Entry]) -> usize {
    entries
        .iter()
        .filter(|e| matches!(e, Entry::Intent(_)))
        .count()
}

struct Setup {
    emulator: Emulator,
    seeded: BTreeSet<Key>,
    tmux: Tmux,
    args: String,
}

/// The emulator with 60 sender IDs, and sidman started on it in the middle of a bulk release
/// of all of them, with at least three calls in flight (intents without outcome).
async fn release_in_flight() -> (Setup, Session) {
    let seed = Seed::empty().with_synthetic(&[US], 60);
    let seeded: BTreeSet<Key> = seed.sender_ids.iter().map(seed_key).collect();
    let emulator = Emulator::start(EmulatorConfig {
        seed,
        faults: Faults {
            latency: LATENCY,
            ..Faults::default()
        },
        ..EmulatorConfig::default()
    })
    .await
    .expect("the emulator starts on 127.0.0.1");
    let url = emulator.endpoint_url();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let mut tmux = Tmux::new();
    let args = format!("--region {US} --endpoint-url {url}");
    let session = tmux.start(&args);
    tmux.wait_screen(&session, "the inventory", |s| s.contains("60 sender IDs"));
    tmux.keys(&session, &["a", "D"]);
    tmux.wait_screen(&session, "the review sheet", |s| {
        s.contains("Review release")
    });
    tmux.type_text(&session, "release");
    tmux.keys(&session, &["Enter"]);
    let path = tmux.journal();
    poll("releases in flight", || {
        let e = entries(&path);
        let open = journal::unsettled(&e).len();
        (open >= 3 && intents(&e) > open).then_some(())
    })
    .expect("releases in flight");
    (
        Setup {
            emulator,
            seeded,
            tmux,
            args,
        },
        session,
    )
}

/// Waits until the emulator has answered every ReleaseSenderId sidman sent (each intent's call
/// reached it) or the latency has surely passed, so that nothing lands after the re-reads.
fn let_in_flight_land(setup: &Setup) {
    let sent = intents(&entries(&setup.tmux.journal()));
    let start = Instant::now();
    while setup.emulator.received().count("ReleaseSenderId") < sent && start.elapsed() < LATENCY * 4
    {
        std::thread::sleep(POLL);
    }
}

/// Starts sidman again on the same state directory and returns the journal once start-up has
/// reconciled it.
fn restart_and_reconcile(setup: &mut Setup) -> (Vec<Entry>, String) {
    let args = setup.args.clone();
    let again = setup.tmux.start(&args);
    let screen = setup
        .tmux
        .wait_screen(&again, "the inventory again", |s| s.contains("sender IDs"));
    setup.tmux.keys(&again, &["q"]);
    assert_eq!(again.wait_exit(), "EXIT=0");
    (entries(&setup.tmux.journal()), screen)
}

fn present(emulator: &Emulator) -> BTreeSet<Key> {
    emulator.sender_ids(US).iter().map(seed_key).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn sigkill_mid_release_then_restart_reconciles_every_intent() {
    let (mut setup, session) = release_in_flight().await;
    signal(&session.pid(), "-KILL");
    assert_eq!(session.wait_exit(), "EXIT=137", "killed by SIGKILL");
    let before = entries(&setup.tmux.journal());
    let open = journal::unsettled(&before);
    assert!(!open.is_empty(), "killed with calls in flight");
    let_in_flight_land(&setup);

    let (after, screen) = restart_and_reconcile(&mut setup);
    assert!(
        screen.contains(&format!(
            "journal: {} interrupted release(s) settled by re-reading",
            open.len()
        )),
        "{screen}"
    );
    assert!(journal::unsettled(&after).is_empty(), "{after:#?}");
    let now = present(&setup.emulator);
    assert_consistent(&after, &setup.seeded, &now, &setup.emulator.received());
    // The interrupted ones are told apart exactly: gone → released, there → not released.
    let by_key = outcomes(&after);
    for intent in &open {
        let key = common::audit::intent_key(intent);
        let last = by_key[&key].last().copied().flatten();
        let expected = if now.contains(&key) {
            journal::OutcomeKind::Failed
        } else {
            journal::OutcomeKind::Released
        };
        assert_eq!(last, Some(expected), "{key}");
    }
    // The kill stopped the batch: some confirmed sender IDs were never sent, and are still there.
    let sent: BTreeSet<Key> = release_calls(&setup.emulator.received())
        .into_keys()
        .collect();
    assert!(sent.len() < setup.seeded.len());
    for key in setup.seeded.difference(&sent) {
        assert!(now.contains(key), "{key} was never sent and is still there");
    }
    println!(
        "SIGKILL: {} intents before the kill, {} without outcome; after the restart {} entries, \
         {} sender IDs released, {} still there",
        intents(&before),
        open.len(),
        after.len(),
        setup.seeded.len() - now.len(),
        now.len()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn sighup_mid_release_records_what_was_in_flight_and_exits_non_zero() {
    let (mut setup, session) = release_in_flight().await;
    signal(&session.pid(), "-HUP");
    assert_eq!(session.wait_exit(), "EXIT=130", "a signal ends with 130");
    let before = entries(&setup.tmux.journal());
    assert!(
        journal::unsettled(&before).is_empty(),
        "every call in flight was recorded before exiting: {before:#?}"
    );
    let now = present(&setup.emulator);
    assert_consistent(&before, &setup.seeded, &now, &setup.emulator.received());
    assert!(
        intents(&before) < setup.seeded.len(),
        "scheduling stopped: not everything was sent"
    );

    let (after, screen) = restart_and_reconcile(&mut setup);
    assert!(!screen.contains("interrupted release"), "{screen}");
    assert_eq!(after, before, "nothing left to settle");
    assert_consistent(
        &after,
        &setup.seeded,
        &present(&setup.emulator),
        &setup.emulator.received(),
    );
    println!(
        "SIGHUP: {} intents, all with an outcome; {} sender IDs released, {} still there",
        intents(&before),
        setup.seeded.len() - now.len(),
        now.len()
    );
}
