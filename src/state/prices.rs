//! The price view (`p`): the sender IDs the table shows (after the filter), grouped by country,
//! region or message-type set, with count and exact monthly subtotal per group, sortable by
//! subtotal. Derived on demand from the table's view; it holds no state of its own beyond the
//! chosen dimension and order.

use super::State;
use super::view::Row;
use crate::domain::{SenderIdRecord, Total};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Dimension {
    #[default]
    Country,
    Region,
    MessageType,
}

impl Dimension {
    pub fn next(self) -> Self {
        match self {
            Self::Country => Self::Region,
            Self::Region => Self::MessageType,
            Self::MessageType => Self::Country,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Country => "country",
            Self::Region => "region",
            Self::MessageType => "message type",
        }
    }

    fn of(self, r: &SenderIdRecord) -> String {
        match self {
            Self::Country => r.country.clone(),
            Self::Region => r.region.clone(),
            Self::MessageType => r.message_type_label(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PriceSort {
    /// Highest subtotal first.
    #[default]
    Subtotal,
    Name,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PriceView {
    pub dimension: Dimension,
    pub sort: PriceSort,
}

/// One line of the price view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceGroup {
    pub name: String,
    pub total: Total,
}

/// The groups of the sender IDs currently shown, in the chosen order.
pub fn groups(state: &State) -> Vec<PriceGroup> {
    let mut by: BTreeMap<String, Total> = BTreeMap::new();
    let records = state.inventory.records();
    for row in &state.view.rows {
        if let Row::Item(i) = row {
            if let Some(r) = records.get(*i) {
                by.entry(state.prices.dimension.of(r))
                    .or_default()
                    .add(&r.price);
            }
        }
    }
    let mut out: Vec<PriceGroup> = by
        .into_iter()
        .map(|(name, total)| PriceGroup { name, total })
        .collect();
    if state.prices.sort == PriceSort::Subtotal {
        out.sort_by(|a, b| {
            b.total
                .sum
                .cmp(&a.total.sum)
                .then_with(|| a.name.cmp(&b.name))
        });
    }
    out
}
