//! The domain's own words for sender IDs, independent of the SDK: a [`SenderIdRecord`] as sidman
//! shows it, the stable [`Key`] that marks and outcomes are keyed by, message types that survive
//! values the service may add later, and money parsed as an exact decimal; the errors of a call
//! ([`error`]), the changes sidman makes with their outcomes ([`mutation`]) and the pools that hold
//! sender IDs ([`pool`]). Everything above the `aws` module speaks these types only, so the state,
//! the view and the exports never see SDK types.

pub mod error;
pub mod mutation;
pub mod pool;

pub use error::{ApiError, Cause, ErrorKind};
pub use mutation::{Mutation, Outcome, Reread, Response};
pub use pool::{Pool, PoolMember, PoolMembership};

use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::fmt;

/// A message type as the service names it. Unknown values (a type added after this build) are
/// kept verbatim instead of being dropped, so nothing the service says is hidden.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MessageType {
    Transactional,
    Promotional,
    Other(String),
}

impl MessageType {
    pub fn parse(s: &str) -> Self {
        match s {
            "TRANSACTIONAL" => Self::Transactional,
            "PROMOTIONAL" => Self::Promotional,
            other => Self::Other(other.to_owned()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Self::Transactional => "TRANSACTIONAL",
            Self::Promotional => "PROMOTIONAL",
            Self::Other(s) => s,
        }
    }
}

/// Who owns a sender ID: this account, or another account that shares it with this one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Ownership {
    Own,
    Shared,
}

/// The account ID in an ARN (`arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`), when it has one
/// made of digits.
pub fn account_of_arn(arn: &str) -> Option<&str> {
    let mut parts = arn.splitn(6, ':');
    if parts.next() != Some("arn") {
        return None;
    }
    let account = parts.nth(3)?;
    (!account.is_empty() && account.bytes().all(|b| b.is_ascii_digit())).then_some(account)
}

impl Ownership {
    /// The API's `Owner` value: `SELF` or `SHARED`.
    pub fn api_name(self) -> &'static str {
        match self {
            Self::Own => "SELF",
            Self::Shared => "SHARED",
        }
    }
}

/// The stable identity of a sender ID in sidman: region, country and the identifier that
/// `ReleaseSenderId` takes (the sender ID itself for one this account owns, the full ARN for a
/// shared one, as the service requires). Marks and outcomes are keyed by it, never by row number.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    pub region: String,
    pub country: String,
    pub id: String,
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.region, self.country, self.id)
    }
}

/// A monthly leasing price: the service's string kept as it came, with its exact decimal value
/// when it parses. An unparseable price is shown as it came and left out of sums.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Price {
    pub raw: String,
    pub value: Option<Decimal>,
}

impl Price {
    pub fn parse(raw: &str) -> Self {
        let trimmed = raw.trim();
        let value = trimmed
            .parse::<Decimal>()
            .ok()
            .filter(|d| !d.is_sign_negative());
        Self {
            raw: raw.to_owned(),
            value,
        }
    }
}

/// Sending limits the service reports for a sender ID (messages per second by capability, daily
/// caps by carrier).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MessagingLimits {
    pub rate_limits: BTreeMap<String, i64>,
    pub daily_message_caps: BTreeMap<String, i64>,
}

/// One sender ID as the service described it, in one region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SenderIdRecord {
    pub region: String,
    pub arn: String,
    pub sender_id: String,
    pub country: String,
    pub message_types: Vec<MessageType>,
    pub price: Price,
    pub deletion_protection: bool,
    pub registered: bool,
    pub registration_id: Option<String>,
    pub ownership: Ownership,
    pub messaging_limits: Option<MessagingLimits>,
    pub pricing_tier: Option<String>,
}

impl SenderIdRecord {
    pub fn key(&self) -> Key {
        Key {
            region: self.region.clone(),
            country: self.country.clone(),
            id: self.release_id().to_owned(),
        }
    }

    /// The account that owns it: the fifth field of its ARN
    /// (`arn:aws:sms-voice:REGION:ACCOUNT:sender-id/…`), when the ARN has one.
    pub fn account(&self) -> Option<&str> {
        account_of_arn(&self.arn)
    }

    /// What `ReleaseSenderId` (and a re-read) names it by: the sender ID for one this account
    /// owns, the full ARN for a shared one, as the service requires.
    pub fn release_id(&self) -> &str {
        match self.ownership {
            Ownership::Own => &self.sender_id,
            Ownership::Shared => &self.arn,
        }
    }

    /// The message types as one label, e.g. `TRANSACTIONAL+PROMOTIONAL`; `(none)` when empty.
    pub fn message_type_label(&self) -> String {
        message_type_label(&self.message_types)
    }
}

/// The label of a message-type set in a stable order, so that `[P, T]` and `[T, P]` group together.
pub fn message_type_label(types: &[MessageType]) -> String {
    if types.is_empty() {
        return "(none)".to_owned();
    }
    let mut sorted: Vec<&MessageType> = types.iter().collect();
    sorted.sort();
    sorted.dedup();
    sorted
        .iter()
        .map(|t| t.as_str())
        .collect::<Vec<_>>()
        .join("+")
}

/// Formats a US-dollar amount with two decimals at least, e.g. `$1,234.50`.
pub fn format_usd(amount: Decimal) -> String {
    let mut rounded = amount;
    if rounded.scale() < 2 {
        rounded.rescale(2);
    }
    let text = rounded.to_string();
    let (int_part, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut grouped = String::new();
    for (i, c) in int_part.chars().enumerate() {
        if i > 0 && (int_part.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("${grouped}.{frac}")
}

/// An exact sum of prices, with the count of prices that could not be parsed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Total {
    pub count: usize,
    pub sum: Decimal,
    pub unparsed: usize,
}

impl Total {
    pub fn add(&mut self, price: &Price) {
        self.count += 1;
        match price.value {
            Some(v) => self.sum += v,
            None => self.unparsed += 1,
        }
    }

    /// Takes a price back out (a sender ID that left the inventory's figures).
    pub fn remove(&mut self, price: &Price) {
        self.count = self.count.saturating_sub(1);
        match price.value {
            Some(v) => self.sum -= v,
            None => self.unparsed = self.unparsed.saturating_sub(1),
        }
    }

    pub fn of<'a>(prices: impl IntoIterator<Item = &'a Price>) -> Self {
        let mut total = Self::default();
        for p in prices {
            total.add(p);
        }
        total
    }

    /// `$123.00`, with a note when some prices could not be read.
    pub fn money(&self) -> String {
        if self.unparsed == 0 {
            format_usd(self.sum)
        } else {
            format!("{} (+{} unreadable)", format_usd(self.sum), self.unparsed)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_parse_exactly_and_sum_without_float_error() {
        let prices: Vec<Price> = ["0.10", "0.20", "abc", "3"]
            .iter()
            .map(|s| Price::parse(s))
            .collect();
        let total = Total::of(&prices);
        assert_eq!(total.sum, Decimal::new(330, 2));
        assert_eq!(total.unparsed, 1);
        assert_eq!(total.count, 4);
        assert_eq!(total.money(), "$3.30 (+1 unreadable)");
    }

    #[test]
    fn usd_formatting_groups_thousands() {
        assert_eq!(format_usd(Decimal::new(123_450, 2)), "$1,234.50");
        assert_eq!(format_usd(Decimal::new(5, 0)), "$5.00");
        assert_eq!(format_usd(Decimal::new(1_000_000, 0)), "$1,000,000.00");
        assert_eq!(format_usd(Decimal::new(12_345, 3)), "$12.345");
    }

    #[test]
    fn message_type_label_is_order_independent() {
        let a = [MessageType::Promotional, MessageType::Transactional];
        let b = [MessageType::Transactional, MessageType::Promotional];
        assert_eq!(message_type_label(&a), message_type_label(&b));
        assert_eq!(message_type_label(&[]), "(none)");
    }
}
