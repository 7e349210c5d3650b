//! A faithful local stand-in for the sender-ID part of AWS End User Messaging SMS
//! (`pinpoint-sms-voice-v2`): the AWS JSON 1.0 protocol, the model's validation rules, opaque
//! pagination tokens, regions kept apart by each request's SigV4 credential scope, deletion
//! protection, pools, shared sender IDs and tags, plus fault knobs and a record of what was
//! received. `sidman --demo`, `sidman emulator` and the end-to-end tests all use it through the real
//! SDK over HTTP on loopback. It knows nothing of the TUI.
//!
//! Layout: `server` (HTTP pipeline), `protocol` (targets, auth scope, error envelope), `validate`
//! and `rules` (model constraints), `ops/` (operation handlers), `store` and `tokens` (inventory,
//! cursors), `shapes` (output JSON), `seed`, `sender`, `synthetic` and `prices` (inventories),
//! `faults`, `hostile` (a broken or malicious server on demand), `received`, `arn`, `cli`
//! (standalone server).

mod arn;
mod cli;
mod faults;
mod hostile;
mod ops;
mod pool;
mod pool_index;
mod prices;
mod protocol;
mod received;
mod rules;
mod seed;
mod sender;
mod server;
mod shapes;
mod store;
mod synthetic;
mod tokens;
mod validate;

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};

use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use arn::{CALLER_ACCOUNT, SHARING_ACCOUNT, sender_id_arn};
pub use cli::{EmulatorArgs, run_standalone};
pub use faults::Faults;
pub use hostile::{Hostile, Malformed, PAYLOADS as HOSTILE_PAYLOADS};
pub use pool::{DEFAULT_POOL_CREATED, SeedPool, pool_arn};
pub use received::{RECEIVED_LOG_CAPACITY, Received, ReceivedRequest};
pub use seed::{DEFAULT_SYNTHETIC_SEED, Seed, SeedError};
pub use sender::SeedSenderId;

use ops::lock;
use server::Shared;
use store::Store;

/// Page size DescribeSenderIds uses when the request has no MaxResults.
pub const DEFAULT_MAX_RESULTS: i64 = 100;

/// How to start an emulator.
#[derive(Debug, Clone)]
pub struct EmulatorConfig {
    /// Where to listen; port 0 picks a free port.
    pub listen: SocketAddr,
    pub seed: Seed,
    pub faults: Faults,
}

impl Default for EmulatorConfig {
    /// 127.0.0.1 on a random port, the demo seed, no faults.
    fn default() -> EmulatorConfig {
        EmulatorConfig {
            listen: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            seed: Seed::demo(),
            faults: Faults::default(),
        }
    }
}

/// A running emulator. Dropping it (or `shutdown`) stops the server.
pub struct Emulator {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl Emulator {
    /// Binds `config.listen` and serves in a spawned tokio task.
    pub async fn start(config: EmulatorConfig) -> std::io::Result<Emulator> {
        let listener = tokio::net::TcpListener::bind(config.listen).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            store: Mutex::new(Store::from_seed(config.seed)),
            faults: Mutex::new(faults::FaultState::new(config.faults)),
            received: Mutex::new(received::ReceivedLog::default()),
            hostile: Mutex::new(None),
        });
        let app = axum::Router::new()
            .fallback(server::handle)
            .with_state(Arc::clone(&shared));
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let shutdown = async {
                let _ = stopped.await;
            };
            if let Err(error) = axum::serve(listener, app)
                .with_graceful_shutdown(shutdown)
                .await
            {
                tracing::error!(%error, "emulator server stopped");
            }
        });
        Ok(Emulator {
            addr,
            shared,
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// 127.0.0.1 on a random port, no faults: for `--demo` and tests.
    pub async fn start_local(seed: Seed) -> std::io::Result<Emulator> {
        Emulator::start(EmulatorConfig {
            seed,
            ..EmulatorConfig::default()
        })
        .await
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`, for the SDK's `endpoint_url`.
    pub fn endpoint_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Replaces the fault knobs; takes effect from the next request.
    pub fn set_faults(&self, faults: Faults) {
        lock(&self.shared.faults).set(faults);
    }

    /// Turns hostile mode on (`Some`) or off (`None`); takes effect from the next request. The
    /// fault knobs still apply (latency first), and the store is left untouched.
    pub fn set_hostile(&self, mode: Option<Hostile>) {
        *lock(&self.shared.hostile) = mode;
    }

    /// A snapshot of what was received so far.
    pub fn received(&self) -> Received {
        lock(&self.shared.received).snapshot()
    }

    /// Forgets what was received so far.
    pub fn clear_received(&self) {
        lock(&self.shared.received).clear();
    }

    /// The current inventory of a region, in DescribeSenderIds order.
    pub fn sender_ids(&self, region: &str) -> Vec<SeedSenderId> {
        lock(&self.shared.store).snapshot(region)
    }

    /// The number of sender IDs in each region.
    pub fn region_counts(&self) -> BTreeMap<String, usize> {
        lock(&self.shared.store).counts()
    }

    /// The current pools of a region, by pool ID.
    pub fn pools(&self, region: &str) -> Vec<SeedPool> {
        lock(&self.shared.store).pools.snapshot(region)
    }

    /// The tags of the sender ID or pool an ARN names, `None` if there is no such resource.
    pub fn tags(&self, arn: &str) -> Option<Vec<(String, String)>> {
        let mut store = lock(&self.shared.store);
        match store.by_arn(arn) {
            Some(record) => Some(record.data.tags.clone()),
            None => store
                .pools
                .by_arn_mut(arn)
                .map(|pool| pool.data.tags.clone()),
        }
    }

    /// Stops the server (connections in flight finish).
    pub fn shutdown(self) {}

    /// Stops the server and waits until it has stopped.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
