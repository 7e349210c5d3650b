//! A change sidman makes to a sender ID, and what came of it. Every change goes the same way
//! (review, re-read, write-ahead journal, paced batch), so the batch, the journal and the effects
//! are written once over [`Mutation`]: releasing today, turning deletion protection on or off
//! through the same path. A re-read answers whether the sender ID is still there and as it was
//! ([`Reread`]); an [`Outcome`] says how one call ended, including the ways it was never sent.

use super::SenderIdRecord;
use super::error::ApiError;

/// A change to one sender ID.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mutation {
    /// ReleaseSenderId: the sender ID is gone for good.
    Release,
    /// UpdateSenderId with DeletionProtectionEnabled = the value.
    SetProtection(bool),
}

impl Mutation {
    /// The API operation that carries it.
    pub fn operation(self) -> &'static str {
        match self {
            Self::Release => "ReleaseSenderId",
            Self::SetProtection(_) => "UpdateSenderId",
        }
    }

    /// The pacing lane its calls wait in (each operation has its own, per region).
    pub fn lane(self) -> crate::pacing::Op {
        match self {
            Self::Release => crate::pacing::Op::Release,
            Self::SetProtection(_) => crate::pacing::Op::Update,
        }
    }

    /// What it does, as a verb for the operator ("release", "protect", "unprotect").
    pub fn verb(self) -> &'static str {
        match self {
            Self::Release => "release",
            Self::SetProtection(true) => "protect",
            Self::SetProtection(false) => "unprotect",
        }
    }

    /// What is being done while the call is in flight ("releasing", "protecting", …).
    pub fn doing(self) -> &'static str {
        match self {
            Self::Release => "releasing",
            Self::SetProtection(true) => "protecting",
            Self::SetProtection(false) => "unprotecting",
        }
    }

    /// What a sender ID it succeeded on is now ("released", "protected", "unprotected").
    pub fn done(self) -> &'static str {
        match self {
            Self::Release => "released",
            Self::SetProtection(true) => "protected",
            Self::SetProtection(false) => "unprotected",
        }
    }

    /// Why a sender ID, as a re-read just found it, must not be sent this change (it changed
    /// since the review, or the change is pointless), if it must not.
    pub fn stale(self, found: &Reread) -> Option<&'static str> {
        let Reread::Present(r) = found else {
            return Some(match self {
                Self::Release => "no longer exists (released elsewhere?)",
                Self::SetProtection(_) => "no longer exists",
            });
        };
        match self {
            _ if r.ownership == super::Ownership::Shared => Some("shared from another account"),
            Self::Release if r.deletion_protection => {
                Some("deletion protection was turned on since loading")
            }
            Self::SetProtection(on) if r.deletion_protection == on => Some(if on {
                "already protected"
            } else {
                "already unprotected"
            }),
            _ => None,
        }
    }

    /// What a re-read found when the change had not taken effect, for notes.
    pub fn not_taken(self) -> &'static str {
        match self {
            Self::Release => "found the sender ID still there",
            Self::SetProtection(_) => "found its deletion protection unchanged",
        }
    }

    /// Whether a re-read after an unknown outcome shows the change took effect.
    pub fn took_effect(self, found: &Reread) -> bool {
        match (self, found) {
            (Self::Release, Reread::Gone) => true,
            (Self::SetProtection(on), Reread::Present(r)) => r.deletion_protection == on,
            _ => false,
        }
    }
}

/// Every field of a call's response, in the API's member names and order, plus the request ID,
/// ready for the detail pane and the journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub fields: Vec<(&'static str, String)>,
    pub request_id: Option<String>,
}

/// What a re-read found for one key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reread {
    Present(Box<SenderIdRecord>),
    Gone,
}

/// How one call of a batch ended, as recorded in the journal and shown in the detail pane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Done. `response` is the service's answer; it is absent when a re-read showed the change
    /// took effect after an unknown outcome, which `note` then explains.
    Done {
        response: Option<Response>,
        note: Option<String>,
    },
    /// Refused by the service; nothing changed.
    Failed {
        error: ApiError,
        note: Option<String>,
    },
    /// Neither the call nor a re-read could tell whether it took effect.
    Unknown {
        error: ApiError,
        note: Option<String>,
    },
    /// Never sent: its intent could not be written to the journal (why).
    Unjournaled(String),
}
