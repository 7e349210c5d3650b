//! The price audit in the TUI: the price view (`p`) groups what the table shows by country,
//! region or message type with exact subtotals, sortable by subtotal; `x` exports the current
//! view (after filter and sort) to a CSV file that parses back to the same rows.

use crate::common::fixtures::*;
use crate::common::screen::{draw, text};
use crossterm::event::KeyCode;
use sidman::action::Effect;
use sidman::domain::Total;
use sidman::state::prices::{self, Dimension, PriceSort};
use sidman::state::{Mode, State};

fn shown_records(state: &State) -> Vec<sidman::domain::SenderIdRecord> {
    let records = state.inventory.records();
    state.view.items().map(|i| records[i].clone()).collect()
}

#[test]
fn price_view_groups_by_each_dimension_with_exact_subtotals() {
    let mut state = loaded();
    ch(&mut state, 'p');
    assert_eq!(state.mode, Mode::Prices);
    for dimension in [
        Dimension::Country,
        Dimension::CountryType,
        Dimension::Region,
        Dimension::MessageType,
    ] {
        assert_eq!(state.prices.dimension, dimension);
        let groups = prices::groups(&state);
        // Every shown sender ID is in exactly one group, and the subtotals add up exactly.
        let count: usize = groups.iter().map(|g| g.total.count).sum();
        assert_eq!(count, state.view.shown());
        let sum: rust_decimal::Decimal = groups.iter().map(|g| g.total.sum).sum();
        assert_eq!(sum, state.view.total.sum);
        // Sorted by subtotal, highest first.
        assert!(groups.windows(2).all(|w| w[0].total.sum >= w[1].total.sum));
        press(&mut state, KeyCode::Tab);
    }
    let by_country: Vec<_> = prices::groups(&state);
    let de = by_country
        .iter()
        .find(|g| g.name() == "DE")
        .expect("DE group");
    let expected = Total::of(
        state
            .inventory
            .records()
            .iter()
            .filter(|r| r.country == "DE")
            .map(|r| &r.price),
    );
    assert_eq!(de.total, expected);
    ch(&mut state, 's');
    assert_eq!(state.prices.sort, PriceSort::Name);
    let names: Vec<_> = prices::groups(&state)
        .into_iter()
        .map(|g| g.name())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    press(&mut state, KeyCode::Esc);
    assert_eq!(state.mode, Mode::Table);
}

#[test]
fn price_view_follows_the_filter() {
    let mut state = loaded();
    ch(&mut state, '/');
    type_text(&mut state, "eu-west-2");
    press(&mut state, KeyCode::Enter);
    ch(&mut state, 'p');
    press(&mut state, KeyCode::Tab); // by country x type
    press(&mut state, KeyCode::Tab); // by region
    let groups = prices::groups(&state);
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0].name(), EU);
}

#[test]
fn price_view_renders_groups_counts_totals_and_shares() {
    let mut state = loaded();
    ch(&mut state, 'p');
    for (w, h) in [(80, 24), (150, 45)] {
        let terminal = draw(&mut state, w, h);
        let text = text(&terminal);
        assert!(text.contains("monthly leasing by country"), "{text}");
        assert!(text.contains("TOTAL shown"), "{text}");
        assert!(text.contains("SHARE"), "{text}");
        let first = &prices::groups(&state)[0];
        assert!(text.contains(&first.total.money()), "{text}");
        insta::assert_snapshot!(format!("prices_{w}x{h}"), terminal.backend());
    }
}

#[test]
fn x_exports_the_current_view_after_filter_and_sort_and_the_file_parses_back() {
    let mut state = loaded();
    ch(&mut state, '/');
    type_text(&mut state, "acme");
    press(&mut state, KeyCode::Enter);
    ch(&mut state, 's'); // sender ID
    ch(&mut state, 's'); // price, high first
    let shown = shown_records(&state);
    assert!(!shown.is_empty() && shown.len() < state.inventory.len());
    let effects = ch(&mut state, 'x');
    let [Effect::Export { rows, status }] = effects.as_slice() else {
        panic!("x must ask for one export, got {effects:?}");
    };
    assert_eq!(
        rows, &shown,
        "the export holds the view's rows in the view's order"
    );

    let dir = tempfile::tempdir().expect("tempdir");
    assert!(
        status.iter().all(String::is_empty),
        "nothing was released yet"
    );
    let mut status = status.clone();
    status[0] = "released".to_owned();
    let path = sidman::export::write_csv(dir.path(), rows, &status).expect("write csv");
    assert!(path.starts_with(dir.path()));
    let mut reader = csv::Reader::from_path(&path).expect("open csv");
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_owned)
        .collect();
    let mut columns: Vec<&str> = sidman::export::COLUMNS.to_vec();
    columns.push(sidman::export::STATUS_COLUMN);
    assert_eq!(header, columns, "the TUI's export has a status column");
    let parsed: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().expect("rows");
    assert_eq!(parsed.len(), shown.len());
    for (row, record) in parsed.iter().zip(&shown) {
        assert_eq!(&row[0], record.region);
        assert_eq!(&row[1], record.arn);
        assert_eq!(&row[2], record.sender_id);
        assert_eq!(&row[3], record.country);
        assert_eq!(
            &row[5], record.price.raw,
            "prices are kept as the service gave them"
        );
        assert_eq!(&row[8], record.registration_id.as_deref().unwrap_or(""));
    }
    assert_eq!(&parsed[0][11], "released");
    assert_eq!(&parsed[1][11], "");
    // A second export never overwrites the first.
    let second = sidman::export::write_csv(dir.path(), rows, &status).expect("write again");
    assert_ne!(second, path);
}

/// The loaded fixtures plus one sender ID in each of `n` more countries (`Q00`…), in the US
/// region: a price view longer than any screen.
fn many_countries(n: usize) -> State {
    let mut state = State::new(session());
    let generation = generation_of(&state.reload());
    for region in [EU, AP] {
        deliver(&mut state, generation, region);
    }
    let mut extra: Vec<_> = records_of(US, sidman::domain::Ownership::Own);
    let base = record("ACMEBANK", US);
    for i in 0..n {
        let mut r = base.clone();
        r.sender_id = format!("EXTRA{i:02}");
        r.country = format!("Q{i:02}");
        r.arn = format!("arn:aws:sms-voice:{US}:{ACCOUNT}:sender-id/EXTRA{i:02}/Q{i:02}");
        r.price = sidman::domain::Price::parse(&format!("{}.00", i + 1));
        extra.push(r);
    }
    page(
        &mut state,
        generation,
        US,
        sidman::domain::Ownership::Own,
        extra,
    );
    page(
        &mut state,
        generation,
        US,
        sidman::domain::Ownership::Shared,
        vec![shared_record()],
    );
    listed(
        &mut state,
        generation,
        US,
        sidman::domain::Ownership::Shared,
        Ok(()),
    );
    listed(
        &mut state,
        generation,
        US,
        sidman::domain::Ownership::Own,
        Ok(()),
    );
    state
}

#[test]
fn the_price_view_scrolls_to_every_group_and_says_where_it_is() {
    let mut state = many_countries(30);
    ch(&mut state, 'p');
    let groups = prices::groups(&state);
    assert_eq!(groups.len(), 39);
    let screen = text(&draw(&mut state, 80, 24));
    assert!(screen.contains("groups 1-13 of 39"), "{screen}");
    assert!(!screen.contains("more groups"), "{screen}");
    ch(&mut state, 'j');
    assert_eq!(state.prices.cursor, 1);
    press(&mut state, KeyCode::PageDown);
    assert_eq!(state.prices.cursor, 14);
    ch(&mut state, 'G');
    assert_eq!(state.prices.cursor, 38);
    let terminal = draw(&mut state, 80, 24);
    let screen = text(&terminal);
    let last = groups.last().expect("a last group").name();
    assert!(screen.contains(&format!("› {last}")), "{screen}");
    assert!(screen.contains("groups 27-39 of 39"), "{screen}");
    assert!(screen.contains("TOTAL shown"), "{screen}");
    insta::assert_snapshot!("prices_end_80x24", terminal.backend());
    press(&mut state, KeyCode::End);
    assert_eq!(state.prices.cursor, 38, "the end stays the end");
    ch(&mut state, 'g');
    assert_eq!(state.prices.cursor, 0);
    press(&mut state, KeyCode::Home);
    ch(&mut state, 'k');
    assert_eq!(state.prices.cursor, 0, "the top stays the top");
    let small = text(&draw(&mut state, 40, 10));
    assert!(
        small.contains("40x10") && small.contains("at least 80x24"),
        "{small}"
    );
}

#[test]
fn the_price_view_shows_bars_shares_and_own_and_shared_apart() {
    let mut state = loaded();
    ch(&mut state, 'p');
    let screen = text(&draw(&mut state, 80, 24));
    let overall = prices::overall(&state);
    assert_eq!(
        overall.total(),
        state.view.total,
        "every shown sender ID counted once"
    );
    assert_eq!(overall.shared.count, 1, "SHAREDCO");
    assert_eq!(overall.shared.sum, dec("10.00"));
    assert!(screen.contains("this account"), "{screen}");
    assert!(screen.contains("shared from others"), "{screen}");
    assert!(screen.contains("█"), "a bar per row, in text: {screen}");
    // The first row's bar is as long as its share of the bar's width says.
    let first = &prices::groups(&state)[0];
    let share = prices::share(first.total.sum, state.view.total.sum).expect("a share");
    assert!(screen.contains(&format!("{share}%")), "{screen}");
    // By country x message type: the table's groups, each the table's subtotal.
    press(&mut state, KeyCode::Tab);
    assert_eq!(state.prices.dimension, Dimension::CountryType);
    let groups = prices::groups(&state);
    assert_eq!(groups.len(), state.view.groups.len());
    for g in &state.view.groups {
        let line = groups
            .iter()
            .find(|p| p.names == [g.country.clone(), g.types.clone()])
            .expect("the table's group");
        assert_eq!(line.total, g.total);
    }
    let screen = text(&draw(&mut state, 80, 24));
    assert!(
        screen.contains("monthly leasing by country x message type"),
        "{screen}"
    );
}

#[test]
fn enter_opens_the_group_in_the_table_and_esc_comes_back_with_the_filter_as_it_was() {
    let mut state = loaded();
    ch(&mut state, '/');
    type_text(&mut state, "acme");
    press(&mut state, KeyCode::Enter);
    ch(&mut state, 'p');
    press(&mut state, KeyCode::Tab); // country x type
    let groups = prices::groups(&state);
    let n = groups
        .iter()
        .position(|g| g.names[0] == "GB")
        .expect("a GB group");
    for _ in 0..n {
        ch(&mut state, 'j');
    }
    let group = groups[n].clone();
    press(&mut state, KeyCode::Enter);
    assert_eq!(state.mode, Mode::Table);
    // The table shows exactly the group's sender IDs (the filter still applies).
    let records = state.inventory.records();
    let shown: Vec<_> = state.view.items().map(|i| records[i].clone()).collect();
    assert_eq!(shown.len(), group.total.count);
    assert!(
        shown
            .iter()
            .all(|r| r.country == "GB" && r.sender_id.to_lowercase().contains("acme"))
    );
    assert_eq!(state.view.total, group.total);
    let screen = text(&draw(&mut state, 80, 24));
    assert!(screen.contains(&group.scope.label()), "{screen}");
    assert!(
        screen.contains("Esc prices"),
        "the footer offers the way back: {screen}"
    );
    // Changing the filter in there, then Esc: the price view, with the filter as it was.
    ch(&mut state, '/');
    press(&mut state, KeyCode::Backspace);
    press(&mut state, KeyCode::Enter);
    assert_eq!(state.filter.text(), "acm");
    press(&mut state, KeyCode::Esc);
    assert_eq!(state.mode, Mode::Prices);
    assert_eq!(state.filter.text(), "acme");
    assert!(state.drill.is_none());
    assert_eq!(prices::groups(&state), groups, "the same summary as before");
    // Esc again: the table with its filter; a third clears the filter.
    press(&mut state, KeyCode::Esc);
    assert_eq!(state.mode, Mode::Table);
    assert_eq!(state.filter.text(), "acme");
    press(&mut state, KeyCode::Esc);
    assert!(state.filter.is_empty());
}

#[test]
fn x_in_the_price_view_exports_the_summary_shown_and_in_the_table_the_rows() {
    let mut state = loaded();
    ch(&mut state, 'p');
    press(&mut state, KeyCode::Tab); // country x type
    let effects = ch(&mut state, 'x');
    let [Effect::ExportSummary { rows }] = effects.as_slice() else {
        panic!("x in the price view exports its summary, got {effects:?}");
    };
    let groups = prices::groups(&state);
    assert_eq!(
        rows[0],
        [
            "IsoCountryCode",
            "MessageTypes",
            "Count",
            "MonthlyLeasingPrice",
            "SharePercent",
            "OwnCount",
            "OwnMonthlyLeasingPrice",
            "SharedCount",
            "SharedMonthlyLeasingPrice",
            "UnreadablePrices"
        ]
    );
    assert_eq!(rows.len(), groups.len() + 2, "header, groups, total");
    for (row, g) in rows[1..].iter().zip(&groups) {
        assert_eq!(row[0], g.names[0]);
        assert_eq!(row[1], g.names[1]);
        assert_eq!(row[2], g.total.count.to_string());
        assert_eq!(
            row[3].parse::<rust_decimal::Decimal>().ok(),
            Some(g.total.sum)
        );
        assert_eq!(row[5], g.split.own.count.to_string());
        assert_eq!(row[7], g.split.shared.count.to_string());
    }
    let total = rows.last().expect("the total");
    assert_eq!(total[0], "TOTAL");
    assert_eq!(total[2], state.view.total.count.to_string());
    assert_eq!(
        total[3].parse::<rust_decimal::Decimal>().ok(),
        Some(state.view.total.sum)
    );
    assert_eq!(total[4], "100.0");
    // Written through the CSV writer: parses back, formulas made inert.
    let dir = tempfile::tempdir().expect("tempdir");
    let mut hostile = rows.clone();
    hostile[1][0] = "=HYPERLINK(\"http://x\")".to_owned();
    let path = sidman::export::write_summary_csv(dir.path(), &hostile).expect("write");
    assert!(
        path.file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("sidman-prices-"))
    );
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(&path)
        .expect("open");
    let parsed: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().expect("rows");
    assert_eq!(parsed.len(), rows.len());
    assert_eq!(&parsed[1][0], "'=HYPERLINK(\"http://x\")");
    assert_eq!(&parsed[2][3], rows[2][3]);
    // In the table, x still exports the rows.
    press(&mut state, KeyCode::Esc);
    let effects = ch(&mut state, 'x');
    assert!(
        matches!(effects.as_slice(), [Effect::Export { .. }]),
        "{effects:?}"
    );
}
