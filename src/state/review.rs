//! The review sheet shown before any change: every sender ID that would be released (marked
//! ones hidden by the filter included, and counted), the count and monthly total, and apart from
//! them those that will not be sent and why. Deletion protection goes through the same sheet
//! ([`ReviewSheet::protection`]): turning it on confirms with Enter after the dwell, turning it
//! off (which lets them be released) needs the word [`UNPROTECT_WORD`]. It confirms only when the operator has typed the
//! word [`CONFIRM_WORD`] and pressed Enter, through the one [`Confirmation`] path (type-ahead
//! discarded, a dwell before Enter, pastes refused); no single key confirms. It names the
//! account and regions the release goes to, so an operator with several terminals open sees
//! where it goes.

use super::confirm::Confirmation;
use super::inventory::Inventory;
use super::pools::Pools;
use crate::domain::{Key, Ownership, SenderIdRecord, Total};
use std::collections::BTreeSet;

/// What the operator types to confirm a release.
pub const CONFIRM_WORD: &str = "release";
/// What the operator types to turn deletion protection off.
pub const UNPROTECT_WORD: &str = "unprotect";

/// Why a marked sender ID will not be sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exclusion {
    DeletionProtection,
    Shared,
    ReadOnly,
    JournalUnavailable,
    /// Marked, but no longer in the inventory (gone since, or its region failed to load).
    NotInInventory,
    /// In a pool: the service refuses to release it (SENDER_ID_ASSOCIATED_TO_POOL).
    InPool,
    /// Turning protection on: it already is.
    AlreadyProtected,
    /// Turning protection off: it already is.
    AlreadyUnprotected,
}

impl Exclusion {
    pub fn reason(self) -> &'static str {
        match self {
            Self::DeletionProtection => "deletion protection enabled",
            Self::Shared => "shared from another account",
            Self::ReadOnly => "read-only mode",
            Self::JournalUnavailable => "the journal is not available (see the notice)",
            Self::NotInInventory => "not in the current inventory (not sent)",
            Self::InPool => "in a pool — will not be sent: remove it from the pool first",
            Self::AlreadyProtected => "already protected",
            Self::AlreadyUnprotected => "already unprotected",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewSheet {
    /// The change under review.
    pub mutation: crate::domain::Mutation,
    /// A protection sheet whose selection holds both protected and unprotected sender IDs: Tab
    /// turns it the other way.
    pub mixed: bool,
    /// Sender IDs that would be changed (released, or protection turned), in key order.
    pub to_release: Vec<Key>,
    /// How many of `to_release` are hidden by the current filter.
    pub hidden: usize,
    pub total: Total,
    /// Marked sender IDs that will not be sent, with the reason.
    pub excluded: Vec<(Key, Exclusion)>,
    /// How many of `to_release` are registered (their registration does not come back).
    pub registered: usize,
    /// The accounts of the reviewed sender IDs this account owns (from their ARNs; one,
    /// normally): where the release goes.
    pub accounts: BTreeSet<String>,
    /// The regions of the reviewed sender IDs.
    pub regions: BTreeSet<String>,
    /// The pool (`pool-… (name)`) of each sender ID listed apart as pooled.
    pub pool_of: std::collections::BTreeMap<Key, String>,
    /// Regions of sender IDs to release whose pools could not be read, with why: a pooled one
    /// there would fail (SENDER_ID_ASSOCIATED_TO_POOL).
    pub pools_unknown: Vec<(String, String)>,
    /// Count and monthly total of the sender IDs to release, per region.
    pub by_region: std::collections::BTreeMap<String, Total>,
    /// The typed confirmation.
    pub confirm: Confirmation,
    /// Scroll offset of the list.
    pub scroll: usize,
}

/// Lines of the sheet's frame that are not its list: borders (2), summary (4), the list's column
/// titles (1), the position line (1), the prompt (3).
pub const FIXED_LINES: usize = 11;

/// One line of the sheet's scrolling list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListLine<'a> {
    /// A sender ID to release.
    ToSend(&'a Key),
    /// A warning above the list (pool membership unknown somewhere).
    Warning(String),
    /// The heading of those that will not be sent.
    ExcludedHeading,
    Excluded(&'a Key, Exclusion),
    /// The heading of the subtotals per region.
    SubtotalHeading,
    Subtotal(&'a str, Total),
}

impl ReviewSheet {
    /// Every line of the list, in order: the sender IDs to release, those that will not be sent
    /// and why, then the subtotal of each region (when there are several). Every one of them can
    /// be scrolled to.
    pub fn lines(&self) -> Vec<ListLine<'_>> {
        let mut lines: Vec<ListLine<'_>> = self
            .pools_unknown
            .iter()
            .map(|(region, why)| {
                ListLine::Warning(format!(
                    "⚠ pool membership unknown in {region} ({why}): a pooled sender ID there \
                     will fail with SENDER_ID_ASSOCIATED_TO_POOL"
                ))
            })
            .collect();
        lines.extend(self.to_release.iter().map(ListLine::ToSend));
        if !self.excluded.is_empty() {
            lines.push(ListLine::ExcludedHeading);
            lines.extend(
                self.excluded
                    .iter()
                    .map(|(k, why)| ListLine::Excluded(k, *why)),
            );
        }
        if self.by_region.len() > 1 {
            lines.push(ListLine::SubtotalHeading);
            lines.extend(
                self.by_region
                    .iter()
                    .map(|(r, t)| ListLine::Subtotal(r.as_str(), *t)),
            );
        }
        lines
    }

    /// How many list lines a screen `height` rows high shows at once.
    pub fn page(height: u16) -> usize {
        usize::from(height).saturating_sub(FIXED_LINES).max(1)
    }

    /// Builds the sheet for `keys` (the marks, or the row under the cursor). `visible` says
    /// whether a key is shown by the current filter.
    pub fn build(
        keys: &BTreeSet<Key>,
        inv: &Inventory,
        pools: &Pools,
        visible: impl Fn(&Key) -> bool,
        read_only: bool,
        journal_ok: bool,
    ) -> Self {
        let mut sheet = Self {
            mutation: crate::domain::Mutation::Release,
            mixed: false,
            to_release: Vec::new(),
            hidden: 0,
            total: Total::default(),
            excluded: Vec::new(),
            registered: 0,
            by_region: std::collections::BTreeMap::new(),
            pool_of: std::collections::BTreeMap::new(),
            pools_unknown: Vec::new(),
            accounts: BTreeSet::new(),
            regions: BTreeSet::new(),
            confirm: Confirmation::typed(CONFIRM_WORD),
            scroll: 0,
        };
        for key in keys {
            let Some(record) = inv.get(key) else {
                sheet
                    .excluded
                    .push((key.clone(), Exclusion::NotInInventory));
                continue;
            };
            sheet.regions.insert(record.region.clone());
            if record.ownership == Ownership::Own
                && let Some(account) = record.account()
            {
                sheet.accounts.insert(account.to_owned());
            }
            if let Some(why) = exclusion(record, read_only, journal_ok) {
                sheet.excluded.push((key.clone(), why));
                continue;
            }
            if let Some(pool) = pools.pool_of(record) {
                let label = match &pool.name {
                    Some(name) => format!("{} ({name})", pool.id),
                    None => pool.id.clone(),
                };
                sheet.pool_of.insert(key.clone(), label);
                sheet.excluded.push((key.clone(), Exclusion::InPool));
                continue;
            }
            sheet.total.add(&record.price);
            sheet
                .by_region
                .entry(record.region.clone())
                .or_default()
                .add(&record.price);
            sheet.registered += usize::from(record.registered);
            sheet.hidden += usize::from(!visible(key));
            sheet.to_release.push(key.clone());
        }
        for (region, why) in pools.unknown() {
            if sheet.by_region.contains_key(region) {
                let why = if why.is_access_denied() {
                    "no permission to read pools".to_owned()
                } else {
                    why.to_string()
                };
                sheet.pools_unknown.push((region.to_owned(), why));
            }
        }
        sheet
    }

    /// A protection sheet for `keys`: which way it turns when no way is asked (`on: None`) is
    /// the safe one — on when any of them is unprotected (those already protected are listed
    /// apart), off only when every one is protected. A mixed selection can be turned the other
    /// way with Tab (`on: Some(false)`). Shared sender IDs cannot be changed (the owner's account
    /// holds them) and are listed apart, as are marks no longer loaded. Read-only sessions never
    /// get here (the key is refused).
    pub fn protection(
        keys: &BTreeSet<Key>,
        inv: &Inventory,
        visible: impl Fn(&Key) -> bool,
        journal_ok: bool,
        on: Option<bool>,
    ) -> Self {
        let own: Vec<&SenderIdRecord> = keys
            .iter()
            .filter_map(|k| inv.get(k))
            .filter(|r| r.ownership == Ownership::Own)
            .collect();
        let any_off = own.iter().any(|r| !r.deletion_protection);
        let any_on = own.iter().any(|r| r.deletion_protection);
        let on = on.unwrap_or(any_off || !any_on);
        // The empty sheet, filled for this change: the release's exclusions and pools do not
        // apply.
        let mut sheet = Self::build(
            &BTreeSet::new(),
            inv,
            &Pools::default(),
            |_| true,
            false,
            true,
        );
        sheet.mutation = crate::domain::Mutation::SetProtection(on);
        sheet.mixed = any_off && any_on;
        sheet.confirm = if on {
            Confirmation::enter()
        } else {
            Confirmation::typed(UNPROTECT_WORD)
        };
        for key in keys {
            let why = match inv.get(key) {
                None => Some(Exclusion::NotInInventory),
                Some(r) if r.ownership == Ownership::Shared => Some(Exclusion::Shared),
                Some(r) if r.deletion_protection == on => Some(if on {
                    Exclusion::AlreadyProtected
                } else {
                    Exclusion::AlreadyUnprotected
                }),
                Some(_) if !journal_ok => Some(Exclusion::JournalUnavailable),
                Some(r) => {
                    sheet.total.add(&r.price);
                    sheet.registered += usize::from(r.registered);
                    None
                }
            };
            if let Some(r) = inv.get(key) {
                sheet.regions.insert(r.region.clone());
                if r.ownership == Ownership::Own
                    && let Some(account) = r.account()
                {
                    sheet.accounts.insert(account.to_owned());
                }
            }
            match why {
                Some(why) => sheet.excluded.push((key.clone(), why)),
                None => {
                    sheet.hidden += usize::from(!visible(key));
                    sheet.to_release.push(key.clone());
                }
            }
        }
        sheet
    }

    /// Every key the sheet was built for (to send and listed apart), to build it again.
    pub fn keys(&self) -> BTreeSet<Key> {
        self.to_release
            .iter()
            .chain(self.excluded.iter().map(|(k, _)| k))
            .cloned()
            .collect()
    }

    /// Why a sender ID listed apart will not be sent, in full (the pool it is in, when pooled).
    pub fn reason(&self, key: &Key, why: Exclusion) -> String {
        match (why, self.pool_of.get(key), self.mutation) {
            (Exclusion::InPool, Some(pool), _) => {
                format!("in pool {pool} — will not be sent: remove it from the pool first")
            }
            (Exclusion::Shared, _, crate::domain::Mutation::SetProtection(_)) => {
                "shared: owned by another account".to_owned()
            }
            _ => why.reason().to_owned(),
        }
    }
}

fn exclusion(r: &SenderIdRecord, read_only: bool, journal_ok: bool) -> Option<Exclusion> {
    if r.ownership == Ownership::Shared {
        Some(Exclusion::Shared)
    } else if r.deletion_protection {
        Some(Exclusion::DeletionProtection)
    } else if read_only {
        Some(Exclusion::ReadOnly)
    } else if !journal_ok {
        Some(Exclusion::JournalUnavailable)
    } else {
        None
    }
}
