//! Deterministic fixtures shared by the state and render tests: 21 sender IDs over three regions
//! and nine countries (registered ones with a RegistrationId, deletion-protected ones, one shared
//! from account 444455556666, one with an unreadable price, message types T, P and both), a
//! session, a loader that feeds pages the way `effects.rs` does (in a scrambled order), key
//! helpers, and service answers with fixed request IDs so snapshots never change.
#![allow(dead_code)]

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use rust_decimal::Decimal;
use sidman::action::{Action, Effect, Input, Outcome};
use sidman::aws::{ApiError, ErrorKind, Reread, Response};
use sidman::domain::{Key, MessageType, Ownership, Price, SenderIdRecord};
use sidman::state::{Session, State, update};
use std::time::{Duration, Instant};

pub const US: &str = "us-east-1";
pub const EU: &str = "eu-west-2";
pub const AP: &str = "ap-southeast-2";
pub const REGIONS: [&str; 3] = [US, EU, AP];
pub const ACCOUNT: &str = "111122223333";
pub const SHARING_ACCOUNT: &str = "444455556666";
pub const SHARED_ARN: &str = "arn:aws:sms-voice:us-east-1:444455556666:sender-id/SHAREDCO/GB";

const T: &str = "T";
const P: &str = "P";
const TP: &str = "TP";
const PT: &str = "PT";

/// (region, sender ID, country, types, price, protected, registration ID)
type Row = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    bool,
    Option<&'static str>,
);

const OWN: [Row; 20] = [
    (US, "ACMEBANK", "GB", T, "10.00", false, None),
    (US, "ACMEPROMO", "GB", P, "10.00", false, None),
    (US, "ACMEINFO", "GB", TP, "12.50", false, None),
    (US, "ACMEOTP", "DE", T, "8.25", true, None),
    (US, "ACMEDE", "DE", PT, "8.25", false, None),
    (
        US,
        "ACMEIN",
        "IN",
        T,
        "3.00",
        false,
        Some("registration-1a2b3c4d5e6f40718293a4b5c6d7e8f9"),
    ),
    (
        US,
        "ACMEINP",
        "IN",
        P,
        "3.00",
        false,
        Some("registration-2b3c4d5e6f7a41829304b5c6d7e8f90a"),
    ),
    (US, "ACMEUAE", "AE", T, "4.00", false, None),
    (EU, "ACMEBANK", "GB", T, "10.00", false, None),
    (EU, "ACMEFR", "FR", T, "7.40", false, None),
    (EU, "ACMEFRP", "FR", P, "7.40", true, None),
    (EU, "ACMEAE", "AE", T, "n/a", false, None),
    (
        EU,
        "ACMESG",
        "SG",
        TP,
        "25.00",
        false,
        Some("registration-3c4d5e6f7a8b42930415c6d7e8f90a1b"),
    ),
    (EU, "ACMEDE2", "DE", T, "8.25", false, None),
    (AP, "ACMEAU", "AU", T, "1.50", false, None),
    (AP, "ACMEAUP", "AU", P, "1.50", false, None),
    (
        AP,
        "ACMEAUX",
        "AU",
        TP,
        "2.75",
        false,
        Some("registration-4d5e6f7a8b9c43a41526d7e8f90a1b2c"),
    ),
    (AP, "ACMENZ", "NZ", T, "4.10", false, None),
    (AP, "ACMESG2", "SG", T, "25.00", false, None),
    (AP, "ACMEPH", "PH", P, "15.00", false, None),
];

fn types(code: &str) -> Vec<MessageType> {
    code.chars()
        .map(|c| match c {
            'T' => MessageType::Transactional,
            _ => MessageType::Promotional,
        })
        .collect()
}

fn build(row: &Row, ownership: Ownership) -> SenderIdRecord {
    let (region, sender_id, country, ty, price, protected, reg) = *row;
    let account = match ownership {
        Ownership::Own => ACCOUNT,
        Ownership::Shared => SHARING_ACCOUNT,
    };
    SenderIdRecord {
        region: region.to_owned(),
        arn: format!("arn:aws:sms-voice:{region}:{account}:sender-id/{sender_id}/{country}"),
        sender_id: sender_id.to_owned(),
        country: country.to_owned(),
        message_types: types(ty),
        price: Price::parse(price),
        deletion_protection: protected,
        registered: reg.is_some(),
        registration_id: reg.map(str::to_owned),
        ownership,
        messaging_limits: None,
        pricing_tier: None,
    }
}

/// The sender ID account 444455556666 shares with this one.
pub fn shared_record() -> SenderIdRecord {
    build(
        &(US, "SHAREDCO", "GB", T, "10.00", false, None),
        Ownership::Shared,
    )
}

/// Every fixture record, own ones first.
pub fn records() -> Vec<SenderIdRecord> {
    let mut all: Vec<SenderIdRecord> = OWN.iter().map(|r| build(r, Ownership::Own)).collect();
    all.push(shared_record());
    all
}

pub fn records_of(region: &str, ownership: Ownership) -> Vec<SenderIdRecord> {
    records()
        .into_iter()
        .filter(|r| r.region == region && r.ownership == ownership)
        .collect()
}

/// The fixture record of this sender ID in this region (panics when there is none).
pub fn record(sender_id: &str, region: &str) -> SenderIdRecord {
    records()
        .into_iter()
        .find(|r| r.sender_id == sender_id && r.region == region)
        .unwrap_or_else(|| panic!("no fixture {sender_id} in {region}"))
}

pub fn key(sender_id: &str, region: &str) -> Key {
    record(sender_id, region).key()
}

pub fn dec(s: &str) -> Decimal {
    s.parse().unwrap_or_else(|_| panic!("not a decimal: {s}"))
}

pub fn session() -> Session {
    Session {
        profile: "ops".to_owned(),
        regions: REGIONS.iter().map(|r| (*r).to_owned()).collect(),
        endpoint: None,
        read_only: false,
        demo: false,
        journal_error: None,
        credentials: String::new(),
        account: None,
        osc52: true,
    }
}

pub fn read_only_session() -> Session {
    Session {
        read_only: true,
        ..session()
    }
}

/// The generation a set of `LoadRegion` effects asks for.
pub fn generation_of(effects: &[Effect]) -> u64 {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::LoadRegion { generation, .. } => Some(*generation),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no LoadRegion effect in {effects:?}"))
}

pub fn page(
    state: &mut State,
    generation: u64,
    region: &str,
    ownership: Ownership,
    records: Vec<SenderIdRecord>,
) {
    let effects = update(
        state,
        Action::PageLoaded {
            generation,
            region: region.to_owned(),
            ownership,
            records,
        },
    );
    assert!(effects.is_empty(), "a page starts no work: {effects:?}");
}

pub fn listed(
    state: &mut State,
    generation: u64,
    region: &str,
    ownership: Ownership,
    result: Result<(), ApiError>,
) {
    let effects = update(
        state,
        Action::RegionListed {
            generation,
            region: region.to_owned(),
            ownership,
            result,
        },
    );
    assert!(
        effects
            .iter()
            .all(|e| matches!(e, Effect::SettleJournal { .. } | Effect::LoadPools { .. })),
        "a listing end starts no work but reading pools and settling the journal: {effects:?}"
    );
    if effects
        .iter()
        .any(|e| matches!(e, Effect::LoadPools { .. }))
    {
        // The region's pools: none, in the fixtures.
        update(
            state,
            Action::PoolsRead {
                generation,
                region: region.to_owned(),
                result: Ok(Vec::new()),
            },
        );
    }
}

/// Feeds one region completely: own listing in two pages (second page first), shared listing,
/// both listings ended with success.
pub fn deliver(state: &mut State, generation: u64, region: &str) {
    let own = records_of(region, Ownership::Own);
    let half = own.len() / 2;
    page(
        state,
        generation,
        region,
        Ownership::Own,
        own[half..].to_vec(),
    );
    let shared = records_of(region, Ownership::Shared);
    if !shared.is_empty() {
        page(state, generation, region, Ownership::Shared, shared);
    }
    page(
        state,
        generation,
        region,
        Ownership::Own,
        own[..half].to_vec(),
    );
    listed(state, generation, region, Ownership::Shared, Ok(()));
    listed(state, generation, region, Ownership::Own, Ok(()));
}

/// A state with every region loaded, regions delivered in a scrambled order.
pub fn loaded_with(session: Session) -> State {
    let mut state = State::new(session);
    let effects = state.reload();
    let generation = generation_of(&effects);
    for region in [EU, AP, US] {
        deliver(&mut state, generation, region);
    }
    state
}

pub fn loaded() -> State {
    loaded_with(session())
}

thread_local! {
    /// The test's clock: it moves only when the test says time passed ([`pass`]), so the
    /// review's dwell is exercised without waiting.
    static NOW: std::cell::Cell<Option<Instant>> = const { std::cell::Cell::new(None) };
}

/// The test's current time.
pub fn now() -> Instant {
    NOW.with(|n| {
        let t = n.get().unwrap_or_else(Instant::now);
        n.set(Some(t));
        t
    })
}

/// Lets `d` pass on the test's clock, and tells the state (a tick).
pub fn pass(state: &mut State, d: Duration) {
    let t = now() + d;
    NOW.with(|n| n.set(Some(t)));
    update(state, Action::Tick { at: t });
}

/// Lets the review's dwell pass.
pub fn dwell(state: &mut State) {
    pass(state, sidman::state::confirm::DWELL);
}

/// Applies an action as the TUI loop does: then, when the state waits for a frame (a sheet just
/// opened), the frame is drawn (nothing was waiting to flush).
pub fn step(state: &mut State, action: Action) -> Vec<Effect> {
    let effects = update(state, action);
    if state.awaits_frame() {
        update(
            state,
            Action::Drawn {
                at: now(),
                flushed: 0,
            },
        );
    }
    effects
}

/// One burst of input, as the terminal delivers keys typed or sent together.
pub fn burst(state: &mut State, inputs: Vec<Input>) -> Vec<Effect> {
    step(
        state,
        Action::Input {
            at: now(),
            events: inputs,
        },
    )
}

pub fn key_event(code: KeyCode) -> Action {
    Action::Input {
        at: now(),
        events: vec![Input::Key(KeyEvent::new(code, KeyModifiers::NONE))],
    }
}

/// The keys of `text`, one per character.
pub fn keys_of(text: &str) -> Vec<Input> {
    text.chars()
        .map(|c| Input::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)))
        .collect()
}

pub fn press(state: &mut State, code: KeyCode) -> Vec<Effect> {
    step(state, key_event(code))
}

pub fn ch(state: &mut State, c: char) -> Vec<Effect> {
    press(state, KeyCode::Char(c))
}

pub fn ctrl(state: &mut State, c: char) -> Vec<Effect> {
    burst(
        state,
        vec![Input::Key(KeyEvent::new(
            KeyCode::Char(c),
            KeyModifiers::CONTROL,
        ))],
    )
}

/// Pastes `text` (a bracketed paste).
pub fn paste(state: &mut State, text: &str) -> Vec<Effect> {
    burst(state, vec![Input::Paste(text.to_owned())])
}

/// Types each character of `text` (no Enter); returns every effect that came out.
pub fn type_text(state: &mut State, text: &str) -> Vec<Effect> {
    text.chars().flat_map(|c| ch(state, c)).collect()
}

/// Moves the cursor with `g` and `j` until it is on `key`.
pub fn cursor_to(state: &mut State, key: &Key) {
    ch(state, 'g');
    for _ in 0..=state.view.rows.len() {
        if state.cursor_key().as_ref() == Some(key) {
            return;
        }
        ch(state, 'j');
    }
    panic!("{key} is not a visible row");
}

/// Moves the cursor with `g` and `j` onto the header of the group of this country and type label.
pub fn cursor_to_group(state: &mut State, country: &str, types: &str) {
    ch(state, 'g');
    for _ in 0..=state.view.rows.len() {
        if let Some(sidman::state::view::Row::Header(g)) = state.view.rows.get(state.cursor) {
            let group = &state.view.groups[*g];
            if group.country == country && group.types == types {
                return;
            }
        }
        ch(state, 'j');
    }
    panic!("no visible group {country} {types}");
}

/// Marks these sender IDs with space, moving the cursor onto each.
pub fn mark(state: &mut State, keys: &[Key]) {
    for k in keys {
        cursor_to(state, k);
        assert!(!state.marks().contains(k), "{k} was already marked");
        ch(state, ' ');
    }
}

/// Opens the review, reads it for the dwell, types `release` and presses Enter; returns the
/// effects of the Enter.
pub fn confirm_release(state: &mut State) -> Vec<Effect> {
    ch(state, 'D');
    assert!(
        matches!(state.mode, sidman::state::Mode::Review(_)),
        "D opens the review sheet"
    );
    assert!(type_text(state, "release").is_empty());
    dwell(state);
    press(state, KeyCode::Enter)
}

/// The service's answer to a re-read that found every key unchanged.
pub fn reread_unchanged(keys: &[Key]) -> Vec<(Key, Reread)> {
    keys.iter()
        .map(|k| {
            let r = records()
                .into_iter()
                .find(|r| r.key() == *k)
                .unwrap_or_else(|| panic!("no fixture for {k}"));
            (k.clone(), Reread::Present(Box::new(r)))
        })
        .collect()
}

/// A ReleaseSenderId response as the service gives it for this record, with a fixed request ID.
pub fn released_response(r: &SenderIdRecord, request_id: &str) -> Response {
    let types: Vec<&str> = r.message_types.iter().map(MessageType::as_str).collect();
    let mut fields = vec![
        ("SenderIdArn", r.arn.clone()),
        ("SenderId", r.sender_id.clone()),
        ("IsoCountryCode", r.country.clone()),
        ("MessageTypes", types.join(", ")),
        ("MonthlyLeasingPrice", r.price.raw.clone()),
        ("Registered", r.registered.to_string()),
    ];
    if let Some(reg) = &r.registration_id {
        fields.push(("RegistrationId", reg.clone()));
    }
    Response {
        fields,
        request_id: Some(request_id.to_owned()),
    }
}

pub fn released_ok(r: &SenderIdRecord, request_id: &str) -> Outcome {
    Outcome::Done {
        response: Some(released_response(r, request_id)),
        note: None,
    }
}

/// A ConflictException from ReleaseSenderId with this reason, with a fixed request ID.
pub fn conflict(r: &SenderIdRecord, reason: &str, message: &str, request_id: &str) -> ApiError {
    ApiError {
        kind: ErrorKind::Service,
        code: "ConflictException".to_owned(),
        reason: Some(reason.to_owned()),
        message: message.to_owned(),
        request_id: Some(request_id.to_owned()),
        resource_type: Some("sender-id".to_owned()),
        resource_id: Some(r.sender_id.clone()),
        fields: Vec::new(),
        cause: None,
    }
}

pub fn failed(error: ApiError) -> Outcome {
    Outcome::Failed { error, note: None }
}

/// An error of a listing or re-read, as the service gives it.
pub fn access_denied() -> ApiError {
    ApiError {
        kind: ErrorKind::Service,
        code: "AccessDeniedException".to_owned(),
        reason: Some("ACCOUNT_DISABLED".to_owned()),
        message: "Account is disabled in this region".to_owned(),
        request_id: Some("0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9".to_owned()),
        resource_type: None,
        resource_id: None,
        fields: Vec::new(),
        cause: None,
    }
}

/// The Release effects among `effects`, as keys.
pub fn release_keys(effects: &[Effect]) -> Vec<Key> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Mutate { record, .. } => Some(record.key()),
            _ => None,
        })
        .collect()
}

/// The Reread effects among `effects`: (batch, region, keys).
pub fn rereads(effects: &[Effect]) -> Vec<(u64, String, Vec<Key>)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Reread {
                batch,
                region,
                keys,
            } => Some((*batch, region.clone(), keys.clone())),
            _ => None,
        })
        .collect()
}
