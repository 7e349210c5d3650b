//! What the benchmarks share: 100,000 synthetic sender IDs loaded into a [`State`] the way the TUI
//! loads them (the real `aws::connect`, the real [`Runner`], every page applied through `update`,
//! a frame drawn after each batch of results as the app's loop does), and small timing helpers.
//! Benchmarks print figures; they assert nothing about time.

#![allow(
    dead_code,
    reason = "each bench binary uses a different part of this module"
)]

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use sidman::action::Action;
use sidman::aws::{self, Api, ConnectOptions};
use sidman::effects::Runner;
use sidman::state::{Session, State, update, update_all};
use sidman::ui::{self, Theme, Viewport};
use std::time::{Duration, Instant};
use tokio::sync::mpsc::unbounded_channel;

/// Four regions of 25,000: 100,000 sender IDs.
pub const REGIONS: [&str; 4] = ["us-east-1", "eu-west-1", "ap-southeast-2", "ap-south-1"];
pub const PER_REGION: usize = 25_000;
/// The wide screen of the render tests.
pub const WIDTH: u16 = 150;
pub const HEIGHT: u16 = 45;

pub fn regions() -> Vec<String> {
    REGIONS.iter().map(|r| (*r).to_owned()).collect()
}

/// Connects to an emulator on 127.0.0.1 through `aws::connect`, the path the binary takes.
pub async fn connect(endpoint: &str) -> Api {
    assert!(endpoint.starts_with("http://127.0.0.1:"), "{endpoint}");
    let (api, _) = aws::connect(&ConnectOptions {
        regions: regions(),
        endpoint_url: Some(endpoint.to_owned()),
        static_credentials: Some(("AKIASIDMANBENCH".into(), "bench-secret".into())),
        ..ConnectOptions::default()
    })
    .await
    .expect("connect to the emulator");
    api
}

/// What loading cost the state's owner.
#[derive(Debug, Default)]
pub struct LoadStats {
    pub wall: Duration,
    /// Time spent in `update` (inventory, view) over the whole load.
    pub update: Duration,
    /// Time spent drawing a frame after each batch.
    pub draw: Duration,
    pub batches: usize,
    pub pages: usize,
    /// The longest the loop was busy with one batch (update + frame): the worst stall.
    pub max_stall: Duration,
}

pub fn terminal() -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("test terminal")
}

pub fn draw(terminal: &mut Terminal<TestBackend>, state: &State, viewport: &mut Viewport) {
    terminal
        .draw(|f| ui::render(f, state, viewport, Theme::plain()))
        .expect("draw");
}

/// Loads every region into a fresh state as the TUI's loop does: whatever has arrived is applied
/// at once (`update_all`), then one frame is drawn.
pub async fn load(api: Api, endpoint: &str) -> (State, LoadStats) {
    let mut state = State::new(Session {
        profile: "bench".into(),
        regions: regions(),
        endpoint: Some(endpoint.to_owned()),
        ..Session::default()
    });
    update(
        &mut state,
        Action::Resize {
            width: WIDTH,
            height: HEIGHT,
        },
    );
    let (tx, mut rx) = unbounded_channel();
    let mut runner = Runner::new(
        api,
        tx,
        None,
        sidman::journal::Target::new(None, "bench"),
        std::env::temp_dir(),
    );
    let mut terminal = terminal();
    let mut viewport = Viewport::default();
    let mut stats = LoadStats::default();
    let start = Instant::now();
    runner.spawn_all(state.reload());
    while state.inventory.loading() {
        let Some(first) = rx.recv().await else { break };
        let busy = Instant::now();
        let mut batch = vec![first];
        while let Ok(more) = rx.try_recv() {
            batch.push(more);
        }
        stats.pages += batch
            .iter()
            .filter(|a| matches!(a, Action::PageLoaded { .. }))
            .count();
        runner.spawn_all(update_all(&mut state, batch));
        let updated = busy.elapsed();
        draw(&mut terminal, &state, &mut viewport);
        let stall = busy.elapsed();
        stats.update += updated;
        stats.draw += stall - updated;
        stats.max_stall = stats.max_stall.max(stall);
        stats.batches += 1;
    }
    stats.wall = start.elapsed();
    runner.reap();
    (state, stats)
}

/// Median, 95th percentile and maximum of some durations.
#[derive(Debug, Clone, Copy)]
pub struct Stats {
    pub n: usize,
    pub median: Duration,
    pub p95: Duration,
    pub max: Duration,
}

impl Stats {
    pub fn of(mut samples: Vec<Duration>) -> Self {
        samples.sort();
        let n = samples.len();
        let at = |q: f64| samples[((n as f64 - 1.0) * q).round() as usize];
        Self {
            n,
            median: at(0.5),
            p95: at(0.95),
            max: samples[n - 1],
        }
    }
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Peak and current resident memory of this process, in KiB, from /proc/self/status.
pub fn memory_kib() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    };
    (field("VmHWM:"), field("VmRSS:"))
}

pub fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}
