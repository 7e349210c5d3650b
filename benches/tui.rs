//! Responsiveness with 100,000 sender IDs loaded (issue 6, figure 4): the time the real App
//! spends on one key press (a burst of one key through `App::input`: `update`) and on the frame
//! drawn after it (`App::draw`: `ui::render` into a 150x45 `TestBackend`), for moving, marking,
//! filtering and sorting; and what loading the 100,000 cost the loop. Goal: under 4 ms per frame
//! and per key. Run: `cargo bench --bench tui`. Prints figures; asserts nothing about time.

mod common;

use common::{Bench, HEIGHT, PER_REGION, REGIONS, Stats, WIDTH, ms};
use crossterm::event::KeyCode;
use sidman::emulator::{Emulator, Seed};
use sidman::state::view::Row;
use std::time::{Duration, Instant};

const GOAL_MS: f64 = 4.0;

/// Prints one line: key (update) and frame medians, the worst key + frame, and the ratio of the
/// median key + frame to the goal.
fn report(what: &str, samples: &[(Duration, Duration)]) {
    let keys = Stats::of(samples.iter().map(|s| s.0).collect());
    let frames = Stats::of(samples.iter().map(|s| s.1).collect());
    let both = Stats::of(samples.iter().map(|s| s.0 + s.1).collect());
    println!(
        "{what:<44} {:>5} {:>9.3} {:>9.3} {:>9.3} {:>9.3} {:>7.2}x",
        keys.n,
        ms(keys.median),
        ms(frames.median),
        ms(both.median),
        ms(both.max),
        ms(both.median) / GOAL_MS
    );
}

fn frames(bench: &mut Bench, what: &str, n: usize) {
    let samples: Vec<_> = (0..n).map(|_| (Duration::ZERO, bench.frame())).collect();
    report(what, &samples);
}

fn keys(bench: &mut Bench, what: &str, codes: &[KeyCode]) {
    let samples: Vec<_> = codes.iter().map(|&c| bench.key(c)).collect();
    report(what, &samples);
}

/// Puts the cursor on the header of the largest group, with keys (`g`, then `j` down to it, in
/// one burst); returns the group's size.
fn cursor_to_largest_group(bench: &mut Bench) -> usize {
    let state = bench.state();
    let (g, size) = state
        .view
        .groups
        .iter()
        .enumerate()
        .map(|(i, g)| (i, g.members.len()))
        .max_by_key(|&(_, n)| n)
        .expect("groups");
    let row = state
        .view
        .rows
        .iter()
        .position(|r| *r == Row::Header(g))
        .expect("header row");
    let mut keys = vec![KeyCode::Char('g')];
    keys.extend(std::iter::repeat_n(KeyCode::Char('j'), row));
    bench.press(&keys);
    assert_eq!(
        bench.state().cursor,
        row,
        "the cursor is on the group's header"
    );
    size
}

#[tokio::main]
async fn main() {
    let seeded = Instant::now();
    let emulator = Emulator::start_local(Seed::synthetic(&REGIONS, PER_REGION))
        .await
        .expect("the emulator starts on 127.0.0.1");
    println!(
        "emulator: {} synthetic sender IDs in {} regions, seeded in {:.2} s",
        PER_REGION * REGIONS.len(),
        REGIONS.len(),
        seeded.elapsed().as_secs_f64()
    );
    let endpoint = emulator.endpoint_url();
    let api = common::connect(&endpoint).await;
    let (mut bench, load) = common::load(api, &endpoint).await;
    let n = bench.state().inventory.len();
    println!(
        "\nloading {n} sender IDs ({} pages) through the real SDK, no added latency:",
        load.pages
    );
    println!(
        "  wall {:.2} s; the loop was busy {:.2} s in update + {:.2} s drawing over {} batches; \
         longest stall {:.1} ms",
        load.wall.as_secs_f64(),
        load.update.as_secs_f64(),
        load.draw.as_secs_f64(),
        load.batches,
        ms(load.max_stall)
    );

    println!(
        "\n{n} sender IDs, {WIDTH}x{HEIGHT}, times in ms (goal: key + frame under {GOAL_MS} ms)"
    );
    println!(
        "{:<44} {:>5} {:>9} {:>9} {:>9} {:>9} {:>8}",
        "action", "n", "key med", "frame med", "both med", "both max", "vs goal"
    );
    frames(&mut bench, "frame (nothing marked)", 100);
    keys(&mut bench, "move: j", &[KeyCode::Char('j'); 200]);
    keys(&mut bench, "move: k", &[KeyCode::Char('k'); 100]);
    keys(&mut bench, "move: PgDn", &[KeyCode::PageDown; 100]);
    keys(
        &mut bench,
        "move: G then g",
        &[KeyCode::Char('G'), KeyCode::Char('g')].repeat(10),
    );
    bench.press(&[KeyCode::Char('g'), KeyCode::Char('j')]);
    assert_eq!(bench.state().cursor, 1);
    keys(
        &mut bench,
        "mark: space on a row",
        &[KeyCode::Char(' '); 200],
    );
    frames(&mut bench, "frame (200 marked)", 100);
    let size = cursor_to_largest_group(&mut bench);
    keys(
        &mut bench,
        &format!("mark: space on a group header ({size} rows)"),
        &[KeyCode::Char(' '); 10],
    );
    bench.press(&[KeyCode::Char('g')]);
    let (mut unmark, mut mark_all) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        unmark.push(bench.key(KeyCode::Char('U')));
        mark_all.push(bench.key(KeyCode::Char('a')));
    }
    report("mark: U (unmark all)", &unmark);
    report(&format!("mark: a (all {n} visible)"), &mark_all);
    frames(&mut bench, "frame (all marked)", 100);
    let (mut first, mut narrowing, mut widening, mut last) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..5 {
        bench.key(KeyCode::Char('/'));
        for (n, c) in "acmebank".chars().enumerate() {
            let sample = bench.key(KeyCode::Char(c));
            if n == 0 {
                first.push(sample)
            } else {
                narrowing.push(sample)
            }
        }
        for n in 0..8 {
            let sample = bench.key(KeyCode::Backspace);
            if n == 7 {
                last.push(sample)
            } else {
                widening.push(sample)
            }
        }
        bench.key(KeyCode::Esc);
    }
    report("filter: first key, a (searches all)", &first);
    report("filter: then c,m,e,b,a,n,k (narrowing)", &narrowing);
    report("filter: Backspace x7 (widening)", &widening);
    report("filter: last Backspace (no filter)", &last);
    // Field terms (issue 14): every key of `cc:GB price>10`, and its last key alone.
    let (mut fields, mut field_last) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        bench.key(KeyCode::Char('/'));
        let text = "cc:GB price>10";
        for (n, c) in text.chars().enumerate() {
            let sample = bench.key(KeyCode::Char(c));
            if n + 1 == text.len() {
                field_last.push(sample);
            }
            fields.push(sample);
        }
        bench.key(KeyCode::Esc);
    }
    report("filter: each key of cc:GB price>10", &fields);
    report("filter: its last key, 0 (price>10)", &field_last);
    bench.key(KeyCode::Char('/'));
    for c in "bank".chars() {
        bench.key(KeyCode::Char(c));
    }
    bench.key(KeyCode::Enter);
    frames(&mut bench, "frame (filter /bank, all marked)", 100);
    keys(&mut bench, "filter: Esc (clear)", &[KeyCode::Esc]);
    keys(
        &mut bench,
        "sort: s (4 modes x 5)",
        &[KeyCode::Char('s'); 20],
    );
    frames(&mut bench, "frame (all marked, sorted)", 100);
    for (what, key) in [
        ("price view: p, frame by country", KeyCode::Char('p')),
        ("price view: Tab, frame by region", KeyCode::Tab),
        ("price view: Tab, frame by message type", KeyCode::Tab),
    ] {
        let first = bench.key(key);
        let mut samples = vec![first];
        samples.extend((0..20).map(|_| (Duration::ZERO, bench.frame())));
        report(what, &samples);
    }
    bench.key(KeyCode::Esc);
    emulator.stop().await;
}
