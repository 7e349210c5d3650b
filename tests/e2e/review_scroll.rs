//! The review sheet at 80x24 with every demo sender ID marked, through the keys: paging down
//! from the top reaches every sender ID to release and every one that will not be sent (nothing
//! behind a "… and N more"), End shows the last line, and the position line says where it is.

use crate::common::harness::{Harness, Options, WAIT};
use crossterm::event::KeyCode;
use sidman::domain::Key;
use sidman::state::Mode;

const REGIONS: [&str; 3] = ["us-east-1", "eu-west-1", "ap-southeast-2"];

/// Whether a line of `screen` names `key`: its sender ID (as shown: a shared one's key is its
/// ARN), country and region.
fn shows(screen: &str, key: &Key) -> bool {
    let id = key.id.rsplit('/').nth(1).unwrap_or(key.id.as_str());
    screen.lines().any(|line| {
        line.contains(id)
            && line.contains(&format!(" {} ", key.country))
            && line.contains(key.region.as_str())
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn the_review_at_80x24_reaches_its_last_row_and_its_last_exclusion() {
    let mut h = Harness::start(Options::demo(&REGIONS)).await;
    h.load().await;
    h.settle_until(|s| !s.pools.pending(), WAIT).await;
    h.resize(80, 24);
    h.key(KeyCode::Char('a'));
    h.key(KeyCode::Char('D'));
    let Mode::Review(sheet) = &h.state().mode else {
        panic!("the review is open: {}", h.summary());
    };
    let to_release = sheet.to_release.clone();
    let excluded: Vec<Key> = sheet.excluded.iter().map(|(k, _)| k.clone()).collect();
    let lines = sheet.lines().len();
    assert!(
        to_release.len() > 10 && !excluded.is_empty(),
        "a list longer than one screen, with exclusions: {} + {}",
        to_release.len(),
        excluded.len()
    );
    let first = h.screen();
    assert!(first.contains(&format!(" of {lines}")), "{first}");

    // Page down until the screen stops changing; every line must have been on screen.
    let mut seen = vec![first];
    for _ in 0..lines {
        h.key(KeyCode::PageDown);
        let screen = h.screen();
        if seen.last() == Some(&screen) {
            break;
        }
        seen.push(screen);
    }
    for key in to_release.iter().chain(&excluded) {
        assert!(
            seen.iter().any(|s| shows(s, key)),
            "{key:?} is never on screen while paging the review"
        );
    }
    let last = seen.last().cloned().unwrap_or_default();
    assert!(last.contains(&format!("-{lines} of {lines}")), "{last}");

    // Home goes back to the first line; End to the last, with the last exclusion on screen.
    h.key(KeyCode::Home);
    assert!(shows(&h.screen(), &to_release[0]), "{}", h.screen());
    h.key(KeyCode::End);
    let end = h.screen();
    assert!(end.contains(&format!("-{lines} of {lines}")), "{end}");
    assert!(
        seen.iter()
            .any(|s| shows(s, excluded.last().expect("an exclusion"))),
        "the last exclusion is reachable"
    );
    // The review is still a review: nothing was sent by scrolling.
    assert_eq!(h.emulator.received().count("ReleaseSenderId"), 0);
}
