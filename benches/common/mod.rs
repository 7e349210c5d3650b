//! What the benchmarks share: the real [`App`] on a 150x45 `TestBackend`, loaded with 100,000
//! synthetic sender IDs the way the binary loads them (the real `aws::connect`, the real
//! [`Runner`], everything that has arrived applied at once, then a frame), driven by keys the way
//! the binary drives it (a burst of input, then a frame); and small timing helpers. Benchmarks
//! print figures; they assert nothing about time.

#![allow(
    dead_code,
    reason = "each bench binary uses a different part of this module"
)]

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use futures_util::FutureExt;
use futures_util::stream::{self, Empty};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use sidman::action::Action;
use sidman::app::{App, Events};
use sidman::aws::{self, Api, ConnectOptions};
use sidman::effects::Runner;
use sidman::state::{Session, State};
use sidman::ui::Theme;
use std::time::{Duration, Instant};

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

/// The App with its scripted input (no events of its own; a clock that never moves).
pub struct Bench {
    pub app: App<TestBackend>,
    events: Events<Empty<std::io::Result<Event>>>,
}

impl Bench {
    /// The state, to read.
    pub fn state(&self) -> &State {
        self.app.state()
    }

    /// Keys as one burst of input, then the frame drawn after it; untimed.
    pub fn press(&mut self, codes: &[KeyCode]) {
        let at = self.events.now();
        let events = codes
            .iter()
            .map(|&code| Event::Key(KeyEvent::new(code, KeyModifiers::NONE)))
            .collect();
        self.app.input(at, events);
        self.draw();
    }

    /// One key as the binary takes it: the update (a burst of one key), then the frame drawn
    /// after it; returns how long each took.
    pub fn key(&mut self, code: KeyCode) -> (Duration, Duration) {
        let at = self.events.now();
        let t = Instant::now();
        let effects = self.app.input_unspawned(
            at,
            vec![Event::Key(KeyEvent::new(code, KeyModifiers::NONE))],
        );
        let keyed = t.elapsed();
        assert!(effects.is_empty(), "a benchmarked key starts no work");
        let t = Instant::now();
        self.draw();
        (keyed, t.elapsed())
    }

    /// One frame of the unchanged state; returns how long it took.
    pub fn frame(&mut self) -> Duration {
        self.app.redraw();
        let t = Instant::now();
        self.draw();
        t.elapsed()
    }

    /// A frame, if something changed.
    pub fn draw(&mut self) {
        self.app
            .draw(&mut self.events)
            .now_or_never()
            .expect("a scripted input never waits")
            .expect("draw on the test backend");
    }
}

/// Loads every region into a fresh App as the binary's loop does: whatever has arrived is applied
/// at once (`update_all`), then one frame is drawn.
pub async fn load(api: Api, endpoint: &str) -> (Bench, LoadStats) {
    let state = State::new(Session {
        profile: "bench".into(),
        regions: regions(),
        endpoint: Some(endpoint.to_owned()),
        ..Session::default()
    });
    let terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("test terminal");
    let app = App::new(
        terminal,
        state,
        |tx| {
            Runner::new(
                api,
                tx,
                None,
                sidman::journal::Target::new(None, "bench"),
                std::env::temp_dir(),
            )
        },
        Theme::plain(),
    );
    let mut bench = Bench {
        app,
        events: Events::scripted(stream::empty(), Instant::now()),
    };
    let mut stats = LoadStats::default();
    let start = Instant::now();
    bench.app.start().expect("the test backend has a size");
    bench.draw();
    while bench.state().inventory.loading() {
        let Some(first) = bench.app.next_result().await else {
            break;
        };
        let busy = Instant::now();
        let batch = bench.app.arrived(first);
        stats.pages += batch
            .iter()
            .filter(|a| matches!(a, Action::PageLoaded { .. }))
            .count();
        let effects = bench.app.apply_results(batch);
        bench.app.spawn(effects);
        let updated = busy.elapsed();
        bench.draw();
        let stall = busy.elapsed();
        stats.update += updated;
        stats.draw += stall - updated;
        stats.max_stall = stats.max_stall.max(stall);
        stats.batches += 1;
    }
    stats.wall = start.elapsed();
    let at = bench.events.now();
    bench.app.tick(at);
    (bench, stats)
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
