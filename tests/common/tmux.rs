//! The real binary in a real terminal: a private tmux server (socket in a temporary directory,
//! which is also sidman's home and state directory) whose sessions run `sidman`, driven with
//! `send-keys` and read with `capture-pane`. Every wait polls, up to a generous deadline that only
//! bounds a failure; nothing sleeps to synchronise. tmux is required: without it the tests fail
//! and say so (CI installs it). Dropping the server kills its sessions and sidman with them.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// How long one wait may take before the test fails (never a timing assertion).
pub const DEADLINE: Duration = Duration::from_secs(60);
pub const POLL: Duration = Duration::from_millis(50);

pub struct Tmux {
    dir: tempfile::TempDir,
    socket: PathBuf,
    env: Vec<(String, String)>,
    sessions: usize,
}

/// One session running sidman; the shell around it records sidman's pid and exit status.
pub struct Session {
    pub target: String,
    pid_file: PathBuf,
    exit_file: PathBuf,
}

impl Tmux {
    /// A new server whose sessions see no metadata service, no AWS files, no ambient profile or
    /// keys, plus `env` (e.g. dummy keys for an emulator).
    pub fn new(env: &[(&str, &str)]) -> Tmux {
        match Command::new("tmux").arg("-V").output() {
            Ok(o) if o.status.success() => {}
            Ok(o) => panic!("`tmux -V` failed ({:?}): install tmux", o.status),
            Err(e) => panic!(
                "tmux is not installed ({e}): install tmux (e.g. `apt-get install tmux`) to run \
                 these tests; CI installs it"
            ),
        }
        let dir = tempfile::tempdir().expect("tempdir");
        let socket = dir.path().join("tmux.sock");
        Tmux {
            dir,
            socket,
            env: env
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            sessions: 0,
        }
    }

    /// sidman's home; its state directory is `state/` below it.
    pub fn home(&self) -> &Path {
        self.dir.path()
    }

    pub fn journal(&self) -> PathBuf {
        self.home().join("state/sidman/journal.jsonl")
    }

    /// The demo's own journal.
    pub fn demo_journal(&self) -> PathBuf {
        self.home().join("state/sidman/journal-demo.jsonl")
    }

    /// Runs `sidman <args>` directly (not in tmux) in this server's environment; returns what it
    /// printed once it exited.
    pub fn sidman(&self, args: &[&str]) -> Output {
        let home = self.home();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_sidman"));
        cmd.env_clear();
        if let Some(path) = std::env::var_os("PATH") {
            cmd.env("PATH", path);
        }
        cmd.env("HOME", home)
            .env("XDG_STATE_HOME", home.join("state"))
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .args(args)
            .stdin(std::process::Stdio::null());
        cmd.output().expect("run sidman")
    }

    /// Runs a tmux command against this server. The server inherits this environment, and the
    /// shell it starts sidman from inherits the server's.
    pub fn run(&self, args: &[&str]) -> Output {
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
            .env("AWS_CONFIG_FILE", home.join("no-such-aws-config"))
            .env(
                "AWS_SHARED_CREDENTIALS_FILE",
                home.join("no-such-aws-credentials"),
            )
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .arg("-u")
            .arg("-f")
            .arg("/dev/null")
            .arg("-S")
            .arg(&self.socket)
            .args(args);
        cmd.output().expect("run tmux")
    }

    /// Starts `sidman <args>` in a new `width` x `height` session.
    pub fn start(&mut self, width: u16, height: u16, args: &str) -> Session {
        self.start_with(width, height, args, false)
    }

    /// As [`Tmux::start`], but the pane stays open after sidman exits, so what sidman left of
    /// the terminal can be looked at ([`Tmux::alternate_screen`]).
    pub fn start_held(&mut self, width: u16, height: u16, args: &str) -> Session {
        self.start_with(width, height, args, true)
    }

    /// Whether the pane is in the alternate screen (a TUI that did not restore the terminal
    /// leaves it on).
    pub fn alternate_screen(&self, s: &Session) -> bool {
        let out = self.run(&["display-message", "-p", "-t", &s.target, "#{alternate_on}"]);
        String::from_utf8_lossy(&out.stdout).trim() == "1"
    }

    fn start_with(&mut self, width: u16, height: u16, args: &str, hold: bool) -> Session {
        self.sessions += 1;
        let name = format!("sidman-{}", self.sessions);
        let pid_file = self.home().join(format!("{name}.pid"));
        let exit_file = self.home().join(format!("{name}.exit"));
        // The inner shell writes its pid and becomes sidman (exec keeps the pid); the outer one
        // records how it ended.
        let command = format!(
            "sh -c 'echo $$ > {}; exec {} {args}'; echo EXIT=$? > {}{}",
            pid_file.display(),
            Path::new(env!("CARGO_BIN_EXE_sidman")).display(),
            exit_file.display(),
            if hold {
                "; echo sidman exited; exec sleep 600"
            } else {
                ""
            }
        );
        let (w, h) = (width.to_string(), height.to_string());
        let out = self.run(&[
            "new-session",
            "-d",
            "-s",
            &name,
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
        Session {
            target: format!("{name}:"),
            pid_file,
            exit_file,
        }
    }

    /// Sends tmux key names (`Enter`, `Space`, `C-c`, `q`).
    pub fn keys(&self, s: &Session, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", &s.target];
        args.extend_from_slice(keys);
        assert!(self.run(&args).status.success(), "send-keys {keys:?}");
    }

    /// Types text literally.
    pub fn type_text(&self, s: &Session, text: &str) {
        let args = ["send-keys", "-t", &s.target, "-l", text];
        assert!(self.run(&args).status.success(), "send-keys -l {text:?}");
    }

    /// Pastes `text` as the terminal does when the application asked for bracketed paste
    /// (`load-buffer` + `paste-buffer -p`).
    pub fn paste(&self, s: &Session, text: &str) {
        let file = self.home().join("paste.txt");
        std::fs::write(&file, text).expect("write the paste buffer");
        let path = file.display().to_string();
        assert!(
            self.run(&["load-buffer", &path]).status.success(),
            "load-buffer"
        );
        let out = self.run(&["paste-buffer", "-p", "-t", &s.target]);
        assert!(out.status.success(), "paste-buffer -p");
    }

    /// Waits until every region has loaded and its pools were read (the review waits for
    /// them).
    pub fn wait_loaded(&self, s: &Session) -> String {
        self.wait_screen(s, "every region and its pools read", |x| {
            x.contains("sender IDs") && !x.contains("loading") && !x.contains("reading pools")
        })
    }

    /// Confirms a release as a person does: waits for the review sheet, types `release`, waits
    /// until the sheet says Enter is accepted (after its dwell), then presses Enter.
    pub fn confirm_release(&self, s: &Session) {
        self.wait_screen(s, "the review sheet", |x| x.contains("Review release"));
        self.type_text(s, "release");
        self.wait_screen(s, "the sheet ready for Enter", |x| {
            x.contains("press Enter to release") && x.contains("> release")
        });
        self.keys(s, &["Enter"]);
    }

    pub fn resize(&self, s: &Session, width: u16, height: u16) {
        let (w, h) = (width.to_string(), height.to_string());
        let out = self.run(&["resize-window", "-t", &s.target, "-x", &w, "-y", &h]);
        assert!(
            out.status.success(),
            "resize-window: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    pub fn screen(&self, s: &Session) -> String {
        let out = self.run(&["capture-pane", "-p", "-t", &s.target]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Polls the screen until `pred` holds; returns that screen.
    pub fn wait_screen(&self, s: &Session, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let screen = poll(what, || {
            let screen = self.screen(s);
            pred(&screen).then_some(screen)
        });
        screen.unwrap_or_else(|| panic!("waited for {what}; the screen was:\n{}", self.screen(s)))
    }

    /// Waits until the shell wrote sidman's exit status; returns it (`EXIT=0`).
    pub fn wait_exit(&self, s: &Session) -> String {
        poll("sidman's exit", || read_line(&s.exit_file))
            .unwrap_or_else(|| panic!("sidman did not exit; the screen was:\n{}", self.screen(s)))
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}

impl Session {
    /// sidman's pid.
    pub fn pid(&self) -> String {
        poll("the pid file", || read_line(&self.pid_file)).expect("sidman wrote its pid")
    }
}

/// The file's text once it ends with a newline (fully written), trimmed.
fn read_line(path: &Path) -> Option<String> {
    std::fs::read_to_string(path)
        .ok()
        .filter(|t| t.ends_with('\n'))
        .map(|t| t.trim().to_owned())
}

/// Polls `f` every [`POLL`] until it gives a value or [`DEADLINE`] passes.
pub fn poll<T>(what: &str, mut f: impl FnMut() -> Option<T>) -> Option<T> {
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
