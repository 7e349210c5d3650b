//! The messages of the application. An [`Action`] is everything that reaches the one owner of the
//! state: a key press, a tick, a resize, or the result of work done elsewhere. An [`Effect`] is
//! work the state asks for; only `effects.rs` turns effects into tasks, and their results come
//! back as actions carrying the generation or batch they belong to, so stale results are dropped.

pub use crate::domain::Outcome;
use crate::domain::{ApiError, Key, Mutation, Ownership, Reread, SenderIdRecord};
use crate::pacing::PacingStats;
use crossterm::event::KeyEvent;
use std::time::Instant;

/// One piece of terminal input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Key(KeyEvent),
    /// Text pasted into the terminal (bracketed paste): never a command.
    Paste(String),
}

#[derive(Debug, Clone)]
pub enum Action {
    /// The session starts: every region is loaded (the screen's size came before, as a resize).
    Start,
    /// A signal or a closed terminal ends the session: nothing more is scheduled; the calls in
    /// flight finish and are recorded.
    Stop,
    /// One burst of terminal input: everything the loop could read without waiting, in order,
    /// read at `at`. A key that opens a sheet or is refused ends the burst: the rest of it is
    /// discarded, so type-ahead, a key-repeat or an unbracketed paste never runs on behind it.
    Input {
        at: Instant,
        events: Vec<Input>,
    },
    Resize {
        width: u16,
        height: u16,
    },
    /// Time passed (the loop's tick).
    Tick {
        at: Instant,
    },
    /// The frame the state was waiting for (a new sheet's first) was drawn at `at`; `flushed`
    /// keys that were already waiting then were discarded unread.
    Drawn {
        at: Instant,
        flushed: usize,
    },
    /// A page of one region's inventory arrived.
    PageLoaded {
        generation: u64,
        region: String,
        ownership: Ownership,
        records: Vec<SenderIdRecord>,
    },
    /// A region's listing for one owner ended, in success or error.
    RegionListed {
        generation: u64,
        region: String,
        ownership: Ownership,
        result: Result<(), ApiError>,
    },
    /// The pre-release re-read of some marked sender IDs of one region came back.
    Reread {
        batch: u64,
        region: String,
        keys: Vec<Key>,
        result: Result<Vec<(Key, Reread)>, ApiError>,
    },
    /// One change of a batch ended.
    Mutated {
        batch: u64,
        key: Key,
        outcome: Outcome,
    },
    /// The CSV export of the current view ended (path or error).
    Exported(Result<String, String>),
    /// A region's pacing now: its rates and the throttles seen so far.
    Pacing {
        region: String,
        stats: PacingStats,
    },
    /// The journal stopped accepting writes (why): no release may start any more.
    JournalFailed(String),
    /// A region's pools were read (or could not be).
    PoolsRead {
        generation: u64,
        region: String,
        result: Result<Vec<crate::domain::Pool>, ApiError>,
    },
    /// One sender ID's tags were read (or could not be).
    TagsRead {
        generation: u64,
        key: Key,
        result: Result<Vec<(String, String)>, ApiError>,
    },
    /// The journal was read for the history view (its changes, oldest first, or why not).
    HistoryRead(Result<Vec<crate::journal::Change>, String>),
    /// Start-up reconciliation of the journal ended (what it did, or why it could not).
    JournalSettled(Result<crate::reconcile::Settled, String>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// List one region (own and shared sender IDs), page by page.
    LoadRegion { generation: u64, region: String },
    /// Re-read these sender IDs of one region before releasing them.
    Reread {
        batch: u64,
        region: String,
        keys: Vec<Key>,
    },
    /// Send one change of a batch (journal intent first), as the re-read found the sender ID.
    Mutate {
        batch: u64,
        mutation: Mutation,
        record: Box<SenderIdRecord>,
    },
    /// Write these rows (already filtered and sorted) to a CSV file.
    Export {
        rows: Vec<SenderIdRecord>,
        /// Where each row stands in this session (`released`, `FAILED`…; empty if untouched).
        status: Vec<String>,
    },
    /// Write the price view's summary (a header row, then one row per group and the total) to a
    /// CSV file.
    ExportSummary { rows: Vec<Vec<String>> },
    /// Cancel every read in flight (listings, pools, tags of an earlier load): a reload asks
    /// for everything again, and what they would bring is stale. Changes are never cancelled.
    CancelReads,
    /// Read a region's pools and their sender IDs.
    LoadPools { generation: u64, region: String },
    /// Read the tags of these sender IDs (key and ARN) of one region, one after the other.
    ReadTags {
        generation: u64,
        region: String,
        targets: Vec<(Key, String)>,
    },
    /// Put this text on the terminal's clipboard (OSC 52). The app writes it on its terminal
    /// between two frames; it never goes to the runner.
    Copy { text: String },
    /// Read the journal's changes for the history view.
    ReadHistory,
    /// Settle the journal's interrupted releases that were sent to this session's service;
    /// `account` is the session's account, from its inventory's ARNs.
    SettleJournal { account: Option<String> },
}
