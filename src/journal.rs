//! The release journal: an append-only JSON-lines file recording, for every ReleaseSenderId, an
//! intent before the call and its outcome after it, each line flushed to disk before sidman goes
//! on. It lives in the platform state directory (`~/.local/state/sidman/journal.jsonl` on Linux,
//! following `XDG_STATE_HOME`), mode 0600. It is opened for appending only: nothing here can
//! truncate or rewrite it. An intent without an outcome means sidman stopped mid-call; the next
//! start re-reads that sender ID and appends what it found. A journal that failed once (disk
//! full, I/O error, or its file moved, replaced or removed while sidman runs, which would send the
//! record to a file nobody can find) refuses every later append, so that no release starts
//! without its intent on disk.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

/// The journal's file name inside the state directory.
pub const FILE_NAME: &str = "journal.jsonl";

/// One line of the journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Entry {
    /// Written and flushed before the call is sent.
    Intent(Intent),
    /// Written after the call returns (or after a re-read settles an unknown outcome).
    Outcome(Outcome),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Intent {
    pub time: String,
    pub id: String,
    pub profile: String,
    pub region: String,
    pub sender_id: String,
    pub country: String,
    /// The identifier sent as `SenderId` (the ARN for a shared sender ID).
    pub target: String,
    pub arn: String,
    pub monthly_leasing_price: String,
    pub registered: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
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
    /// The service confirmed the release, or a re-read found the sender ID gone.
    Released,
    /// The service refused; the sender ID is still there.
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

/// The current time as the journal writes it (RFC 3339, UTC, milliseconds).
pub fn now() -> String {
    let t: DateTime<Utc> = Utc::now();
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// The journal's default path, from the platform state directory.
pub fn default_path() -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "sidman")?;
    let dir = dirs
        .state_dir()
        .map_or_else(|| dirs.data_local_dir().to_path_buf(), Path::to_path_buf);
    Some(dir.join(FILE_NAME))
}

/// An open journal, append-only.
#[derive(Debug)]
pub struct Journal {
    file: File,
    path: PathBuf,
    /// Device and inode of the open file, to notice the path no longer naming it.
    identity: Option<(u64, u64)>,
    /// Why the journal stopped accepting writes, once it has.
    broken: Option<String>,
}

impl Journal {
    /// Opens (creating if needed, mode 0600, directory 0700) the journal for appending.
    pub fn open(path: &Path) -> io::Result<Self> {
        if let Some(dir) = path.parent() {
            create_private_dir(dir)?;
        }
        let mut opts = OpenOptions::new();
        opts.append(true).create(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let file = opts.open(path)?;
        let identity = file_identity(&file.metadata()?);
        Ok(Self {
            file,
            path: path.to_path_buf(),
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
        let still_ours = std::fs::metadata(&self.path)
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

#[cfg(unix)]
fn file_identity(meta: &std::fs::Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn file_identity(_meta: &std::fs::Metadata) -> Option<(u64, u64)> {
    None
}

/// Creates a directory (and its parents) readable by the owner only.
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// Reads every entry of a journal. A line that cannot be read (a torn last line after a crash)
/// is skipped and counted, never fatal. A missing file is an empty journal.
pub fn read(path: &Path) -> io::Result<(Vec<Entry>, usize)> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok((Vec::new(), 0)),
        Err(e) => return Err(e),
    };
    let mut entries = Vec::new();
    let mut unreadable = 0;
    for line in BufReader::new(file).lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Entry>(&line) {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn intent(id: &str) -> Intent {
        Intent {
            time: now(),
            id: id.to_owned(),
            profile: "default".into(),
            region: "eu-west-1".into(),
            sender_id: "ACME".into(),
            country: "GB".into(),
            target: "ACME".into(),
            arn: "arn:aws:sms-voice:eu-west-1:111122223333:sender-id/ACME/GB".into(),
            monthly_leasing_price: "3.50".into(),
            registered: false,
        }
    }

    #[test]
    fn appends_private_lines_and_reads_them_back() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("state/sidman").join(FILE_NAME);
        let mut j = Journal::open(&path).expect("open");
        j.append(&Entry::Intent(intent("a"))).expect("append");
        j.append(&Entry::Intent(intent("b"))).expect("append");
        j.append(&Entry::Outcome(Outcome {
            time: now(),
            id: "a".into(),
            result: OutcomeKind::Released,
            request_id: Some("req-1".into()),
            response: BTreeMap::from([("SenderId".into(), "ACME".into())]),
            error: None,
            note: None,
        }))
        .expect("append");
        drop(j);
        // A torn line, as after a kill in the middle of a write.
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .and_then(|mut f| f.write_all(b"{\"kind\":\"intent\",\"ti"))
            .expect("tear");
        let (entries, bad) = read(&path).expect("read");
        assert_eq!(entries.len(), 3);
        assert_eq!(bad, 1);
        let open: Vec<String> = unsettled(&entries).into_iter().map(|i| i.id).collect();
        assert_eq!(open, vec!["b".to_owned()]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn a_moved_journal_refuses_every_later_append() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(FILE_NAME);
        let mut j = Journal::open(&path).expect("open");
        j.append(&Entry::Intent(intent("a"))).expect("append");
        std::fs::rename(&path, dir.path().join("moved")).expect("move");
        let err = j.append(&Entry::Intent(intent("b"))).expect_err("moved");
        assert!(
            err.to_string().contains("moved, replaced or removed"),
            "{err}"
        );
        // A new file at the path does not make it trustworthy again.
        std::fs::write(&path, b"").expect("recreate");
        assert!(j.append(&Entry::Intent(intent("c"))).is_err());
        assert!(j.broken().is_some());
        let (moved, _) = read(&dir.path().join("moved")).expect("read");
        assert_eq!(
            moved.len(),
            1,
            "nothing went to the lost file after the move"
        );
    }

    #[test]
    fn a_full_disk_refuses_the_append() {
        let full = Path::new("/dev/full");
        if !full.exists() {
            return;
        }
        let mut j = Journal::open(full).expect("open /dev/full");
        assert!(j.append(&Entry::Intent(intent("a"))).is_err());
        assert!(j.broken().is_some());
    }
}
