//! The one module that spawns work. It turns each [`Effect`] named by `state::update` into a tokio
//! task that calls the [`Api`], writes the journal, and reports back as an [`Action`] on the
//! channel the state's owner reads. Changes go through [`change`], where the journal's
//! write-ahead rule and the "send, and on an unknown outcome re-read" policy live (start-up
//! reconciliation settles interrupted changes with the same re-read). After each call the
//! region's pacing goes to the state too ([`Action::Pacing`]), and a journal that stopped
//! accepting writes is reported at once ([`Action::JournalFailed`]).
//!
//! Reads (listings, re-reads, pools, tags, the history) and writes (changes, journal settling,
//! exports) run in two sets: quitting cancels the reads at once, since a read changes nothing,
//! and waits (bounded) only for the writes, whose outcome must reach the journal.

pub mod change;

use crate::action::{Action, Effect};
use crate::aws::{Api, ApiError, ListFilters};
use crate::domain::Ownership;
use crate::journal::{Journal, Target};
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
    /// The journal the history view reads (the open one's, or the one another sidman holds).
    history_path: Option<PathBuf>,
    /// Reads: cancelled when the session ends.
    tasks: JoinSet<()>,
    /// Writes (changes, journal settling, exports): waited for when the session ends.
    writes: JoinSet<()>,
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
            history_path: journal.as_ref().map(|j| j.path().to_path_buf()),
            journal: journal.map(|j| Arc::new(Mutex::new(j))),
            target,
            export_dir,
            tasks: JoinSet::new(),
            writes: JoinSet::new(),
        }
    }

    /// The journal file the history view reads.
    pub fn with_history(mut self, path: Option<PathBuf>) -> Self {
        self.history_path = path;
        self
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
            Effect::Mutate {
                batch,
                mutation,
                record,
            } => {
                let journal = self.journal.clone();
                let target = self.target.clone();
                self.writes.spawn(async move {
                    let key = record.key();
                    let outcome =
                        change::send_one(&api, journal.as_deref(), &target, mutation, &record)
                            .await;
                    if let Some(why) = journal.as_deref().and_then(journal_broken) {
                        let _ = tx.send(Action::JournalFailed(why));
                    }
                    send_pacing(&api, &tx, &key.region);
                    let _ = tx.send(Action::Mutated {
                        batch,
                        key,
                        outcome,
                    });
                });
            }
            Effect::LoadPools { generation, region } => {
                self.tasks.spawn(async move {
                    let result = api.pools(&region).await;
                    send_pacing(&api, &tx, &region);
                    let _ = tx.send(Action::PoolsRead {
                        generation,
                        region,
                        result,
                    });
                });
            }
            Effect::ReadTags {
                generation,
                region,
                targets,
            } => {
                self.tasks.spawn(async move {
                    for (key, arn) in targets {
                        let result = api.tags(&region, &arn).await;
                        send_pacing(&api, &tx, &region);
                        let sent = tx.send(Action::TagsRead {
                            generation,
                            key,
                            result,
                        });
                        if sent.is_err() {
                            return;
                        }
                    }
                });
            }
            Effect::CancelReads => self.tasks.abort_all(),
            // The app writes it on its terminal; nothing to spawn.
            Effect::Copy { .. } => {}
            Effect::ReadHistory => {
                let path = self.history_path.clone();
                self.tasks.spawn(async move {
                    let result = match path {
                        None => Err("this session has no journal to read".to_owned()),
                        Some(path) => tokio::task::spawn_blocking(move || {
                            crate::journal::read(&path)
                                .map(|(entries, _)| crate::journal::changes(&entries))
                                .map_err(|e| e.to_string())
                        })
                        .await
                        .map_err(|e| e.to_string())
                        .and_then(|r| r),
                    };
                    let _ = tx.send(Action::HistoryRead(result));
                });
            }
            Effect::SettleJournal { account } => {
                let Some(journal) = self.journal.clone() else {
                    return;
                };
                let target = self.target.clone();
                self.writes.spawn(async move {
                    let result =
                        crate::reconcile::settle(&api, &journal, &target, account.as_deref())
                            .await
                            .map_err(|e| e.to_string());
                    let _ = tx.send(Action::JournalSettled(result));
                });
            }
            Effect::Export { rows, status } => {
                let dir = self.export_dir.clone();
                self.writes.spawn(async move {
                    let result = tokio::task::spawn_blocking(move || {
                        crate::export::write_csv(&dir, &rows, &status)
                    })
                    .await
                    .map_err(|e| e.to_string())
                    .and_then(|r| r.map_err(|e| e.to_string()))
                    .map(|p| p.display().to_string());
                    let _ = tx.send(Action::Exported(result));
                });
            }
            Effect::ExportSummary { rows } => {
                let dir = self.export_dir.clone();
                self.writes.spawn(async move {
                    let result = tokio::task::spawn_blocking(move || {
                        crate::export::write_summary_csv(&dir, &rows)
                    })
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
        while self.writes.try_join_next().is_some() {}
    }

    /// The session ends: reads in flight are cancelled (a hung listing never holds up quitting),
    /// and writes in flight (releases) get up to `limit` to finish and be recorded.
    pub async fn drain(&mut self, limit: Duration) -> bool {
        self.tasks.abort_all();
        tokio::time::timeout(limit, async {
            while self.writes.join_next().await.is_some() {}
        })
        .await
        .is_ok()
    }

    pub fn abort_all(&mut self) {
        self.tasks.abort_all();
        self.writes.abort_all();
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
