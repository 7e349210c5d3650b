//! The journal read back as changes: each intent with its latest outcome, in the order they
//! last moved. `sidman journal` prints them and the TUI's history view lists them; both
//! read them from here, so they tell the same story.

use super::{Entry, Intent, OutcomeKind, OutcomeLine};
use std::collections::HashMap;

/// One change as the journal tells it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Change {
    pub intent: Intent,
    /// The latest outcome; `None` while none was written (interrupted, not settled yet).
    pub outcome: Option<OutcomeLine>,
}

impl Change {
    /// When it last moved: the outcome's time, or the intent's.
    pub fn time(&self) -> &str {
        self.outcome.as_ref().map_or(&self.intent.time, |o| &o.time)
    }

    /// One word for how it ended: `released` (or `protected`…), `FAILED`, `UNKNOWN`, or
    /// `interrupted` while no outcome was written.
    pub fn status(&self) -> &'static str {
        match self.outcome.as_ref().map(|o| o.result) {
            None => "interrupted",
            Some(OutcomeKind::Done) => self.intent.operation.done(),
            Some(OutcomeKind::Failed) => "FAILED",
            Some(OutcomeKind::Unknown) => "UNKNOWN",
        }
    }

    /// The error as one line, `Code (Reason): message`, when the outcome carries one.
    pub fn error_line(&self) -> Option<String> {
        let e = self.outcome.as_ref()?.error.as_ref()?;
        let mut line = e.code.clone();
        if let Some(r) = &e.reason {
            line.push_str(&format!(" ({r})"));
        }
        if !e.message.is_empty() {
            line.push_str(&format!(": {}", e.message));
        }
        Some(line)
    }

    /// What the operator should read after the status: the error, else the note.
    pub fn detail(&self) -> Option<String> {
        self.error_line()
            .or_else(|| self.outcome.as_ref().and_then(|o| o.note.clone()))
    }
}

/// Pairs each intent with its latest outcome, in the order they last moved (the time each
/// shows: its outcome's, or its intent's while it has none), the order of writing among equals.
/// Times are RFC 3339 UTC with milliseconds, so their text sorts as they do.
pub fn changes(entries: &[Entry]) -> Vec<Change> {
    let mut outcomes: HashMap<&str, &OutcomeLine> = HashMap::new();
    for e in entries {
        if let Entry::Outcome(o) = e {
            outcomes.insert(o.id.as_str(), o);
        }
    }
    let mut changes = entries
        .iter()
        .filter_map(|e| match e {
            Entry::Intent(i) => Some(Change {
                intent: i.clone(),
                outcome: outcomes.get(i.id.as_str()).map(|o| (*o).clone()),
            }),
            Entry::Outcome(_) => None,
        })
        .collect::<Vec<Change>>();
    changes.sort_by(|a, b| a.time().cmp(b.time()));
    changes
}
