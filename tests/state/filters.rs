//! The `/` filter's terms (issue 14): words ANDed, field terms (`cc:`, `type:`, `region:`,
//! `reg:`, `prot:`, `owner:`, `pool:`, `status:`, `price`, `tag:`), bad terms told on the notice line
//! and left out. Every view is checked against a brute-force oracle over the inventory's
//! records, keystroke by keystroke, so the narrowing search (only the rows shown before) is
//! checked against what a fresh build must show.

use crate::common::fixtures::*;
use crossterm::event::KeyCode;
use rust_decimal::Decimal;
use sidman::action::Action;
use sidman::domain::{Ownership, Pool, PoolMember, SenderIdRecord};
use sidman::state::view::SortMode;
use sidman::state::{State, update};

/// The sender IDs shown, in display order, as `ID@region`.
fn shown(state: &State) -> Vec<String> {
    state
        .view
        .items()
        .map(|i| {
            let r = &state.inventory.records()[i];
            format!("{}@{}", r.sender_id, r.region)
        })
        .collect()
}

/// What the view must show, worked out the plain way: every record `keep` takes, in the
/// inventory's display order (country sort: groups follow that order).
fn oracle(state: &State, keep: impl Fn(&SenderIdRecord) -> bool) -> Vec<String> {
    assert_eq!(state.sort, SortMode::default());
    let records = state.inventory.records();
    state
        .inventory
        .order(state.sort)
        .iter()
        .map(|&i| &records[i as usize])
        .filter(|r| keep(r))
        .map(|r| format!("{}@{}", r.sender_id, r.region))
        .collect()
}

/// Does a plain word (lower-case) match the record, as the `/` filter always matched.
fn word(r: &SenderIdRecord, w: &str) -> bool {
    [
        r.sender_id.to_lowercase(),
        r.country.to_lowercase(),
        r.region.to_lowercase(),
        r.registration_id.clone().unwrap_or_default().to_lowercase(),
        r.message_type_label().to_lowercase(),
    ]
    .iter()
    .any(|t| t.contains(w))
}

/// Opens the filter, erases it (Ctrl-U: Esc would stop a running batch), types `text` a key at
/// a time, and keeps it (Enter).
fn filter(state: &mut State, text: &str) {
    ch(state, '/');
    ctrl(state, 'u');
    type_text(state, text);
    press(state, KeyCode::Enter);
}

fn price(r: &SenderIdRecord) -> Option<Decimal> {
    r.price.value
}

#[test]
fn words_apart_by_spaces_must_all_match() {
    let mut state = loaded();
    filter(&mut state, "de us-east");
    assert_eq!(shown(&state), ["ACMEOTP@us-east-1", "ACMEDE@us-east-1"]);
    assert_eq!(
        shown(&state),
        oracle(&state, |r| word(r, "de") && word(r, "us-east"))
    );
    // Upper case and extra spaces change nothing.
    filter(&mut state, "  DE   US-EAST ");
    assert_eq!(shown(&state), ["ACMEOTP@us-east-1", "ACMEDE@us-east-1"]);
}

/// Which records a filter keeps, the plain way.
type Keep = Box<dyn Fn(&SenderIdRecord) -> bool>;

#[test]
fn each_field_filters_by_its_property() {
    let mut state = loaded();
    let cases: Vec<(&str, Keep)> = vec![
        ("cc:GB", Box::new(|r| r.country == "GB")),
        (
            "cc:gb|de",
            Box::new(|r| r.country == "GB" || r.country == "DE"),
        ),
        // Exact: a country code is not a substring search.
        ("cc:G", Box::new(|_| false)),
        (
            "type:promo",
            Box::new(|r| r.message_type_label().contains("PROMOTIONAL")),
        ),
        (
            "type:transactional cc:au",
            Box::new(|r| r.message_type_label().contains("TRANSACTIONAL") && r.country == "AU"),
        ),
        ("region:eu-west", Box::new(|r| r.region == EU)),
        ("region:us|ap", Box::new(|r| r.region != EU)),
        ("reg:yes", Box::new(|r| r.registration_id.is_some())),
        ("reg:no", Box::new(|r| r.registration_id.is_none())),
        ("prot:yes", Box::new(|r| r.deletion_protection)),
        ("prot:no", Box::new(|r| !r.deletion_protection)),
        (
            "owner:shared",
            Box::new(|r| r.ownership == Ownership::Shared),
        ),
        ("owner:self", Box::new(|r| r.ownership == Ownership::Own)),
        (
            "price>10",
            Box::new(|r| price(r).is_some_and(|p| p > dec("10"))),
        ),
        (
            "price<5",
            Box::new(|r| price(r).is_some_and(|p| p < dec("5"))),
        ),
        ("price=10", Box::new(|r| price(r) == Some(dec("10")))),
        ("price:8.25", Box::new(|r| price(r) == Some(dec("8.25")))),
        (
            "price>=25",
            Box::new(|r| price(r).is_some_and(|p| p >= dec("25"))),
        ),
        // An unreadable price (ACMEAE in eu-west-2, "n/a") never compares.
        ("price<1000", Box::new(|r| price(r).is_some())),
        (
            "acme cc:gb price>=10 owner:self",
            Box::new(|r| {
                word(r, "acme")
                    && r.country == "GB"
                    && price(r).is_some_and(|p| p >= dec("10"))
                    && r.ownership == Ownership::Own
            }),
        ),
    ];
    for (text, keep) in &cases {
        filter(&mut state, text);
        let want = oracle(&state, keep);
        assert_eq!(shown(&state), want, "/{text}");
        assert!(
            !state.query().query.is_empty(),
            "/{text} parses to terms: {:?}",
            state.query()
        );
        assert!(state.query().problems.is_empty(), "/{text}");
    }
    // The fixtures hold a case of each, so no case above is trivially empty or whole.
    filter(&mut state, "price<1000");
    assert_eq!(shown(&state).len(), state.inventory.len() - 1);
    filter(&mut state, "prot:yes");
    assert_eq!(shown(&state), ["ACMEOTP@us-east-1", "ACMEFRP@eu-west-2"]);
    filter(&mut state, "owner:shared");
    assert_eq!(shown(&state), ["SHAREDCO@us-east-1"]);
}

#[test]
fn status_follows_the_outcomes_of_this_session() {
    let mut state = loaded();
    let (bank, promo, otp) = (
        key("ACMEBANK", US),
        key("ACMEPROMO", US),
        key("ACMEOTP", US),
    );
    // ACMEOTP is protected: listed apart on the review, never sent.
    mark(&mut state, &[bank.clone(), promo.clone(), otp.clone()]);
    let effects = confirm_release(&mut state);
    // Kept before any outcome: nothing is released yet.
    filter(&mut state, "status:released");
    assert!(shown(&state).is_empty());
    let mut sent = Vec::new();
    for (batch, region, keys) in rereads(&effects) {
        sent.extend(release_keys(&update(
            &mut state,
            Action::Reread {
                batch,
                region,
                result: Ok(reread_unchanged(&keys)),
                keys,
            },
        )));
    }
    assert_eq!(sent.len(), 2, "{sent:?}");
    let batch = state.batch.as_ref().map(|b| b.id).expect("batch");
    filter(&mut state, "status:pending");
    assert_eq!(shown(&state), ["ACMEBANK@us-east-1", "ACMEPROMO@us-east-1"]);
    // The filter stays; the outcomes arriving change what it shows (the basis holds them).
    filter(&mut state, "status:released");
    update(
        &mut state,
        Action::Mutated {
            batch,
            key: bank.clone(),
            outcome: released_ok(
                &record("ACMEBANK", US),
                "11111111-2222-4333-8444-555555555555",
            ),
        },
    );
    assert_eq!(shown(&state), ["ACMEBANK@us-east-1"]);
    let r = record("ACMEPROMO", US);
    update(
        &mut state,
        Action::Mutated {
            batch,
            key: promo.clone(),
            outcome: failed(conflict(
                &r,
                "DELETION_PROTECTION_ENABLED",
                "protected",
                "22222222-3333-4444-8555-666666666666",
            )),
        },
    );
    for (text, want) in [
        ("status:released", vec!["ACMEBANK@us-east-1"]),
        ("status:done", vec!["ACMEBANK@us-east-1"]),
        ("status:failed", vec!["ACMEPROMO@us-east-1"]),
        ("status:not-sent", vec!["ACMEOTP@us-east-1"]),
        ("status:unknown", vec![]),
        ("status:pending", vec![]),
        (
            "status:released|failed",
            vec!["ACMEBANK@us-east-1", "ACMEPROMO@us-east-1"],
        ),
        ("status:fail cc:gb", vec!["ACMEPROMO@us-east-1"]),
        ("status:fail cc:de", vec![]),
    ] {
        filter(&mut state, text);
        assert_eq!(shown(&state), want, "/{text}");
        assert!(state.query().problems.is_empty(), "/{text}");
    }
    // Each row agrees with State::status.
    filter(&mut state, "status:failed|unknown|not-sent|released");
    for k in [&bank, &promo, &otp] {
        assert!(state.status(k).is_some(), "{k}");
    }
}

fn read_pools(state: &mut State, region: &str, result: Result<Vec<Pool>, sidman::aws::ApiError>) {
    let generation = state.generation;
    update(
        state,
        Action::PoolsRead {
            generation,
            region: region.to_owned(),
            result,
        },
    );
}

#[test]
fn pool_needs_the_pools_known_and_says_where_they_are_not() {
    let mut state = loaded();
    state.notice = None;
    // Every region's pools were read (none): every sender ID is in no pool.
    filter(&mut state, "pool:yes");
    assert!(shown(&state).is_empty());
    filter(&mut state, "pool:no");
    assert_eq!(shown(&state).len(), state.inventory.len());
    assert!(state.notice.is_none(), "{:?}", state.notice);
    // ACMEFR is in a pool of eu-west-2; ap-southeast-2's pools cannot be read.
    let fr = record("ACMEFR", EU);
    read_pools(
        &mut state,
        EU,
        Ok(vec![Pool {
            region: EU.to_owned(),
            id: "pool-0123".to_owned(),
            arn: format!("arn:aws:sms-voice:{EU}:{ACCOUNT}:pool/pool-0123"),
            name: Some("marketing".to_owned()),
            members: vec![PoolMember {
                sender_id: fr.sender_id.clone(),
                country: fr.country.clone(),
                arn: fr.arn.clone(),
            }],
        }]),
    );
    // The kept filter shows what the pools now say, without a key.
    assert!(!shown(&state).contains(&"ACMEFR@eu-west-2".to_owned()));
    read_pools(&mut state, AP, Err(access_denied()));
    assert_eq!(
        shown(&state),
        oracle(&state, |r| r.region != AP && r.sender_id != "ACMEFR")
    );
    let notice = state.notice.clone().unwrap_or_default();
    assert!(
        notice.contains("pool: unknown in ap-southeast-2")
            && notice.contains("neither yes nor no there"),
        "{notice}"
    );
    filter(&mut state, "pool:yes");
    assert_eq!(shown(&state), ["ACMEFR@eu-west-2"]);
    filter(&mut state, "pool:yes|no");
    assert_eq!(shown(&state), oracle(&state, |r| r.region != AP));
    // Without pool:, nothing is said of pools, and the notice is taken back.
    filter(&mut state, "acme");
    assert!(state.notice.is_none(), "{:?}", state.notice);
}

#[test]
fn an_unknown_field_is_told_and_left_out_without_emptying_the_table() {
    let mut state = loaded();
    state.notice = None;
    ch(&mut state, '/');
    type_text(&mut state, "foo:bar");
    assert_eq!(
        state.notice.as_deref(),
        Some("no field \"foo:\" (fields: cc type region reg prot owner pool status price tag)")
    );
    // Left out: the table is whole, not empty.
    assert_eq!(shown(&state).len(), state.inventory.len());
    // The other terms still filter.
    type_text(&mut state, " cc:gb");
    assert_eq!(shown(&state), oracle(&state, |r| r.country == "GB"));
    assert!(state.notice.as_deref().is_some_and(|n| n.contains("foo:")));
    // Bad values are told too, each with what is expected.
    for (text, told) in [
        ("reg:maybe", "bad value \"maybe\" for reg: — one of yes no"),
        ("status:gone", "bad value \"gone\" for status:"),
        ("price>cheap", "bad price \"cheap\""),
        ("cc>gb", "only price compares"),
        ("tag:=prod", "tag: takes a key first"),
    ] {
        filter(&mut state, text);
        let notice = state.notice.clone().unwrap_or_default();
        assert!(notice.contains(told), "/{text}: {notice}");
        assert_eq!(shown(&state).len(), state.inventory.len(), "/{text}");
    }
    // Erased, the notice is taken back.
    press(&mut state, KeyCode::Esc);
    assert!(state.notice.is_none(), "{:?}", state.notice);
}

#[test]
fn a_field_without_a_value_yet_is_left_out_silently() {
    let mut state = loaded();
    state.notice = None;
    ch(&mut state, '/');
    for text in ["cc:", " price>", " status:|", " reg:"] {
        type_text(&mut state, text);
        assert!(state.notice.is_none(), "{:?}: {:?}", text, state.notice);
        assert_eq!(shown(&state).len(), state.inventory.len(), "{text}");
    }
}

#[test]
fn narrowing_shows_what_a_fresh_build_shows_keystroke_by_keystroke() {
    let mut state = loaded();
    // Each text typed a key at a time, then erased a key at a time: after every key the view is
    // the oracle's for the text so far.
    for text in [
        "acme de us",
        "acmeb us-east-1",
        "a cc:gb acme",
        "cc:gb|de acm price>8",
        "type:p acme in",
        "e e e reg:no p",
        "prot:no owner:self acmef",
        "region:eu acme price<10",
    ] {
        press(&mut state, KeyCode::Esc);
        ch(&mut state, '/');
        let mut typed = String::new();
        for c in text.chars() {
            typed.push(c);
            ch(&mut state, c);
            let want = oracle(&state, |r| fixture_query(r, &typed));
            assert_eq!(shown(&state), want, "/{typed}");
        }
        while !typed.is_empty() {
            typed.pop();
            press(&mut state, KeyCode::Backspace);
            let want = oracle(&state, |r| fixture_query(r, &typed));
            assert_eq!(shown(&state), want, "/{typed} (erasing)");
        }
    }
}

/// The filter's meaning for the terms the narrowing test types, written the plain way.
fn fixture_query(r: &SenderIdRecord, text: &str) -> bool {
    text.to_lowercase().split_whitespace().all(|term| {
        let Some((field, value)) = term.split_once([':', '<', '>', '=']) else {
            return word(r, term);
        };
        if value.is_empty() {
            return true;
        }
        let op = &term[field.len()..=field.len()];
        let alts: Vec<&str> = value.split('|').filter(|v| !v.is_empty()).collect();
        match (field, op) {
            ("cc", ":") => alts.iter().any(|a| r.country.eq_ignore_ascii_case(a)),
            ("type", ":") => r
                .message_type_label()
                .to_lowercase()
                .split('+')
                .any(|t| alts.iter().any(|a| t.starts_with(a))),
            ("region", ":") => alts.iter().any(|a| r.region.contains(a)),
            ("reg", ":") => either(r.registration_id.is_some(), ("yes", "no"), value),
            ("prot", ":") => either(r.deletion_protection, ("yes", "no"), value),
            ("owner", ":") => either(r.ownership == Ownership::Own, ("self", "shared"), value),
            ("price", _) => {
                let than = dec(value);
                price(r).is_some_and(|p| match op {
                    ">" => p > than,
                    "<" => p < than,
                    _ => p == than,
                })
            }
            _ => panic!("the test types no {term}"),
        }
    })
}

/// A yes/no choice typed as a prefix: `value` starts the word for `is` (`owner:s` is both).
fn either(is: bool, (yes, no): (&str, &str), value: &str) -> bool {
    if is {
        yes.starts_with(value)
    } else {
        no.starts_with(value)
    }
}

/// The tags of a record read (as `T` or a look at the row would).
fn tags_read(state: &mut State, r: &SenderIdRecord, tags: &[(&str, &str)]) {
    let generation = state.generation;
    update(
        state,
        Action::TagsRead {
            generation,
            key: r.key(),
            result: Ok(tags
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect()),
        },
    );
}

#[test]
fn tag_matches_a_key_and_value_among_the_tags_read_and_says_when_not_all_are() {
    let mut state = loaded();
    let records = state.inventory.records().to_vec();
    let prod: Vec<&SenderIdRecord> = records.iter().step_by(3).collect();
    // Every sender ID's tags read, as T does: a third are env=Prod, the rest env=dev, one has
    // an owner tag and no env.
    ch(&mut state, 'T');
    for r in &records {
        let env = if prod.iter().any(|p| p.key() == r.key()) {
            "Prod"
        } else {
            "dev"
        };
        if r.key() == records[1].key() {
            tags_read(&mut state, r, &[("Owner", "sre")]);
        } else {
            tags_read(&mut state, r, &[("env", env)]);
        }
    }
    assert!(state.tags.all_read());
    let is_prod =
        |r: &SenderIdRecord| r.key() != records[1].key() && prod.iter().any(|p| p.key() == r.key());
    filter(&mut state, "tag:env=prod");
    assert_eq!(shown(&state), oracle(&state, is_prod));
    assert!(!shown(&state).is_empty());
    assert!(
        state
            .notice
            .as_deref()
            .is_none_or(|n| !n.contains("sees only")),
        "{:?}",
        state.notice
    );
    filter(&mut state, "tag:ENV=prod|dev");
    assert_eq!(
        shown(&state),
        oracle(&state, |r| r.key() != records[1].key())
    );
    filter(&mut state, "tag:owner");
    assert_eq!(
        shown(&state),
        oracle(&state, |r| r.key() == records[1].key())
    );
    // Alternatives of keys: either tag.
    filter(&mut state, "tag:owner|env");
    assert_eq!(shown(&state), oracle(&state, |_| true));
    // ANDed with the other terms.
    filter(&mut state, "tag:env=prod reg:yes");
    assert_eq!(
        shown(&state),
        oracle(&state, |r| is_prod(r) && r.registration_id.is_some())
    );

    // After a reload nothing is read: tag: shows nothing, and the notice says why.
    let generation = generation_of(&state.reload());
    for region in REGIONS {
        deliver(&mut state, generation, region);
    }
    filter(&mut state, "tag:env=prod");
    assert!(shown(&state).is_empty());
    let notice = state.notice.clone().unwrap_or_default();
    assert!(
        notice.contains("tag: sees only the tags read so far"),
        "{notice}"
    );
    // A tag read since is seen at once: the view follows the tags, nothing to invalidate.
    tags_read(&mut state, &records[0], &[("env", "prod")]);
    assert_eq!(
        shown(&state),
        oracle(&state, |r| r.key() == records[0].key())
    );
}
