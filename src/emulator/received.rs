//! What the emulator received, for tests to assert on: exact counts per operation and region, and a
//! bounded log of the most recent requests (operation, region, body, error name). Counting happens
//! on every request, answered or refused, so a test can check for example that a client retried a
//! throttled call or never sent a release it should not have.

use std::collections::{HashMap, VecDeque};

use serde_json::Value;

/// How many requests the log keeps (the oldest are dropped first); counts are never dropped.
pub const RECEIVED_LOG_CAPACITY: usize = 10_000;

/// One request as received.
#[derive(Debug, Clone, PartialEq)]
pub struct ReceivedRequest {
    /// The operation name (`DescribeSenderIds`), or for an unknown one what the target said.
    pub operation: String,
    /// The region of the credential scope, if the request was signed.
    pub region: Option<String>,
    /// The JSON body (`{}` for an empty body, a string holding the text if it was not JSON).
    pub body: Value,
    /// The short name of the error answered (`ConflictException`), `None` on success.
    pub error: Option<String>,
}

/// A snapshot of what was received.
#[derive(Debug, Clone, Default)]
pub struct Received {
    counts: HashMap<String, HashMap<Option<String>, usize>>,
    requests: Vec<ReceivedRequest>,
}

impl Received {
    /// Requests for `operation` in every region.
    pub fn count(&self, operation: &str) -> usize {
        self.counts
            .get(operation)
            .map_or(0, |by_region| by_region.values().sum())
    }

    /// Requests for `operation` in `region`.
    pub fn count_in(&self, operation: &str, region: &str) -> usize {
        self.counts
            .get(operation)
            .and_then(|by_region| by_region.get(&Some(region.to_owned())))
            .copied()
            .unwrap_or(0)
    }

    /// Every request counted.
    pub fn total(&self) -> usize {
        self.counts.values().flat_map(HashMap::values).sum()
    }

    /// The most recent requests, oldest first (at most `RECEIVED_LOG_CAPACITY`).
    pub fn requests(&self) -> &[ReceivedRequest] {
        &self.requests
    }
}

/// The live counterpart of `Received`.
#[derive(Default)]
pub(crate) struct ReceivedLog {
    counts: HashMap<String, HashMap<Option<String>, usize>>,
    log: VecDeque<ReceivedRequest>,
}

impl ReceivedLog {
    pub(crate) fn record(&mut self, request: ReceivedRequest) {
        let by_region = self.counts.entry(request.operation.clone()).or_default();
        *by_region.entry(request.region.clone()).or_insert(0) += 1;
        if self.log.len() >= RECEIVED_LOG_CAPACITY {
            self.log.pop_front();
        }
        self.log.push_back(request);
    }

    pub(crate) fn snapshot(&self) -> Received {
        Received {
            counts: self.counts.clone(),
            requests: self.log.iter().cloned().collect(),
        }
    }

    pub(crate) fn clear(&mut self) {
        self.counts.clear();
        self.log.clear();
    }
}
