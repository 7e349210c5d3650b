//! Tags and copy through the keys against the emulator: opening the detail pane on a sender ID
//! reads its tags once (ListTagsForResource at the emulator) and shows them; `T` reads every
//! listed sender ID's tags, each as the seed holds them (a shared one's as not permitted), with
//! one call per sender ID, and `/tag:env=prod` then shows exactly the seed's sender IDs tagged
//! so; `y` writes the sender ID to the terminal as one OSC 52 sequence.

use crate::common::harness::{Harness, Options, WAIT, seed_key};
use base64::Engine;
use crossterm::event::KeyCode;
use sidman::emulator::{Seed, SeedSenderId};
use sidman::state::tags::TagRead;

const US: &str = "us-east-1";

fn in_us(seed: &Seed) -> Vec<SeedSenderId> {
    seed.sender_ids
        .iter()
        .filter(|s| s.region == US)
        .cloned()
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_detail_pane_shows_tags_and_t_reads_every_sender_ids_tags() {
    let seed = Seed::demo();
    let mut h = Harness::start(Options::demo(&[US])).await;
    h.load().await;
    let tagged = in_us(&seed)
        .into_iter()
        .find(|s| !s.is_shared() && s.tags.iter().any(|(k, _)| k == "owner"))
        .expect("a tagged sender ID in the demo seed");
    let key = seed_key(&tagged);
    let before = h.emulator.received().count("ListTagsForResource");

    // The cursor onto it, then Enter: its tags are read once and shown.
    h.key(KeyCode::Char('g'));
    for _ in 0..h.state().view.rows.len() {
        if h.state().cursor_key().as_ref() == Some(&key) {
            break;
        }
        h.key(KeyCode::Char('j'));
    }
    assert_eq!(h.state().cursor_key().as_ref(), Some(&key));
    h.key(KeyCode::Enter);
    h.settle_until(|s| matches!(s.tags.of(&key), Some(TagRead::Read(_))), WAIT)
        .await;
    assert_eq!(
        h.emulator.received().count("ListTagsForResource"),
        before + 1
    );
    let screen = h.screen();
    for (k, v) in &tagged.tags {
        assert!(
            screen.contains(&format!("Tags.{k}: {v}")),
            "{k}={v}:\n{screen}"
        );
    }

    // y copies its sender ID: one OSC 52 sequence carrying it in base64.
    h.key(KeyCode::Char('y'));
    let written = h.clipboard.written();
    let body = written
        .strip_prefix("\x1b]52;c;")
        .and_then(|s| s.strip_suffix('\x07'))
        .unwrap_or_else(|| panic!("one OSC 52 sequence: {written:?}"));
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(body)
        .expect("base64");
    assert_eq!(String::from_utf8_lossy(&decoded), tagged.sender_id);

    // T: every other listed sender ID's tags, one call each.
    h.key(KeyCode::Esc);
    h.key(KeyCode::Char('T'));
    let asked = h.state().tags.progress().expect("T started").asked;
    let listed = h.state().inventory.live_len();
    assert_eq!(asked, listed - 1, "all but the one already read");
    h.settle_until(|s| s.tags.all_read(), WAIT).await;
    assert_eq!(
        h.emulator.received().count("ListTagsForResource"),
        before + listed
    );
    for s in in_us(&seed) {
        let k = seed_key(&s);
        match h.state().tags.of(&k) {
            Some(TagRead::Read(tags)) => {
                assert!(
                    !s.is_shared(),
                    "{k}: a shared sender ID's tags are its owner's"
                );
                let mut got = tags.clone();
                let mut want = s.tags.clone();
                got.sort();
                want.sort();
                assert_eq!(got, want, "{k}");
            }
            Some(TagRead::Failed(e)) => {
                assert!(s.is_shared() && e.is_access_denied(), "{k}: {e:?}");
            }
            other => panic!("{k}: {other:?}"),
        }
    }
    let notice = h.state().notice.clone().unwrap_or_default();
    assert!(notice.contains("tags read for"), "{notice}");

    // tag:env=prod shows exactly the seed's sender IDs tagged so (this account's; a shared
    // one's tags could not be read).
    h.key(KeyCode::Char('/'));
    h.type_text("tag:env=prod");
    h.key(KeyCode::Enter);
    let mut shown: Vec<_> = h
        .state()
        .view
        .items()
        .map(|i| h.state().inventory.records()[i].key())
        .collect();
    let mut want: Vec<_> = in_us(&seed)
        .iter()
        .filter(|s| !s.is_shared() && s.tags.iter().any(|(k, v)| k == "env" && v == "prod"))
        .map(seed_key)
        .collect();
    shown.sort();
    want.sort();
    assert!(
        !want.is_empty(),
        "the demo seed tags some sender IDs env=prod"
    );
    assert_eq!(shown, want);
    assert!(
        h.screen().contains("filter /tag:env=prod"),
        "{}",
        h.screen()
    );
}
