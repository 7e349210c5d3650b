//! The price view (`p`), an audit of the monthly leasing prices of what the table shows (after
//! the filter; released sender IDs count for nothing): one line per group — by country, by
//! country and message-type set (the table's own grouping), by region or by message-type set
//! (Tab) — with count, exact subtotal, share of the total, and this account's and shared
//! sender IDs apart; sortable by subtotal or name (`s`). It has a cursor like every list; Enter
//! opens the group under it in the table ([`Scope`]), and `x` exports the summary shown as CSV
//! ([`summary_csv`]). Derived on demand from the table's view: it holds nothing but the chosen
//! grouping, order and cursor.

use super::State;
use super::view::Scope;
use crate::domain::{Ownership, Total};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Dimension {
    #[default]
    Country,
    /// Country x message-type set: the table's groups.
    CountryType,
    Region,
    MessageType,
}

impl Dimension {
    pub fn next(self) -> Self {
        match self {
            Self::Country => Self::CountryType,
            Self::CountryType => Self::Region,
            Self::Region => Self::MessageType,
            Self::MessageType => Self::Country,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Country => "country",
            Self::CountryType => "country x message type",
            Self::Region => "region",
            Self::MessageType => "message type",
        }
    }

    /// The CSV columns that name a group.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Self::Country => &["IsoCountryCode"],
            Self::CountryType => &["IsoCountryCode", "MessageTypes"],
            Self::Region => &["Region"],
            Self::MessageType => &["MessageTypes"],
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
    /// The group under the cursor, by position in [`groups`].
    pub cursor: usize,
}

/// Count and subtotal of this account's sender IDs and of those shared from another account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Split {
    pub own: Total,
    pub shared: Total,
}

impl Split {
    pub fn total(&self) -> Total {
        Total {
            count: self.own.count + self.shared.count,
            sum: self.own.sum + self.shared.sum,
            unparsed: self.own.unparsed + self.shared.unparsed,
        }
    }

    fn merge(&mut self, other: &Split) {
        for (a, b) in [
            (&mut self.own, &other.own),
            (&mut self.shared, &other.shared),
        ] {
            a.count += b.count;
            a.sum += b.sum;
            a.unparsed += b.unparsed;
        }
    }
}

/// One line of the price view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceGroup {
    /// The group's cells: one, or country and message types.
    pub names: Vec<String>,
    /// What Enter opens in the table.
    pub scope: Scope,
    pub total: Total,
    pub split: Split,
}

impl PriceGroup {
    /// The group's name as one string: `DE`, `DE TRANSACTIONAL`.
    pub fn name(&self) -> String {
        self.names.join(" ")
    }
}

/// Rows of a terminal `height` high the price view does not list groups in: the header (3),
/// the view's title and column titles (2), the total, own and shared lines (3), the position
/// line (1), the notice and the footer (2), and the release gauge when there is one.
pub fn page(state: &State) -> usize {
    let chrome = 11 + u16::from(state.batch.is_some());
    usize::from(state.height.saturating_sub(chrome)).max(1)
}

/// The share of `part` in `whole`, in percent to one decimal; `None` when the whole is zero.
pub fn share(part: Decimal, whole: Decimal) -> Option<Decimal> {
    (!whole.is_zero()).then(|| (part * Decimal::ONE_HUNDRED / whole).round_dp(1))
}

/// The shown sender IDs that are not released, split by ownership: the view's total apart.
pub fn overall(state: &State) -> Split {
    let mut split = Split::default();
    for g in groups(state) {
        split.merge(&g.split);
    }
    split
}

/// The groups of the sender IDs currently shown, in the chosen order. Each table group is added
/// up once and merged into its line; by region, the shown rows are walked.
pub fn groups(state: &State) -> Vec<PriceGroup> {
    let view = &state.view;
    let inv = &state.inventory;
    let records = inv.records();
    let add = |split: &mut Split, i: usize| {
        let t = match records.get(i).map(|r| r.ownership) {
            Some(Ownership::Shared) => &mut split.shared,
            _ => &mut split.own,
        };
        t.count += 1;
        match inv.price_of(i) {
            Some(v) => t.sum += v,
            None => t.unparsed += 1,
        }
    };
    let mut by: BTreeMap<Scope, Split> = BTreeMap::new();
    match state.prices.dimension {
        Dimension::Region => {
            let names = inv.region_names();
            let mut regions = vec![Split::default(); names.len()];
            for i in view.items().filter(|&i| !inv.is_gone(i)) {
                if let Some(split) = regions.get_mut(inv.region_of(i)) {
                    add(split, i);
                }
            }
            by.extend(
                names
                    .iter()
                    .zip(regions)
                    .filter(|(_, s)| s.total().count > 0)
                    .map(|(name, s)| (Scope::Region(name.clone()), s)),
            );
        }
        dimension => {
            for g in &view.groups {
                let mut split = Split::default();
                for &i in g.members.iter().filter(|&&i| !inv.is_gone(i)) {
                    add(&mut split, i);
                }
                if split.total().count == 0 {
                    continue;
                }
                let scope = match dimension {
                    Dimension::Country => Scope::Country(g.country.clone()),
                    Dimension::CountryType => {
                        Scope::CountryTypes(g.country.clone(), g.types.clone())
                    }
                    _ => Scope::Types(g.types.clone()),
                };
                by.entry(scope).or_default().merge(&split);
            }
        }
    }
    let mut out: Vec<PriceGroup> = by
        .into_iter()
        .map(|(scope, split)| PriceGroup {
            names: match &scope {
                Scope::Country(c) | Scope::Region(c) | Scope::Types(c) => vec![c.clone()],
                Scope::CountryTypes(c, t) => vec![c.clone(), t.clone()],
            },
            scope,
            total: split.total(),
            split,
        })
        .collect();
    if state.prices.sort == PriceSort::Subtotal {
        out.sort_by(|a, b| {
            b.total
                .sum
                .cmp(&a.total.sum)
                .then_with(|| a.names.cmp(&b.names))
        });
    }
    out
}

/// The summary the price view shows, as CSV rows (a header first): the group's cells, count,
/// subtotal, share, then own and shared counts and subtotals and the unreadable prices; the
/// total last. Amounts are exact decimals as the service gave them, without `$`.
pub fn summary_csv(state: &State) -> Vec<Vec<String>> {
    let dimension = state.prices.dimension;
    let mut header: Vec<String> = dimension
        .columns()
        .iter()
        .map(|c| (*c).to_owned())
        .collect();
    header.extend(
        [
            "Count",
            "MonthlyLeasingPrice",
            "SharePercent",
            "OwnCount",
            "OwnMonthlyLeasingPrice",
            "SharedCount",
            "SharedMonthlyLeasingPrice",
            "UnreadablePrices",
        ]
        .map(str::to_owned),
    );
    let groups = groups(state);
    let mut all = Split::default();
    for g in &groups {
        all.merge(&g.split);
    }
    let whole = all.total().sum;
    let row = |names: Vec<String>, split: &Split| {
        let total = split.total();
        let mut cells = names;
        cells.extend([
            total.count.to_string(),
            total.sum.to_string(),
            share(total.sum, whole).map_or_else(String::new, |s| format!("{s:.1}")),
            split.own.count.to_string(),
            split.own.sum.to_string(),
            split.shared.count.to_string(),
            split.shared.sum.to_string(),
            total.unparsed.to_string(),
        ]);
        cells
    };
    let mut rows = vec![header];
    rows.extend(groups.iter().map(|g| row(g.names.clone(), &g.split)));
    let mut total_names = vec!["TOTAL".to_owned()];
    total_names.resize(dimension.columns().len(), String::new());
    rows.push(row(total_names, &all));
    rows
}
