//! Settles the journal at start-up. An intent without an outcome means sidman stopped while a
//! ReleaseSenderId was in flight (killed, machine lost); whether it took effect is unknown. Each
//! such sender ID is re-read, and what was found is appended as its outcome: released (gone) or
//! not released (still there). Intents of other profiles or regions are left for a session that
//! can see them.

use crate::aws::{Api, Reread};
use crate::domain::Key;
use crate::journal::{self, Entry, Journal, Outcome, OutcomeKind};
use std::collections::BTreeMap;

/// What start-up reconciliation did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Settled {
    pub released: usize,
    pub not_released: usize,
    /// Could not be re-read now (error, or another profile or region).
    pub left: usize,
}

impl Settled {
    /// One line for the operator, or `None` when there was nothing to settle.
    pub fn summary(&self) -> Option<String> {
        (self.released + self.not_released + self.left > 0).then(|| {
            format!(
                "journal: {} interrupted release(s) settled by re-reading ({} released, {} not released); {} left unsettled",
                self.released + self.not_released,
                self.released,
                self.not_released,
                self.left
            )
        })
    }
}

/// Re-reads every unsettled intent this session can see and appends its outcome.
pub async fn settle(api: &Api, journal: &mut Journal, profile: &str) -> std::io::Result<Settled> {
    let (entries, _) = journal::read(journal.path())?;
    let mut result = Settled::default();
    for intent in journal::unsettled(&entries) {
        if intent.profile != profile || !api.regions().contains(&intent.region) {
            result.left += 1;
            continue;
        }
        let key = Key {
            region: intent.region.clone(),
            country: intent.country.clone(),
            id: intent.target.clone(),
        };
        let (kind, note) = match api.reread(&key.region, std::slice::from_ref(&key)).await {
            Ok(found) if found.iter().any(|(_, r)| *r == Reread::Gone) => (
                OutcomeKind::Released,
                "settled at start-up: the call was interrupted; a re-read found the sender ID gone",
            ),
            Ok(_) => (
                OutcomeKind::Failed,
                "settled at start-up: the call was interrupted; a re-read found the sender ID still there (not released)",
            ),
            Err(e) => {
                tracing::warn!("could not re-read {key} to settle the journal: {e}");
                result.left += 1;
                continue;
            }
        };
        journal.append(&Entry::Outcome(Outcome {
            time: journal::now(),
            id: intent.id.clone(),
            result: kind,
            request_id: None,
            response: BTreeMap::new(),
            error: None,
            note: Some(note.to_owned()),
        }))?;
        if kind == OutcomeKind::Released {
            result.released += 1;
        } else {
            result.not_released += 1;
        }
    }
    Ok(result)
}
