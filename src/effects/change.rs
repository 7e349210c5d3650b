//! One change to one sender ID, end to end, with the two rules that make it safe:
//!
//! - **Write-ahead.** The intent is on disk before the call is sent, the outcome after it
//!   returns. An intent that cannot be written sends nothing ([`Outcome::Unjournaled`]).
//! - **Send, and on an unknown outcome re-read.** The call is sent again only when that cannot
//!   apply it twice: while throttled (the API's one retry loop, until the pacing's deadline), and
//!   once after an unknown outcome (5xx, timeout, lost connection) when a re-read proved it had
//!   not taken effect. A re-read that shows the change took effect ends it as done; a re-read
//!   that fails too leaves it unknown, for the next start to settle.
//!
//! [`settle_by_reread`] is that re-read, shared with start-up reconciliation, which settles a
//! change interrupted by a crash the same way.

use crate::aws::Api;
use crate::domain::{ApiError, Key, Mutation, Outcome, Reread, SenderIdRecord};
use crate::journal::{self, Entry, ErrorRecord, Intent, Journal, OutcomeKind, OutcomeLine, Target};
use std::collections::BTreeMap;
use std::sync::Mutex;

/// What a re-read says of a change whose outcome was unknown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Settlement {
    /// The change took effect (a released sender ID is gone, protection is as asked).
    TookEffect,
    /// It did not: the sender ID as the re-read found it (or gone, for a protection change).
    DidNot(Reread),
}

/// Re-reads one sender ID to tell whether `mutation` took effect.
pub async fn settle_by_reread(
    api: &Api,
    mutation: Mutation,
    key: &Key,
) -> Result<Settlement, ApiError> {
    let found = api
        .reread(&key.region, std::slice::from_ref(key))
        .await?
        .into_iter()
        .next()
        .map_or(Reread::Gone, |(_, r)| r);
    Ok(if mutation.took_effect(&found) {
        Settlement::TookEffect
    } else {
        Settlement::DidNot(found)
    })
}

/// Sends one change of a batch, journaled ahead: intent, call, outcome.
pub async fn send_one(
    api: &Api,
    journal: Option<&Mutex<Journal>>,
    target: &Target,
    mutation: Mutation,
    record: &SenderIdRecord,
) -> Outcome {
    let key = record.key();
    let Some(journal) = journal else {
        return Outcome::Unjournaled("the journal is not open; nothing was sent".to_owned());
    };
    let id = uuid::Uuid::new_v4().to_string();
    let intent = Entry::Intent(Intent {
        time: journal::now(),
        id: id.clone(),
        endpoint: target.endpoint.clone(),
        account: record.account().map(ToOwned::to_owned),
        profile: target.profile.clone(),
        region: record.region.clone(),
        sender_id: record.sender_id.clone(),
        country: record.country.clone(),
        operation: mutation,
        target: key.id.clone(),
        arn: record.arn.clone(),
        monthly_leasing_price: record.price.raw.clone(),
        registered: record.registered,
    });
    if let Err(e) = append(journal, &intent) {
        tracing::error!("could not write the intent for {key} to the journal: {e}");
        return Outcome::Unjournaled(format!(
            "could not write the journal ({e}); nothing was sent"
        ));
    }
    let outcome = call(api, mutation, &key).await;
    if let Err(e) = append(journal, &Entry::Outcome(outcome_line(&id, &outcome))) {
        tracing::error!("could not write the outcome for {key} to the journal: {e}");
    }
    outcome
}

/// The call, sent again only when that cannot apply it twice (see the module's doc).
async fn call(api: &Api, mutation: Mutation, key: &Key) -> Outcome {
    // The first unknown outcome, once the change was sent again after a re-read.
    let mut resent_after: Option<ApiError> = None;
    loop {
        let error = match api.mutate(key, mutation).await {
            Ok(response) => {
                return Outcome::Done {
                    response: Some(response),
                    note: resent_after.map(|e| {
                        format!(
                            "the first call ended with {e}; a re-read {}, so it was sent once more",
                            mutation.not_taken()
                        )
                    }),
                };
            }
            Err(e) => e,
        };
        if let Some(first) = &resent_after
            && mutation == Mutation::Release
            && error.is_not_found()
        {
            // Between the re-read and the second call, the first one did release it.
            return Outcome::Done {
                response: None,
                note: Some(format!(
                    "the first call ended with {first}; the second found the sender ID gone \
                     ({error})"
                )),
            };
        }
        if !error.outcome_unknown() {
            let note = match &resent_after {
                Some(first) => Some(format!(
                    "the first call ended with {first}; a re-read {} and the second call was \
                     refused",
                    mutation.not_taken()
                )),
                None if error.gave_up() => Some("not sent: every attempt was throttled".to_owned()),
                None => None,
            };
            return Outcome::Failed { error, note };
        }
        match settle_by_reread(api, mutation, key).await {
            Ok(Settlement::TookEffect) => {
                return Outcome::Done {
                    response: None,
                    note: Some(format!(
                        "the call ended with {error}; a re-read showed it took effect"
                    )),
                };
            }
            Ok(Settlement::DidNot(Reread::Present(_))) if resent_after.is_none() => {
                resent_after = Some(error);
            }
            Ok(Settlement::DidNot(Reread::Present(_))) => {
                return Outcome::Failed {
                    error,
                    note: Some(format!(
                        "sent twice, each time without an answer; a re-read {}",
                        mutation.not_taken()
                    )),
                };
            }
            Ok(Settlement::DidNot(Reread::Gone)) => {
                return Outcome::Failed {
                    error,
                    note: Some("a re-read found the sender ID gone".to_owned()),
                };
            }
            Err(reread_error) => {
                return Outcome::Unknown {
                    error,
                    note: Some(format!(
                        "the re-read failed too ({reread_error}); check before retrying"
                    )),
                };
            }
        }
    }
}

fn append(journal: &Mutex<Journal>, entry: &Entry) -> std::io::Result<()> {
    let mut j = journal
        .lock()
        .map_err(|_| std::io::Error::other("journal lock poisoned"))?;
    j.append(entry)
}

/// The journal line for an outcome.
pub fn outcome_line(id: &str, outcome: &Outcome) -> OutcomeLine {
    let (result, request_id, response, error, note) = match outcome {
        Outcome::Done { response, note } => (
            OutcomeKind::Done,
            response.as_ref().and_then(|r| r.request_id.clone()),
            response
                .as_ref()
                .map(|r| {
                    r.fields
                        .iter()
                        .map(|(k, v)| ((*k).to_owned(), v.clone()))
                        .collect()
                })
                .unwrap_or_default(),
            None,
            note.clone(),
        ),
        Outcome::Failed { error, note } => (
            OutcomeKind::Failed,
            error.request_id.clone(),
            BTreeMap::new(),
            Some(error_record(error)),
            note.clone(),
        ),
        Outcome::Unknown { error, note } => (
            OutcomeKind::Unknown,
            error.request_id.clone(),
            BTreeMap::new(),
            Some(error_record(error)),
            note.clone(),
        ),
        Outcome::Unjournaled(why) => (
            OutcomeKind::Failed,
            None,
            BTreeMap::new(),
            None,
            Some(why.clone()),
        ),
    };
    OutcomeLine {
        time: journal::now(),
        id: id.to_owned(),
        result,
        request_id,
        response,
        error,
        note,
    }
}

fn error_record(e: &ApiError) -> ErrorRecord {
    ErrorRecord {
        code: e.code.clone(),
        reason: e.reason.clone(),
        message: e.message.clone(),
    }
}
