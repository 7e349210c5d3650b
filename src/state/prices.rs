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
use crate::domain::Total;
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
    let add = |tally: &mut Tally, i: usize| tally.add(inv.price_id(i), inv.is_shared(i));
    let mut by: BTreeMap<Scope, Split> = BTreeMap::new();
    match state.prices.dimension {
        Dimension::Region => {
            // The shown rows, walked once, each counted in its region's tally.
            let names = inv.region_names();
            let mut tallies: Vec<Tally> = names
                .iter()
                .map(|_| Tally::new(inv.price_count()))
                .collect();
            for i in view.items().filter(|&i| !inv.is_gone(i)) {
                if let Some(tally) = tallies.get_mut(inv.region_of(i)) {
                    add(tally, i);
                }
            }
            for (name, mut tally) in names.iter().zip(tallies) {
                let split = tally.take(inv);
                if split.total().count > 0 {
                    by.insert(Scope::Region(name.clone()), split);
                }
            }
        }
        dimension => {
            let mut tally = Tally::new(inv.price_count());
            for g in &view.groups {
                g.members
                    .iter()
                    .copied()
                    .filter(|&i| !inv.is_gone(i))
                    .for_each(|i| add(&mut tally, i));
                let split = tally.take(inv);
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

/// Counts of sender IDs by price (prices are interned: a few hundred distinct values serve
/// 100,000 records), this account's and shared apart: adding a sender ID is an increment, and
/// the exact sums are worked out once per group from the counts (one multiplication per price)
/// rather than by a decimal addition per sender ID.
struct Tally {
    /// Own and shared counts per price id.
    counts: Vec<[u64; 2]>,
    /// The price ids counted since the last [`Tally::take`].
    touched: Vec<usize>,
}

impl Tally {
    fn new(prices: usize) -> Self {
        Self {
            counts: vec![[0; 2]; prices],
            touched: Vec::new(),
        }
    }

    fn add(&mut self, price: usize, shared: bool) {
        if let Some(c) = self.counts.get_mut(price) {
            if *c == [0, 0] {
                self.touched.push(price);
            }
            c[usize::from(shared)] += 1;
        }
    }

    /// The split of what was counted since the last take; the counts start again from zero.
    fn take(&mut self, inv: &super::Inventory) -> Split {
        let mut split = Split::default();
        for price in self.touched.drain(..) {
            let Some(c) = self.counts.get_mut(price) else {
                continue;
            };
            let counts = std::mem::take(c);
            for (t, n) in [(&mut split.own, counts[0]), (&mut split.shared, counts[1])] {
                let Ok(n_usize) = usize::try_from(n) else {
                    continue;
                };
                t.count += n_usize;
                match inv.price_value(price) {
                    Some(v) => t.sum += v * Decimal::from(n),
                    None => t.unparsed += n_usize,
                }
            }
        }
        split
    }
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
