//! What keeps a listing finite whatever the server answers: a page token that comes back (seen
//! tokens are kept as hashes, so a huge token costs nothing to remember), a token longer than any
//! real one, more pages than [`MAX_PAGES`] or more sender IDs than [`MAX_RECORDS`] in one listing.
//! It also counts the sender IDs that came without the members that identify them (the SDK fills
//! a missing required member with `""`), which are left out and reported when the listing ends.

#![allow(
    clippy::result_large_err,
    reason = "ApiError is the error of every Api call; a listing builds at most one"
)]

use super::errors::{ApiError, ErrorKind};
use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};

/// The most pages read from one listing (one region, one owner) before sidman calls the server
/// broken: twice what [`MAX_RECORDS`] takes in full pages of 100 (at the default 50 requests a
/// second, a server that pages empty answers forever is given up on after about 100 s).
pub const MAX_PAGES: usize = 5_000;
/// The most sender IDs one listing (one region, one owner) may hold, so at most 500,000 per
/// region. Far above any real account, low enough that a server that never stops paging cannot
/// exhaust memory: `sidman list` peaked at 355 MB holding two listings of 255,000 (measured).
pub const MAX_RECORDS: usize = 250_000;
/// The longest page token accepted: eight times the model's bound (NextToken is 1–1024 chars).
pub const MAX_TOKEN_BYTES: usize = 8 * 1024;

/// The state of one listing in progress.
#[derive(Debug)]
pub(super) struct ListingGuard {
    pages: usize,
    records: usize,
    incomplete: usize,
    seen: HashSet<u64>,
    /// What is listed, for the messages ("sender IDs", "pools").
    noun: &'static str,
}

impl Default for ListingGuard {
    /// A listing of sender IDs.
    fn default() -> Self {
        Self::of("sender IDs")
    }
}

impl ListingGuard {
    /// A listing of something else than sender IDs (pools, the members of a pool), bounded alike.
    pub(super) fn of(noun: &'static str) -> Self {
        Self {
            pages: 0,
            records: 0,
            incomplete: 0,
            seen: HashSet::new(),
            noun,
        }
    }

    /// Takes in one page; returns the token to ask for next (`None`: the listing is complete), or
    /// the error that stops the listing.
    pub(super) fn next(
        &mut self,
        records: usize,
        incomplete: usize,
        token: Option<String>,
    ) -> Result<Option<String>, ApiError> {
        self.pages += 1;
        self.records += records;
        self.incomplete += incomplete;
        if self.records > MAX_RECORDS {
            let code = match self.noun {
                "sender IDs" => "TooManySenderIds",
                _ => "TooManyItems",
            };
            return Err(broken(
                code,
                format!(
                    "the service listed more than {MAX_RECORDS} {} for one owner in this region; \
                     listing stopped (sidman's limit, far above any real account)",
                    self.noun
                ),
            ));
        }
        let Some(token) = token else {
            return Ok(None);
        };
        if token.len() > MAX_TOKEN_BYTES {
            return Err(broken(
                "InvalidNextToken",
                format!(
                    "the service sent a page token of {} bytes (the API allows 1024); listing of {} \
                     stopped",
                    token.len(),
                    self.noun
                ),
            ));
        }
        if !self.seen.insert(hash(&token)) {
            return Err(broken(
                "RepeatedNextToken",
                format!(
                    "the service repeated a page token; listing of {} stopped to avoid a loop",
                    self.noun
                ),
            ));
        }
        if self.pages >= MAX_PAGES {
            return Err(broken(
                "TooManyPages",
                format!(
                    "the service sent more than {MAX_PAGES} pages of {}; listing stopped",
                    self.noun
                ),
            ));
        }
        Ok(Some(token))
    }

    /// The end of a listing that ran to its last page.
    pub(super) fn finish(self) -> Result<(), ApiError> {
        match self.incomplete {
            0 => Ok(()),
            n => Err(incomplete(n)),
        }
    }
}

/// The error for `n` sender IDs that came without a SenderId, IsoCountryCode or (shared) ARN.
pub(super) fn incomplete(n: usize) -> ApiError {
    broken(
        "IncompleteSenderIds",
        format!(
            "the service's answer held {n} sender ID(s) without a SenderId, IsoCountryCode or \
             SenderIdArn; they cannot be named in a release and are not shown"
        ),
    )
}

pub(super) fn broken(code: &str, message: impl Into<String>) -> ApiError {
    ApiError {
        kind: ErrorKind::BadResponse,
        code: code.to_owned(),
        ..ApiError::local(message)
    }
}

fn hash(token: &str) -> u64 {
    let mut h = DefaultHasher::new();
    token.hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_token_stops_the_listing() {
        let mut g = ListingGuard::default();
        assert_eq!(g.next(1, 0, Some("a".into())), Ok(Some("a".into())));
        assert_eq!(g.next(1, 0, Some("b".into())), Ok(Some("b".into())));
        let err = g.next(1, 0, Some("a".into())).err();
        assert_eq!(err.map(|e| e.code), Some("RepeatedNextToken".to_owned()));
    }

    #[test]
    fn pages_records_and_token_sizes_are_bounded() {
        let mut g = ListingGuard::default();
        let stop = (0..MAX_PAGES + 1)
            .map(|i| g.next(0, 0, Some(i.to_string())))
            .find_map(Result::err);
        assert_eq!(stop.map(|e| e.code), Some("TooManyPages".to_owned()));
        let mut g = ListingGuard::default();
        let err = g.next(MAX_RECORDS + 1, 0, None).err();
        assert_eq!(err.map(|e| e.code), Some("TooManySenderIds".to_owned()));
        let mut g = ListingGuard::default();
        let err = g.next(1, 0, Some("x".repeat(MAX_TOKEN_BYTES + 1))).err();
        assert_eq!(err.map(|e| e.code), Some("InvalidNextToken".to_owned()));
    }

    #[test]
    fn incomplete_records_are_reported_at_the_end() {
        let mut g = ListingGuard::default();
        assert_eq!(g.next(2, 1, None), Ok(None));
        let err = g.finish().err();
        assert!(err.is_some_and(|e| e.code == "IncompleteSenderIds" && e.message.contains('1')));
        assert_eq!(ListingGuard::default().finish(), Ok(()));
    }
}
