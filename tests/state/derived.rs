//! The state's derived structures (display orders kept as pages arrive, the filter that searches
//! only what it showed when it only grew, marks kept as flags with their counts, views built once
//! per batch of updates) give exactly what the straightforward computation gives: every view is
//! compared with one built the plain way (filter every record, sort them, group them) after each
//! page, batch, sort, keystroke and mark, over a few thousand generated sender IDs with repeated
//! and changed records, unreadable prices, shared sender IDs and a reload.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use sidman::action::Action;
use sidman::domain::{Key, MessageType, Ownership, Price, SenderIdRecord, Total};
use sidman::state::table::sort_key;
use sidman::state::view::{Row, SortMode};
use sidman::state::{Session, State, update, update_all};
use std::collections::{BTreeMap, BTreeSet};

const REGIONS: [&str; 3] = ["us-east-1", "eu-west-1", "ap-southeast-2"];

fn session() -> Session {
    Session {
        profile: "ops".into(),
        regions: REGIONS.iter().map(|r| (*r).to_owned()).collect(),
        ..Session::default()
    }
}

/// `n` distinct sender IDs with a mix of everything the view groups, sorts and filters by.
fn generate(n: usize, seed: u64) -> Vec<SenderIdRecord> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let countries = ["GB", "DE", "FR", "US", "IN", "AE", "SG"];
    let prices = ["1.00", "3.50", "0.00", "12.345", "abc", "2", "40.00", "7.5"];
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    while out.len() < n {
        let region = REGIONS[rng.usize(..REGIONS.len())];
        let country = countries[rng.usize(..countries.len())];
        let sender_id = format!(
            "S{:03}{}",
            rng.u32(..400),
            ["", "BANK", "OTP"][rng.usize(..3)]
        );
        let ownership = if rng.u8(..20) == 0 {
            Ownership::Shared
        } else {
            Ownership::Own
        };
        let account = match ownership {
            Ownership::Own => "111122223333",
            Ownership::Shared => "444455556666",
        };
        let arn = format!("arn:aws:sms-voice:{region}:{account}:sender-id/{sender_id}/{country}");
        if !seen.insert(arn.clone()) {
            continue;
        }
        let message_types = match rng.u8(..6) {
            0 => vec![MessageType::Transactional],
            1 => vec![MessageType::Promotional],
            2 => vec![MessageType::Transactional, MessageType::Promotional],
            3 => vec![MessageType::Promotional, MessageType::Transactional],
            4 => vec![MessageType::Transactional],
            _ => vec![MessageType::Other("FUTURE".into())],
        };
        let registered = rng.bool();
        out.push(SenderIdRecord {
            region: region.into(),
            arn,
            sender_id,
            country: country.into(),
            message_types,
            price: Price::parse(prices[rng.usize(..prices.len())]),
            deletion_protection: rng.u8(..10) == 0,
            registered,
            registration_id: registered.then(|| format!("registration-{:08x}", rng.u32(..))),
            ownership,
            messaging_limits: None,
            pricing_tier: None,
        });
    }
    out
}

// ---------------------------------------------------------------- the plain way

fn haystack(r: &SenderIdRecord) -> String {
    format!(
        "{}\u{1}{}\u{1}{}\u{1}{}\u{1}{}",
        r.sender_id,
        r.country,
        r.region,
        r.registration_id.as_deref().unwrap_or(""),
        r.message_type_label()
    )
    .to_lowercase()
}

/// Groups as `(country, types, total, member indices)`, in display order.
type Groups = Vec<(String, String, Total, Vec<usize>)>;

/// The view as it was built before it was made fast: filter every record, sort, group. Each
/// record's message-type label is worked out once per call (not once per comparison), which
/// changes nothing but the time this oracle takes.
fn plain_view(records: &[SenderIdRecord], filter: &str, sort: SortMode) -> Groups {
    let needle = filter.trim().to_lowercase();
    let labels: Vec<String> = records
        .iter()
        .map(SenderIdRecord::message_type_label)
        .collect();
    let mut visible: Vec<usize> = (0..records.len())
        .filter(|&i| needle.is_empty() || haystack(&records[i]).contains(&needle))
        .collect();
    // The one sort key the inventory uses too; ties in arrival order (a stable sort).
    visible.sort_by(|&a, &b| {
        sort_key(&records[a], &labels[a], sort).cmp(&sort_key(&records[b], &labels[b], sort))
    });
    let mut groups: Groups = Vec::new();
    for i in visible {
        let r = &records[i];
        let label = &labels[i];
        if groups
            .last()
            .is_none_or(|g| g.0 != r.country || g.1 != *label)
        {
            groups.push((
                r.country.clone(),
                label.clone(),
                Total::default(),
                Vec::new(),
            ));
        }
        if let Some(g) = groups.last_mut() {
            g.2.add(&r.price);
            g.3.push(i);
        }
    }
    if sort == SortMode::Price {
        groups.sort_by(|a, b| {
            b.2.sum
                .cmp(&a.2.sum)
                .then_with(|| a.0.cmp(&b.0))
                .then_with(|| a.1.cmp(&b.1))
        });
    }
    groups
}

/// Checks the state's view, totals and mark counts against the plain computation.
fn check(state: &State, marks: &BTreeSet<Key>, when: &str) {
    let records = state.inventory.records();
    let keys: Vec<Key> = records.iter().map(SenderIdRecord::key).collect();
    let flagged: Vec<bool> = keys.iter().map(|k| marks.contains(k)).collect();
    let want = plain_view(records, state.filter.text(), state.sort);
    let got: Groups = state
        .view
        .groups
        .iter()
        .map(|g| {
            (
                g.country.clone(),
                g.types.clone(),
                g.total,
                g.members.clone(),
            )
        })
        .collect();
    assert_eq!(got.len(), want.len(), "{when}: number of groups");
    for (g, w) in got.iter().zip(&want) {
        assert_eq!(g, w, "{when}: group {} {}", w.0, w.1);
        // Same sum, same scale: the header shows what the plain sum would show.
        assert_eq!(
            g.2.sum.scale(),
            w.2.sum.scale(),
            "{when}: scale of {} {}",
            w.0,
            w.1
        );
    }
    let mut rows = Vec::new();
    let mut total = Total::default();
    for (gi, g) in want.iter().enumerate() {
        rows.push(Row::Header(gi));
        rows.extend(g.3.iter().map(|&i| Row::Item(i)));
        for &i in &g.3 {
            total.add(&records[i].price);
        }
    }
    assert_eq!(state.view.rows, rows, "{when}: rows");
    assert_eq!(state.view.total, total, "{when}: total shown");
    assert_eq!(
        state.view.total.sum.scale(),
        total.sum.scale(),
        "{when}: scale"
    );
    assert!(state.cursor < rows.len().max(1), "{when}: cursor on a row");

    assert_eq!(state.marks(), *marks, "{when}: marks");
    assert_eq!(state.marks().len(), marks.len(), "{when}: mark count");
    let shown: BTreeSet<Key> = rows
        .iter()
        .filter_map(|r| match r {
            Row::Item(i) => Some(keys[*i].clone()),
            Row::Header(_) => None,
        })
        .collect();
    // Hidden: loaded but not shown (a filter hides it); absent: not in the inventory.
    let loaded: BTreeSet<&Key> = marks
        .iter()
        .filter(|k| state.inventory.get(k).is_some())
        .collect();
    assert_eq!(
        state.hidden_marks(),
        loaded.iter().filter(|k| !shown.contains(**k)).count(),
        "{when}: hidden marks"
    );
    assert_eq!(
        state.absent_marks(),
        marks.len() - loaded.len(),
        "{when}: marks not in the inventory"
    );
    let marked = Total::of(
        marks
            .iter()
            .filter_map(|k| state.inventory.get(k))
            .map(|r| &r.price),
    );
    assert_eq!(state.marked_total(), marked, "{when}: marked total");
    assert_eq!(state.marked_total().sum.scale(), marked.sum.scale());
    for (gi, g) in want.iter().enumerate() {
        let n = g.3.iter().filter(|&&i| flagged[i]).count();
        assert_eq!(
            state.marks().in_group(gi),
            n,
            "{when}: marks in group {}",
            g.0
        );
    }
    for (i, k) in keys.iter().enumerate() {
        assert_eq!(
            state.marks().is_marked(i),
            flagged[i],
            "{when}: flag of {k}"
        );
    }
}

fn key_action(code: KeyCode) -> Action {
    Action::Input {
        at: std::time::Instant::now(),
        events: vec![sidman::action::Input::Key(KeyEvent::new(
            code,
            KeyModifiers::NONE,
        ))],
    }
}

fn press(state: &mut State, code: KeyCode) {
    update(state, key_action(code));
}

fn page_action(generation: u64, records: Vec<SenderIdRecord>) -> Action {
    Action::PageLoaded {
        generation,
        region: records[0].region.clone(),
        ownership: records[0].ownership,
        records,
    }
}

fn listed_all(state: &mut State, generation: u64) {
    let ends: Vec<Action> = REGIONS
        .iter()
        .flat_map(|r| {
            [Ownership::Own, Ownership::Shared].map(|ownership| Action::RegionListed {
                generation,
                region: (*r).to_owned(),
                ownership,
                result: Ok(()),
            })
        })
        .collect();
    update_all(state, ends);
}

/// Delivers `records` in pages of up to 37, region and owner at a time, shuffled; some pages
/// applied one by one, some batched; one page sent twice. Checks after each step.
fn deliver(
    state: &mut State,
    generation: u64,
    records: &[SenderIdRecord],
    rng: &mut fastrand::Rng,
    marks: &BTreeSet<Key>,
) {
    let mut by_lane: BTreeMap<(String, bool), Vec<SenderIdRecord>> = BTreeMap::new();
    for r in records {
        by_lane
            .entry((r.region.clone(), r.ownership == Ownership::Shared))
            .or_default()
            .push(r.clone());
    }
    let mut pages: Vec<Vec<SenderIdRecord>> = by_lane
        .into_values()
        .flat_map(|lane| lane.chunks(37).map(<[_]>::to_vec).collect::<Vec<_>>())
        .collect();
    rng.shuffle(&mut pages);
    if let Some(again) = pages.get(3).cloned() {
        pages.push(again);
    }
    let mut step = 0;
    while !pages.is_empty() {
        let take = if step % 3 == 2 {
            rng.usize(1..=pages.len().min(6))
        } else {
            1
        };
        let batch: Vec<Action> = pages
            .drain(..take)
            .map(|p| page_action(generation, p))
            .collect();
        if batch.len() == 1 {
            update(state, batch.into_iter().next().expect("one"));
        } else {
            update_all(state, batch);
        }
        check(state, marks, &format!("after page step {step}"));
        step += 1;
    }
}

#[test]
fn every_derived_view_is_the_plain_computation() {
    let mut rng = fastrand::Rng::with_seed(7);
    let records = generate(3000, 11);
    let mut marks: BTreeSet<Key> = BTreeSet::new();
    let mut state = State::new(session());
    update(
        &mut state,
        Action::Resize {
            width: 150,
            height: 45,
        },
    );
    state.reload();
    let generation = state.generation;
    deliver(&mut state, generation, &records, &mut rng, &marks);
    listed_all(&mut state, generation);
    check(&state, &marks, "loaded");

    // Every sort.
    for n in 0..4 {
        press(&mut state, KeyCode::Char('s'));
        check(&state, &marks, &format!("sort {n}: {:?}", state.sort));
    }

    // Marks: rows, group headers, everything shown, under a filter and without.
    for n in 0..200 {
        state.cursor = rng.usize(..state.view.rows.len());
        let records = state.inventory.records();
        match state.view.rows[state.cursor] {
            Row::Item(i) => {
                let k = records[i].key();
                if !marks.remove(&k) {
                    marks.insert(k);
                }
            }
            Row::Header(g) => {
                let keys: Vec<Key> = state.view.groups[g]
                    .members
                    .iter()
                    .map(|&i| records[i].key())
                    .collect();
                if keys.iter().all(|k| marks.contains(k)) {
                    keys.iter().for_each(|k| {
                        marks.remove(k);
                    });
                } else {
                    marks.extend(keys);
                }
            }
        }
        press(&mut state, KeyCode::Char(' '));
        check(&state, &marks, &format!("mark {n}"));
    }

    // A filter typed, erased, typed again; marks under it; Esc.
    press(&mut state, KeyCode::Char('/'));
    for (n, c) in "s1".chars().enumerate() {
        press(&mut state, KeyCode::Char(c));
        check(&state, &marks, &format!("typed {n}"));
    }
    press(&mut state, KeyCode::Char('2'));
    check(&state, &marks, "typed s12");
    press(&mut state, KeyCode::Backspace);
    check(&state, &marks, "erased to s1");
    press(&mut state, KeyCode::Enter);
    press(&mut state, KeyCode::Char('a'));
    for row in &state.view.rows {
        if let Row::Item(i) = row {
            marks.insert(state.inventory.records()[*i].key());
        }
    }
    check(&state, &marks, "a under s1");
    for filter in [
        "gb",
        "transactional",
        "+p",
        "us-east",
        "registration-",
        "future",
        "bank",
        "zzz",
    ] {
        press(&mut state, KeyCode::Esc);
        press(&mut state, KeyCode::Char('/'));
        for c in filter.chars() {
            press(&mut state, KeyCode::Char(c));
        }
        check(&state, &marks, &format!("filter {filter}"));
        press(&mut state, KeyCode::Char('s'));
        check(
            &state,
            &marks,
            &format!("filter {filter}, sort {:?}", state.sort),
        );
        press(&mut state, KeyCode::Enter);
    }
    press(&mut state, KeyCode::Esc);
    check(&state, &marks, "filter cleared");

    // A changed record (new price and message types: it moves) and a repeated one.
    let mut changed = state.inventory.records()[10].clone();
    changed.price = Price::parse("99.999");
    changed.message_types = vec![MessageType::Promotional];
    // A registration ID of another length: the filter's text is written again.
    changed.registration_id = Some("registration-renewed-0001".into());
    let same = state.inventory.records()[20].clone();
    update(
        &mut state,
        page_action(generation, vec![changed.clone(), same]),
    );
    check(&state, &marks, "after a changed record");
    press(&mut state, KeyCode::Char('/'));
    for c in "renewed".chars() {
        press(&mut state, KeyCode::Char(c));
    }
    assert_eq!(
        state.view.shown(),
        1,
        "the changed record is found by its new text"
    );
    check(&state, &marks, "filter on the changed text");
    press(&mut state, KeyCode::Esc);

    // Reload: marks stay; one marked sender ID does not come back and is dropped.
    let gone = marks.iter().next().cloned().expect("some marks");
    press(&mut state, KeyCode::Char('r'));
    let generation = state.generation;
    check(&state, &marks, "reload started");
    let again: Vec<SenderIdRecord> = records
        .iter()
        .filter(|r| r.key() != gone)
        .map(|r| {
            if r.key() == changed.key() {
                changed.clone()
            } else {
                r.clone()
            }
        })
        .collect();
    deliver(&mut state, generation, &again, &mut rng, &marks);
    listed_all(&mut state, generation);
    marks.remove(&gone);
    check(&state, &marks, "reloaded");

    press(&mut state, KeyCode::Char('U'));
    marks.clear();
    check(&state, &marks, "unmarked all");
}
