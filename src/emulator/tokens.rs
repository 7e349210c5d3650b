//! Pagination tokens and idempotency tokens. A NextToken is an opaque random string that maps to a
//! key cursor (the last sender ID or pool served, not an offset), the region it was issued in and a
//! fingerprint of the operation and its query (Owner, Filters, SenderIds, PoolIds, PoolId), so a
//! page is never skipped or repeated when sender IDs are released between pages and a token cannot
//! be replayed against another query or operation. Each token is issued once; both books are
//! bounded and forget their oldest entries first.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use super::store::Key;

const PAGE_TOKEN_CAPACITY: usize = 100_000;
const CLIENT_TOKEN_CAPACITY: usize = 20_000;

/// Where the next page starts: after this sender ID (DescribeSenderIds, and the members of a pool
/// in ListPoolOriginationIdentities) or after this pool ID (DescribePools).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum After {
    SenderId(Key),
    Pool(String),
}

struct Cursor {
    region: String,
    fingerprint: u64,
    after: After,
}

/// Issued NextTokens.
#[derive(Default)]
pub(crate) struct TokenBook {
    cursors: HashMap<String, Cursor>,
    order: VecDeque<String>,
    issued: u64,
}

impl TokenBook {
    /// A new token that resumes after `after`.
    pub(crate) fn issue(&mut self, region: &str, fingerprint: u64, after: After) -> String {
        self.issued += 1;
        let token = format!("{}{:08x}", uuid::Uuid::new_v4().simple(), self.issued);
        if self.order.len() >= PAGE_TOKEN_CAPACITY
            && let Some(old) = self.order.pop_front()
        {
            self.cursors.remove(&old);
        }
        let cursor = Cursor {
            region: region.to_owned(),
            fingerprint,
            after,
        };
        self.cursors.insert(token.clone(), cursor);
        self.order.push_back(token.clone());
        token
    }

    /// The cursor of a token, if it was issued here for the same region and query.
    pub(crate) fn cursor(&self, token: &str, region: &str, fingerprint: u64) -> Option<&After> {
        self.cursors
            .get(token)
            .filter(|c| c.region == region && c.fingerprint == fingerprint)
            .map(|c| &c.after)
    }
}

/// What a RequestSenderId ClientToken produced the first time.
#[derive(Clone)]
pub(crate) struct Remembered {
    pub(crate) fingerprint: u64,
    pub(crate) response: Arc<str>,
}

/// RequestSenderId results by (region, ClientToken).
#[derive(Default)]
pub(crate) struct ClientTokenBook {
    results: HashMap<(String, String), Remembered>,
    order: VecDeque<(String, String)>,
}

impl ClientTokenBook {
    pub(crate) fn get(&self, region: &str, token: &str) -> Option<&Remembered> {
        self.results.get(&(region.to_owned(), token.to_owned()))
    }

    pub(crate) fn remember(&mut self, region: &str, token: &str, remembered: Remembered) {
        let key = (region.to_owned(), token.to_owned());
        if self.order.len() >= CLIENT_TOKEN_CAPACITY
            && let Some(old) = self.order.pop_front()
        {
            self.results.remove(&old);
        }
        if self.results.insert(key.clone(), remembered).is_none() {
            self.order.push_back(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(id: &str) -> After {
        After::SenderId(Key {
            country: "GB".into(),
            sender_id: id.into(),
            arn: format!("arn/{id}"),
        })
    }

    #[test]
    fn tokens_are_unique_and_bound() {
        let mut book = TokenBook::default();
        let a = book.issue("us-east-1", 7, key("A"));
        let b = book.issue("us-east-1", 7, key("A"));
        assert_ne!(a, b);
        assert_eq!(book.cursor(&a, "us-east-1", 7), Some(&key("A")));
        assert_eq!(book.cursor(&a, "eu-west-1", 7), None);
        assert_eq!(book.cursor(&a, "us-east-1", 8), None);
        assert_eq!(book.cursor("forged", "us-east-1", 7), None);
    }
}
