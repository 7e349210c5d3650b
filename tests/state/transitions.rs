//! Pure state-transition tests: the state is driven only through its public API (`State::new`,
//! `reload`, `update` with actions) and every assertion is about what the operator would see or
//! what work would start. No terminal, no network, no clock.

use crate::common::fixtures::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use sidman::action::{Action, Effect, Input, Outcome};
use sidman::aws::Reread;
use sidman::domain::{Key, Ownership, Total};
use sidman::state::batch::{PER_REGION_IN_FLIGHT, Phase, RowStatus};
use sidman::state::inventory::RegionLoad;
use sidman::state::review::{Exclusion, ReviewSheet};
use sidman::state::view::{Row, SortMode};
use sidman::state::{Mode, Session, State, update};
use std::collections::{BTreeSet, HashMap};
use std::time::Duration;

// ---------------------------------------------------------------- helpers

/// Sender IDs of the visible rows, in display order, as `ID@region`.
fn visible_ids(state: &State) -> Vec<String> {
    state
        .view
        .rows
        .iter()
        .filter_map(|row| match row {
            Row::Item(i) => {
                let r = &state.inventory.records()[*i];
                Some(format!("{}@{}", r.sender_id, r.region))
            }
            Row::Header(_) => None,
        })
        .collect()
}

/// Groups as `(country, types, count)`, in display order.
fn group_summary(state: &State) -> Vec<(String, String, usize)> {
    state
        .view
        .groups
        .iter()
        .map(|g| (g.country.clone(), g.types.clone(), g.total.count))
        .collect()
}

fn sheet(state: &State) -> &ReviewSheet {
    match &state.mode {
        Mode::Review(s) => s,
        other => panic!("expected the review sheet, the mode is {other:?}"),
    }
}

fn status<'a>(state: &'a State, k: &Key) -> Option<&'a RowStatus> {
    state.status(k).map(|(_, s)| s)
}

fn reread_action(batch: u64, region: &str, keys: Vec<Key>) -> Action {
    Action::Reread {
        batch,
        region: region.to_owned(),
        result: Ok(reread_unchanged(&keys)),
        keys,
    }
}

fn released(state: &mut State, batch: u64, k: &Key, outcome: Outcome) -> Vec<Effect> {
    update(
        state,
        Action::Mutated {
            batch,
            key: k.clone(),
            outcome,
        },
    )
}

fn ok_outcome(k: &Key) -> Outcome {
    let r = records()
        .into_iter()
        .find(|r| r.key() == *k)
        .expect("fixture");
    released_ok(&r, "11111111-2222-4333-8444-555555555555")
}

/// Marks these keys, confirms the release, answers every re-read with "unchanged", and returns
/// the batch id and the first Release effects.
fn start_release(state: &mut State, keys: &[Key]) -> (u64, Vec<Key>) {
    mark(state, keys);
    let effects = confirm_release(state);
    let reads = rereads(&effects);
    assert!(!reads.is_empty(), "confirming re-reads first: {effects:?}");
    let batch = reads[0].0;
    let mut sent = Vec::new();
    for (b, region, ks) in reads {
        sent.extend(release_keys(&update(state, reread_action(b, &region, ks))));
    }
    (batch, sent)
}

fn us_releasable() -> Vec<Key> {
    ["ACMEBANK", "ACMEPROMO", "ACMEINFO", "ACMEDE", "ACMEIN"]
        .iter()
        .map(|id| key(id, US))
        .collect()
}

// ---------------------------------------------------------------- loading

#[test]
fn loading_pages_of_several_regions_in_any_order_hold_each_sender_id_once() {
    let mut state = State::new(session());
    let effects = state.reload();
    assert_eq!(effects.len(), 3, "one LoadRegion per region: {effects:?}");
    let generation = generation_of(&effects);
    // Pages interleaved across regions and owners, second pages before first ones.
    let us = records_of(US, Ownership::Own);
    let eu = records_of(EU, Ownership::Own);
    let ap = records_of(AP, Ownership::Own);
    page(&mut state, generation, AP, Ownership::Own, ap[3..].to_vec());
    page(
        &mut state,
        generation,
        US,
        Ownership::Shared,
        records_of(US, Ownership::Shared),
    );
    page(&mut state, generation, EU, Ownership::Own, eu.clone());
    page(&mut state, generation, US, Ownership::Own, us[4..].to_vec());
    page(&mut state, generation, AP, Ownership::Own, ap[..3].to_vec());
    page(&mut state, generation, US, Ownership::Own, us[..4].to_vec());
    for region in REGIONS {
        listed(&mut state, generation, region, Ownership::Own, Ok(()));
        listed(&mut state, generation, region, Ownership::Shared, Ok(()));
    }
    assert_eq!(state.inventory.len(), records().len());
    assert_eq!(state.view.shown(), records().len());
    let ids = visible_ids(&state);
    let unique: BTreeSet<_> = ids.iter().collect();
    assert_eq!(
        unique.len(),
        ids.len(),
        "a sender ID is shown twice: {ids:?}"
    );
    // The same sender ID in two regions is two sender IDs.
    assert!(ids.contains(&"ACMEBANK@us-east-1".to_owned()));
    assert!(ids.contains(&"ACMEBANK@eu-west-2".to_owned()));
    assert!(ids.contains(&"SHAREDCO@us-east-1".to_owned()));
    assert!(!state.inventory.loading());
}

#[test]
fn loading_a_repeated_page_does_not_duplicate_sender_ids() {
    let mut state = State::new(session());
    let generation = generation_of(&state.reload());
    let eu = records_of(EU, Ownership::Own);
    page(&mut state, generation, EU, Ownership::Own, eu.clone());
    page(&mut state, generation, EU, Ownership::Own, eu.clone());
    page(&mut state, generation, EU, Ownership::Own, eu[..2].to_vec());
    assert_eq!(state.inventory.len(), eu.len());
    assert_eq!(state.view.shown(), eu.len());
    assert_eq!(
        state.inventory.regions[EU].items(),
        eu.len(),
        "the region's count does not grow with repeats"
    );
    let ids = visible_ids(&state);
    assert_eq!(ids.iter().collect::<BTreeSet<_>>().len(), ids.len());
}

#[test]
fn loading_region_status_goes_from_loading_to_loaded_after_both_listings() {
    let mut state = State::new(session());
    let generation = generation_of(&state.reload());
    for region in REGIONS {
        assert!(state.inventory.regions[region].is_loading(), "{region}");
    }
    assert!(state.inventory.loading());
    let ap = records_of(AP, Ownership::Own);
    page(&mut state, generation, AP, Ownership::Own, ap.clone());
    assert_eq!(
        state.inventory.regions[AP],
        RegionLoad::Loading {
            items: ap.len(),
            owners_left: 2
        }
    );
    listed(&mut state, generation, AP, Ownership::Own, Ok(()));
    assert!(
        state.inventory.regions[AP].is_loading(),
        "the shared listing is still running"
    );
    listed(&mut state, generation, AP, Ownership::Shared, Ok(()));
    assert_eq!(
        state.inventory.regions[AP],
        RegionLoad::Loaded { items: ap.len() }
    );
    assert!(state.inventory.loading(), "two regions still load");
    deliver(&mut state, generation, US);
    deliver(&mut state, generation, EU);
    assert!(!state.inventory.loading());
    assert_eq!(
        state.inventory.regions[US],
        RegionLoad::Loaded {
            items: records_of(US, Ownership::Own).len() + 1
        }
    );
}

#[test]
fn loading_a_failed_region_is_marked_failed_and_reported_in_the_notice() {
    let mut state = State::new(session());
    let generation = generation_of(&state.reload());
    deliver(&mut state, generation, US);
    deliver(&mut state, generation, AP);
    page(
        &mut state,
        generation,
        EU,
        Ownership::Own,
        records_of(EU, Ownership::Own)[..2].to_vec(),
    );
    listed(
        &mut state,
        generation,
        EU,
        Ownership::Own,
        Err(access_denied()),
    );
    match &state.inventory.regions[EU] {
        RegionLoad::Failed { items, error } => {
            assert_eq!(*items, 2, "the rows that did arrive are counted");
            assert_eq!(error.code, "AccessDeniedException");
        }
        other => panic!("eu-west-2 should have failed: {other:?}"),
    }
    let notice = state.notice.clone().expect("a failed region is reported");
    assert!(notice.contains(EU), "{notice}");
    assert!(notice.contains("AccessDeniedException"), "{notice}");
    // The other owner's listing ending later does not turn the failure into success.
    listed(&mut state, generation, EU, Ownership::Shared, Ok(()));
    assert!(matches!(
        state.inventory.regions[EU],
        RegionLoad::Failed { .. }
    ));
    assert!(
        !state.inventory.loading(),
        "a failed region no longer loads"
    );
    assert!(matches!(
        state.inventory.regions[US],
        RegionLoad::Loaded { .. }
    ));
}

#[test]
fn loading_pages_of_an_older_generation_are_ignored_after_r() {
    let mut state = loaded();
    let old = state.generation;
    let effects = ch(&mut state, 'r');
    let new = generation_of(&effects);
    assert!(new > old);
    // The earlier load's reads still in flight are cancelled, then every region is loaded.
    assert_eq!(effects.first(), Some(&Effect::CancelReads), "{effects:?}");
    assert_eq!(effects.len(), 4);
    assert_eq!(state.inventory.len(), 0, "a reload starts from scratch");
    // A late page and listing end of the old load.
    page(
        &mut state,
        old,
        US,
        Ownership::Own,
        records_of(US, Ownership::Own),
    );
    listed(&mut state, old, US, Ownership::Own, Err(access_denied()));
    listed(&mut state, old, US, Ownership::Shared, Ok(()));
    assert_eq!(state.inventory.len(), 0, "old pages are dropped");
    assert!(
        state.inventory.regions[US].is_loading(),
        "old listing ends are dropped"
    );
    assert!(
        state.notice.is_none()
            || !state
                .notice
                .as_deref()
                .unwrap_or("")
                .contains("could not list")
    );
    for region in REGIONS {
        deliver(&mut state, new, region);
    }
    assert_eq!(state.inventory.len(), records().len());
    assert!(!state.inventory.loading());
}

// ---------------------------------------------------------------- view

#[test]
fn view_groups_by_country_then_message_type_set_with_counts_and_exact_subtotals() {
    let state = loaded();
    let expected: Vec<(String, String, usize)> = [
        ("AE", "TRANSACTIONAL", 2),
        ("AU", "TRANSACTIONAL", 1),
        ("AU", "PROMOTIONAL", 1),
        ("AU", "TRANSACTIONAL+PROMOTIONAL", 1),
        ("DE", "TRANSACTIONAL", 2),
        ("DE", "TRANSACTIONAL+PROMOTIONAL", 1),
        ("FR", "TRANSACTIONAL", 1),
        ("FR", "PROMOTIONAL", 1),
        ("GB", "TRANSACTIONAL", 3),
        ("GB", "PROMOTIONAL", 1),
        ("GB", "TRANSACTIONAL+PROMOTIONAL", 1),
        ("IN", "TRANSACTIONAL", 1),
        ("IN", "PROMOTIONAL", 1),
        ("NZ", "TRANSACTIONAL", 1),
        ("PH", "PROMOTIONAL", 1),
        ("SG", "TRANSACTIONAL", 1),
        ("SG", "TRANSACTIONAL+PROMOTIONAL", 1),
    ]
    .iter()
    .map(|(c, t, n)| ((*c).to_owned(), (*t).to_owned(), *n))
    .collect();
    assert_eq!(group_summary(&state), expected);
    // A header row precedes the members of each group.
    assert_eq!(state.view.rows.len(), expected.len() + records().len());
    assert!(matches!(state.view.rows[0], Row::Header(0)));
    // [P, T] and [T, P] are one group: ACMEDE came as PROMOTIONAL, TRANSACTIONAL.
    let de_tp = &state.view.groups[5];
    assert_eq!(de_tp.members.len(), 1);
    assert_eq!(
        state.inventory.records()[de_tp.members[0]].sender_id,
        "ACMEDE"
    );

    let subtotal = |country: &str, types: &str| {
        state
            .view
            .groups
            .iter()
            .find(|g| g.country == country && g.types == types)
            .map(|g| g.total)
            .expect("group")
    };
    let gb_t = subtotal("GB", "TRANSACTIONAL");
    assert_eq!(gb_t.sum, dec("30.00"));
    assert_eq!(gb_t.money(), "$30.00");
    assert_eq!(subtotal("DE", "TRANSACTIONAL").sum, dec("16.50"));
    assert_eq!(subtotal("FR", "TRANSACTIONAL").sum, dec("7.40"));
    let ae = subtotal("AE", "TRANSACTIONAL");
    assert_eq!(
        ae,
        Total {
            count: 2,
            sum: dec("4.00"),
            unparsed: 1
        },
        "the unreadable price is counted apart, not summed"
    );
    assert_eq!(ae.money(), "$4.00 (+1 unreadable)");
    // The total of what is shown is the exact decimal sum of the fixtures.
    assert_eq!(state.view.total.sum, dec("176.90"));
    assert_eq!(state.view.total.count, 21);
    assert_eq!(state.view.total.unparsed, 1);
    // Rows of a group in the default (country) sort: by region, then sender ID.
    let gb: Vec<String> = state.view.groups[8]
        .members
        .iter()
        .map(|&i| {
            let r = &state.inventory.records()[i];
            format!("{}@{}", r.sender_id, r.region)
        })
        .collect();
    assert_eq!(
        gb,
        [
            "ACMEBANK@eu-west-2",
            "ACMEBANK@us-east-1",
            "SHAREDCO@us-east-1"
        ]
    );
}

#[test]
fn view_s_cycles_the_four_sort_modes_and_back() {
    let mut state = loaded();
    assert_eq!(state.sort, SortMode::Country);
    let mut seen = vec![state.sort];
    for _ in 0..4 {
        assert!(ch(&mut state, 's').is_empty());
        seen.push(state.sort);
        let notice = state.notice.clone().expect("the sort is announced");
        assert!(notice.contains(state.sort.label()), "{notice}");
        assert_eq!(
            state.view.shown(),
            records().len(),
            "sorting never hides rows"
        );
    }
    assert_eq!(
        seen,
        [
            SortMode::Country,
            SortMode::SenderId,
            SortMode::Price,
            SortMode::Region,
            SortMode::Country
        ]
    );
}

#[test]
fn view_sender_id_and_region_sorts_order_rows_within_groups() {
    let mut state = loaded();
    ch(&mut state, 's');
    assert_eq!(state.sort, SortMode::SenderId);
    let de_t = state
        .view
        .groups
        .iter()
        .find(|g| g.country == "DE" && g.types == "TRANSACTIONAL")
        .expect("DE T");
    let ids: Vec<&str> = de_t
        .members
        .iter()
        .map(|&i| state.inventory.records()[i].sender_id.as_str())
        .collect();
    assert_eq!(ids, ["ACMEDE2", "ACMEOTP"], "sender ID order");
    ch(&mut state, 's');
    ch(&mut state, 's');
    assert_eq!(state.sort, SortMode::Region);
    let ae: Vec<String> = state.view.groups[0]
        .members
        .iter()
        .map(|&i| state.inventory.records()[i].region.clone())
        .collect();
    assert_eq!(ae, [EU, US], "region order within the group");
}

#[test]
fn view_price_sort_orders_groups_by_subtotal_and_rows_by_price_with_unreadable_last() {
    let mut state = loaded();
    ch(&mut state, 's');
    ch(&mut state, 's');
    assert_eq!(state.sort, SortMode::Price);
    let sums: Vec<_> = state.view.groups.iter().map(|g| g.total.sum).collect();
    let mut sorted = sums.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(sums, sorted, "groups by subtotal, high first");
    let first = &state.view.groups[0];
    assert_eq!(
        (first.country.as_str(), first.types.as_str()),
        ("GB", "TRANSACTIONAL")
    );
    assert_eq!(first.total.sum, dec("30.00"));
    let last = state.view.groups.last().expect("groups");
    assert_eq!(last.total.sum, dec("1.50"));
    // Within AE TRANSACTIONAL the readable $4.00 comes before the unreadable "n/a".
    let ae = state
        .view
        .groups
        .iter()
        .find(|g| g.country == "AE")
        .expect("AE group");
    let prices: Vec<&str> = ae
        .members
        .iter()
        .map(|&i| state.inventory.records()[i].price.raw.as_str())
        .collect();
    assert_eq!(prices, ["4.00", "n/a"]);
    // Rows follow their group header; headers are in the group order.
    let header_order: Vec<usize> = state
        .view
        .rows
        .iter()
        .filter_map(|r| match r {
            Row::Header(g) => Some(*g),
            Row::Item(_) => None,
        })
        .collect();
    assert_eq!(
        header_order,
        (0..state.view.groups.len()).collect::<Vec<_>>()
    );
}

#[test]
fn view_price_sort_puts_higher_priced_rows_of_a_group_first() {
    // One group with several different prices, to see the row order.
    let mut state = State::new(Session {
        regions: vec![US.to_owned()],
        ..session()
    });
    let generation = generation_of(&state.reload());
    let mut rows = Vec::new();
    for (id, price) in [
        ("CHEAP", "1.00"),
        ("DEAR", "20.00"),
        ("ODD", "abc"),
        ("MID", "5.5"),
    ] {
        let mut r = record("ACMEBANK", US);
        r.sender_id = id.to_owned();
        r.arn = format!("arn:aws:sms-voice:us-east-1:{ACCOUNT}:sender-id/{id}/GB");
        r.price = sidman::domain::Price::parse(price);
        rows.push(r);
    }
    page(&mut state, generation, US, Ownership::Own, rows);
    listed(&mut state, generation, US, Ownership::Own, Ok(()));
    listed(&mut state, generation, US, Ownership::Shared, Ok(()));
    ch(&mut state, 's');
    ch(&mut state, 's');
    assert_eq!(
        visible_ids(&state),
        [
            "DEAR@us-east-1",
            "MID@us-east-1",
            "CHEAP@us-east-1",
            "ODD@us-east-1"
        ]
    );
}

#[test]
fn view_filter_narrows_live_as_characters_are_typed() {
    let mut state = loaded();
    ch(&mut state, '/');
    assert_eq!(state.mode, Mode::Filter);
    ch(&mut state, 'a');
    assert_eq!(state.view.shown(), 21, "every fixture contains an a");
    type_text(&mut state, "cme");
    assert_eq!(state.filter.text(), "acme");
    assert_eq!(state.view.shown(), 20, "SHAREDCO does not contain acme");
    ch(&mut state, 'a');
    assert_eq!(
        visible_ids(&state),
        [
            "ACMEAE@eu-west-2",
            "ACMEAU@ap-southeast-2",
            "ACMEAUP@ap-southeast-2",
            "ACMEAUX@ap-southeast-2"
        ]
    );
    ch(&mut state, 'u');
    ch(&mut state, 'x');
    assert_eq!(visible_ids(&state), ["ACMEAUX@ap-southeast-2"]);
    press(&mut state, KeyCode::Backspace);
    assert_eq!(state.filter.text(), "acmeau");
    assert_eq!(state.view.shown(), 3, "backspace widens again");
    // Keys typed in the filter are text, not commands.
    ch(&mut state, 'q');
    assert!(!state.quit);
    assert_eq!(state.view.shown(), 0);
}

#[test]
fn view_filter_matches_each_field_case_insensitively() {
    let cases: [(&str, &[&str]); 6] = [
        ("SHAREDco", &["SHAREDCO@us-east-1"]),
        ("nz", &["ACMENZ@ap-southeast-2"]),
        (
            "EU-WEST-2",
            &[
                "ACMEAE@eu-west-2",
                "ACMEDE2@eu-west-2",
                "ACMEFR@eu-west-2",
                "ACMEFRP@eu-west-2",
                "ACMEBANK@eu-west-2",
                "ACMESG@eu-west-2",
            ],
        ),
        ("REGISTRATION-3C4D", &["ACMESG@eu-west-2"]),
        (
            "promotional",
            &[
                "ACMEAUP@ap-southeast-2",
                "ACMEAUX@ap-southeast-2",
                "ACMEDE@us-east-1",
                "ACMEFRP@eu-west-2",
                "ACMEPROMO@us-east-1",
                "ACMEINFO@us-east-1",
                "ACMEINP@us-east-1",
                "ACMEPH@ap-southeast-2",
                "ACMESG@eu-west-2",
            ],
        ),
        ("Ph", &["ACMEPH@ap-southeast-2"]),
    ];
    for (filter, expected) in cases {
        let mut state = loaded();
        ch(&mut state, '/');
        type_text(&mut state, filter);
        let mut got = visible_ids(&state);
        got.sort();
        let mut want: Vec<String> = expected.iter().map(|s| (*s).to_owned()).collect();
        want.sort();
        assert_eq!(got, want, "filter {filter:?}");
    }
}

#[test]
fn view_filter_enter_keeps_it_and_esc_in_filter_mode_clears_it() {
    let mut state = loaded();
    ch(&mut state, '/');
    type_text(&mut state, "gb");
    press(&mut state, KeyCode::Enter);
    assert_eq!(state.mode, Mode::Table);
    assert_eq!(state.filter.text(), "gb");
    assert_eq!(state.view.shown(), 5);
    // Back in the table, letters are commands again: j moves, it does not type.
    let before = state.cursor;
    ch(&mut state, 'j');
    assert_eq!(state.filter.text(), "gb");
    assert_eq!(state.cursor, before + 1);
    // Reopening the filter continues it; Esc there clears it.
    ch(&mut state, '/');
    ch(&mut state, 't');
    assert_eq!(state.filter.text(), "gbt");
    press(&mut state, KeyCode::Esc);
    assert_eq!(state.mode, Mode::Table);
    assert_eq!(state.filter.text(), "");
    assert_eq!(state.view.shown(), 21);
}

#[test]
fn view_esc_in_the_table_clears_an_active_filter_and_never_the_marks() {
    let mut state = loaded();
    mark(&mut state, &[key("ACMEFR", EU), key("ACMEPH", AP)]);
    ch(&mut state, '/');
    type_text(&mut state, "fr");
    press(&mut state, KeyCode::Enter);
    assert_eq!(state.view.shown(), 2);
    press(&mut state, KeyCode::Esc);
    assert_eq!(state.filter.text(), "");
    assert_eq!(state.view.shown(), 21);
    assert_eq!(state.marks().len(), 2);
    // A second Esc with no filter changes nothing either.
    press(&mut state, KeyCode::Esc);
    assert_eq!(state.marks().len(), 2);
    assert_eq!(state.mode, Mode::Table);
}

// ---------------------------------------------------------------- marking

#[test]
fn mark_space_on_a_row_toggles_it_and_moves_down() {
    let mut state = loaded();
    let k = key("ACMEFR", EU);
    cursor_to(&mut state, &k);
    let at = state.cursor;
    assert!(ch(&mut state, ' ').is_empty());
    assert!(state.marks().contains(&k));
    assert_eq!(state.cursor, at + 1, "space moves down");
    ch(&mut state, 'k');
    ch(&mut state, ' ');
    assert!(!state.marks().contains(&k), "space again unmarks");
    assert!(state.marks().is_empty());
}

#[test]
fn mark_space_on_a_group_header_marks_every_visible_member_then_unmarks() {
    let mut state = loaded();
    // Whole group.
    cursor_to_group(&mut state, "GB", "TRANSACTIONAL");
    let at = state.cursor;
    ch(&mut state, ' ');
    let gb_t: BTreeSet<Key> = [
        key("ACMEBANK", US),
        key("ACMEBANK", EU),
        key("SHAREDCO", US),
    ]
    .into();
    assert_eq!(state.marks(), gb_t);
    assert_eq!(state.cursor, at, "the cursor stays on the header");
    ch(&mut state, ' ');
    assert!(state.marks().is_empty(), "all marked: space unmarks them");
    // Only the visible members under a filter.
    ch(&mut state, '/');
    type_text(&mut state, "us-east");
    press(&mut state, KeyCode::Enter);
    cursor_to_group(&mut state, "GB", "TRANSACTIONAL");
    ch(&mut state, ' ');
    let us_only: BTreeSet<Key> = [key("ACMEBANK", US), key("SHAREDCO", US)].into();
    assert_eq!(
        state.marks(),
        us_only,
        "the hidden eu-west-2 member stays unmarked"
    );
    // Partly marked: space marks the rest rather than unmarking.
    press(&mut state, KeyCode::Esc);
    cursor_to_group(&mut state, "GB", "TRANSACTIONAL");
    ch(&mut state, ' ');
    assert_eq!(state.marks(), gb_t);
}

#[test]
fn mark_a_marks_every_visible_row_only() {
    let mut state = loaded();
    ch(&mut state, '/');
    type_text(&mut state, "de");
    press(&mut state, KeyCode::Enter);
    let visible: BTreeSet<Key> = [key("ACMEOTP", US), key("ACMEDE", US), key("ACMEDE2", EU)].into();
    assert_eq!(state.view.shown(), 3);
    ch(&mut state, 'a');
    assert_eq!(state.marks(), visible);
    press(&mut state, KeyCode::Esc);
    ch(&mut state, 'a');
    assert_eq!(state.marks().len(), 21);
}

#[test]
fn mark_capital_u_unmarks_all_even_hidden_ones() {
    let mut state = loaded();
    ch(&mut state, 'a');
    assert_eq!(state.marks().len(), 21);
    ch(&mut state, '/');
    type_text(&mut state, "fr");
    press(&mut state, KeyCode::Enter);
    ch(&mut state, 'U');
    assert!(state.marks().is_empty());
    assert_eq!(state.hidden_marks(), 0);
    // Lower-case u is not unmark.
    ch(&mut state, 'a');
    ch(&mut state, 'u');
    assert_eq!(state.marks().len(), 2);
}

#[test]
fn marks_survive_filtering_and_every_sort() {
    let mut state = loaded();
    let marked: BTreeSet<Key> = [key("ACMEFR", EU), key("ACMEAUX", AP), key("SHAREDCO", US)].into();
    mark(&mut state, &marked.iter().cloned().collect::<Vec<_>>());
    ch(&mut state, '/');
    type_text(&mut state, "acmefr");
    assert_eq!(state.marks(), marked);
    press(&mut state, KeyCode::Enter);
    for _ in 0..4 {
        ch(&mut state, 's');
        assert_eq!(state.marks(), marked, "sort {:?}", state.sort);
    }
    press(&mut state, KeyCode::Esc);
    assert_eq!(state.marks(), marked);
}

#[test]
fn marks_survive_a_reload() {
    let mut state = loaded();
    let marked = vec![key("ACMEFR", EU), key("ACMEAUX", AP), key("ACMEIN", US)];
    mark(&mut state, &marked);
    let generation = generation_of(&ch(&mut state, 'r'));
    assert_eq!(state.marks().len(), 3, "marks are kept while reloading");
    for region in [US, AP, EU] {
        deliver(&mut state, generation, region);
    }
    assert_eq!(state.marks(), marked.into_iter().collect::<BTreeSet<_>>());
    assert_eq!(state.hidden_marks(), 0);
}

#[test]
fn reload_drops_marks_that_did_not_come_back_with_a_notice_but_keeps_marks_of_a_failed_region() {
    let mut state = loaded();
    let gone = key("ACMEPH", AP);
    let kept = key("ACMENZ", AP);
    let in_failed_region = key("ACMEFR", EU);
    mark(
        &mut state,
        &[gone.clone(), kept.clone(), in_failed_region.clone()],
    );
    let generation = generation_of(&ch(&mut state, 'r'));
    deliver(&mut state, generation, US);
    // ap-southeast-2 comes back without ACMEPH (released elsewhere).
    let ap: Vec<_> = records_of(AP, Ownership::Own)
        .into_iter()
        .filter(|r| r.sender_id != "ACMEPH")
        .collect();
    page(&mut state, generation, AP, Ownership::Own, ap);
    listed(&mut state, generation, AP, Ownership::Own, Ok(()));
    listed(&mut state, generation, AP, Ownership::Shared, Ok(()));
    assert!(
        state.marks().contains(&gone),
        "nothing is dropped while a region still loads"
    );
    // eu-west-2 fails: ACMEFR is absent from the inventory but may well still exist.
    listed(
        &mut state,
        generation,
        EU,
        Ownership::Own,
        Err(access_denied()),
    );
    assert!(!state.inventory.loading());
    assert!(
        !state.marks().contains(&gone),
        "a vanished sender ID's mark is dropped"
    );
    assert!(state.marks().contains(&kept));
    assert!(
        state.marks().contains(&in_failed_region),
        "a failed region keeps its marks"
    );
    let notice = state.notice.clone().expect("the drop is reported");
    assert!(notice.contains("1 mark(s) dropped"), "{notice}");
    assert!(notice.contains("ACMEPH"), "{notice}");
    assert!(!notice.contains("ACMEFR"), "{notice}");
    assert_eq!(
        state.absent_marks(),
        1,
        "the mark of the failed region is not in the inventory"
    );
    assert_eq!(state.hidden_marks(), 0, "no filter hides it");
}

#[test]
fn hidden_marks_counts_the_marks_the_filter_hides() {
    let mut state = loaded();
    mark(
        &mut state,
        &[
            key("ACMEFR", EU),
            key("ACMEFRP", EU),
            key("ACMEAU", AP),
            key("ACMEIN", US),
        ],
    );
    assert_eq!(state.hidden_marks(), 0);
    ch(&mut state, '/');
    type_text(&mut state, "fr");
    assert_eq!(state.hidden_marks(), 2);
    press(&mut state, KeyCode::Enter);
    assert_eq!(state.hidden_marks(), 2);
    ch(&mut state, 's');
    assert_eq!(
        state.hidden_marks(),
        2,
        "sorting does not change what is hidden"
    );
    press(&mut state, KeyCode::Esc);
    assert_eq!(state.hidden_marks(), 0);
}

#[test]
fn marked_total_is_the_exact_sum_of_marked_prices() {
    let mut state = loaded();
    mark(
        &mut state,
        &[
            key("ACMEFR", EU),
            key("ACMEAUX", AP),
            key("ACMEAE", EU),
            key("ACMENZ", AP),
        ],
    );
    let total = state.marked_total();
    assert_eq!(total.sum, dec("14.25"));
    assert_eq!(total.unparsed, 1);
    assert_eq!(total.count, 4);
}

// ---------------------------------------------------------------- review

#[test]
fn review_d_and_ctrl_d_open_the_sheet_for_the_marks() {
    for open in ['D', 'd'] {
        let mut state = loaded();
        let marked = vec![key("ACMEFR", EU), key("ACMEAU", AP)];
        mark(&mut state, &marked);
        let effects = if open == 'D' {
            ch(&mut state, 'D')
        } else {
            ctrl(&mut state, 'd')
        };
        assert!(effects.is_empty(), "opening the review starts nothing");
        let s = sheet(&state);
        assert_eq!(
            s.to_release,
            [key("ACMEAU", AP), key("ACMEFR", EU)],
            "key order"
        );
        assert!(s.excluded.is_empty());
        assert_eq!(s.confirm.input().text(), "");
    }
    // Plain `d` is not the review key.
    let mut state = loaded();
    mark(&mut state, &[key("ACMEFR", EU)]);
    ch(&mut state, 'd');
    assert_eq!(state.mode, Mode::Table);
}

#[test]
fn review_without_marks_is_for_the_row_under_the_cursor() {
    let mut state = loaded();
    let k = key("ACMENZ", AP);
    cursor_to(&mut state, &k);
    ch(&mut state, 'D');
    assert_eq!(sheet(&state).to_release, [k]);
    // On a group header with nothing marked there is nothing to review.
    let mut state = loaded();
    ch(&mut state, 'g');
    ch(&mut state, 'D');
    assert_eq!(state.mode, Mode::Table);
    assert!(
        state
            .notice
            .clone()
            .unwrap_or_default()
            .contains("nothing to release")
    );
}

#[test]
fn review_includes_marked_rows_hidden_by_the_filter_and_counts_them() {
    let mut state = loaded();
    mark(
        &mut state,
        &[key("ACMEFR", EU), key("ACMEAU", AP), key("ACMEPH", AP)],
    );
    ch(&mut state, '/');
    type_text(&mut state, "acmefr");
    press(&mut state, KeyCode::Enter);
    ch(&mut state, 'D');
    let s = sheet(&state);
    assert_eq!(s.to_release.len(), 3, "hidden marks are in the review");
    assert_eq!(s.hidden, 2);
    assert_eq!(s.total.sum, dec("23.90"));
}

#[test]
fn review_total_is_exact_and_registered_ones_are_counted() {
    let mut state = loaded();
    mark(
        &mut state,
        &[
            key("ACMEIN", US),
            key("ACMEINP", US),
            key("ACMESG", EU),
            key("ACMEFR", EU),
            key("ACMEAE", EU),
        ],
    );
    ch(&mut state, 'D');
    let s = sheet(&state);
    assert_eq!(s.to_release.len(), 5);
    assert_eq!(s.registered, 3);
    assert_eq!(
        s.total,
        Total {
            count: 5,
            sum: dec("38.40"),
            unparsed: 1
        }
    );
    assert_eq!(s.total.money(), "$38.40 (+1 unreadable)");
}

#[test]
fn review_excludes_protected_and_shared_ones_with_the_reason() {
    let mut state = loaded();
    let shared = key("SHAREDCO", US);
    assert_eq!(
        shared.id, SHARED_ARN,
        "a shared sender ID is keyed by its ARN"
    );
    mark(
        &mut state,
        &[
            key("ACMEOTP", US),
            key("ACMEFRP", EU),
            shared.clone(),
            key("ACMEFR", EU),
        ],
    );
    ch(&mut state, 'D');
    let s = sheet(&state);
    assert_eq!(s.to_release, [key("ACMEFR", EU)]);
    let excluded: HashMap<Key, Exclusion> = s.excluded.iter().cloned().collect();
    assert_eq!(excluded.len(), 3);
    assert_eq!(excluded[&key("ACMEOTP", US)], Exclusion::DeletionProtection);
    assert_eq!(excluded[&key("ACMEFRP", EU)], Exclusion::DeletionProtection);
    assert_eq!(excluded[&shared], Exclusion::Shared);
    assert_eq!(
        Exclusion::DeletionProtection.reason(),
        "deletion protection enabled"
    );
    assert_eq!(Exclusion::Shared.reason(), "shared from another account");
    assert_eq!(
        s.total.sum,
        dec("7.40"),
        "excluded ones are not in the total"
    );
    // Confirming sends only the releasable one; the excluded ones are reported as not sent.
    let effects = {
        type_text(&mut state, "release");
        dwell(&mut state);
        press(&mut state, KeyCode::Enter)
    };
    let reads = rereads(&effects);
    assert_eq!(reads.len(), 1);
    assert_eq!(reads[0].2, [key("ACMEFR", EU)]);
    assert!(
        matches!(status(&state, &shared), Some(RowStatus::Excluded(why)) if why == "shared from another account")
    );
}

#[test]
fn review_in_read_only_mode_excludes_everything_and_never_starts_work() {
    let mut state = loaded_with(read_only_session());
    ch(&mut state, 'a');
    let effects = ch(&mut state, 'D');
    assert!(effects.is_empty());
    let s = sheet(&state).clone();
    assert!(s.to_release.is_empty(), "nothing can be released read-only");
    assert_eq!(s.excluded.len(), 21);
    for (k, why) in &s.excluded {
        let r = state.inventory.get(k).expect("loaded");
        let expected = if r.ownership == Ownership::Shared {
            Exclusion::Shared
        } else if r.deletion_protection {
            Exclusion::DeletionProtection
        } else {
            Exclusion::ReadOnly
        };
        assert_eq!(*why, expected, "{k}");
    }
    assert_eq!(
        s.excluded
            .iter()
            .filter(|(_, w)| *w == Exclusion::ReadOnly)
            .count(),
        18
    );
    assert_eq!(Exclusion::ReadOnly.reason(), "read-only mode");
    // Whatever is typed, nothing comes out.
    let mut all = Vec::new();
    all.extend(type_text(&mut state, "release"));
    dwell(&mut state);
    all.extend(press(&mut state, KeyCode::Enter));
    all.extend(ch(&mut state, 'y'));
    all.extend(press(&mut state, KeyCode::Enter));
    assert!(
        !all.iter()
            .any(|e| matches!(e, Effect::Reread { .. } | Effect::Mutate { .. })),
        "{all:?}"
    );
    assert!(state.batch.is_none());
    // The row under the cursor, with no marks, is refused the same way.
    press(&mut state, KeyCode::Esc);
    ch(&mut state, 'U');
    cursor_to(&mut state, &key("ACMEFR", EU));
    ch(&mut state, 'D');
    assert_eq!(
        sheet(&state).excluded,
        [(key("ACMEFR", EU), Exclusion::ReadOnly)]
    );
    type_text(&mut state, "release");
    dwell(&mut state);
    assert!(press(&mut state, KeyCode::Enter).is_empty());
    assert!(state.batch.is_none());
}

#[test]
fn review_with_an_unwritable_journal_releases_nothing() {
    let mut state = loaded_with(Session {
        journal_error: Some(
            "permission denied: /home/ops/.local/state/sidman/journal.jsonl".to_owned(),
        ),
        ..session()
    });
    mark(&mut state, &[key("ACMEFR", EU), key("ACMEAU", AP)]);
    ch(&mut state, 'D');
    let s = sheet(&state);
    assert!(s.to_release.is_empty());
    assert!(
        s.excluded
            .iter()
            .all(|(_, w)| *w == Exclusion::JournalUnavailable)
    );
    assert_eq!(s.excluded.len(), 2);
    type_text(&mut state, "release");
    dwell(&mut state);
    assert!(press(&mut state, KeyCode::Enter).is_empty());
    assert!(state.batch.is_none());
}

#[test]
fn review_is_refused_while_regions_still_load() {
    let mut state = State::new(session());
    let generation = generation_of(&state.reload());
    deliver(&mut state, generation, US);
    deliver(&mut state, generation, EU);
    page(
        &mut state,
        generation,
        AP,
        Ownership::Own,
        records_of(AP, Ownership::Own),
    );
    ch(&mut state, 'a');
    assert!(ch(&mut state, 'D').is_empty());
    assert_eq!(state.mode, Mode::Table);
    assert!(
        state
            .notice
            .clone()
            .unwrap_or_default()
            .contains("still loading")
    );
    // `release` typed on right after the refusal, in bursts of its own: discarded, not run as
    // table keys (r would reload, a mark every row, s sort).
    let (sort, generation_now, marked) = (state.sort, state.generation, state.marks().len());
    for c in "release".chars() {
        assert!(ch(&mut state, c).is_empty());
    }
    assert_eq!(
        (state.sort, state.generation, state.marks().len()),
        (sort, generation_now, marked)
    );
    assert!(
        notice(&state).contains("typed right after the refusal were ignored"),
        "{}",
        notice(&state)
    );
    pass(&mut state, sidman::state::REFUSAL_HOLD);
    assert!(ctrl(&mut state, 'd').is_empty());
    assert_eq!(state.mode, Mode::Table);
    pass(&mut state, sidman::state::REFUSAL_HOLD);
    listed(&mut state, generation, AP, Ownership::Own, Ok(()));
    listed(&mut state, generation, AP, Ownership::Shared, Ok(()));
    ch(&mut state, 'D');
    assert!(matches!(state.mode, Mode::Review(_)));
}

// ---------------------------------------------------------------- confirmation

#[test]
fn confirm_only_typing_release_then_enter_confirms_with_one_reread_per_region() {
    let mut state = loaded();
    let marked = vec![
        key("ACMEFR", EU),
        key("ACMEDE2", EU),
        key("ACMEAU", AP),
        key("ACMEBANK", US),
    ];
    mark(&mut state, &marked);
    ch(&mut state, 'D');
    for c in "release".chars() {
        assert!(ch(&mut state, c).is_empty(), "typing starts nothing");
        assert!(matches!(state.mode, Mode::Review(_)));
    }
    assert_eq!(sheet(&state).confirm.input().text(), "release");
    dwell(&mut state);
    let effects = press(&mut state, KeyCode::Enter);
    assert_eq!(
        effects.len(),
        3,
        "one re-read per region and nothing else: {effects:?}"
    );
    let reads = rereads(&effects);
    assert_eq!(reads.len(), 3);
    let by_region: HashMap<String, Vec<Key>> = reads
        .iter()
        .map(|(_, r, k)| (r.clone(), k.clone()))
        .collect();
    assert_eq!(by_region[EU].len(), 2);
    assert_eq!(by_region[AP], [key("ACMEAU", AP)]);
    assert_eq!(by_region[US], [key("ACMEBANK", US)]);
    assert!(
        release_keys(&effects).is_empty(),
        "nothing is released before its re-read"
    );
    assert_eq!(state.mode, Mode::Table);
    let batch = state.batch.as_ref().expect("a batch runs");
    assert_eq!(batch.phase(), Phase::Verifying);
    assert_eq!(batch.tally().total(), 4);
    assert!(reads.iter().all(|(b, _, _)| *b == batch.id));
    for k in &marked {
        assert_eq!(status(&state, k), Some(&RowStatus::Verifying));
    }
}

#[test]
fn confirm_near_misses_of_the_word_do_not_confirm() {
    for typed in [
        "releas", "Release", "release ", "", "RELEASE", "releasee", " release",
    ] {
        let mut state = loaded();
        mark(&mut state, &[key("ACMEFR", EU)]);
        ch(&mut state, 'D');
        let mut effects = type_text(&mut state, typed);
        effects.extend(press(&mut state, KeyCode::Enter));
        assert!(effects.is_empty(), "{typed:?} confirmed: {effects:?}");
        assert!(
            matches!(state.mode, Mode::Review(_)),
            "{typed:?} left the sheet"
        );
        assert!(state.batch.is_none());
    }
}

#[test]
fn confirm_single_keys_never_confirm() {
    let mut state = loaded();
    mark(&mut state, &[key("ACMEFR", EU)]);
    ch(&mut state, 'D');
    let mut effects = Vec::new();
    effects.extend(ch(&mut state, 'y'));
    effects.extend(press(&mut state, KeyCode::Enter));
    effects.extend(ch(&mut state, ' '));
    effects.extend(press(&mut state, KeyCode::Enter));
    effects.extend(ch(&mut state, 'Y'));
    effects.extend(press(&mut state, KeyCode::Enter));
    assert!(effects.is_empty(), "{effects:?}");
    assert!(matches!(state.mode, Mode::Review(_)));
    // A fresh sheet: Enter alone.
    let mut state = loaded();
    mark(&mut state, &[key("ACMEFR", EU)]);
    ch(&mut state, 'D');
    dwell(&mut state);
    assert!(press(&mut state, KeyCode::Enter).is_empty());
    assert!(state.batch.is_none());
    assert!(matches!(state.mode, Mode::Review(_)));
}

#[test]
fn confirm_wrong_word_then_backspace_and_correction_confirms() {
    let mut state = loaded();
    mark(&mut state, &[key("ACMEFR", EU)]);
    ch(&mut state, 'D');
    dwell(&mut state);
    type_text(&mut state, "releasx");
    assert!(press(&mut state, KeyCode::Enter).is_empty());
    press(&mut state, KeyCode::Backspace);
    type_text(&mut state, "e");
    assert_eq!(rereads(&press(&mut state, KeyCode::Enter)).len(), 1);
}

#[test]
fn confirm_wrong_word_enter_tells_the_operator_what_to_type() {
    let mut state = loaded();
    mark(&mut state, &[key("ACMEFR", EU)]);
    ch(&mut state, 'D');
    dwell(&mut state);
    type_text(&mut state, "releas");
    press(&mut state, KeyCode::Enter);
    let notice = state.notice.clone().unwrap_or_default();
    assert!(notice.contains("type `release`"), "notice: {notice:?}");
}

#[test]
fn confirm_esc_cancels_with_no_effect() {
    let mut state = loaded();
    let marked = vec![key("ACMEFR", EU), key("ACMEAU", AP)];
    mark(&mut state, &marked);
    ch(&mut state, 'D');
    type_text(&mut state, "release");
    assert!(press(&mut state, KeyCode::Esc).is_empty());
    assert_eq!(state.mode, Mode::Table);
    assert!(state.batch.is_none());
    assert!(state.batch.is_none() && state.past.is_empty());
    assert_eq!(state.marks().len(), 2, "cancelling keeps the marks");
    assert!(
        state
            .notice
            .clone()
            .unwrap_or_default()
            .contains("nothing was sent")
    );
    // Reopening starts with an empty input: the earlier typing does not carry over.
    ch(&mut state, 'D');
    assert_eq!(sheet(&state).confirm.input().text(), "");
    dwell(&mut state);
    assert!(press(&mut state, KeyCode::Enter).is_empty());
}

#[test]
fn confirm_keys_typed_in_the_sheet_never_act_on_the_table() {
    let mut state = loaded();
    let marked: BTreeSet<Key> = [key("ACMEFR", EU), key("ACMEAU", AP)].into();
    mark(&mut state, &marked.iter().cloned().collect::<Vec<_>>());
    let cursor = state.cursor;
    let sort = state.sort;
    ch(&mut state, 'D');
    let mut effects = Vec::new();
    for c in ['a', 'U', 'q', ' ', 'j', 'k', 'G', 's', '/', 'r', '?', 'D'] {
        effects.extend(ch(&mut state, c));
    }
    effects.extend(press(&mut state, KeyCode::Down));
    assert!(effects.is_empty(), "{effects:?}");
    assert!(!state.quit, "q in the sheet does not quit");
    assert_eq!(
        state.marks(),
        marked,
        "a / U / space in the sheet do not mark or unmark"
    );
    assert_eq!(state.cursor, cursor);
    assert_eq!(state.sort, sort);
    assert_eq!(state.filter.text(), "");
    assert!(
        matches!(state.mode, Mode::Review(_)),
        "? and / do not leave the sheet"
    );
    assert_eq!(state.generation, 1, "r does not reload");
    assert_eq!(
        sheet(&state).confirm.input().text(),
        "aUq jkGs/r?D",
        "they are typed text"
    );
    dwell(&mut state);
    assert!(press(&mut state, KeyCode::Enter).is_empty());
}

// ---------------------------------------------------------------- bursts, dwell and pastes

fn enter() -> Input {
    Input::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE))
}

fn notice(state: &State) -> String {
    state.notice.clone().unwrap_or_default()
}

#[test]
fn a_burst_that_opens_the_review_and_confirms_releases_nothing() {
    let mut state = loaded();
    let marked = vec![key("ACMEFR", EU), key("ACMEAU", AP)];
    mark(&mut state, &marked);
    // `D release Enter` as one burst: a script, a paste without brackets, a key-repeat.
    let mut keys = keys_of("Drelease");
    keys.push(enter());
    let effects = burst(&mut state, keys.clone());
    assert!(effects.is_empty(), "{effects:?}");
    assert!(matches!(state.mode, Mode::Review(_)));
    assert_eq!(
        sheet(&state).confirm.input().text(),
        "",
        "type-ahead is discarded"
    );
    assert!(
        notice(&state).contains("8 key(s) typed after it were ignored"),
        "{}",
        notice(&state)
    );
    // Even long after, the same burst again is only typing: the word then Enter in one go
    // counts, but only once the sheet has been read.
    dwell(&mut state);
    let effects = burst(&mut state, keys_of("release"));
    assert!(effects.is_empty());
    let effects = press(&mut state, KeyCode::Enter);
    let reads = rereads(&effects);
    let reviewed: BTreeSet<Key> = reads.iter().flat_map(|(_, _, k)| k.clone()).collect();
    assert_eq!(
        reviewed,
        marked.into_iter().collect(),
        "exactly the reviewed set"
    );
}

#[test]
fn enter_before_the_dwell_is_refused_and_keeps_the_typed_word() {
    let mut state = loaded();
    mark(&mut state, &[key("ACMEFR", EU)]);
    ch(&mut state, 'D');
    type_text(&mut state, "release");
    pass(&mut state, Duration::from_millis(400));
    assert!(press(&mut state, KeyCode::Enter).is_empty());
    assert!(
        notice(&state).contains("read the sheet first"),
        "{}",
        notice(&state)
    );
    assert_eq!(
        sheet(&state).confirm.input().text(),
        "release",
        "the word is kept"
    );
    assert!(!sheet(&state).confirm.ready());
    pass(&mut state, Duration::from_millis(600));
    assert!(
        sheet(&state).confirm.ready(),
        "the prompt says Enter works now"
    );
    assert_eq!(rereads(&press(&mut state, KeyCode::Enter)).len(), 1);
}

#[test]
fn keys_before_the_sheet_is_drawn_never_reach_it() {
    let mut state = loaded();
    mark(&mut state, &[key("ACMEFR", EU)]);
    // The loop has not drawn the sheet yet when the next burst is read.
    update(&mut state, key_event(KeyCode::Char('D')));
    assert!(state.awaits_frame());
    update(
        &mut state,
        Action::Input {
            at: now(),
            events: keys_of("release"),
        },
    );
    update(
        &mut state,
        Action::Drawn {
            at: now(),
            flushed: 3,
        },
    );
    assert!(!state.awaits_frame());
    assert_eq!(sheet(&state).confirm.input().text(), "");
    assert!(notice(&state).contains("3 key(s) typed before the sheet appeared were ignored"));
    dwell(&mut state);
    assert!(
        press(&mut state, KeyCode::Enter).is_empty(),
        "no word was typed"
    );
}

#[test]
fn a_refused_review_discards_the_rest_of_the_burst() {
    // Still loading: D is refused, and `release` must not run as r, e, l, e, a, s, e.
    let mut state = State::new(session());
    let generation = generation_of(&state.reload());
    deliver(&mut state, generation, EU);
    let sort = state.sort;
    let effects = burst(&mut state, keys_of("Drelease"));
    assert!(effects.is_empty(), "r did not reload: {effects:?}");
    assert_eq!(state.generation, generation);
    assert!(state.marks().is_empty(), "a did not mark");
    assert_eq!(state.sort, sort, "s did not sort");
    assert!(
        notice(&state).contains("still loading"),
        "{}",
        notice(&state)
    );
    assert!(notice(&state).contains("7 key(s) typed after it were ignored"));
}

#[test]
fn a_paste_is_never_a_command() {
    let mut state = loaded();
    // In the table: ignored, with a notice, and what follows in the burst too.
    let effects = burst(
        &mut state,
        vec![
            Input::Paste("Drelease\n".into()),
            Input::Key(KeyEvent::new(KeyCode::Char('a'), KeyModifiers::NONE)),
        ],
    );
    assert!(effects.is_empty());
    assert_eq!(state.mode, Mode::Table);
    assert!(state.marks().is_empty());
    assert!(
        notice(&state).contains("pasted text ignored"),
        "{}",
        notice(&state)
    );
    // In the filter: text, newlines and controls removed, and the filter keeps the keyboard.
    pass(&mut state, sidman::state::REFUSAL_HOLD);
    ch(&mut state, '/');
    paste(&mut state, "acme\nfr\r\u{1b}[A\tall\n");
    // Line breaks and tabs part words (terms of the filter); other control characters go.
    assert_eq!(state.filter.text(), "acme fr [A all ");
    assert_eq!(state.mode, Mode::Filter);
    assert!(state.marks().is_empty());
    press(&mut state, KeyCode::Esc);
    // In the review: refused; the word must be typed.
    mark(&mut state, &[key("ACMEFR", EU)]);
    ch(&mut state, 'D');
    dwell(&mut state);
    let effects = burst(&mut state, vec![Input::Paste("release".into()), enter()]);
    assert!(effects.is_empty());
    assert_eq!(sheet(&state).confirm.input().text(), "");
    assert!(
        notice(&state).contains("pasting is refused"),
        "{}",
        notice(&state)
    );
    type_text(&mut state, "release");
    assert_eq!(rereads(&press(&mut state, KeyCode::Enter)).len(), 1);
}

#[test]
fn an_unbracketed_paste_into_the_filter_stops_at_its_newline() {
    let mut state = loaded();
    // `/acme⏎all⏎` arriving as keys: the filter takes `acme`, Enter closes it and ends the
    // burst, so `a` does not mark every row.
    let mut keys = keys_of("/acmefr");
    keys.push(enter());
    keys.extend(keys_of("all"));
    keys.push(enter());
    burst(&mut state, keys);
    assert_eq!(state.filter.text(), "acmefr");
    assert_eq!(state.mode, Mode::Table);
    assert!(state.marks().is_empty());
}

#[test]
fn the_review_names_the_account_and_the_regions() {
    let mut state = loaded();
    mark(&mut state, &[key("ACMEFR", EU), key("ACMEAU", AP)]);
    ch(&mut state, 'D');
    let s = sheet(&state);
    assert_eq!(s.accounts, BTreeSet::from([ACCOUNT.to_owned()]));
    assert_eq!(s.regions, BTreeSet::from([AP.to_owned(), EU.to_owned()]));
}

// ---------------------------------------------------------------- release flow

#[test]
fn release_stale_rereads_are_not_sent_and_the_rest_are_released() {
    let mut state = loaded();
    let gone = key("ACMEFR", EU);
    let protected_now = key("ACMEDE2", EU);
    let fine = key("ACMEBANK", EU);
    mark(
        &mut state,
        &[gone.clone(), protected_now.clone(), fine.clone()],
    );
    let effects = confirm_release(&mut state);
    let (batch, region, keys) = rereads(&effects).remove(0);
    assert_eq!(region, EU);
    let mut now_protected = record("ACMEDE2", EU);
    now_protected.deletion_protection = true;
    let effects = update(
        &mut state,
        Action::Reread {
            batch,
            region: EU.to_owned(),
            keys,
            result: Ok(vec![
                (gone.clone(), Reread::Gone),
                (
                    protected_now.clone(),
                    Reread::Present(Box::new(now_protected)),
                ),
                (
                    fine.clone(),
                    Reread::Present(Box::new(record("ACMEBANK", EU))),
                ),
            ]),
        },
    );
    assert_eq!(
        release_keys(&effects),
        std::slice::from_ref(&fine),
        "only the unchanged one is sent"
    );
    assert!(
        matches!(status(&state, &gone), Some(RowStatus::NotSent(why)) if why.contains("no longer exists"))
    );
    assert!(
        matches!(status(&state, &protected_now), Some(RowStatus::NotSent(why)) if why.contains("deletion protection"))
    );
    assert!(matches!(status(&state, &fine), Some(RowStatus::Sending(_))));
    assert!(
        state
            .inventory
            .get(&protected_now)
            .expect("still loaded")
            .deletion_protection,
        "the table shows what the re-read found"
    );
    let b = state.batch.as_ref().expect("batch");
    assert_eq!(b.tally().never_sent(), 2);
    assert_eq!(b.phase(), Phase::Sending);
    assert!(released(&mut state, batch, &fine, ok_outcome(&fine)).is_empty());
    let b = state.batch.as_ref().expect("batch");
    assert_eq!(
        (b.tally().done, b.tally().failed, b.tally().never_sent()),
        (1, 0, 2)
    );
    assert_eq!(b.phase(), Phase::Finished);
    assert!(
        state.marks().contains(&gone) && state.marks().contains(&protected_now),
        "not sent stays marked"
    );
    assert!(!state.marks().contains(&fine));
}

#[test]
fn release_when_every_reread_is_stale_nothing_is_sent_and_the_batch_finishes() {
    let mut state = loaded();
    let k = key("ACMEFR", EU);
    mark(&mut state, std::slice::from_ref(&k));
    let (batch, region, keys) = rereads(&confirm_release(&mut state)).remove(0);
    let effects = update(
        &mut state,
        Action::Reread {
            batch,
            region,
            keys,
            result: Ok(vec![(k.clone(), Reread::Gone)]),
        },
    );
    assert!(effects.is_empty());
    let b = state.batch.as_ref().expect("batch");
    assert_eq!(b.phase(), Phase::Finished);
    assert!(!state.releasing());
    assert!((b.tally().progress() - 1.0).abs() < f64::EPSILON);
    let notice = state.notice.clone().unwrap_or_default();
    assert!(
        notice.contains("release finished"),
        "the operator is told it ended: {notice:?}"
    );
    assert!(notice.contains("1 not sent"), "{notice:?}");
}

#[test]
fn release_a_failed_reread_sends_none_of_its_region() {
    let mut state = loaded();
    let eu = [key("ACMEFR", EU), key("ACMEBANK", EU)];
    let ap = key("ACMENZ", AP);
    mark(&mut state, &[eu[0].clone(), eu[1].clone(), ap.clone()]);
    let reads = rereads(&confirm_release(&mut state));
    let mut sent = Vec::new();
    for (batch, region, keys) in reads {
        let action = if region == EU {
            Action::Reread {
                batch,
                region,
                keys,
                result: Err(access_denied()),
            }
        } else {
            reread_action(batch, &region, keys)
        };
        sent.extend(release_keys(&update(&mut state, action)));
    }
    assert_eq!(sent, std::slice::from_ref(&ap));
    for k in &eu {
        assert!(
            matches!(status(&state, k), Some(RowStatus::NotSent(why)) if why.contains("could not re-read"))
        );
    }
    assert_eq!(state.batch.as_ref().expect("batch").tally().never_sent(), 2);
}

#[test]
fn release_keeps_at_most_the_per_region_limit_in_flight_and_schedules_more_as_results_arrive() {
    let mut state = loaded();
    let us = us_releasable();
    let ap = vec![key("ACMENZ", AP), key("ACMEAU", AP), key("ACMEPH", AP)];
    let all: Vec<Key> = us.iter().chain(&ap).cloned().collect();
    let (batch, first) = start_release(&mut state, &all);
    let count = |keys: &[Key], region: &str| keys.iter().filter(|k| k.region == region).count();
    assert_eq!(count(&first, US), PER_REGION_IN_FLIGHT);
    assert_eq!(count(&first, AP), PER_REGION_IN_FLIGHT);
    assert_eq!(first.len(), 2 * PER_REGION_IN_FLIGHT);
    for k in &first {
        assert!(matches!(status(&state, k), Some(RowStatus::Sending(_))));
    }
    let queued = all
        .iter()
        .filter(|k| matches!(status(&state, k), Some(RowStatus::Queued(_))))
        .count();
    assert_eq!(queued, all.len() - first.len());

    let mut in_flight: Vec<Key> = first;
    let mut sent_total = in_flight.len();
    while let Some(done) = in_flight.first().cloned() {
        in_flight.remove(0);
        let more = released(&mut state, batch, &done, ok_outcome(&done));
        assert!(more.len() <= 1, "one result frees one slot: {more:?}");
        for k in release_keys(&more) {
            assert_eq!(k.region, done.region, "the freed slot is that region's");
            in_flight.push(k);
        }
        sent_total += more.len();
        for region in [US, AP] {
            assert!(count(&in_flight, region) <= PER_REGION_IN_FLIGHT);
            assert_eq!(
                state.batch.as_ref().expect("batch").sending_in(region),
                count(&in_flight, region)
            );
        }
    }
    assert_eq!(sent_total, all.len(), "every key was sent exactly once");
    let b = state.batch.as_ref().expect("batch");
    assert_eq!(
        (b.tally().done, b.tally().failed, b.tally().never_sent()),
        (all.len(), 0, 0)
    );
    assert_eq!(b.phase(), Phase::Finished);
    assert!(state.marks().is_empty(), "released ones are unmarked");
}

#[test]
fn release_partial_failure_does_not_stop_the_others() {
    let mut state = loaded();
    let us = us_releasable();
    let (batch, mut in_flight) = start_release(&mut state, &us);
    let failing = us[0].clone();
    assert!(in_flight.contains(&failing));
    let mut outcomes = HashMap::new();
    while !in_flight.is_empty() {
        let k = in_flight.remove(0);
        let outcome = if k == failing {
            let r = record(&k.id, US);
            failed(conflict(
                &r,
                "SENDER_ID_ASSOCIATED_TO_POOL",
                "Sender ID is associated with a pool",
                "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee",
            ))
        } else {
            ok_outcome(&k)
        };
        outcomes.insert(k.clone(), outcome.clone());
        in_flight.extend(release_keys(&released(&mut state, batch, &k, outcome)));
    }
    assert_eq!(
        outcomes.len(),
        us.len(),
        "the failure did not stop the rest"
    );
    let b = state.batch.as_ref().expect("batch");
    assert_eq!(
        (b.tally().done, b.tally().failed, b.tally().never_sent()),
        (4, 1, 0)
    );
    assert_eq!(b.phase(), Phase::Finished);
    assert!((b.tally().progress() - 1.0).abs() < f64::EPSILON);
    assert_eq!(
        state.marks(),
        BTreeSet::from([failing.clone()]),
        "only the failed one stays marked"
    );
    match status(&state, &failing) {
        Some(RowStatus::Ended(Outcome::Failed { error, .. })) => {
            assert_eq!(error.code, "ConflictException");
            assert_eq!(
                error.reason.as_deref(),
                Some("SENDER_ID_ASSOCIATED_TO_POOL")
            );
        }
        other => panic!("{other:?}"),
    }
    for k in &us[1..] {
        assert_eq!(
            status(&state, k).map(|s| s.label(sidman::domain::Mutation::Release)),
            Some("released")
        );
    }
    let notice = state.notice.clone().unwrap_or_default();
    assert!(
        notice.contains("4 released, 1 failed, 0 unknown, 0 not sent"),
        "{notice}"
    );
    // The released ones stay in the table with their outcome until the next reload, but no
    // longer count.
    assert_eq!(state.view.items().count(), 21);
    assert_eq!(state.view.shown(), 21 - 4);
}

#[test]
fn esc_stops_a_batch_even_right_after_a_refusal() {
    let mut state = loaded();
    let us = us_releasable();
    start_release(&mut state, &us);
    // `r` is refused while releasing; the keys typed right after it are discarded, but Esc
    // at once still stops the batch.
    assert!(ch(&mut state, 'r').is_empty());
    assert!(ch(&mut state, 's').is_empty());
    assert!(
        notice(&state).contains("right after the refusal"),
        "{}",
        notice(&state)
    );
    press(&mut state, KeyCode::Esc);
    assert_eq!(state.batch.as_ref().expect("batch").phase(), Phase::Stopped);
}

#[test]
fn release_esc_stops_scheduling_and_in_flight_results_are_still_recorded() {
    let mut state = loaded();
    let us = us_releasable();
    let (batch, in_flight) = start_release(&mut state, &us);
    assert_eq!(in_flight.len(), PER_REGION_IN_FLIGHT);
    assert!(state.releasing());
    assert!(press(&mut state, KeyCode::Esc).is_empty());
    let queued: Vec<&Key> = us.iter().filter(|k| !in_flight.contains(k)).collect();
    for k in &queued {
        assert_eq!(status(&state, k), Some(&RowStatus::Cancelled), "{k}");
    }
    for k in &in_flight {
        assert!(
            matches!(status(&state, k), Some(RowStatus::Sending(_))),
            "{k}"
        );
    }
    assert_eq!(state.batch.as_ref().expect("batch").phase(), Phase::Stopped);
    assert!(state.releasing(), "calls in flight still run");
    assert!(state.notice.clone().unwrap_or_default().contains("stopped"));
    // The in-flight results arrive: recorded, and nothing more is sent.
    let first = released(&mut state, batch, &in_flight[0], ok_outcome(&in_flight[0]));
    assert!(first.is_empty(), "stopped: nothing new is sent");
    let r = record(&in_flight[1].id, US);
    let second = released(
        &mut state,
        batch,
        &in_flight[1],
        failed(conflict(
            &r,
            "DELETION_PROTECTION_ENABLED",
            "Deletion protection is enabled",
            "bbbbbbbb-cccc-4ddd-8eee-ffffffffffff",
        )),
    );
    assert!(second.is_empty());
    assert_eq!(
        status(&state, &in_flight[0]).map(|s| s.label(sidman::domain::Mutation::Release)),
        Some("released")
    );
    assert_eq!(
        status(&state, &in_flight[1]).map(|s| s.label(sidman::domain::Mutation::Release)),
        Some("FAILED")
    );
    let b = state.batch.as_ref().expect("batch");
    assert_eq!(
        (b.tally().done, b.tally().failed, b.tally().never_sent()),
        (1, 1, 3)
    );
    assert_eq!(b.phase(), Phase::Finished);
    assert!(!state.releasing());
    assert!((b.tally().progress() - 1.0).abs() < f64::EPSILON);
    // Cancelled ones keep their marks; the released one lost its mark.
    assert!(!state.marks().contains(&in_flight[0]));
    assert!(state.marks().contains(&in_flight[1]));
    for k in queued {
        assert!(state.marks().contains(k));
    }
}

#[test]
fn release_esc_while_rereading_cancels_what_comes_back() {
    let mut state = loaded();
    let k = key("ACMEFR", EU);
    mark(&mut state, std::slice::from_ref(&k));
    let (batch, region, keys) = rereads(&confirm_release(&mut state)).remove(0);
    press(&mut state, KeyCode::Esc);
    let effects = update(&mut state, reread_action(batch, &region, keys));
    assert!(
        release_keys(&effects).is_empty(),
        "stopped before sending: {effects:?}"
    );
    assert_eq!(status(&state, &k), Some(&RowStatus::Cancelled));
    let b = state.batch.as_ref().expect("batch");
    assert_eq!(b.tally().never_sent(), 1);
    assert_eq!(b.phase(), Phase::Finished);
}

#[test]
fn release_q_during_a_running_batch_asks_first_and_y_quits() {
    let mut state = loaded();
    let us = us_releasable();
    let (batch, in_flight) = start_release(&mut state, &us);
    assert!(ch(&mut state, 'q').is_empty());
    assert_eq!(state.mode, Mode::ConfirmQuit);
    assert!(!state.quit, "q alone does not quit while releasing");
    // Any other key stays, and the batch goes on.
    ch(&mut state, 'n');
    assert_eq!(state.mode, Mode::Table);
    assert!(!state.quit);
    let more = released(&mut state, batch, &in_flight[0], ok_outcome(&in_flight[0]));
    assert_eq!(release_keys(&more).len(), 1, "the batch still schedules");
    // Asked again, y quits and stops scheduling.
    ch(&mut state, 'q');
    assert_eq!(state.mode, Mode::ConfirmQuit);
    assert!(ch(&mut state, 'y').is_empty());
    assert!(state.quit);
    assert_eq!(state.batch.as_ref().expect("batch").phase(), Phase::Stopped);
}

#[test]
fn release_q_after_the_batch_ended_quits_at_once() {
    let mut state = loaded();
    let k = key("ACMEFR", EU);
    let (batch, sent) = start_release(&mut state, std::slice::from_ref(&k));
    assert_eq!(sent, std::slice::from_ref(&k));
    released(&mut state, batch, &k, ok_outcome(&k));
    assert!(!state.releasing());
    ch(&mut state, 'q');
    assert!(state.quit);
}

#[test]
fn release_reload_and_review_wait_while_a_batch_runs() {
    let mut state = loaded();
    let (_, _) = start_release(&mut state, &us_releasable());
    let generation = state.generation;
    assert!(ch(&mut state, 'r').is_empty());
    assert_eq!(state.generation, generation);
    assert!(
        state
            .notice
            .clone()
            .unwrap_or_default()
            .contains("reload waits")
    );
    assert!(ch(&mut state, 'D').is_empty());
    assert_eq!(state.mode, Mode::Table);
}

#[test]
fn release_counters_and_progress_add_up_over_a_mixed_batch() {
    let mut state = loaded();
    // 2 in eu-west-2 (one of them gone), 3 in ap-southeast-2, 1 protected excluded at review.
    let gone = key("ACMEFR", EU);
    let eu_ok = key("ACMEBANK", EU);
    let ap = [key("ACMENZ", AP), key("ACMEAU", AP), key("ACMEPH", AP)];
    let protected = key("ACMEFRP", EU);
    mark(
        &mut state,
        &[
            gone.clone(),
            eu_ok.clone(),
            ap[0].clone(),
            ap[1].clone(),
            ap[2].clone(),
            protected.clone(),
        ],
    );
    let reads = rereads(&confirm_release(&mut state));
    let batch = reads[0].0;
    let t = state.batch.as_ref().expect("batch").tally();
    assert_eq!(
        (t.verifying, t.total()),
        (5, 6),
        "the excluded one is not confirmed: it is on the batch as not sent from the start"
    );
    assert!(matches!(
        status(&state, &protected),
        Some(RowStatus::Excluded(_))
    ));
    assert!(
        state
            .batch
            .as_ref()
            .expect("batch")
            .tally()
            .progress()
            .abs()
            < f64::EPSILON
    );
    let mut in_flight = Vec::new();
    for (b, region, keys) in reads {
        let result = Ok(keys
            .iter()
            .map(|k| {
                if *k == gone {
                    (k.clone(), Reread::Gone)
                } else {
                    reread_unchanged(std::slice::from_ref(k)).remove(0)
                }
            })
            .collect());
        in_flight.extend(release_keys(&update(
            &mut state,
            Action::Reread {
                batch: b,
                region,
                keys,
                result,
            },
        )));
    }
    let mut settled = 1; // the gone one
    let mut last_progress = state.batch.as_ref().expect("batch").tally().progress();
    while !in_flight.is_empty() {
        let k = in_flight.remove(0);
        let outcome = if k == ap[1] {
            Outcome::Unknown {
                error: sidman::aws::ApiError {
                    kind: sidman::aws::ErrorKind::NoAnswer,
                    code: "Timeout".to_owned(),
                    reason: None,
                    message: "no answer in 30s".to_owned(),
                    request_id: None,
                    resource_type: None,
                    resource_id: None,
                    fields: Vec::new(),
                    cause: None,
                },
                note: Some("re-read could not tell".to_owned()),
            }
        } else {
            ok_outcome(&k)
        };
        in_flight.extend(release_keys(&released(&mut state, batch, &k, outcome)));
        settled += 1;
        let b = state.batch.as_ref().expect("batch");
        assert_eq!(b.tally().settled(), settled);
        assert!(b.tally().progress() > last_progress);
        last_progress = b.tally().progress();
    }
    let b = state.batch.as_ref().expect("batch");
    // The unknown outcome is counted apart from the failures: it may have taken effect.
    let t = b.tally();
    assert_eq!(
        (t.done, t.failed, t.unknown, t.not_sent, t.excluded),
        (3, 0, 1, 1, 1)
    );
    assert_eq!(t.ended(), t.total());
    assert_eq!(b.phase(), Phase::Finished);
    assert!((b.tally().progress() - 1.0).abs() < f64::EPSILON);
    // The summary's parts add up to what was confirmed (5); the excluded one is said apart.
    assert_eq!(
        t.done + t.failed + t.unknown + t.confirmed_not_sent(),
        t.confirmed()
    );
    let notice = state.notice.clone().unwrap_or_default();
    assert!(
        notice.contains(
            "3 released, 0 failed, 1 unknown, 1 not sent (+1 listed apart on the review, never sent)"
        ),
        "{notice}"
    );
    let gauge = crate::common::screen::text(&crate::common::screen::draw(&mut state, 150, 45));
    assert!(
        gauge.contains("finished 5/5: 3 released, 1 unknown, 1 not sent"),
        "{gauge}"
    );
    assert_eq!(
        status(&state, &ap[1]).map(|s| s.label(sidman::domain::Mutation::Release)),
        Some("UNKNOWN")
    );
    assert_eq!(
        state.marks(),
        BTreeSet::from([gone, protected, ap[1].clone()]),
        "only released ones lose their mark"
    );
}

#[test]
fn release_results_of_an_older_batch_do_not_disturb_the_current_one() {
    let mut state = loaded();
    let k = key("ACMEFR", EU);
    let (old_batch, _) = start_release(&mut state, std::slice::from_ref(&k));
    released(&mut state, old_batch, &k, ok_outcome(&k));
    let k2 = key("ACMENZ", AP);
    let (batch, sent) = start_release(&mut state, std::slice::from_ref(&k2));
    assert_ne!(batch, old_batch);
    assert_eq!(sent, std::slice::from_ref(&k2));
    // A late duplicate of the old batch's re-read and result.
    let stale = update(&mut state, reread_action(old_batch, EU, vec![k.clone()]));
    assert!(stale.is_empty());
    let b = state.batch.as_ref().expect("batch");
    assert_eq!(
        (b.id, b.tally().done, b.tally().never_sent()),
        (batch, 0, 0)
    );
    assert_eq!(Some(b.sending_in(AP)), Some(1));
}

#[test]
fn marks_that_left_the_inventory_are_on_the_review_apart() {
    let mut state = loaded();
    let kept = key("ACMEFR", EU);
    let gone = key("ACMEAU", AP);
    mark(&mut state, &[kept.clone(), gone.clone()]);
    // A reload in which the region of one mark fails: its mark stays, its row does not.
    let generation = generation_of(&state.reload());
    deliver(&mut state, generation, EU);
    deliver(&mut state, generation, US);
    listed(
        &mut state,
        generation,
        AP,
        Ownership::Own,
        Err(access_denied()),
    );
    listed(
        &mut state,
        generation,
        AP,
        Ownership::Shared,
        Err(access_denied()),
    );
    assert!(!state.inventory.loading());
    assert_eq!(state.marks().len(), 2, "a failed region keeps its marks");
    assert_eq!(state.hidden_marks(), 0, "no filter hides anything");
    assert_eq!(state.absent_marks(), 1);
    ch(&mut state, 'D');
    let s = sheet(&state);
    assert_eq!(s.to_release, [kept]);
    assert_eq!(s.excluded, [(gone, Exclusion::NotInInventory)]);
    assert_eq!(
        Exclusion::NotInInventory.reason(),
        "not in the current inventory (not sent)"
    );
}

#[test]
fn the_journal_is_settled_once_after_the_first_load_on_the_sessions_account() {
    let settle_effects = |session: Session| {
        let mut state = State::new(session);
        let generation = generation_of(&state.reload());
        let mut effects = Vec::new();
        for region in REGIONS {
            for ownership in [Ownership::Own, Ownership::Shared] {
                let records = records_of(region, ownership);
                update(
                    &mut state,
                    Action::PageLoaded {
                        generation,
                        region: region.to_owned(),
                        ownership,
                        records,
                    },
                );
                effects.extend(sidman::state::update(
                    &mut state,
                    Action::RegionListed {
                        generation,
                        region: region.to_owned(),
                        ownership,
                        result: Ok(()),
                    },
                ));
            }
        }
        effects.retain(|e| matches!(e, Effect::SettleJournal { .. }));
        // A reload does not settle again.
        let generation = generation_of(&state.reload());
        for region in REGIONS {
            deliver(&mut state, generation, region);
        }
        effects
    };
    assert_eq!(
        settle_effects(session()),
        [Effect::SettleJournal {
            account: Some(ACCOUNT.to_owned())
        }]
    );
    let demo = Session {
        demo: true,
        ..session()
    };
    assert!(settle_effects(demo).is_empty(), "the demo never settles");
    let second = Session {
        journal_error: Some("another sidman (pid 7) holds the journal".into()),
        ..session()
    };
    assert!(
        settle_effects(second).is_empty(),
        "only the journal's writer settles"
    );
}

#[test]
fn a_released_sender_id_leaves_every_count_and_total_at_once_but_stays_listed() {
    let mut state = loaded();
    let sg = key("ACMESG", EU);
    let before_total = state.view.total;
    let before_live = state.inventory.live_len();
    let group_of = |state: &State| {
        let i = state
            .inventory
            .index_of(&key("ACMESG", EU))
            .expect("loaded");
        state
            .view
            .groups
            .iter()
            .find(|g| g.members.contains(&i))
            .map(|g| g.total)
            .expect("ACMESG's group")
    };
    let before_group = group_of(&state);
    let price_of = |state: &State, name: &str| {
        sidman::state::prices::groups(state)
            .into_iter()
            .find(|g| g.name() == name)
            .map(|g| g.total)
    };
    let before_price = price_of(&state, "SG").expect("SG in the price view");
    let (batch, sent) = start_release(&mut state, std::slice::from_ref(&sg));
    assert_eq!(sent, std::slice::from_ref(&sg));
    released(&mut state, batch, &sg, ok_outcome(&sg));
    let price = rust_decimal::Decimal::new(2500, 2);
    assert_eq!(
        state.inventory.live_len(),
        before_live - 1,
        "the header count"
    );
    assert_eq!(state.view.total.count, before_total.count - 1);
    assert_eq!(
        state.view.total.sum,
        before_total.sum - price,
        "the shown total"
    );
    let after_group = group_of(&state);
    assert_eq!(
        (after_group.count, after_group.sum),
        (before_group.count - 1, before_group.sum - price),
        "the group subtotal"
    );
    let after_price =
        price_of(&state, "SG").map_or((0, rust_decimal::Decimal::ZERO), |t| (t.count, t.sum));
    assert_eq!(
        after_price,
        (before_price.count - 1, before_price.sum - price),
        "the price view"
    );
    // Still listed, marked released, until a reload; it cannot be marked again.
    cursor_to(&mut state, &sg);
    assert_eq!(
        status(&state, &sg).map(|s| s.label(sidman::domain::Mutation::Release)),
        Some("released")
    );
    ch(&mut state, ' ');
    assert!(
        !state.marks().contains(&sg),
        "a released sender ID cannot be marked"
    );
}

// ---------------------------------------------------------------- the session's start and stop

#[test]
fn start_loads_every_region_through_update() {
    let mut state = State::new(session());
    let effects = update(&mut state, Action::Start);
    let regions: BTreeSet<String> = effects
        .iter()
        .map(|e| match e {
            Effect::LoadRegion { region, .. } => region.clone(),
            other => panic!("only loads start: {other:?}"),
        })
        .collect();
    assert_eq!(regions, REGIONS.iter().map(|r| (*r).to_owned()).collect());
    assert_eq!(
        effects.len(),
        REGIONS.len(),
        "each region once: {effects:?}"
    );
    let generation = generation_of(&effects);
    assert!(state.inventory.loading());
    for region in REGIONS {
        deliver(&mut state, generation, region);
    }
    assert!(!state.inventory.loading());
    assert!(!state.inventory.is_empty());
}

#[test]
fn stop_ends_scheduling_and_lets_calls_in_flight_be_recorded() {
    let mut state = loaded();
    let us = us_releasable();
    let (batch, in_flight) = start_release(&mut state, &us);
    assert!(update(&mut state, Action::Stop).is_empty());
    let b = state.batch.as_ref().expect("batch");
    assert_eq!(b.phase(), Phase::Stopped);
    for k in us.iter().filter(|k| !in_flight.contains(k)) {
        assert_eq!(status(&state, k), Some(&RowStatus::Cancelled), "{k}");
    }
    assert!(state.releasing(), "calls in flight still run");
    assert!(state.notice.clone().unwrap_or_default().contains("stopped"));
    for k in &in_flight {
        assert!(released(&mut state, batch, k, ok_outcome(k)).is_empty());
    }
    let b = state.batch.as_ref().expect("batch");
    assert_eq!(b.phase(), Phase::Finished);
    assert_eq!(b.tally().done, in_flight.len());
}

#[test]
fn pooled_sender_ids_are_listed_apart_and_never_sent() {
    use sidman::domain::{Pool, PoolMember};
    let mut state = loaded();
    let pooled = key("ACMEFR", EU);
    let record = state.inventory.get(&pooled).cloned().expect("loaded");
    let generation = state.generation;
    update(
        &mut state,
        Action::PoolsRead {
            generation,
            region: EU.to_owned(),
            result: Ok(vec![Pool {
                region: EU.to_owned(),
                id: "pool-0123".to_owned(),
                arn: format!("arn:aws:sms-voice:{EU}:{ACCOUNT}:pool/pool-0123"),
                name: Some("marketing".to_owned()),
                members: vec![PoolMember {
                    sender_id: record.sender_id.clone(),
                    country: record.country.clone(),
                    arn: record.arn.clone(),
                }],
            }]),
        },
    );
    // AP's pools cannot be read: membership there is unknown, and the review says so.
    update(
        &mut state,
        Action::PoolsRead {
            generation,
            region: AP.to_owned(),
            result: Err(access_denied()),
        },
    );
    mark(&mut state, &[pooled.clone(), key("ACMEAU", AP)]);
    ch(&mut state, 'D');
    let s = sheet(&state);
    assert_eq!(s.to_release, [key("ACMEAU", AP)]);
    assert_eq!(s.excluded, [(pooled.clone(), Exclusion::InPool)]);
    assert_eq!(
        s.reason(&pooled, Exclusion::InPool),
        "in pool pool-0123 (marketing) — will not be sent: remove it from the pool first"
    );
    assert_eq!(s.pools_unknown.len(), 1);
    assert_eq!(s.pools_unknown[0].0, AP);
    assert!(s.pools_unknown[0].1.contains("no permission"));
    type_text(&mut state, "release");
    dwell(&mut state);
    let reads = rereads(&press(&mut state, KeyCode::Enter));
    let sent: Vec<Key> = reads.into_iter().flat_map(|(_, _, k)| k).collect();
    assert_eq!(sent, [key("ACMEAU", AP)], "the pooled one is never sent");
    assert!(matches!(
        status(&state, &pooled),
        Some(RowStatus::Excluded(why)) if why.contains("pool-0123")
    ));
}
