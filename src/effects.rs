//! The one module that spawns work. It turns each [`Effect`] named by `state::update` into a tokio
//! task that calls the [`Api`], writes the journal, and reports back as an [`Action`] on the
//! channel the state's owner reads. Releases live here because the journal's write-ahead rule
//! is IO: the intent is on disk before the call is sent, and the outcome after it returns.
//! After each call the region's pacing goes to the state too ([`Action::Pacing`]), and a journal
//! that stopped accepting writes is reported at once ([`Action::JournalFailed`]).
//!
//! A release is sent again only when that cannot release twice: after a ThrottlingException
//! (the call did not take effect; until the pacing's give-up deadline), and once after an
//! unknown outcome (5xx, timeout, lost connection) when a re-read proved the sender ID still
//! there. A ResourceNotFound after such a second call means the first one did release it.

use crate::action::{Action, Effect, JOURNAL_UNWRITABLE, ReleaseOutcome};
use crate::aws::{Api, ApiError, ErrorKind, ListFilters, Reread};
use crate::domain::{Key, Ownership, SenderIdRecord};
use crate::journal::{self, Entry, ErrorRecord, Intent, Journal, Outcome, OutcomeKind, Target};
use crate::pacing::{Op, ThrottleBudget};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinSet;

/// Spawns effects; owns the API clients and the journal.
pub struct Runner {
    api: Api,
    tx: UnboundedSender<Action>,
    journal: Option<Arc<Mutex<Journal>>>,
    /// The service this session sends to, as intents record it.
    target: Target,
    export_dir: PathBuf,
    tasks: JoinSet<()>,
}

impl Runner {
    pub fn new(
        api: Api,
        tx: UnboundedSender<Action>,
        journal: Option<Journal>,
        target: Target,
        export_dir: PathBuf,
    ) -> Self {
        Self {
            api,
            tx,
            journal: journal.map(|j| Arc::new(Mutex::new(j))),
            target,
            export_dir,
            tasks: JoinSet::new(),
        }
    }

    pub fn spawn_all(&mut self, effects: Vec<Effect>) {
        for e in effects {
            self.spawn(e);
        }
    }

    pub fn spawn(&mut self, effect: Effect) {
        let api = self.api.clone();
        let tx = self.tx.clone();
        match effect {
            Effect::LoadRegion { generation, region } => {
                for ownership in [Ownership::Own, Ownership::Shared] {
                    let (api, tx, region) = (api.clone(), tx.clone(), region.clone());
                    self.tasks.spawn(async move {
                        let result = list_region(&api, &tx, generation, &region, ownership).await;
                        send_pacing(&api, &tx, &region);
                        let _ = tx.send(Action::RegionListed {
                            generation,
                            region,
                            ownership,
                            result,
                        });
                    });
                }
            }
            Effect::Reread {
                batch,
                region,
                keys,
            } => {
                self.tasks.spawn(async move {
                    let result = api.reread(&region, &keys).await;
                    send_pacing(&api, &tx, &region);
                    let _ = tx.send(Action::Reread {
                        batch,
                        region,
                        keys,
                        result,
                    });
                });
            }
            Effect::Release { batch, record } => {
                let journal = self.journal.clone();
                let target = self.target.clone();
                self.tasks.spawn(async move {
                    let key = record.key();
                    let outcome = release_one(&api, journal.as_deref(), &target, &record).await;
                    if let Some(why) = journal.as_deref().and_then(journal_broken) {
                        let _ = tx.send(Action::JournalFailed(why));
                    }
                    send_pacing(&api, &tx, &key.region);
                    let _ = tx.send(Action::Released {
                        batch,
                        key,
                        outcome,
                    });
                });
            }
            Effect::SettleJournal { account } => {
                let Some(journal) = self.journal.clone() else {
                    return;
                };
                let target = self.target.clone();
                self.tasks.spawn(async move {
                    let result =
                        crate::reconcile::settle(&api, &journal, &target, account.as_deref())
                            .await
                            .map_err(|e| e.to_string());
                    let _ = tx.send(Action::JournalSettled(result));
                });
            }
            Effect::Export { rows } => {
                let dir = self.export_dir.clone();
                self.tasks.spawn(async move {
                    let result =
                        tokio::task::spawn_blocking(move || crate::export::write_csv(&dir, &rows))
                            .await
                            .map_err(|e| e.to_string())
                            .and_then(|r| r.map_err(|e| e.to_string()))
                            .map(|p| p.display().to_string());
                    let _ = tx.send(Action::Exported(result));
                });
            }
        }
    }

    /// Reaps finished tasks so the set does not grow.
    pub fn reap(&mut self) {
        while self.tasks.try_join_next().is_some() {}
    }

    /// Waits up to `limit` for running tasks (releases in flight) to finish.
    pub async fn drain(&mut self, limit: Duration) -> bool {
        tokio::time::timeout(limit, async {
            while self.tasks.join_next().await.is_some() {}
        })
        .await
        .is_ok()
    }

    pub fn abort_all(&mut self) {
        self.tasks.abort_all();
    }
}

fn send_pacing(api: &Api, tx: &UnboundedSender<Action>, region: &str) {
    let _ = tx.send(Action::Pacing {
        region: region.to_owned(),
        stats: api.pacing(region),
    });
}

/// Why the journal refuses writes, if it does.
fn journal_broken(journal: &Mutex<Journal>) -> Option<String> {
    match journal.lock() {
        Ok(j) => j.broken().map(ToOwned::to_owned),
        Err(_) => Some("journal lock poisoned".to_owned()),
    }
}

/// Lists one owner's sender IDs of a region, sending each page as it arrives.
async fn list_region(
    api: &Api,
    tx: &UnboundedSender<Action>,
    generation: u64,
    region: &str,
    ownership: Ownership,
) -> Result<(), ApiError> {
    api.list_all(region, ownership, &ListFilters::default(), |records| {
        let _ = tx.send(Action::PageLoaded {
            generation,
            region: region.to_owned(),
            ownership,
            records,
        });
        send_pacing(api, tx, region);
    })
    .await
}

/// Releases one sender ID: intent on disk, the call (sent again only when throttled, or once
/// after a re-read proved an unknown outcome did not release it), then the outcome on disk. An
/// intent that cannot be written sends nothing: the error carries [`JOURNAL_UNWRITABLE`].
pub async fn release_one(
    api: &Api,
    journal: Option<&Mutex<Journal>>,
    target: &Target,
    record: &SenderIdRecord,
) -> ReleaseOutcome {
    let key = record.key();
    let Some(journal) = journal else {
        return ReleaseOutcome::Failed {
            error: journal_error("the journal is not open; nothing was sent"),
            note: None,
        };
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
        target: key.id.clone(),
        arn: record.arn.clone(),
        monthly_leasing_price: record.price.raw.clone(),
        registered: record.registered,
    });
    if let Err(e) = append(journal, &intent) {
        tracing::error!("could not write the intent to release {key} to the journal: {e}");
        return ReleaseOutcome::Failed {
            error: journal_error(&format!(
                "could not write the journal ({e}); nothing was sent"
            )),
            note: None,
        };
    }
    let outcome = send_release(api, &key).await;
    let record_line = Entry::Outcome(outcome_entry(&id, &outcome));
    if let Err(e) = append(journal, &record_line) {
        tracing::error!("could not write the outcome of {key} to the journal: {e}");
    }
    outcome
}

fn journal_error(message: &str) -> ApiError {
    ApiError {
        code: JOURNAL_UNWRITABLE.to_owned(),
        ..ApiError::local(message)
    }
}

/// The call, sent again only when that cannot release twice (see the module's doc).
async fn send_release(api: &Api, key: &Key) -> ReleaseOutcome {
    // Started at the first throttle: time spent waiting for the pacer before it does not count.
    let mut budget: Option<ThrottleBudget> = None;
    // Whether an earlier attempt reached the service (throttled, or re-sent after a re-read).
    let mut retried = false;
    // Set once the release was sent again after a re-read found the sender ID still there.
    let mut resent_after: Option<ApiError> = None;
    loop {
        match api.release(key).await {
            Ok(response) => {
                return ReleaseOutcome::Released {
                    response: Some(response),
                    note: resent_after.map(|e| {
                        format!(
                            "the first call ended with {e}; a re-read found the sender ID still \
                             there, so it was sent once more"
                        )
                    }),
                };
            }
            Err(e) if e.kind == ErrorKind::Throttled => {
                let budget = budget.get_or_insert_with(|| {
                    ThrottleBudget::start(api.pacing_config().give_up_after)
                });
                match budget.next_wait() {
                    Some(wait) => {
                        retried = true;
                        tokio::time::sleep(wait).await;
                    }
                    None => {
                        api.note_gave_up(&key.region, Op::Release);
                        return ReleaseOutcome::Failed {
                            error: ApiError::gave_up_throttled(
                                &e,
                                budget.attempts(),
                                budget.limit(),
                            ),
                            note: Some("not released: every attempt was throttled".to_owned()),
                        };
                    }
                }
            }
            Err(e) if e.is_not_found() && retried => {
                return ReleaseOutcome::Released {
                    response: None,
                    note: Some(format!(
                        "already released: the service no longer knows it after a retry ({e})"
                    )),
                };
            }
            Err(e) if e.outcome_unknown() => match reread_one(api, key).await {
                Ok(true) if resent_after.is_none() => {
                    retried = true;
                    resent_after = Some(e);
                }
                Ok(true) => {
                    return ReleaseOutcome::Failed {
                        error: e,
                        note: Some(
                            "sent twice, each time without an answer; a re-read found the \
                             sender ID still there: not released"
                                .to_owned(),
                        ),
                    };
                }
                Ok(false) => return gone_after(&e),
                Err(reread_error) => return unknown_after(e, &reread_error),
            },
            Err(e) => {
                return ReleaseOutcome::Failed {
                    error: e,
                    note: resent_after.map(|first| {
                        format!(
                            "the first call ended with {first}; a re-read found the sender ID \
                             still there and the second call was refused: not released"
                        )
                    }),
                };
            }
        }
    }
}

/// Whether the sender ID is still there (true) or gone (false).
async fn reread_one(api: &Api, key: &Key) -> Result<bool, ApiError> {
    let found = api.reread(&key.region, std::slice::from_ref(key)).await?;
    Ok(!found.iter().any(|(_, r)| *r == Reread::Gone))
}

fn gone_after(error: &ApiError) -> ReleaseOutcome {
    ReleaseOutcome::Released {
        response: None,
        note: Some(format!(
            "the call ended with {error}; a re-read found the sender ID gone"
        )),
    }
}

fn unknown_after(error: ApiError, reread_error: &ApiError) -> ReleaseOutcome {
    ReleaseOutcome::Unknown {
        error,
        note: Some(format!(
            "the re-read failed too ({reread_error}); check before retrying"
        )),
    }
}

fn append(journal: &Mutex<Journal>, entry: &Entry) -> std::io::Result<()> {
    let mut j = journal
        .lock()
        .map_err(|_| std::io::Error::other("journal lock poisoned"))?;
    j.append(entry)
}

/// The journal line for an outcome.
pub fn outcome_entry(id: &str, outcome: &ReleaseOutcome) -> Outcome {
    let (result, request_id, response, error, note) = match outcome {
        ReleaseOutcome::Released { response, note } => (
            OutcomeKind::Released,
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
        ReleaseOutcome::Failed { error, note } => (
            OutcomeKind::Failed,
            error.request_id.clone(),
            BTreeMap::new(),
            Some(error_record(error)),
            note.clone(),
        ),
        ReleaseOutcome::Unknown { error, note } => (
            OutcomeKind::Unknown,
            error.request_id.clone(),
            BTreeMap::new(),
            Some(error_record(error)),
            note.clone(),
        ),
    };
    Outcome {
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
