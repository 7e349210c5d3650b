//! Unit tests of the pacer: lane arithmetic on explicit instants, and the pacer and the throttle
//! budget on tokio's paused clock, where waiting costs no real time.

use super::*;

fn lane(max: f64, burst_ms: u64, now: Instant) -> Lane {
    Lane::new(max, Duration::from_millis(burst_ms), now)
}

#[test]
fn calls_are_spaced_at_the_rate_after_the_burst() {
    let t0 = Instant::now();
    let mut l = lane(10.0, 0, t0);
    let slots: Vec<Duration> = (0..4).map(|_| l.reserve(t0) - t0).collect();
    assert_eq!(
        slots,
        [0, 100, 200, 300].map(Duration::from_millis).to_vec()
    );
    let mut b = lane(10.0, 250, t0);
    let burst = (0..5).filter(|_| b.reserve(t0) == t0).count();
    assert_eq!(burst, 3, "a 250 ms burst at 10/s lets three go at once");
}

#[test]
fn a_throttle_cuts_once_per_episode_and_successes_raise_it_back() {
    let t0 = Instant::now();
    let mut l = lane(20.0, 0, t0);
    l.on_throttle(t0, t0 + Duration::from_millis(10));
    assert!((l.rate - 15.0).abs() < 1e-9);
    // A call sent before that cut, throttled after it: the same episode.
    let later = t0 + Duration::from_secs(2);
    l.on_throttle(t0, later);
    assert!((l.rate - 15.0).abs() < 1e-9);
    // Sent after the cut but throttled within the episode: no cut either.
    let sent = t0 + Duration::from_millis(30);
    l.on_throttle(sent, t0 + Duration::from_millis(500));
    assert!((l.rate - 15.0).abs() < 1e-9);
    assert_eq!(l.throttled, 3);
    // Sent after the cut, throttled after the episode: a new cut.
    l.on_throttle(sent, later);
    assert!((l.rate - 11.25).abs() < 1e-9);
    l.on_success();
    assert!((l.rate - 11.25 * 1.05).abs() < 1e-9, "5% of the rate");
    for _ in 0..1000 {
        l.on_success();
    }
    assert!((l.rate - 20.0).abs() < 1e-9, "never above the maximum");
}

#[test]
fn the_rate_never_falls_below_the_floor() {
    let t0 = Instant::now();
    let mut l = lane(50.0, 0, t0);
    for i in 0..100u64 {
        let t = t0 + Duration::from_secs(i);
        l.on_throttle(t, t);
    }
    assert!((l.rate - MIN_RPS).abs() < 1e-9);
    l.on_success();
    assert!((l.rate - (MIN_RPS + 0.25)).abs() < 1e-9, "the floor step");
}

#[test]
fn max_rps_sets_both_lanes_and_the_default_gives_up_within_a_minute() {
    let c = PacingConfig::with_max_rps(Some(3.0));
    assert_eq!((c.read_rps, c.release_rps), (3.0, 3.0));
    assert_eq!(PacingConfig::with_max_rps(None), PacingConfig::default());
    assert!(DEFAULT_GIVE_UP < Duration::from_secs(60));
}

#[test]
fn the_budget_runs_out() {
    let mut b = ThrottleBudget::start(Duration::ZERO);
    assert_eq!(b.next_wait(), None);
    let mut b = ThrottleBudget::start(Duration::from_secs(60));
    assert!(
        b.next_wait()
            .is_some_and(|w| w <= Duration::from_millis(100))
    );
    assert_eq!(b.attempts(), 1);
}

#[test]
fn give_up_after_replaces_the_default_only_when_given() {
    let c = PacingConfig::default().with_give_up_after(Some(Duration::from_secs(2)));
    assert_eq!(c.give_up_after, Duration::from_secs(2));
    let c = PacingConfig::default().with_give_up_after(None);
    assert_eq!(c.give_up_after, DEFAULT_GIVE_UP);
    let c = PacingConfig::default().with_give_up_after(Some(Duration::ZERO));
    assert_eq!(c.give_up_after, DEFAULT_GIVE_UP);
}

/// The 30 s give-up deadline, on tokio's paused clock: a call throttled over and over is retried
/// with growing back-offs, and given up once 30 s of tokio time have passed, not before.
#[tokio::test(start_paused = true)]
async fn a_call_throttled_for_the_whole_deadline_is_given_up_after_it() {
    let t0 = Instant::now();
    let mut budget = ThrottleBudget::start(DEFAULT_GIVE_UP);
    let mut waits = Vec::new();
    while let Some(wait) = budget.next_wait() {
        assert!(
            wait <= Duration::from_secs(2),
            "back-off is capped: {wait:?}"
        );
        waits.push(wait);
        tokio::time::sleep(wait).await;
    }
    let waited = Instant::now() - t0;
    assert!(waited >= DEFAULT_GIVE_UP, "not given up early: {waited:?}");
    assert!(
        waited < DEFAULT_GIVE_UP + Duration::from_millis(10),
        "the last wait stops at the deadline: {waited:?}"
    );
    assert_eq!(budget.attempts() as usize, waits.len() + 1);
    assert!(
        waits.len() >= 15,
        "30 s of back-offs of at most 2 s: {}",
        waits.len()
    );
    assert!(
        waits[0] <= Duration::from_millis(100) && waits.windows(2).take(4).all(|w| w[0] <= w[1]),
        "back-offs start at about 100 ms and grow: {waits:?}"
    );
}

/// A pacer at 4 releases/s spaces calls 250 ms apart (no burst for releases); a throttle cuts the
/// rate by a quarter and makes the next call wait a full interval at the new rate. Run on tokio's
/// paused clock: the waits are the pacer's own, measured on that clock.
#[tokio::test(start_paused = true)]
async fn the_pacer_spaces_calls_and_a_throttle_cuts_the_rate() {
    let pacer = Pacer::new(PacingConfig {
        read_rps: 4.0,
        release_rps: 4.0,
        give_up_after: DEFAULT_GIVE_UP,
    });
    let t0 = Instant::now();
    let mut sent = Vec::new();
    for _ in 0..4 {
        let permit = pacer.acquire("us-east-1", Op::Release).await;
        sent.push(permit.sent_at - t0);
        pacer.succeeded("us-east-1", permit);
    }
    // Successes at the maximum keep the rate there.
    for (i, at) in sent.iter().enumerate() {
        let due = Duration::from_millis(250) * i as u32;
        assert!(
            *at >= due && *at < due + Duration::from_millis(5),
            "call {i} at {at:?}, due at {due:?}"
        );
    }
    // Another region and operation have lanes of their own: no wait.
    let other = pacer.acquire("eu-west-1", Op::Release).await;
    assert_eq!(other.sent_at, Instant::now());

    let permit = pacer.acquire("us-east-1", Op::Release).await;
    let throttled_at = Instant::now();
    pacer.throttled("us-east-1", permit);
    let stats = pacer.stats("us-east-1");
    assert!((stats.release_rps - 3.0).abs() < 1e-9, "{stats:?}");
    assert!((stats.read_rps - 4.0).abs() < 1e-9, "reads are not cut");
    assert_eq!(stats.throttled, 1);
    let next = pacer.acquire("us-east-1", Op::Release).await;
    let gap = next.sent_at - throttled_at;
    let interval = Duration::from_secs_f64(1.0 / 3.0);
    assert!(
        gap >= interval && gap < interval + Duration::from_millis(5),
        "a full interval at 3/s after the throttle: {gap:?}"
    );
}
