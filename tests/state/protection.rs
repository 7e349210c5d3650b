//! Deletion protection through the review's machinery, on the state alone: `P` opens a protection
//! sheet for the marks; turning protection on confirms with Enter after the dwell, turning it off
//! needs the typed word `unprotect`; shared sender IDs, ones already so and read-only sessions are
//! refused; the batch re-reads before sending, sends UpdateSenderId (`SetProtection`), and a
//! success turns the row's PROT flag, which the next release review follows.

use crate::common::fixtures::*;
use crossterm::event::KeyCode;
use sidman::action::{Action, Effect, Outcome};
use sidman::domain::{Key, Mutation, Reread, Response};
use sidman::state::batch::RowStatus;
use sidman::state::review::{Exclusion, ReviewSheet};
use sidman::state::{Mode, State};

fn sheet(state: &State) -> &ReviewSheet {
    match &state.mode {
        Mode::Review(sheet) => sheet,
        other => panic!("no review sheet: {other:?}"),
    }
}

fn notice(state: &State) -> String {
    state.notice.clone().unwrap_or_default()
}

/// The changes among `effects`: (mutation, key).
fn mutations(effects: &[Effect]) -> Vec<(Mutation, Key)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Mutate {
                mutation, record, ..
            } => Some((*mutation, record.key())),
            _ => None,
        })
        .collect()
}

/// Answers every re-read of `effects` with the fixtures unchanged; returns the changes sent.
fn answer_rereads(state: &mut State, effects: &[Effect]) -> Vec<Effect> {
    let mut sent = Vec::new();
    for (batch, region, keys) in rereads(effects) {
        sent.extend(step(
            state,
            Action::Reread {
                batch,
                region,
                result: Ok(reread_unchanged(&keys)),
                keys,
            },
        ));
    }
    sent
}

/// UpdateSenderId's answer for `key`, protection now `on`.
fn updated(key: &Key, on: bool) -> Outcome {
    Outcome::Done {
        response: Some(Response {
            fields: vec![
                ("SenderId", key.id.clone()),
                ("IsoCountryCode", key.country.clone()),
                ("DeletionProtectionEnabled", on.to_string()),
            ],
            request_id: Some("0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5".to_owned()),
        }),
        note: None,
    }
}

/// Every change sent ends as UpdateSenderId answered.
fn answer_updates(state: &mut State, sent: &[Effect]) {
    for e in sent {
        if let Effect::Mutate {
            batch,
            mutation: Mutation::SetProtection(on),
            record,
        } = e
        {
            let key = record.key();
            step(
                state,
                Action::Mutated {
                    batch: *batch,
                    outcome: updated(&key, *on),
                    key,
                },
            );
        }
    }
}

fn protected(state: &State, key: &Key) -> bool {
    state
        .inventory
        .get(key)
        .unwrap_or_else(|| panic!("{key} is loaded"))
        .deletion_protection
}

#[test]
fn protect_on_confirms_with_enter_after_the_dwell_and_the_release_review_then_excludes_them() {
    let mut state = loaded();
    let keys = [key("ACMEBANK", US), key("ACMEFR", EU)];
    mark(&mut state, &keys);
    assert!(ch(&mut state, 'P').is_empty());
    let s = sheet(&state);
    assert_eq!(s.mutation, Mutation::SetProtection(true));
    assert_eq!(s.to_release, {
        let mut k = keys.to_vec();
        k.sort();
        k
    });
    assert_eq!(s.confirm.word(), None, "turning protection on asks no word");
    // Enter before the dwell is refused; nothing is sent.
    assert!(press(&mut state, KeyCode::Enter).is_empty());
    assert!(matches!(state.mode, Mode::Review(_)));
    assert!(notice(&state).contains("read the sheet first"), "{state:?}");
    dwell(&mut state);
    let effects = press(&mut state, KeyCode::Enter);
    assert_eq!(state.mode, Mode::Table);
    // Re-read first, one per region, then UpdateSenderId for each.
    assert_eq!(rereads(&effects).len(), 2);
    let sent = answer_rereads(&mut state, &effects);
    let mut changes = mutations(&sent);
    changes.sort_by(|a, b| a.1.cmp(&b.1));
    assert_eq!(
        changes,
        vec![
            (Mutation::SetProtection(true), key("ACMEFR", EU)),
            (Mutation::SetProtection(true), key("ACMEBANK", US)),
        ]
    );
    answer_updates(&mut state, &sent);
    for k in &keys {
        assert!(protected(&state, k), "{k} is flagged PROT");
        let (m, status) = state.status(k).expect("a status");
        assert_eq!(status.label(m), "protected");
        assert!(state.marks().contains(k), "a protected one stays marked");
    }
    assert!(
        notice(&state).starts_with("protect finished: 2 protected"),
        "{}",
        notice(&state)
    );
    // The release review now lists them apart as protected.
    ch(&mut state, 'D');
    let s = sheet(&state);
    assert!(s.to_release.is_empty(), "{s:?}");
    for k in &keys {
        assert!(
            s.excluded
                .contains(&(k.clone(), Exclusion::DeletionProtection))
        );
    }
}

#[test]
fn protect_off_needs_the_typed_word_enter_alone_and_pastes_are_refused() {
    let mut state = loaded();
    let keys = [key("ACMEOTP", US), key("ACMEFRP", EU)];
    mark(&mut state, &keys);
    ch(&mut state, 'P');
    let s = sheet(&state);
    assert_eq!(
        s.mutation,
        Mutation::SetProtection(false),
        "every one protected: off"
    );
    assert_eq!(s.confirm.word(), Some("unprotect"));
    assert!(!s.mixed);
    dwell(&mut state);
    assert!(press(&mut state, KeyCode::Enter).is_empty());
    assert!(matches!(state.mode, Mode::Review(_)));
    assert!(
        notice(&state).contains("type `unprotect`"),
        "{}",
        notice(&state)
    );
    // A near miss, and a paste of the word, never confirm.
    type_text(&mut state, "unprotec");
    assert!(press(&mut state, KeyCode::Enter).is_empty());
    assert!(paste(&mut state, "t").is_empty());
    assert!(notice(&state).contains("pasting is refused"));
    assert!(press(&mut state, KeyCode::Enter).is_empty());
    assert!(matches!(state.mode, Mode::Review(_)));
    type_text(&mut state, "t");
    let effects = press(&mut state, KeyCode::Enter);
    assert_eq!(state.mode, Mode::Table);
    let sent = answer_rereads(&mut state, &effects);
    assert_eq!(
        mutations(&sent)
            .into_iter()
            .map(|(m, _)| m)
            .collect::<Vec<_>>(),
        vec![Mutation::SetProtection(false); 2]
    );
    answer_updates(&mut state, &sent);
    for k in &keys {
        assert!(!protected(&state, k), "{k} is no longer PROT");
    }
    // Now the release review includes them.
    ch(&mut state, 'D');
    assert_eq!(sheet(&state).to_release.len(), 2);
}

#[test]
fn protect_is_refused_at_the_key_in_read_only_mode() {
    let mut state = loaded_with(read_only_session());
    mark(&mut state, &[key("ACMEBANK", US)]);
    let effects = ch(&mut state, 'P');
    assert!(effects.is_empty());
    assert_eq!(state.mode, Mode::Table);
    assert!(notice(&state).contains("read-only"), "{}", notice(&state));
}

#[test]
fn protect_lists_shared_and_absent_ones_apart_and_never_sends_them() {
    let mut state = loaded();
    let shared = shared_record().key();
    mark(&mut state, &[key("ACMEBANK", US), shared.clone()]);
    ch(&mut state, 'P');
    let s = sheet(&state);
    assert_eq!(s.mutation, Mutation::SetProtection(true));
    assert_eq!(s.to_release, vec![key("ACMEBANK", US)]);
    assert_eq!(s.excluded, vec![(shared.clone(), Exclusion::Shared)]);
    assert!(
        s.reason(&shared, Exclusion::Shared)
            .starts_with("shared: owned by another account"),
        "{}",
        s.reason(&shared, Exclusion::Shared)
    );
    dwell(&mut state);
    let effects = press(&mut state, KeyCode::Enter);
    let sent = answer_rereads(&mut state, &effects);
    assert_eq!(
        mutations(&sent),
        vec![(Mutation::SetProtection(true), key("ACMEBANK", US))]
    );
    let (_, status) = state.status(&shared).expect("listed apart");
    assert!(matches!(status, RowStatus::Excluded(why) if why.starts_with("shared")));
}

#[test]
fn a_mixed_selection_turns_on_for_the_unprotected_and_tab_turns_it_off_with_a_fresh_dwell() {
    let mut state = loaded();
    let (off, on) = (key("ACMEBANK", US), key("ACMEOTP", US));
    mark(&mut state, &[off.clone(), on.clone()]);
    ch(&mut state, 'P');
    let s = sheet(&state);
    assert!(s.mixed);
    assert_eq!(s.mutation, Mutation::SetProtection(true));
    assert_eq!(s.to_release, vec![off.clone()]);
    assert_eq!(s.excluded, vec![(on.clone(), Exclusion::AlreadyProtected)]);
    dwell(&mut state);
    // Tab: the same selection turned off; a new sheet, read afresh before Enter counts.
    press(&mut state, KeyCode::Tab);
    let s = sheet(&state);
    assert_eq!(s.mutation, Mutation::SetProtection(false));
    assert_eq!(s.to_release, vec![on.clone()]);
    assert_eq!(
        s.excluded,
        vec![(off.clone(), Exclusion::AlreadyUnprotected)]
    );
    assert!(!s.confirm.ready(), "the dwell starts again");
    type_text(&mut state, "unprotect");
    assert!(press(&mut state, KeyCode::Enter).is_empty(), "too soon");
    dwell(&mut state);
    let effects = press(&mut state, KeyCode::Enter);
    let sent = answer_rereads(&mut state, &effects);
    assert_eq!(mutations(&sent), vec![(Mutation::SetProtection(false), on)]);
}

#[test]
fn a_reread_that_finds_protection_already_as_asked_is_not_sent_and_updates_the_row() {
    let mut state = loaded();
    let k = key("ACMEBANK", US);
    mark(&mut state, std::slice::from_ref(&k));
    ch(&mut state, 'P');
    dwell(&mut state);
    let effects = press(&mut state, KeyCode::Enter);
    let (batch, region, keys) = rereads(&effects).remove(0);
    let mut found = records()
        .into_iter()
        .find(|r| r.key() == k)
        .expect("fixture");
    found.deletion_protection = true;
    let sent = step(
        &mut state,
        Action::Reread {
            batch,
            region,
            keys,
            result: Ok(vec![(k.clone(), Reread::Present(Box::new(found)))]),
        },
    );
    assert!(mutations(&sent).is_empty());
    let (_, status) = state.status(&k).expect("a status");
    assert_eq!(status, &RowStatus::NotSent("already protected".to_owned()));
    assert!(
        protected(&state, &k),
        "the re-read record replaces the loaded one"
    );
}
