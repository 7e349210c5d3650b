//! The price view (`p`): the sender IDs the table shows (after the filter), grouped by country,
//! region or message-type set, with count and exact monthly subtotal per group, sortable by
//! subtotal. Derived on demand from the table's view; it holds no state of its own beyond the
//! chosen dimension and order.

use super::State;
use crate::domain::Total;
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

/// The groups of the sender IDs currently shown, in the chosen order. Country and message type
/// add up the table's groups (a handful); region walks the shown rows without allocating.
pub fn groups(state: &State) -> Vec<PriceGroup> {
    let view = &state.view;
    let mut by: BTreeMap<&str, Total> = BTreeMap::new();
    match state.prices.dimension {
        Dimension::Country | Dimension::MessageType => {
            for g in &view.groups {
                let name = match state.prices.dimension {
                    Dimension::Country => g.country.as_str(),
                    _ => g.types.as_str(),
                };
                let t = by.entry(name).or_default();
                t.count += g.total.count;
                t.sum += g.total.sum;
                t.unparsed += g.total.unparsed;
            }
        }
        Dimension::Region => {
            let inv = &state.inventory;
            let names = inv.region_names();
            let mut regions = vec![Total::default(); names.len()];
            for i in view.items().filter(|&i| !inv.is_gone(i)) {
                if let Some(t) = regions.get_mut(inv.region_of(i)) {
                    t.count += 1;
                    match inv.price_of(i) {
                        Some(v) => t.sum += v,
                        None => t.unparsed += 1,
                    }
                }
            }
            by.extend(
                names
                    .iter()
                    .zip(regions)
                    .filter(|(_, t)| t.count > 0)
                    .map(|(name, t)| (name.as_str(), t)),
            );
        }
    }
    let mut out: Vec<PriceGroup> = by
        .into_iter()
        .map(|(name, total)| PriceGroup {
            name: name.to_owned(),
            total,
        })
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
