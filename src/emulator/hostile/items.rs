//! The bodies hostile mode answers with: sender IDs and release results whose strings carry
//! terminal escape sequences, records with members missing or unknown, pages of absurd size or
//! with tokens that loop or never end, and 200 bodies that are not JSON at all. Bulk pages are
//! written as text directly (plain ASCII names) so that 100,000 items cost milliseconds.

use serde_json::{Value, json};

use super::{Hostile, Malformed};
use crate::emulator::arn::{CALLER_ACCOUNT, SHARING_ACCOUNT, sender_id_arn};
use crate::emulator::protocol::ERROR_NAMESPACE;

/// The escape sequences and control characters hostile mode plants: set the window title (OSC 0),
/// write the clipboard (OSC 52), a hyperlink (OSC 8), clear the screen, C1 CSI, a device query
/// (DCS), bell, backspace, carriage return, NUL, DEL and the bidi overrides.
pub const PAYLOADS: [&str; 9] = [
    "\u{1b}]0;pwned\u{7}",
    "\u{1b}]52;c;ZWNobyBwd25lZA==\u{7}",
    "\u{1b}]8;;http://evil.example/\u{7}link\u{1b}]8;;\u{7}",
    "\u{1b}[2J\u{1b}[H",
    "\u{9b}31m",
    "\u{1b}P+q544e\u{1b}\\",
    "\u{7}\u{8}\u{8}\r\n\t\u{0}\u{7f}",
    "\u{202e}gnp.exe\u{202c}",
    "\u{2066}\u{2067}\u{2068}\u{2069}\u{200f}",
];

/// One message holding every payload.
pub(super) const HOSTILE_TEXT: &str = "Access \u{1b}]0;pwned\u{7}denied\u{1b}]52;c;ZWNobyBwd25lZA==\u{7} \
    \u{1b}[2J\u{1b}[Hclick \u{1b}]8;;http://evil.example/\u{7}here\u{1b}]8;;\u{7} \u{9b}31mred \
    \u{1b}P+q544e\u{1b}\\ \u{7}\u{8}\u{8}\r\nnext line\t\u{0}\u{7f} \u{202e}gnp.exe\u{202c} \
    \u{2066}\u{2067}\u{2068}\u{2069}\u{200f}end";

/// The page token of the second page in `Escapes` mode: it carries escapes too.
const ESCAPED_TOKEN: &str = "page-2\u{1b}]0;token\u{7}\u{9b}31m";

/// Which listing a DescribeSenderIds asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Owner {
    Own,
    Shared,
    /// Sender IDs named explicitly (`SenderIds`): a re-read.
    Either,
}

/// `com.amazonaws.pinpointsmsvoicev2#Name`.
pub(super) fn typed(name: &str) -> String {
    format!("{ERROR_NAMESPACE}{name}")
}

/// A string of `chars` characters that starts with escape sequences.
pub(super) fn huge(chars: usize) -> String {
    let mut s = String::with_capacity(chars + 16);
    s.push_str("\u{1b}[31m\u{9b}2J");
    while s.len() < chars {
        s.push_str("RRRRRRRRRRRRRRRR");
    }
    s.truncate(chars);
    s
}

/// The DescribeSenderIds body of one page.
pub(super) fn page(mode: &Hostile, region: &str, owner: Owner, token: Option<&str>) -> String {
    let (items, next): (Vec<String>, Option<String>) = match (mode, owner) {
        (Hostile::Escapes, Owner::Own) if token == Some(ESCAPED_TOKEN) => (
            vec![
                escaped(region, 3),
                plain(region, CALLER_ACCOUNT, "PLAIN", "GB"),
            ],
            None,
        ),
        (Hostile::Escapes, Owner::Own) => (
            vec![escaped(region, 1), escaped(region, 2)],
            Some(ESCAPED_TOKEN.to_owned()),
        ),
        (Hostile::Escapes, Owner::Shared) => (vec![escaped(region, 4)], None),
        (Hostile::Escapes, Owner::Either) => {
            let mut all: Vec<String> = (1..=4).map(|n| escaped(region, n)).collect();
            all.push(plain(region, CALLER_ACCOUNT, "PLAIN", "GB"));
            (all, None)
        }
        (Hostile::MissingMembers, Owner::Shared) => (
            vec![json!({"SenderId": "SHAREDNOARN", "IsoCountryCode": "DE"}).to_string()],
            None,
        ),
        (Hostile::MissingMembers, _) => (missing(region), None),
        (Hostile::UnknownEnums, Owner::Shared) => (Vec::new(), None),
        (Hostile::UnknownEnums, _) => (unknown_enums(region), None),
        (Hostile::HugeField { chars }, Owner::Own | Owner::Either) => {
            let mut item = plain_value(region, CALLER_ACCOUNT, "HUGE", "GB");
            item["RegistrationId"] = Value::String(huge(*chars));
            (vec![item.to_string()], None)
        }
        (Hostile::HugePage { items }, Owner::Own | Owner::Either) => (
            (0..*items)
                .map(|n| plain(region, CALLER_ACCOUNT, &format!("P{n:07}"), "GB"))
                .collect(),
            None,
        ),
        (Hostile::HugeToken { chars }, Owner::Own) => (
            vec![plain(region, CALLER_ACCOUNT, "T1", "GB")],
            Some("t".repeat(*chars)),
        ),
        (Hostile::RepeatingToken, Owner::Own) => {
            let (name, next) = match token {
                None => ("R1", "loop-a"),
                Some("loop-a") => ("R2", "loop-b"),
                _ => ("R3", "loop-a"),
            };
            let item = plain(region, CALLER_ACCOUNT, name, "GB");
            (vec![item], Some(next.to_owned()))
        }
        (Hostile::EndlessToken { items_per_page }, Owner::Own | Owner::Shared) => {
            endless(region, owner, token, *items_per_page)
        }
        _ => (Vec::new(), None),
    };
    let mut body = String::with_capacity(items.iter().map(|i| i.len() + 1).sum::<usize>() + 64);
    body.push_str("{\"SenderIds\":[");
    body.push_str(&items.join(","));
    body.push(']');
    if let Some(next) = next {
        body.push_str(",\"NextToken\":");
        body.push_str(&Value::String(next).to_string());
    }
    body.push('}');
    body
}

/// A page of an endless listing: `endless-N` asks for page N; every page names the next.
fn endless(
    region: &str,
    owner: Owner,
    token: Option<&str>,
    per_page: usize,
) -> (Vec<String>, Option<String>) {
    let n: usize = token
        .and_then(|t| t.strip_prefix("endless-"))
        .and_then(|t| t.parse().ok())
        .unwrap_or(0);
    let (account, prefix) = match owner {
        Owner::Shared => (SHARING_ACCOUNT, "S"),
        _ => (CALLER_ACCOUNT, "E"),
    };
    let items = (0..per_page)
        .map(|i| {
            let id = format!("{prefix}{}", n * per_page + i);
            plain(region, account, &id, "GB")
        })
        .collect();
    (items, Some(format!("endless-{}", n + 1)))
}

/// A well-formed sender ID, as text (names are plain ASCII, so no JSON escaping is needed).
fn plain(region: &str, account: &str, id: &str, country: &str) -> String {
    let arn = sender_id_arn(region, account, id, country);
    format!(
        "{{\"SenderIdArn\":\"{arn}\",\"SenderId\":\"{id}\",\"IsoCountryCode\":\"{country}\",\
         \"MessageTypes\":[\"TRANSACTIONAL\"],\"MonthlyLeasingPrice\":\"1.00\",\
         \"DeletionProtectionEnabled\":false,\"Registered\":false}}"
    )
}

fn plain_value(region: &str, account: &str, id: &str, country: &str) -> Value {
    json!({
        "SenderIdArn": sender_id_arn(region, account, id, country),
        "SenderId": id,
        "IsoCountryCode": country,
        "MessageTypes": ["TRANSACTIONAL"],
        "MonthlyLeasingPrice": "1.00",
        "DeletionProtectionEnabled": false,
        "Registered": false,
    })
}

/// Hostile sender ID number `n` (1–3 this account's, 4 shared; 3 is refused on release).
fn escaped(region: &str, n: u8) -> String {
    let (id, country, account) = match n {
        1 => ("AC\u{1b}[31mME", "GB", CALLER_ACCOUNT),
        2 => ("\u{202e}DIPER", "D\u{1b}[1mE", CALLER_ACCOUNT),
        3 => ("FAIL\u{8}\u{8}\u{8}\u{8}OK", "US", CALLER_ACCOUNT),
        _ => ("SH\u{1b}[8mARED", "IN", SHARING_ACCOUNT),
    };
    json!({
        "SenderIdArn": sender_id_arn(region, account, id, country),
        "SenderId": id,
        "IsoCountryCode": country,
        "MessageTypes": ["TRANSACTIONAL", "PROMO\u{1b}[5mTIONAL"],
        "MonthlyLeasingPrice": format!("\u{1b}[2J\u{1b}[H1{n}.50"),
        "DeletionProtectionEnabled": n == 2,
        "Registered": n == 1,
        "RegistrationId": format!("reg-{}-{n}", PAYLOADS[usize::from(n) % PAYLOADS.len()]),
        "PricingTier": "\u{9b}31mTIER\u{202e}",
        "MessagingLimits": {
            "RateLimits": {"SMS\u{1b}]52;c;ZXZpbA==\u{7}": 10, "VOICE\r\n": 1},
            "DailyMessageCaps": {"T-MOBILE\u{202e}": 500, "\u{1b}[2JAT&T": 1000},
        },
    })
    .to_string()
}

/// Sender IDs with required members left out (see [`Hostile::MissingMembers`]).
fn missing(region: &str) -> Vec<String> {
    let mut no_id = plain_value(region, CALLER_ACCOUNT, "NOSID", "GB");
    if let Some(o) = no_id.as_object_mut() {
        o.remove("SenderId");
    }
    let mut no_country = plain_value(region, CALLER_ACCOUNT, "NOCOUNTRY", "GB");
    if let Some(o) = no_country.as_object_mut() {
        o.remove("IsoCountryCode");
    }
    vec![
        plain(region, CALLER_ACCOUNT, "COMPLETE", "GB"),
        no_id.to_string(),
        no_country.to_string(),
        json!({"SenderId": "BARE", "IsoCountryCode": "FR"}).to_string(),
        "{}".to_owned(),
    ]
}

/// Sender IDs with message types the model does not know.
fn unknown_enums(region: &str) -> Vec<String> {
    [
        ("CONVO", vec!["CONVERSATIONAL"]),
        ("MIXED", vec!["TRANSACTIONAL", "FUTURE_TYPE"]),
        ("NOTYPE", vec![]),
    ]
    .into_iter()
    .map(|(id, types)| {
        let mut item = plain_value(region, CALLER_ACCOUNT, id, "GB");
        item["MessageTypes"] = json!(types);
        item.to_string()
    })
    .collect()
}

/// A 200 body that is not what the model describes.
pub(super) fn malformed(kind: Malformed) -> Vec<u8> {
    match kind {
        Malformed::Truncated => {
            b"{\"SenderIds\":[{\"SenderId\":\"TRUNC\\u001b[31m\",\"IsoCountryCode\":\"GB\"".to_vec()
        }
        Malformed::NotJson => {
            b"<html><body>\x1b]0;pwned\x07502 Bad Gateway\x1b[2J</body></html>".to_vec()
        }
        Malformed::WrongTypes => {
            b"{\"SenderIds\":{\"SenderId\":[1,2]},\"NextToken\":42,\"Registered\":\"yes\"}".to_vec()
        }
        Malformed::InvalidUtf8 => {
            b"{\"SenderIds\":[{\"SenderId\":\"\xff\xfe\xc0\",\"IsoCountryCode\":\"GB\"}]}".to_vec()
        }
    }
}

/// A ConflictException with escape sequences in every member.
pub(super) fn hostile_conflict() -> Value {
    json!({
        "__type": typed("ConflictException"),
        "Message": HOSTILE_TEXT,
        "Reason": "DELETION_PROTECTION_ENABLED\u{1b}[31m",
        "ResourceType": "sender-id\u{7}",
        "ResourceId": "\u{1b}]8;;http://evil.example/\u{7}id\u{1b}]8;;\u{7}",
    })
}

/// A ReleaseSenderId result with escape sequences in every string.
pub(super) fn hostile_release(region: &str, id: &str, country: &str) -> Value {
    json!({
        "SenderIdArn": format!("{}\u{1b}]0;arn\u{7}", sender_id_arn(region, CALLER_ACCOUNT, id, country)),
        "SenderId": format!("{id}\u{1b}[0m\u{202e}"),
        "IsoCountryCode": country,
        "MessageTypes": ["TRANSACTIONAL\u{9b}2J"],
        "MonthlyLeasingPrice": "\u{1b}[2J9.99",
        "Registered": false,
        "RegistrationId": "\u{9b}6n\u{1b}[6n",
    })
}

/// An ordinary ReleaseSenderId result.
pub(super) fn plain_release(region: &str, id: &str, country: &str) -> Value {
    json!({
        "SenderIdArn": sender_id_arn(region, CALLER_ACCOUNT, id, country),
        "SenderId": id,
        "IsoCountryCode": country,
        "MessageTypes": ["TRANSACTIONAL"],
        "MonthlyLeasingPrice": "1.00",
        "Registered": false,
    })
}

/// Tags with escape sequences in keys and values.
pub(super) fn hostile_tags() -> Value {
    json!([
        {"Key": "owner\u{1b}]0;pwned\u{7}", "Value": "\u{1b}[2J\u{202e}team"},
        {"Key": "cost\u{9b}31m", "Value": HOSTILE_TEXT},
        {"Key": "Name", "Value": "pool \u{1b}]0;pwned\u{7}name\u{202e}"},
    ])
}
