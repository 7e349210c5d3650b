//! The display order of the table, written once: [`sort_key`] gives a record its place for a
//! sort mode, and everything that orders rows uses it — the inventory's comparison, the check
//! that a page merges into place, and the tests' plain computation of the view. Rows are grouped
//! by country, then message-type set (TRANSACTIONAL, PROMOTIONAL, both, others), then ordered by
//! the sort mode.

use crate::domain::SenderIdRecord;
use rust_decimal::Decimal;
use std::cmp::Reverse;

/// The sort the `s` key cycles through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum SortMode {
    /// Groups by country code; rows by region, then sender ID.
    #[default]
    Country,
    /// Groups by country code; rows by sender ID.
    SenderId,
    /// Groups by subtotal, highest first; rows by price, highest first.
    Price,
    /// Groups by country code; rows by region, then price.
    Region,
}

impl SortMode {
    /// Every sort mode, in the order `s` cycles through them.
    pub const ALL: [SortMode; 4] = [Self::Country, Self::SenderId, Self::Price, Self::Region];

    pub fn next(self) -> Self {
        match self {
            Self::Country => Self::SenderId,
            Self::SenderId => Self::Price,
            Self::Price => Self::Region,
            Self::Region => Self::Country,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Country => "country",
            Self::SenderId => "sender ID",
            Self::Price => "price (high first)",
            Self::Region => "region",
        }
    }

    /// Its place in [`SortMode::ALL`].
    pub fn slot(self) -> usize {
        match self {
            Self::Country => 0,
            Self::SenderId => 1,
            Self::Price => 2,
            Self::Region => 3,
        }
    }
}

/// The place of a message-type set among the others: TRANSACTIONAL, PROMOTIONAL, both, others.
pub fn label_rank(label: &str) -> u8 {
    match label {
        "TRANSACTIONAL" => 0,
        "PROMOTIONAL" => 1,
        "PROMOTIONAL+TRANSACTIONAL" | "TRANSACTIONAL+PROMOTIONAL" => 2,
        _ => 3,
    }
}

/// The row part of the key, per sort mode.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum RowKey<'a> {
    /// Region, sender ID, ARN.
    Country(&'a str, &'a str, &'a str),
    /// Sender ID, ARN, region.
    SenderId(&'a str, &'a str, &'a str),
    /// Price (high first, unreadable last), sender ID, ARN.
    Price(PriceKey, &'a str, &'a str),
    /// Region, price (high first, unreadable last), sender ID, ARN.
    Region(&'a str, PriceKey, &'a str, &'a str),
}

/// A price in descending order, unreadable last.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct PriceKey(bool, Option<Reverse<Decimal>>);

fn price_key(r: &SenderIdRecord) -> PriceKey {
    // `false` sorts first: readable prices (highest first), then unreadable ones.
    PriceKey(r.price.value.is_none(), r.price.value.map(Reverse))
}

/// A record's place in the display order of `sort`; `label` is its message-type label
/// ([`SenderIdRecord::message_type_label`]). Ties (the same sender ID twice) are broken by the
/// caller, by arrival.
pub fn sort_key<'a>(
    r: &'a SenderIdRecord,
    label: &'a str,
    sort: SortMode,
) -> (&'a str, u8, &'a str, RowKey<'a>) {
    let row = match sort {
        SortMode::Country => RowKey::Country(&r.region, &r.sender_id, &r.arn),
        SortMode::SenderId => RowKey::SenderId(&r.sender_id, &r.arn, &r.region),
        SortMode::Price => RowKey::Price(price_key(r), &r.sender_id, &r.arn),
        SortMode::Region => RowKey::Region(&r.region, price_key(r), &r.sender_id, &r.arn),
    };
    (&r.country, label_rank(label), label, row)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{MessageType, Ownership, Price};

    fn rec(
        country: &str,
        id: &str,
        region: &str,
        price: &str,
        types: &[MessageType],
    ) -> SenderIdRecord {
        SenderIdRecord {
            region: region.into(),
            arn: format!("arn:aws:sms-voice:{region}:111122223333:sender-id/{id}/{country}"),
            sender_id: id.into(),
            country: country.into(),
            message_types: types.to_vec(),
            price: Price::parse(price),
            deletion_protection: false,
            registered: false,
            registration_id: None,
            messaging_limits: None,
            pricing_tier: None,
            ownership: Ownership::Own,
        }
    }

    fn sorted(records: &[SenderIdRecord], sort: SortMode) -> Vec<String> {
        let labels: Vec<String> = records
            .iter()
            .map(SenderIdRecord::message_type_label)
            .collect();
        let mut order: Vec<usize> = (0..records.len()).collect();
        order.sort_by(|&a, &b| {
            sort_key(&records[a], &labels[a], sort).cmp(&sort_key(&records[b], &labels[b], sort))
        });
        order
            .into_iter()
            .map(|i| {
                format!(
                    "{} {} {}",
                    records[i].country, records[i].sender_id, records[i].region
                )
            })
            .collect()
    }

    #[test]
    fn the_display_order_is_what_the_screen_promises() {
        use MessageType::{Promotional as P, Transactional as T};
        let records = [
            rec("GB", "ZED", "us-east-1", "1.00", &[P]),
            rec("GB", "ALPHA", "eu-west-1", "n/a", &[T]),
            rec("GB", "BETA", "us-east-1", "9.00", &[T]),
            rec("FR", "OMEGA", "us-east-1", "2.00", &[T, P]),
            rec("GB", "GAMMA", "eu-west-1", "5.00", &[T]),
        ];
        // Country first, then TRANSACTIONAL before PROMOTIONAL before both; then the mode.
        assert_eq!(
            sorted(&records, SortMode::Country),
            [
                "FR OMEGA us-east-1",
                "GB ALPHA eu-west-1",
                "GB GAMMA eu-west-1",
                "GB BETA us-east-1",
                "GB ZED us-east-1"
            ]
        );
        assert_eq!(
            sorted(&records, SortMode::SenderId),
            [
                "FR OMEGA us-east-1",
                "GB ALPHA eu-west-1",
                "GB BETA us-east-1",
                "GB GAMMA eu-west-1",
                "GB ZED us-east-1"
            ]
        );
        // Highest price first, an unreadable price last.
        assert_eq!(
            sorted(&records, SortMode::Price),
            [
                "FR OMEGA us-east-1",
                "GB BETA us-east-1",
                "GB GAMMA eu-west-1",
                "GB ALPHA eu-west-1",
                "GB ZED us-east-1"
            ]
        );
        assert_eq!(
            sorted(&records, SortMode::Region),
            [
                "FR OMEGA us-east-1",
                "GB GAMMA eu-west-1",
                "GB ALPHA eu-west-1",
                "GB BETA us-east-1",
                "GB ZED us-east-1"
            ]
        );
    }
}
