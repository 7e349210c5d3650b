//! Fault injection: added latency, a per-region request-rate limit (token bucket), random
//! ThrottlingException / InternalServerException answers, regions whose every request is
//! throttled, operations the caller is not allowed (AccessDeniedException, as for an IAM policy
//! without `sms-voice:DescribePools`), and expired credentials (every request answered
//! ExpiredTokenException, HTTP 403, as AWS does once a session token has expired). The knobs can be changed while the server runs
//! (`Emulator::set_faults`) so one test can flip them between calls; the buckets start full again
//! whenever the knobs change, so a test sees the new limit from its next request on.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use super::protocol::ErrorKind;

/// The fault knobs. `Faults::default()` is a well-behaved service.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Faults {
    /// Added to every request before it is answered.
    pub latency: Duration,
    /// Requests per second allowed in each region (burst of one second's worth); past it,
    /// ThrottlingException. `None`: no limit.
    pub rate_limit_per_region: Option<f64>,
    /// Probability (0.0–1.0) that a request is answered with ThrottlingException.
    pub throttle_probability: f64,
    /// Probability (0.0–1.0) that a request is answered with InternalServerException (500).
    pub internal_error_probability: f64,
    /// Every request is answered ExpiredTokenException (403), before any other fault.
    pub expired_credentials: bool,
    /// Every request signed for one of these regions (its SigV4 credential scope) is answered
    /// ThrottlingException; the other regions are served as usual.
    pub throttled_regions: Vec<String>,
    /// Every request for one of these operations (`DescribePools`, `ListTagsForResource`, ...)
    /// is answered AccessDeniedException, in every region: the caller's policy does not allow it.
    pub denied_operations: Vec<String>,
}

impl Faults {
    /// Whether any fault is switched on.
    pub fn is_active(&self) -> bool {
        *self != Faults::default()
    }

    /// The faults switched on, in words (`latency 30 ms, 20 requests/s per region`).
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if !self.latency.is_zero() {
            parts.push(format!("latency {} ms", self.latency.as_millis()));
        }
        if let Some(rate) = self.rate_limit_per_region {
            parts.push(format!("{rate} requests/s per region"));
        }
        if self.throttle_probability > 0.0 {
            parts.push(format!(
                "{:.0}% throttled",
                self.throttle_probability * 100.0
            ));
        }
        if self.internal_error_probability > 0.0 {
            parts.push(format!(
                "{:.0}% server errors",
                self.internal_error_probability * 100.0
            ));
        }
        if self.expired_credentials {
            parts.push("credentials expired".to_owned());
        }
        if !self.throttled_regions.is_empty() {
            parts.push(format!(
                "every request throttled in {}",
                self.throttled_regions.join(", ")
            ));
        }
        parts.join(", ")
    }
}

struct Bucket {
    tokens: f64,
    last: Instant,
}

/// The knobs plus the rate-limit buckets of each region.
#[derive(Default)]
pub(crate) struct FaultState {
    faults: Faults,
    buckets: HashMap<String, Bucket>,
}

impl FaultState {
    pub(crate) fn new(faults: Faults) -> FaultState {
        FaultState {
            faults,
            buckets: HashMap::new(),
        }
    }

    pub(crate) fn set(&mut self, faults: Faults) {
        self.faults = faults;
        self.buckets.clear();
    }

    pub(crate) fn latency(&self) -> Duration {
        self.faults.latency
    }

    /// The injected error for one request for `operation` in `region`, if any. Authorization
    /// comes before the rate: a denied request takes nothing from the region's bucket.
    pub(crate) fn decide(&mut self, region: &str, operation: &str) -> Option<ErrorKind> {
        if self.faults.expired_credentials {
            return Some(ErrorKind::ExpiredToken);
        }
        if self.faults.denied_operations.iter().any(|o| o == operation) {
            return Some(ErrorKind::AccessDenied);
        }
        if self.faults.throttled_regions.iter().any(|r| r == region) {
            return Some(ErrorKind::Throttling);
        }
        if let Some(rate) = self
            .faults
            .rate_limit_per_region
            .filter(|r| r.is_finite() && *r > 0.0)
        {
            let capacity = rate.max(1.0);
            let now = Instant::now();
            let bucket = self.buckets.entry(region.to_owned()).or_insert(Bucket {
                tokens: capacity,
                last: now,
            });
            let refill = now.duration_since(bucket.last).as_secs_f64() * rate;
            bucket.tokens = (bucket.tokens + refill).min(capacity);
            bucket.last = now;
            if bucket.tokens < 1.0 {
                return Some(ErrorKind::Throttling);
            }
            bucket.tokens -= 1.0;
        }
        if chance(self.faults.throttle_probability) {
            return Some(ErrorKind::Throttling);
        }
        if chance(self.faults.internal_error_probability) {
            return Some(ErrorKind::InternalServer);
        }
        None
    }
}

fn chance(probability: f64) -> bool {
    probability >= 1.0 || (probability > 0.0 && fastrand::f64() < probability)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limit_throttles_past_the_burst() {
        let mut state = FaultState::new(Faults {
            rate_limit_per_region: Some(3.0),
            ..Faults::default()
        });
        let outcomes: Vec<_> = (0..10)
            .map(|_| state.decide("us-east-1", "DescribeSenderIds"))
            .collect();
        assert!(outcomes[..3].iter().all(Option::is_none));
        assert!(outcomes[3..].contains(&Some(ErrorKind::Throttling)));
        assert_eq!(
            state.decide("eu-west-1", "DescribeSenderIds"),
            None,
            "regions have their own bucket"
        );
    }

    #[test]
    fn certain_faults() {
        let mut state = FaultState::new(Faults {
            throttle_probability: 1.0,
            ..Faults::default()
        });
        assert_eq!(
            state.decide("r", "DescribeSenderIds"),
            Some(ErrorKind::Throttling)
        );
        state.set(Faults {
            internal_error_probability: 1.0,
            ..Faults::default()
        });
        assert_eq!(
            state.decide("r", "DescribeSenderIds"),
            Some(ErrorKind::InternalServer)
        );
        state.set(Faults::default());
        assert_eq!(state.decide("r", "DescribeSenderIds"), None);
    }

    #[test]
    fn a_throttled_region_refuses_everything_and_the_others_are_served() {
        let mut state = FaultState::new(Faults {
            throttled_regions: vec!["eu-west-1".to_owned()],
            rate_limit_per_region: Some(1.0),
            ..Faults::default()
        });
        for _ in 0..5 {
            assert_eq!(
                state.decide("eu-west-1", "DescribeSenderIds"),
                Some(ErrorKind::Throttling)
            );
        }
        assert_eq!(
            state.decide("us-east-1", "DescribeSenderIds"),
            None,
            "another region is served, and the throttled one took none of its bucket"
        );
    }

    #[test]
    fn a_denied_operation_is_refused_everywhere_and_takes_no_rate() {
        let mut state = FaultState::new(Faults {
            denied_operations: vec!["DescribePools".to_owned()],
            rate_limit_per_region: Some(1.0),
            ..Faults::default()
        });
        for region in ["us-east-1", "eu-west-1"] {
            assert_eq!(
                state.decide(region, "DescribePools"),
                Some(ErrorKind::AccessDenied)
            );
        }
        assert_eq!(state.decide("us-east-1", "DescribeSenderIds"), None);
        assert_eq!(ErrorKind::AccessDenied.status(), 400);
    }

    #[test]
    fn expired_credentials_come_before_every_other_fault() {
        let mut state = FaultState::new(Faults {
            expired_credentials: true,
            throttle_probability: 1.0,
            ..Faults::default()
        });
        assert_eq!(
            state.decide("r", "DescribeSenderIds"),
            Some(ErrorKind::ExpiredToken)
        );
        assert_eq!(ErrorKind::ExpiredToken.status(), 403);
        assert_eq!(ErrorKind::ExpiredToken.name(), "ExpiredTokenException");
    }
}
