//! `sidman journal`: the release journal, newest last, one line per release intent with its
//! outcome (released, the error code, unknown, or no outcome yet when sidman was stopped mid-call).

use crate::cli::{JournalArgs, JournalFormat};
use crate::journal::{self, Entry, Intent, OutcomeKind, OutcomeLine};
use crate::sanitize::clean;
use std::collections::HashMap;
use std::io::Write;
use std::process::ExitCode;

/// One release as the journal tells it.
#[derive(Debug, serde::Serialize)]
pub struct JournalRow {
    pub time: String,
    pub profile: String,
    pub region: String,
    pub sender_id: String,
    pub country: String,
    pub outcome: String,
    pub request_id: Option<String>,
}

/// Pairs each intent with its latest outcome.
pub fn rows(entries: &[Entry]) -> Vec<JournalRow> {
    let mut outcomes: HashMap<&str, &OutcomeLine> = HashMap::new();
    for e in entries {
        if let Entry::Outcome(o) = e {
            outcomes.insert(o.id.as_str(), o);
        }
    }
    entries
        .iter()
        .filter_map(|e| match e {
            Entry::Intent(i) => Some(row(i, outcomes.get(i.id.as_str()).copied())),
            Entry::Outcome(_) => None,
        })
        .collect()
}

fn row(i: &Intent, o: Option<&OutcomeLine>) -> JournalRow {
    let outcome = match o {
        None => "no outcome (interrupted)".to_owned(),
        Some(o) => match o.result {
            OutcomeKind::Done => i.operation.done().to_owned(),
            OutcomeKind::Failed => o
                .error
                .as_ref()
                .map_or_else(|| "failed".to_owned(), |e| e.code.clone()),
            OutcomeKind::Unknown => "unknown".to_owned(),
        },
    };
    JournalRow {
        time: o.map_or_else(|| i.time.clone(), |o| o.time.clone()),
        profile: i.profile.clone(),
        region: i.region.clone(),
        sender_id: i.sender_id.clone(),
        country: i.country.clone(),
        outcome,
        request_id: o.and_then(|o| o.request_id.clone()),
    }
}

/// Prints the real journal, or the demo's (`demo`).
pub fn run(args: &JournalArgs, demo: bool) -> Result<ExitCode, String> {
    let path =
        journal::path_for(demo).ok_or("no state directory on this platform, so no journal")?;
    let (entries, unreadable) =
        journal::read(&path).map_err(|e| format!("cannot read the journal: {e}"))?;
    if unreadable > 0 {
        eprintln!(
            "sidman: {unreadable} torn or unreadable line(s) in {} were skipped (a crash or a full disk mid-write leaves one)",
            path.display()
        );
    }
    let rows = rows(&entries);
    let mut out = std::io::stdout().lock();
    let written = match args.format {
        JournalFormat::Json => serde_json::to_writer_pretty(&mut out, &rows)
            .map_err(std::io::Error::other)
            .and_then(|()| writeln!(out)),
        JournalFormat::Table => write_table(&mut out, &rows),
    };
    written.map_err(|e| format!("cannot write the output: {e}"))?;
    if rows.is_empty() {
        eprintln!("sidman: the journal {} has no releases yet", path.display());
    }
    Ok(ExitCode::SUCCESS)
}

fn write_table(out: &mut impl Write, rows: &[JournalRow]) -> std::io::Result<()> {
    writeln!(
        out,
        "{:<24} {:<12} {:<14} {:<11} {:<3} {:<28} REQUEST ID",
        "TIME", "PROFILE", "REGION", "SENDER ID", "CC", "OUTCOME"
    )?;
    for r in rows {
        writeln!(
            out,
            "{:<24} {:<12} {:<14} {:<11} {:<3} {:<28} {}",
            clean(&r.time),
            clean(&r.profile),
            clean(&r.region),
            clean(&r.sender_id),
            clean(&r.country),
            clean(&r.outcome),
            clean(r.request_id.as_deref().unwrap_or("-"))
        )?;
    }
    Ok(())
}
