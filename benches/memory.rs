//! Peak resident memory with 100,000 sender IDs loaded (issue 6, figure 5). The emulator runs as
//! a separate process (`sidman emulator`), so this process holds only what sidman holds: the
//! runtime, the SDK clients, the inventory, the view, and what a session in the real App (on a
//! `TestBackend`) does with them (a frame, a filter, every sort, marking everything). Reads VmHWM
//! from /proc/self/status. Goal: under 100 MiB. Run: `cargo bench --bench memory`. Prints
//! figures; asserts nothing.

mod common;

use common::{PER_REGION, REGIONS, memory_kib, mib};
use crossterm::event::KeyCode;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

const GOAL_MIB: f64 = 100.0;

/// Kills the emulator child when the bench ends, however it ends.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    let seed = dir.path().join("empty.json");
    std::fs::write(&seed, r#"{"sender_ids":[]}"#).expect("write the seed");
    let mut child = Child(
        Command::new(env!("CARGO_BIN_EXE_sidman"))
            .args(["emulator", "--listen", "127.0.0.1:0", "--seed"])
            .arg(&seed)
            .args(["--synthetic", &PER_REGION.to_string()])
            .args(["--synthetic-regions", &REGIONS.join(",")])
            .env("XDG_STATE_HOME", dir.path())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start `sidman emulator`"),
    );
    let stdout = child.0.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("the emulator says where it listens");
    let endpoint = line
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:"))
        .expect("an endpoint on 127.0.0.1")
        .to_owned();
    let (start_peak, _) = memory_kib();
    let api = common::connect(&endpoint).await;
    let (connected_peak, _) = memory_kib();
    let (mut bench, load) = common::load(api, &endpoint).await;
    let (loaded_peak, loaded_rss) = memory_kib();

    bench.frame();
    bench.press(&[KeyCode::Char('a')]);
    bench.press(&[KeyCode::Char('/')]);
    for c in "acme".chars() {
        bench.press(&[KeyCode::Char(c)]);
    }
    bench.press(&[KeyCode::Esc]);
    for _ in 0..4 {
        bench.press(&[KeyCode::Char('s')]);
    }
    let (session_peak, session_rss) = memory_kib();
    let emulator_peak = std::fs::read_to_string(format!("/proc/{}/status", child.0.id()))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        });

    let n = bench.state().inventory.len();
    println!(
        "{n} sender IDs loaded in {:.2} s ({} pages); the emulator is another process",
        load.wall.as_secs_f64(),
        load.pages
    );
    println!("{:<52} {:>9}", "resident memory of this process", "MiB");
    println!("{:<52} {:>9.1}", "peak at start (runtime)", mib(start_peak));
    println!(
        "{:<52} {:>9.1}",
        "peak after connecting (SDK clients, 4 regions)",
        mib(connected_peak)
    );
    println!(
        "{:<52} {:>9.1}",
        "peak after loading (now resident)",
        mib(loaded_peak)
    );
    println!(
        "{:<52} {:>9.1}",
        "  resident after loading",
        mib(loaded_rss)
    );
    println!(
        "{:<52} {:>9.1}  ({:.2}x of the {GOAL_MIB} MiB goal)",
        "peak after a session: mark all, filter, 4 sorts",
        mib(session_peak),
        mib(session_peak) / GOAL_MIB
    );
    println!("{:<52} {:>9.1}", "  resident at the end", mib(session_rss));
    println!(
        "{:<52} {:>9.1}",
        "  of which per sender ID (KiB, peak growth / n)",
        (session_peak.saturating_sub(connected_peak)) as f64 / n as f64
    );
    if let Some(kib) = emulator_peak {
        println!(
            "{:<52} {:>9.1}",
            "(the emulator process's own peak, not counted)",
            mib(kib)
        );
    }
}
