//! The release history: the journal's changes as the TUI lists them, newest first (this
//! session's, then earlier ones), with the one under the cursor open in full on Enter. It is read
//! from the journal file every time the view opens, so it survives `r` and restarts, and it
//! tells the same story as `sidman journal` (both read [`journal::changes`]).

use super::scroll::Motion;
use crate::journal::Change;

/// Rows of a terminal `height` high the history does not list changes in: the header (3), its
/// title (1), its position line (1), the notice and the footer (2).
pub fn page(height: u16) -> usize {
    usize::from(height.saturating_sub(7)).max(1)
}

#[derive(Debug, Default)]
pub struct History {
    /// The changes, newest first; `None` while the journal is being read.
    pub changes: Option<Result<Vec<Change>, String>>,
    /// The row under the cursor.
    pub cursor: usize,
    /// The whole record of the change under the cursor is shown.
    pub open: bool,
    /// Scroll of the open record.
    pub scroll: usize,
}

impl History {
    /// The journal was read: newest first, the cursor on the newest.
    pub fn loaded(&mut self, result: Result<Vec<Change>, String>) {
        self.changes = Some(result.map(|mut c| {
            c.reverse();
            c
        }));
        self.cursor = 0;
        self.open = false;
        self.scroll = 0;
    }

    pub fn len(&self) -> usize {
        match &self.changes {
            Some(Ok(c)) => c.len(),
            _ => 0,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The change under the cursor.
    pub fn current(&self) -> Option<&Change> {
        match &self.changes {
            Some(Ok(c)) => c.get(self.cursor),
            _ => None,
        }
    }

    /// Moves the cursor (or, when a record is open, its scroll, no further than its last line
    /// at the bottom), a page being `page` rows.
    pub fn move_by(&mut self, motion: Motion, page: usize) {
        if self.open {
            let len = self.current().map_or(0, |c| Self::record_lines(c).len());
            self.scroll = motion.scroll(self.scroll, len, page);
        } else {
            self.cursor = motion.cursor(self.cursor, self.len(), page);
        }
    }

    /// The full record of a change, one `name: value` per line: every field of the intent, then
    /// of its outcome (the response fields, the error, the request ID, the note).
    pub fn record_lines(change: &Change) -> Vec<(String, String)> {
        let mut lines = Vec::new();
        let mut add = |prefix: &str, value: serde_json::Value| {
            if let serde_json::Value::Object(map) = value {
                for (k, v) in map {
                    match v {
                        serde_json::Value::Object(inner) => {
                            for (k2, v2) in inner {
                                lines.push((format!("{prefix}{k}.{k2}"), text(&v2)));
                            }
                        }
                        other => lines.push((format!("{prefix}{k}"), text(&other))),
                    }
                }
            }
        };
        add(
            "intent.",
            serde_json::to_value(&change.intent).unwrap_or_default(),
        );
        match &change.outcome {
            Some(o) => add("outcome.", serde_json::to_value(o).unwrap_or_default()),
            None => lines.push((
                "outcome".to_owned(),
                "none written: interrupted, settled by the next session on this service".to_owned(),
            )),
        }
        lines
    }
}

fn text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
