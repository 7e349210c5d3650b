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
        .find(|g| g.name == "DE")
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
    let names: Vec<_> = prices::groups(&state).into_iter().map(|g| g.name).collect();
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
    press(&mut state, KeyCode::Tab); // by region
    let groups = prices::groups(&state);
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0].name, EU);
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
