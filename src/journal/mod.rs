//! The release journal: an append-only JSON-lines file recording, for every ReleaseSenderId, an
//! intent before the call and its outcome after it, each line flushed to disk before sidman goes
//! on. It lives in the platform state directory (`~/.local/state/sidman/journal.jsonl` on Linux,
//! following `XDG_STATE_HOME`; the demo keeps `journal-demo.jsonl` beside it), mode 0600, opened
//! through [`private_file`](crate::private_file) so that no planted link or special file is
//! followed. Every intent records the service it went to (endpoint, account, region, profile),
//! so that only a session on that same service settles it.
//!
//! One sidman writes a journal at a time: [`Journal::open`] takes an exclusive lock (a lock file
//! beside it holding the writer's pid) for as long as the journal is open; a second sidman can
//! list and browse but cannot release or settle. A last line left without its newline (a crash
//! or a full disk mid-write) gets one before anything is appended, so a new record is never
//! glued onto it. A journal that failed once (disk full, I/O error, or its file moved, replaced or
//! removed while sidman runs) refuses every later append, so that no release starts without its
//! intent on disk.

use crate::domain::Mutation;
use crate::private_file::{self, Access};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// The journal's file name inside the state directory.
pub const FILE_NAME: &str = "journal.jsonl";
/// The demo's own journal, beside the real one.
pub const DEMO_FILE_NAME: &str = "journal-demo.jsonl";
/// The endpoint an intent records when the session used AWS's own endpoints.
pub const AWS_ENDPOINT: &str = "AWS";
/// The most sidman reads of a journal; a larger one is to be archived.
pub const MAX_BYTES: u64 = 256 << 20;
/// A longer line is counted as unreadable.
pub const MAX_LINE: usize = 64 << 10;

/// One line of the journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Entry {
    /// Written and flushed before the call is sent.
    Intent(Intent),
    /// Written after the call returns (or after a re-read settles an unknown outcome).
    Outcome(OutcomeLine),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Intent {
    pub time: String,
    pub id: String,
    /// The endpoint the call went to: [`AWS_ENDPOINT`], or the URL of another one. Empty in
    /// records of sidman versions that did not record it (never settled automatically).
    #[serde(default)]
    pub endpoint: String,
    /// The account that owns the sender ID (from its ARN).
    #[serde(default)]
    pub account: Option<String>,
    pub profile: String,
    pub region: String,
    pub sender_id: String,
    pub country: String,
    /// The change sent (records written before protection changes existed are releases).
    #[serde(default = "release")]
    pub operation: Mutation,
    /// The identifier sent as `SenderId` (the ARN for a shared sender ID).
    pub target: String,
    pub arn: String,
    pub monthly_leasing_price: String,
    pub registered: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomeLine {
    pub time: String,
    /// The intent this settles.
    pub id: String,
    pub result: OutcomeKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// Every field of the ReleaseSenderId response, when it succeeded.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub response: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorRecord>,
    /// How the outcome was learned when the call itself gave none, e.g. `re-read`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeKind {
    /// The service confirmed the change, or a re-read showed it took effect (a released sender
    /// ID gone). Written `released` for a release, as it always was.
    #[serde(rename = "released")]
    Done,
    /// The service refused; the sender ID is still there. (Also a protection change settled at
    /// start-up on a sender ID gone since: its note says so.)
    Failed,
    /// Neither the call nor a re-read could tell.
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorRecord {
    pub code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub message: String,
}

fn release() -> Mutation {
    Mutation::Release
}

/// The service a session sends to, as its intents record it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Target {
    /// [`AWS_ENDPOINT`] or the URL of another endpoint.
    pub endpoint: String,
    pub profile: String,
}

impl Target {
    /// The target of a session on `endpoint` (`None`: AWS's own endpoints).
    pub fn new(endpoint: Option<&str>, profile: &str) -> Self {
        Self {
            endpoint: endpoint.unwrap_or(AWS_ENDPOINT).to_owned(),
            profile: profile.to_owned(),
        }
    }
}

/// The current time as the journal writes it (RFC 3339, UTC, milliseconds).
pub fn now() -> String {
    let t: DateTime<Utc> = Utc::now();
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// The journal's default path, from the platform state directory.
pub fn default_path() -> Option<PathBuf> {
    path_for(false)
}

/// The real journal's path, or the demo's (`demo`).
pub fn path_for(demo: bool) -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "sidman")?;
    let dir = dirs
        .state_dir()
        .map_or_else(|| dirs.data_local_dir().to_path_buf(), Path::to_path_buf);
    Some(dir.join(if demo { DEMO_FILE_NAME } else { FILE_NAME }))
}

/// Why a journal could not be opened for writing.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// Another sidman writes it.
    #[error("another sidman (pid {pid}) holds the journal: releases are disabled here")]
    Held { pid: String },
    #[error("releases disabled: {}", unusable(path, source))]
    Unusable { path: PathBuf, source: io::Error },
}

/// Why a journal is unusable, naming its path once.
fn unusable(path: &Path, source: &io::Error) -> String {
    let shown = private_file::shown(path);
    let why = source.to_string();
    if why.contains(&shown) {
        why
    } else {
        format!("the journal {shown} cannot be used ({why})")
    }
}

/// An open journal, append-only, held exclusively.
#[derive(Debug)]
pub struct Journal {
    file: File,
    path: PathBuf,
    /// The lock file, locked for as long as this journal is open.
    _lock: File,
    /// Device and inode of the open file, to notice the path no longer naming it.
    identity: Option<(u64, u64)>,
    /// Why the journal stopped accepting writes, once it has.
    broken: Option<String>,
}

impl Journal {
    /// Takes the journal for writing: the lock first (refused while another sidman holds it),
    /// then the file (created if needed, mode 0600, directory 0700), whose torn last line, if
    /// any, is ended.
    pub fn open(path: &Path) -> Result<Self, OpenError> {
        let unusable = |source| OpenError::Unusable {
            path: path.to_path_buf(),
            source,
        };
        if let Some(dir) = path.parent() {
            private_file::ensure_private_dir(dir).map_err(unusable)?;
        }
        let lock = take_lock(&lock_path(path)).map_err(|e| match e {
            LockError::Held(pid) => OpenError::Held { pid },
            LockError::Io(e) => unusable(e),
        })?;
        let mut file = private_file::open(path, Access::Append).map_err(unusable)?;
        end_torn_line(path, &mut file).map_err(unusable)?;
        let identity = file_identity(&file.metadata().map_err(unusable)?);
        Ok(Self {
            file,
            path: path.to_path_buf(),
            _lock: lock,
            identity,
            broken: None,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Why the journal refuses writes, if it does.
    pub fn broken(&self) -> Option<&str> {
        self.broken.as_deref()
    }

    /// Appends one line and waits until it is on disk. After a failure every later append fails
    /// too, with the first reason.
    pub fn append(&mut self, entry: &Entry) -> io::Result<()> {
        if let Some(why) = &self.broken {
            return Err(io::Error::other(format!(
                "the journal failed earlier: {why}"
            )));
        }
        let result = self.write_line(entry);
        if let Err(e) = &result {
            self.broken = Some(e.to_string());
        }
        result
    }

    fn write_line(&mut self, entry: &Entry) -> io::Result<()> {
        let still_ours = std::fs::symlink_metadata(&self.path)
            .ok()
            .and_then(|m| file_identity(&m))
            == self.identity;
        if !still_ours {
            return Err(io::Error::other(format!(
                "{} was moved, replaced or removed while sidman ran",
                self.path.display()
            )));
        }
        let mut line = serde_json::to_vec(entry).map_err(io::Error::other)?;
        line.push(b'\n');
        self.file.write_all(&line)?;
        self.file.flush()?;
        self.file.sync_data()
    }
}

/// The lock file of a journal: `journal.jsonl.lock` beside it.
pub fn lock_path(journal: &Path) -> PathBuf {
    let mut name = journal.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    journal.with_file_name(name)
}

enum LockError {
    /// Held by another process (its pid as it wrote it, or "unknown").
    Held(String),
    Io(io::Error),
}

/// Takes the exclusive lock and writes this process's pid into the lock file.
fn take_lock(path: &Path) -> Result<File, LockError> {
    let mut file = private_file::open(path, Access::ReadWrite).map_err(LockError::Io)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            let mut pid = String::new();
            let _ = (&file).take(32).read_to_string(&mut pid);
            let pid = pid.trim();
            let pid = if !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()) {
                pid.to_owned()
            } else {
                "unknown".to_owned()
            };
            return Err(LockError::Held(pid));
        }
        Err(std::fs::TryLockError::Error(e)) => return Err(LockError::Io(e)),
    }
    let write = file
        .set_len(0)
        .and_then(|()| file.seek(SeekFrom::Start(0)))
        .and_then(|_| writeln!(file, "{}", std::process::id()))
        .and_then(|()| file.sync_data());
    write.map_err(LockError::Io)?;
    Ok(file)
}

/// Gives a last line without its newline (a crash or a full disk mid-write) its newline, so
/// the next record starts on a line of its own.
fn end_torn_line(path: &Path, append: &mut File) -> io::Result<()> {
    let mut read = private_file::open(path, Access::Read)?;
    let len = read.metadata()?.len();
    if len == 0 {
        return Ok(());
    }
    read.seek(SeekFrom::Start(len - 1))?;
    let mut last = [0u8; 1];
    read.read_exact(&mut last)?;
    if last[0] != b'\n' {
        append.write_all(b"\n")?;
        append.sync_data()?;
    }
    Ok(())
}

#[cfg(unix)]
fn file_identity(meta: &std::fs::Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn file_identity(_meta: &std::fs::Metadata) -> Option<(u64, u64)> {
    None
}

/// Reads every entry of a journal. A line that cannot be read (a torn line after a crash, one
/// longer than [`MAX_LINE`]) is skipped and counted, never fatal. A missing file is an empty
/// journal; a link, a special file or one over [`MAX_BYTES`] is an error naming the path.
pub fn read(path: &Path) -> io::Result<(Vec<Entry>, usize)> {
    let bytes = match private_file::read_bounded(path, MAX_BYTES) {
        Ok(b) => b,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok((Vec::new(), 0)),
        Err(e) => return Err(e),
    };
    let mut entries = Vec::new();
    let mut unreadable = 0;
    for line in bytes.split(|&b| b == b'\n') {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        if line.len() > MAX_LINE {
            unreadable += 1;
            continue;
        }
        match serde_json::from_slice::<Entry>(line) {
            Ok(e) => entries.push(e),
            Err(_) => unreadable += 1,
        }
    }
    Ok((entries, unreadable))
}

/// Intents that have no outcome yet, oldest first.
pub fn unsettled(entries: &[Entry]) -> Vec<Intent> {
    let settled: std::collections::HashSet<&str> = entries
        .iter()
        .filter_map(|e| match e {
            Entry::Outcome(o) if o.result != OutcomeKind::Unknown => Some(o.id.as_str()),
            _ => None,
        })
        .collect();
    entries
        .iter()
        .filter_map(|e| match e {
            Entry::Intent(i) if !settled.contains(i.id.as_str()) => Some(i.clone()),
            _ => None,
        })
        .collect()
}

mod history;
#[cfg(test)]
mod tests;

pub use history::{Change, changes};
