//! The one module that spawns work. It turns each [`Effect`] named by `state::update` into a tokio
//! task that calls the [`Api`], writes the journal, and reports back as an [`Action`] on the
//! channel the state's owner reads. Releases live here because the journal's write-ahead rule
//! is IO: the intent is on disk before the call is sent, and the outcome after it returns.

use crate::action::{Action, Effect, ReleaseOutcome};
use crate::aws::{Api, ApiError, ErrorKind, ListFilters, Reread};
use crate::domain::{Key, Ownership, SenderIdRecord};
use crate::journal::{self, Entry, ErrorRecord, Intent, Journal, Outcome, OutcomeKind};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinSet;

/// How many times a throttled release is sent again (a throttled call did not take effect).
const THROTTLE_RETRIES: u32 = 6;

/// Spawns effects; owns the API clients and the journal.
pub struct Runner {
    api: Api,
    tx: UnboundedSender<Action>,
    journal: Option<Arc<Mutex<Journal>>>,
    profile: String,
    export_dir: PathBuf,
    tasks: JoinSet<()>,
}

impl Runner {
    pub fn new(
        api: Api,
        tx: UnboundedSender<Action>,
        journal: Option<Journal>,
        profile: String,
        export_dir: PathBuf,
    ) -> Self {
        Self {
            api,
            tx,
            journal: journal.map(|j| Arc::new(Mutex::new(j))),
            profile,
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
                let profile = self.profile.clone();
                self.tasks.spawn(async move {
                    let key = record.key();
                    let outcome = release_one(&api, journal.as_deref(), &profile, &record).await;
                    let _ = tx.send(Action::Released {
                        batch,
                        key,
                        outcome,
                    });
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
    })
    .await
}

/// Releases one sender ID: intent on disk, the call (sent again only when throttled), and when
/// the outcome is unknown a re-read instead of a blind resend; then the outcome on disk.
pub async fn release_one(
    api: &Api,
    journal: Option<&Mutex<Journal>>,
    profile: &str,
    record: &SenderIdRecord,
) -> ReleaseOutcome {
    let key = record.key();
    let Some(journal) = journal else {
        return ReleaseOutcome::Failed {
            error: ApiError::local("the journal is not open; nothing was sent"),
            note: None,
        };
    };
    let id = uuid::Uuid::new_v4().to_string();
    let intent = Entry::Intent(Intent {
        time: journal::now(),
        id: id.clone(),
        profile: profile.to_owned(),
        region: record.region.clone(),
        sender_id: record.sender_id.clone(),
        country: record.country.clone(),
        target: key.id.clone(),
        arn: record.arn.clone(),
        monthly_leasing_price: record.price.raw.clone(),
        registered: record.registered,
    });
    if let Err(e) = append(journal, &intent) {
        return ReleaseOutcome::Failed {
            error: ApiError::local(format!(
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

async fn send_release(api: &Api, key: &Key) -> ReleaseOutcome {
    let mut attempt = 0;
    loop {
        match api.release(key).await {
            Ok(response) => {
                return ReleaseOutcome::Released {
                    response: Some(response),
                    note: None,
                };
            }
            Err(e) if e.kind == ErrorKind::Throttled && attempt < THROTTLE_RETRIES => {
                attempt += 1;
                let backoff = Duration::from_millis(250 * 2u64.pow(attempt.min(5)));
                let jitter = Duration::from_millis(fastrand::u64(0..250));
                tokio::time::sleep(backoff + jitter).await;
            }
            Err(e) if e.code == "ResourceNotFoundException" && attempt > 0 => {
                return ReleaseOutcome::Released {
                    response: None,
                    note: Some(format!(
                        "already released: the service no longer knows it ({e})"
                    )),
                };
            }
            Err(e) if e.outcome_unknown() => return settle_by_reread(api, key, e).await,
            Err(e) => {
                return ReleaseOutcome::Failed {
                    error: e,
                    note: None,
                };
            }
        }
    }
}

/// After a timeout, a lost connection or a 5xx, asks the service whether the sender ID is still
/// there, instead of sending the release again blindly.
pub async fn settle_by_reread(api: &Api, key: &Key, error: ApiError) -> ReleaseOutcome {
    match api.reread(&key.region, std::slice::from_ref(key)).await {
        Ok(found) if found.iter().any(|(_, r)| *r == Reread::Gone) => ReleaseOutcome::Released {
            response: None,
            note: Some(format!(
                "the call ended with {error}; a re-read found the sender ID gone"
            )),
        },
        Ok(_) => ReleaseOutcome::Failed {
            error,
            note: Some("a re-read found the sender ID still there: not released".to_owned()),
        },
        Err(reread_error) => ReleaseOutcome::Unknown {
            error,
            note: Some(format!(
                "the re-read failed too ({reread_error}); check before retrying"
            )),
        },
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
