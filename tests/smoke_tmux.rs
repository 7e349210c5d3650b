//! Smoke tests of the real binary in a real terminal: `sidman --demo` inside a detached tmux
//! session on a private tmux server, driven with `send-keys` and read with `capture-pane`. Every
//! wait polls the screen (every 100 ms, up to a generous deadline); nothing sleeps to synchronise.
//! tmux is required: without it these tests fail and say so (CI installs it).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use sidman::emulator::Seed;

/// How long one wait may take before the test fails (never a timing assertion).
const DEADLINE: Duration = Duration::from_secs(30);
const POLL: Duration = Duration::from_millis(100);

static SESSIONS: AtomicUsize = AtomicUsize::new(0);

/// A tmux server of its own (socket in a temporary directory) running one session; dropping it
/// kills the server and with it the session and sidman.
struct Tmux {
    dir: tempfile::TempDir,
    socket: PathBuf,
    session: String,
    exit_file: PathBuf,
}

impl Tmux {
    /// Starts `sidman <args>` in a `width` x `height` session, with a state directory of its own,
    /// no metadata service and no ambient AWS settings.
    fn start(width: u16, height: u16, args: &str) -> Tmux {
        match Command::new("tmux").arg("-V").output() {
            Ok(o) if o.status.success() => {}
            Ok(o) => panic!("`tmux -V` failed ({:?}): install tmux", o.status),
            Err(e) => panic!(
                "tmux is not installed ({e}): install tmux (e.g. `apt-get install tmux`) to run the \
                 smoke tests; CI installs it"
            ),
        }
        let dir = tempfile::tempdir().expect("tempdir");
        let socket = dir.path().join("tmux.sock");
        let exit_file = dir.path().join("exit");
        let session = format!(
            "sidman-smoke-{}-{}",
            std::process::id(),
            SESSIONS.fetch_add(1, Ordering::SeqCst)
        );
        let command = format!(
            "{} {args}; echo EXIT=$? > {}",
            quote(Path::new(env!("CARGO_BIN_EXE_sidman"))),
            quote(&exit_file)
        );
        let tmux = Tmux {
            dir,
            socket,
            session,
            exit_file,
        };
        let (w, h) = (width.to_string(), height.to_string());
        let out = tmux.run(&[
            "new-session",
            "-d",
            "-s",
            &tmux.session,
            "-x",
            &w,
            "-y",
            &h,
            &command,
        ]);
        assert!(
            out.status.success(),
            "tmux new-session: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        tmux
    }

    /// Runs a tmux command against this server. The server inherits this environment, and the
    /// shell it starts sidman from inherits the server's.
    fn run(&self, args: &[&str]) -> Output {
        let home = self.dir.path();
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
            .env("AWS_CONFIG_FILE", home.join("no-such-aws-config"))
            .env(
                "AWS_SHARED_CREDENTIALS_FILE",
                home.join("no-such-aws-credentials"),
            )
            .arg("-u")
            .arg("-f")
            .arg("/dev/null")
            .arg("-S")
            .arg(&self.socket)
            .args(args);
        cmd.output().expect("run tmux")
    }

    fn target(&self) -> String {
        format!("{}:", self.session)
    }

    /// Sends tmux key names (`Enter`, `Space`, `C-c`, `q`).
    fn keys(&self, keys: &[&str]) {
        let target = self.target();
        let mut args = vec!["send-keys", "-t", &target];
        args.extend_from_slice(keys);
        let out = self.run(&args);
        assert!(out.status.success(), "send-keys {keys:?}");
    }

    /// Types text literally.
    fn type_text(&self, text: &str) {
        let target = self.target();
        let out = self.run(&["send-keys", "-t", &target, "-l", text]);
        assert!(out.status.success(), "send-keys -l {text:?}");
    }

    fn screen(&self) -> String {
        let target = self.target();
        let out = self.run(&["capture-pane", "-p", "-t", &target]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Polls the screen until `pred` holds; returns that screen.
    fn wait_for(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if pred(&screen) {
                return screen;
            }
            if start.elapsed() > DEADLINE {
                panic!("waited for {what}; the screen was:\n{screen}");
            }
            std::thread::sleep(POLL);
        }
    }

    /// Polls until the shell wrote sidman's exit status; returns it.
    fn wait_exit(&self) -> String {
        let start = Instant::now();
        loop {
            if let Ok(text) = std::fs::read_to_string(&self.exit_file) {
                if text.ends_with('\n') {
                    return text.trim().to_owned();
                }
            }
            if start.elapsed() > DEADLINE {
                panic!("sidman did not exit; the screen was:\n{}", self.screen());
            }
            std::thread::sleep(POLL);
        }
    }

    fn journal(&self) -> PathBuf {
        self.dir.path().join("state/sidman/journal.jsonl")
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}

/// Single-quotes a path for sh.
fn quote(path: &Path) -> String {
    format!("'{}'", path.display().to_string().replace('\'', r"'\''"))
}

/// Lines of the screen that mention `needle`.
fn lines_with<'a>(screen: &'a str, needle: &str) -> Vec<&'a str> {
    screen.lines().filter(|l| l.contains(needle)).collect()
}

#[test]
fn demo_mark_review_release_and_see_the_outcome() {
    let seed = Seed::demo();
    let total = seed.len();
    let fastcabs = seed
        .sender_ids
        .iter()
        .filter(|s| s.sender_id == "FASTCAB")
        .count();
    assert!(fastcabs >= 3, "FASTCAB exists in several countries");

    let tmux = Tmux::start(120, 40, "--demo");
    tmux.wait_for("the inventory", |s| {
        s.contains(&format!("{total} sender IDs")) && s.contains("FASTCAB")
    });

    tmux.keys(&["/"]);
    tmux.type_text("fastcab");
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("the filtered table", |s| {
        s.contains(&format!("shown {fastcabs} "))
    });
    let rows = lines_with(&screen, "FASTCAB");
    assert!(rows.len() >= fastcabs, "{screen}");

    // The first two rows: top (a group header), down, mark (moves on), down, mark.
    tmux.keys(&["g", "j", "Space", "j", "Space"]);
    tmux.wait_for("two marks", |s| s.contains("marked 2 "));

    tmux.keys(&["D"]);
    let review = tmux.wait_for("the review sheet", |s| {
        s.contains("Review release of 2 sender IDs") && s.contains("release")
    });
    assert_eq!(
        lines_with(&review, "FASTCAB").len(),
        2,
        "the sheet lists both:\n{review}"
    );

    tmux.type_text("release");
    tmux.keys(&["Enter"]);
    let done = tmux.wait_for("both released", |s| {
        s.lines()
            .filter(|l| l.contains("FASTCAB") && l.contains("released"))
            .count()
            == 2
    });
    assert!(!done.contains("FAILED"), "{done}");

    // The cursor sits on the group header after the second mark; up is a released row.
    tmux.keys(&["k"]);
    tmux.wait_for("the outcome in the detail pane", |s| {
        s.contains("RELEASED") && s.contains("RequestId") && s.contains("SenderId: FASTCAB")
    });

    tmux.keys(&["q"]);
    assert_eq!(tmux.wait_exit(), "EXIT=0");

    let (entries, unreadable) = sidman::journal::read(&tmux.journal()).expect("journal");
    assert_eq!(unreadable, 0);
    let released = entries
        .iter()
        .filter(|e| {
            matches!(e, sidman::journal::Entry::Outcome(o)
                if o.result == sidman::journal::OutcomeKind::Released)
        })
        .count();
    assert_eq!((entries.len(), released), (4, 2), "{entries:#?}");
}

#[test]
fn small_terminal_help_resize_and_ctrl_c() {
    let total = Seed::demo().len();
    let tmux = Tmux::start(80, 24, "--demo");
    tmux.wait_for("the inventory", |s| {
        s.contains(&format!("{total} sender IDs"))
    });
    let before = tmux.screen();
    assert!(before.lines().all(|l| l.chars().count() <= 80), "{before}");

    tmux.keys(&["?"]);
    // All of it fits at 80x24, down to the last keys.
    tmux.wait_for("the whole help", |s| {
        s.contains("keys") && s.contains("this help") && s.contains("ctrl-c")
    });
    tmux.keys(&["Escape"]);
    tmux.wait_for("the table again", |s| {
        !s.contains("this help") && s.contains(&format!("{total} sender IDs"))
    });

    let out = tmux.run(&[
        "resize-window",
        "-t",
        &tmux.target(),
        "-x",
        "100",
        "-y",
        "30",
    ]);
    assert!(
        out.status.success(),
        "resize-window: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let resized = tmux.wait_for("a redraw at 100x30", |s| {
        s.lines().any(|l| l.chars().count() > 80) && s.contains(&format!("{total} sender IDs"))
    });
    assert!(
        resized.lines().all(|l| l.chars().count() <= 100),
        "{resized}"
    );

    tmux.keys(&["C-c"]);
    assert_eq!(tmux.wait_exit(), "EXIT=0");
}
