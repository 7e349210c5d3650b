//! The table as the operator sees it, derived from the inventory, the `/` filter and the sort:
//! groups by country then message-type set, each with a header row carrying its count and
//! monthly subtotal, then its members. Rows are indices into the inventory, never copies, and
//! the whole view is rebuilt only when its inputs change, not per frame.

use super::inventory::Inventory;
use crate::domain::{SenderIdRecord, Total};
use std::cmp::Ordering;

/// The sort the `s` key cycles through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
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
}

/// One group: sender IDs of one country sharing one message-type set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub country: String,
    pub types: String,
    pub total: Total,
    /// Inventory indices of the visible members, in display order.
    pub members: Vec<usize>,
}

/// A row of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    Header(usize),
    Item(usize),
}

#[derive(Debug, Default)]
pub struct View {
    pub groups: Vec<Group>,
    pub rows: Vec<Row>,
    /// Total of the visible sender IDs.
    pub total: Total,
}

impl View {
    /// Number of sender IDs shown (headers not counted).
    pub fn shown(&self) -> usize {
        self.total.count
    }

    /// Builds the view. `filter` is matched, case-insensitively, as a substring of the sender ID,
    /// country, region, registration ID or message types.
    pub fn build(inv: &Inventory, filter: &str, sort: SortMode) -> Self {
        let needle = filter.trim().to_lowercase();
        let records = inv.records();
        let mut visible: Vec<usize> = (0..records.len())
            .filter(|&i| needle.is_empty() || inv.haystack(i).contains(&needle))
            .collect();
        visible.sort_by(|&a, &b| {
            let (ra, rb) = (&records[a], &records[b]);
            ra.country
                .cmp(&rb.country)
                .then_with(|| type_rank(ra).cmp(&type_rank(rb)))
                .then_with(|| ra.message_type_label().cmp(&rb.message_type_label()))
                .then_with(|| row_order(ra, rb, sort))
        });
        let mut groups: Vec<Group> = Vec::new();
        let mut total = Total::default();
        for i in visible {
            let r = &records[i];
            total.add(&r.price);
            let same = groups
                .last()
                .is_some_and(|g| g.country == r.country && g.types == r.message_type_label());
            if !same {
                groups.push(Group {
                    country: r.country.clone(),
                    types: r.message_type_label(),
                    total: Total::default(),
                    members: Vec::new(),
                });
            }
            if let Some(g) = groups.last_mut() {
                g.total.add(&r.price);
                g.members.push(i);
            }
        }
        if sort == SortMode::Price {
            groups.sort_by(|a, b| {
                b.total
                    .sum
                    .cmp(&a.total.sum)
                    .then_with(|| a.country.cmp(&b.country))
                    .then_with(|| a.types.cmp(&b.types))
            });
        }
        let mut rows = Vec::with_capacity(groups.len() + total.count);
        for (gi, g) in groups.iter().enumerate() {
            rows.push(Row::Header(gi));
            rows.extend(g.members.iter().map(|&i| Row::Item(i)));
        }
        Self {
            groups,
            rows,
            total,
        }
    }

    /// The inventory index of the sender ID on a row, if it is not a header.
    pub fn item_at(&self, row: usize) -> Option<usize> {
        match self.rows.get(row) {
            Some(Row::Item(i)) => Some(*i),
            _ => None,
        }
    }
}

/// TRANSACTIONAL, then PROMOTIONAL, then both, then anything else.
fn type_rank(r: &SenderIdRecord) -> u8 {
    match r.message_type_label().as_str() {
        "TRANSACTIONAL" => 0,
        "PROMOTIONAL" => 1,
        "PROMOTIONAL+TRANSACTIONAL" | "TRANSACTIONAL+PROMOTIONAL" => 2,
        _ => 3,
    }
}

fn row_order(a: &SenderIdRecord, b: &SenderIdRecord, sort: SortMode) -> Ordering {
    let by_id = || {
        a.sender_id
            .cmp(&b.sender_id)
            .then_with(|| a.arn.cmp(&b.arn))
    };
    match sort {
        SortMode::Country => a.region.cmp(&b.region).then_with(by_id),
        SortMode::SenderId => by_id().then_with(|| a.region.cmp(&b.region)),
        SortMode::Price => price_desc(a, b).then_with(by_id),
        SortMode::Region => a
            .region
            .cmp(&b.region)
            .then_with(|| price_desc(a, b))
            .then_with(by_id),
    }
}

/// Highest price first; unreadable prices last.
fn price_desc(a: &SenderIdRecord, b: &SenderIdRecord) -> Ordering {
    match (a.price.value, b.price.value) {
        (Some(x), Some(y)) => y.cmp(&x),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}
