//! Operator tools in the state: tags read lazily for the row the cursor rests on (or the detail
//! pane opened), `T` reading every sender ID's tags with progress, refusals shown as such, a
//! reload forgetting them; and `y`/`Y` copying sender IDs or ARNs (the row, or every mark one per
//! line), refused when copying is off.

use crate::common::fixtures::*;
use crate::common::screen::{draw, text};
use crossterm::event::KeyCode;
use sidman::action::{Action, Effect};
use sidman::domain::Key;
use sidman::state::{Session, State};

fn tick(state: &mut State) -> Vec<Effect> {
    step(state, Action::Tick { at: now() })
}

/// The (key, ARN) pairs the effects ask tags for.
fn tag_reads(effects: &[Effect]) -> Vec<(Key, String)> {
    effects
        .iter()
        .flat_map(|e| match e {
            Effect::ReadTags { targets, .. } => targets.clone(),
            _ => Vec::new(),
        })
        .collect()
}

fn copied(effects: &[Effect]) -> Option<String> {
    effects.iter().find_map(|e| match e {
        Effect::Copy { text } => Some(text.clone()),
        _ => None,
    })
}

fn tags_read(
    state: &mut State,
    key: &Key,
    result: Result<Vec<(String, String)>, sidman::domain::ApiError>,
) {
    let generation = state.generation;
    step(
        state,
        Action::TagsRead {
            generation,
            key: key.clone(),
            result,
        },
    );
}

fn team(value: &str) -> Vec<(String, String)> {
    vec![
        ("team".to_owned(), value.to_owned()),
        ("env".to_owned(), "prod".to_owned()),
    ]
}

#[test]
fn the_row_the_cursor_rests_on_has_its_tags_read_once() {
    let mut state = loaded();
    let bank = key("ACMEBANK", US);
    cursor_to(&mut state, &bank);
    // Passing over a row asks for nothing; resting on it for two ticks asks once.
    assert!(tag_reads(&tick(&mut state)).is_empty());
    let asked = tag_reads(&tick(&mut state));
    assert_eq!(asked, vec![(bank.clone(), record("ACMEBANK", US).arn)]);
    assert!(tag_reads(&tick(&mut state)).is_empty(), "asked twice");
    // Moving on and back does not ask again while it is being read.
    ch(&mut state, 'j');
    ch(&mut state, 'k');
    tick(&mut state);
    assert!(tag_reads(&tick(&mut state)).is_empty());

    let pane = text(&draw(&mut state, 150, 45));
    assert!(pane.contains("Tags: loading tags…"), "{pane}");
    tags_read(&mut state, &bank, Ok(team("payments")));
    let pane = text(&draw(&mut state, 150, 45));
    assert!(pane.contains("Tags.team: payments"), "{pane}");
    assert!(pane.contains("Tags.env: prod"), "{pane}");

    // A reload forgets the tags, and cancels the reads still in flight (`T`'s among them)
    // before it asks for anything.
    let effects = state.reload();
    assert_eq!(effects.first(), Some(&Effect::CancelReads), "{effects:?}");
    assert!(state.tags.of(&bank).is_none());
}

#[test]
fn opening_the_detail_pane_reads_at_once_and_a_refusal_says_not_permitted() {
    let mut state = loaded();
    let shared = shared_record().key();
    cursor_to(&mut state, &shared);
    let asked = tag_reads(&press(&mut state, KeyCode::Enter));
    assert_eq!(asked.len(), 1, "read when the pane opens");
    tags_read(&mut state, &shared, Err(access_denied()));
    let pane = text(&draw(&mut state, 80, 24));
    // The pane scrolls; its last lines hold the tags.
    press(&mut state, KeyCode::End);
    let end = text(&draw(&mut state, 80, 24));
    assert!(
        end.contains("not permitted") || pane.contains("not permitted"),
        "{end}"
    );
}

#[test]
fn t_reads_every_sender_id_with_progress_then_says_how_it_went() {
    let mut state = loaded();
    let effects = ch(&mut state, 'T');
    let asked = tag_reads(&effects);
    let live = state.inventory.live_len();
    assert_eq!(asked.len(), live, "one read per sender ID");
    // One effect per region: each region's reads go one after the other on its lane.
    let regions: Vec<&str> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::ReadTags { region, .. } => Some(region.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(regions.len(), REGIONS.len(), "{regions:?}");
    let header = text(&draw(&mut state, 150, 45));
    assert!(header.contains(&format!("tags 0/{live}…")), "{header}");
    // T again while it runs is refused, and says why.
    assert!(tag_reads(&ch(&mut state, 'T')).is_empty());
    assert!(
        state
            .notice
            .as_deref()
            .is_some_and(|n| n.contains("being read")),
        "{:?}",
        state.notice
    );

    let shared = shared_record().key();
    for (k, _) in &asked {
        let result = if *k == shared {
            Err(access_denied())
        } else {
            Ok(team("payments"))
        };
        tags_read(&mut state, k, result);
    }
    let notice = state.notice.clone().unwrap_or_default();
    assert!(
        notice.contains(&format!(
            "tags read for {} sender ID(s); 1 not permitted",
            live - 1
        )),
        "{notice}"
    );
    let header = text(&draw(&mut state, 150, 45));
    assert!(!header.contains("tags 0/"), "{header}");
    assert!(state.tags.all_read());
    assert!(tag_reads(&ch(&mut state, 'T')).is_empty());
}

#[test]
fn y_copies_the_sender_id_and_big_y_the_arn_of_the_row_or_of_every_mark() {
    let mut state = loaded();
    let bank = record("ACMEBANK", US);
    cursor_to(&mut state, &bank.key());
    assert_eq!(copied(&ch(&mut state, 'y')).as_deref(), Some("ACMEBANK"));
    assert!(
        state
            .notice
            .as_deref()
            .is_some_and(|n| n.contains("copied sender ID ACMEBANK")),
        "{:?}",
        state.notice
    );
    assert_eq!(copied(&ch(&mut state, 'Y')), Some(bank.arn.clone()));

    // With marks: every mark, one per line, whatever the cursor is on.
    let keys = [key("ACMEFR", EU), key("ACMEAU", AP)];
    mark(&mut state, &keys);
    let text = copied(&ch(&mut state, 'Y')).expect("a copy");
    let mut expected: Vec<String> = keys
        .iter()
        .map(|k| state.inventory.get(k).expect("loaded").arn.clone())
        .collect();
    let mut lines: Vec<String> = text.lines().map(ToOwned::to_owned).collect();
    expected.sort();
    lines.sort();
    assert_eq!(lines, expected);
    assert!(
        state
            .notice
            .as_deref()
            .is_some_and(|n| n.contains("2 ARNs (one per line)")),
        "{:?}",
        state.notice
    );

    // On a group's header there is nothing to copy.
    ch(&mut state, 'U');
    ch(&mut state, 'g');
    assert!(copied(&ch(&mut state, 'y')).is_none());
}

#[test]
fn copying_off_copies_nothing_and_says_so() {
    let mut state = loaded_with(Session {
        osc52: false,
        ..session()
    });
    cursor_to(&mut state, &key("ACMEBANK", US));
    assert!(copied(&ch(&mut state, 'y')).is_none());
    let notice = state.notice.clone().unwrap_or_default();
    assert!(notice.contains("copy is off"), "{notice}");
    assert!(notice.contains("ACMEBANK"), "{notice}");
}
