//! Settles the journal once a session knows which service it talks to. An intent without an
//! outcome means a sidman stopped while a change was in flight (killed, machine lost): a
//! ReleaseSenderId, or an UpdateSenderId turning deletion protection on or off; whether it took
//! effect is unknown. A release took effect when the sender ID is gone; a protection change when
//! the re-read finds the flag at the value asked (gone, for a protection change, says nothing:
//! it is left unknown, never counted as released). Each such intent is re-read — but only by a session on the
//! service it was sent to: the same endpoint, the same account (the session's account comes from
//! the ARNs of the sender IDs it listed), a region the session can read. Found with the same
//! account: not released. Gone, in a session known to be on that account: released. Anything
//! else (another endpoint or account, an account this session cannot tell, a re-read that fails)
//! is left unsettled and counted by its identity, for a session that can see it.

use crate::aws::Api;
use crate::domain::{Key, Mutation, Reread};
use crate::effects::change::{Settlement, settle_by_reread};
use crate::journal::{self, Entry, Intent, Journal, OutcomeKind, OutcomeLine, Target};
use std::collections::BTreeMap;
use std::sync::Mutex;

/// What start-up reconciliation did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Settled {
    pub released: usize,
    pub not_released: usize,
    /// Interrupted protection changes found to have taken effect, and not to have.
    pub protection_changed: usize,
    pub protection_unchanged: usize,
    /// Interrupted protection changes whose sender ID is gone: whether they applied cannot be
    /// told, and no longer matters; settled for good (recorded as not applied, with a note).
    pub protection_gone: usize,
    /// Left unsettled, counted by where they were sent ("account 1111… at http://…").
    pub left: BTreeMap<String, usize>,
}

impl Settled {
    /// One line for the operator, or `None` when there was nothing to settle.
    pub fn summary(&self) -> Option<String> {
        let settled = self.released + self.not_released;
        let protection = self.protection_changed + self.protection_unchanged + self.protection_gone;
        let left: Vec<String> = self
            .left
            .iter()
            .map(|(where_, n)| format!("{n} left for {where_}"))
            .collect();
        let mut parts = Vec::new();
        if settled > 0 {
            parts.push(format!(
                "{settled} interrupted release(s) settled by re-reading ({} released, {} not released)",
                self.released, self.not_released
            ));
        }
        if protection > 0 {
            parts.push(format!(
                "{protection} interrupted protection change(s) settled by re-reading ({} took \
                 effect, {} did not, {} gone since)",
                self.protection_changed, self.protection_unchanged, self.protection_gone
            ));
        }
        if !left.is_empty() {
            parts.push(format!("interrupted change(s): {}", left.join(", ")));
        }
        (!parts.is_empty()).then(|| format!("journal: {}", parts.join("; ")))
    }

    pub fn left_total(&self) -> usize {
        self.left.values().sum()
    }
}

/// Where an intent was sent, as the operator reads it.
fn identity(intent: &Intent) -> String {
    let account = intent.account.as_deref().unwrap_or("unknown");
    let endpoint = if intent.endpoint.is_empty() {
        "an endpoint this journal did not record"
    } else {
        intent.endpoint.as_str()
    };
    format!("account {account} at {endpoint}")
}

/// Re-reads every unsettled intent this session is on the service of, and appends its outcome.
/// `account` is the session's account, when its inventory named one.
pub async fn settle(
    api: &Api,
    journal: &Mutex<Journal>,
    target: &Target,
    account: Option<&str>,
) -> std::io::Result<Settled> {
    let path = lock(journal)?.path().to_path_buf();
    let (entries, _) = journal::read(&path)?;
    let mut result = Settled::default();
    for intent in journal::unsettled(&entries) {
        let ours = intent.endpoint == target.endpoint
            && api.regions().contains(&intent.region)
            && intent.account.is_some()
            && account.is_none_or(|a| intent.account.as_deref() == Some(a));
        let kind = if ours {
            settle_one(api, &intent, account).await
        } else {
            None
        };
        let Some((kind, note)) = kind else {
            *result.left.entry(identity(&intent)).or_default() += 1;
            continue;
        };
        lock(journal)?.append(&Entry::Outcome(OutcomeLine {
            time: journal::now(),
            id: intent.id.clone(),
            result: kind,
            request_id: None,
            response: BTreeMap::new(),
            error: None,
            note: Some(note.to_owned()),
        }))?;
        let count = match (intent.operation, kind) {
            (Mutation::Release, OutcomeKind::Done) => &mut result.released,
            (Mutation::Release, _) => &mut result.not_released,
            (Mutation::SetProtection(_), OutcomeKind::Done) => &mut result.protection_changed,
            (Mutation::SetProtection(_), _) if note == GONE => &mut result.protection_gone,
            (Mutation::SetProtection(_), _) => &mut result.protection_unchanged,
        };
        *count += 1;
    }
    Ok(result)
}

/// The note of a protection change settled on a sender ID gone since.
const GONE: &str = "settled at start-up: the call was interrupted; the sender ID is gone since, so \
                    whether its protection changed cannot be told (and no longer matters)";

/// Re-reads one intent's sender ID; `None` when that cannot tell on this service.
async fn settle_one(
    api: &Api,
    intent: &Intent,
    account: Option<&str>,
) -> Option<(OutcomeKind, &'static str)> {
    let key = Key {
        region: intent.region.clone(),
        country: intent.country.clone(),
        id: intent.target.clone(),
    };
    let settled = match settle_by_reread(api, intent.operation, &key).await {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!("could not re-read {key} to settle the journal: {e}");
            return None;
        }
    };
    let on_intents_account = account.is_some() && account == intent.account.as_deref();
    match settled {
        // A sender ID found is the session's own: the re-read shows its account.
        Settlement::DidNot(Reread::Present(r)) if r.account() == intent.account.as_deref() => {
            Some((
                OutcomeKind::Failed,
                "settled at start-up: the call was interrupted; a re-read showed it had not taken effect",
            ))
        }
        // Gone, or changed as asked, counts only where the session is on the intent's account.
        Settlement::TookEffect if on_intents_account => Some((
            OutcomeKind::Done,
            "settled at start-up: the call was interrupted; a re-read showed it took effect",
        )),
        // A protection change on a sender ID gone since: nothing is left to protect, and whether
        // the change applied cannot be told; settled for good (an unknown outcome would be
        // re-read at every start). Never counted as a release.
        Settlement::DidNot(Reread::Gone)
            if on_intents_account && matches!(intent.operation, Mutation::SetProtection(_)) =>
        {
            Some((OutcomeKind::Failed, GONE))
        }
        _ => None,
    }
}

fn lock(journal: &Mutex<Journal>) -> std::io::Result<std::sync::MutexGuard<'_, Journal>> {
    journal
        .lock()
        .map_err(|_| std::io::Error::other("journal lock poisoned"))
}
