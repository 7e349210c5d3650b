//! `sidman journal`: the journal's changes, oldest first, each intent with its latest outcome.
//! The table fits 80 columns (time, region, sender ID, country, outcome, and under a failure its
//! code, reason and message on a line of its own); a wider terminal gets the account, the
//! operation and the request ID too. `--format json` gives every recorded field of every intent
//! and its outcome. Every string is made safe to print; torn lines are counted on stderr.

use crate::cli::{JournalArgs, JournalFormat};
use crate::journal::{self, Change};
use crate::sanitize::clean;
use crate::ui::fit;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

/// The width the table is laid out for: the terminal's when stdout is one, else 80.
fn width() -> usize {
    let tty = std::io::stdout().is_terminal();
    tty.then(crossterm::terminal::size)
        .and_then(Result::ok)
        .map_or(80, |(w, _)| usize::from(w))
        .max(60)
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
    let changes = journal::changes(&entries);
    let mut out = std::io::stdout().lock();
    let written = match args.format {
        JournalFormat::Json => serde_json::to_writer_pretty(&mut out, &changes)
            .map_err(std::io::Error::other)
            .and_then(|()| writeln!(out)),
        JournalFormat::Table => write_table(&mut out, &changes, width()),
    };
    written.map_err(|e| format!("cannot write the output: {e}"))?;
    if changes.is_empty() {
        eprintln!("sidman: the journal {} has no releases yet", path.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// `2026-12-01T07:51:25.123Z` as `2026-12-01 07:51:25`.
fn short_time(t: &str) -> String {
    t.get(..19).unwrap_or(t).replace('T', " ")
}

/// The table, laid out for `width` columns.
pub fn write_table(out: &mut impl Write, changes: &[Change], width: usize) -> std::io::Result<()> {
    let wide = width >= 130;
    let head = |extra: &str| {
        format!(
            "{} {} {} {} {}{extra}",
            fit("TIME (UTC)", 19),
            fit("REGION", 14),
            fit("SENDER ID", 11),
            fit("CC", 2),
            fit("OUTCOME", 12),
        )
    };
    let title = if wide {
        head(&format!(
            " {} {} REQUEST ID",
            fit("ACCOUNT", 12),
            fit("OPERATION", 15)
        ))
    } else {
        head("")
    };
    writeln!(out, "{}", title.trim_end())?;
    for c in changes {
        let i = &c.intent;
        let mut line = format!(
            "{} {} {} {} {}",
            fit(&short_time(&clean(c.time())), 19),
            fit(&clean(&i.region), 14),
            fit(&clean(&i.sender_id), 11),
            fit(&clean(&i.country), 2),
            fit(c.status(), 12),
        );
        if wide {
            let request = c
                .outcome
                .as_ref()
                .and_then(|o| o.request_id.as_deref())
                .unwrap_or("-");
            line.push_str(&format!(
                " {} {} {}",
                fit(&clean(i.account.as_deref().unwrap_or("-")), 12),
                fit(i.operation.operation(), 15),
                clean(request)
            ));
        }
        writeln!(out, "{}", line.trim_end())?;
        if let Some(detail) = c.detail() {
            writeln!(
                out,
                "{}",
                fit(&format!("  └ {}", clean(&detail)), width).trim_end()
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Mutation;
    use crate::journal::{Entry, ErrorRecord, Intent, OutcomeKind, OutcomeLine};
    use std::collections::BTreeMap;
    use unicode_width::UnicodeWidthStr;

    fn intent(id: &str, sender: &str) -> Entry {
        Entry::Intent(Intent {
            time: "2026-12-01T07:51:25.123Z".into(),
            id: id.into(),
            endpoint: "AWS".into(),
            account: Some("111122223333".into()),
            profile: "prod".into(),
            region: "ap-southeast-2".into(),
            sender_id: sender.into(),
            country: "AU".into(),
            operation: Mutation::Release,
            target: sender.into(),
            arn: format!("arn:aws:sms-voice:ap-southeast-2:111122223333:sender-id/{sender}/AU"),
            monthly_leasing_price: "3.00".into(),
            registered: false,
        })
    }

    fn outcome(id: &str, result: OutcomeKind, error: Option<ErrorRecord>) -> Entry {
        Entry::Outcome(OutcomeLine {
            time: "2026-12-01T07:51:26.000Z".into(),
            id: id.into(),
            result,
            request_id: Some("0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9".into()),
            response: BTreeMap::new(),
            error,
            note: None,
        })
    }

    #[test]
    fn the_table_fits_80_columns_and_shows_reason_and_message() {
        let entries = vec![
            intent("a", "ACME-OTP"),
            outcome(
                "a",
                OutcomeKind::Failed,
                Some(ErrorRecord {
                    code: "ConflictException".into(),
                    reason: Some("SENDER_ID_ASSOCIATED_TO_POOL".into()),
                    message: "Sender ID ACME-OTP is associated with pool pool-0123; disassociate it first".into(),
                }),
            ),
            intent("b", "ACMEBANK"),
            outcome("b", OutcomeKind::Done, None),
            intent("c", "FASTCAB"),
        ];
        let changes = journal::changes(&entries);
        let mut out = Vec::new();
        write_table(&mut out, &changes, 80).expect("write");
        let text = String::from_utf8(out).expect("utf-8");
        for line in text.lines() {
            assert!(line.width() <= 80, "{line:?} is {} wide", line.width());
        }
        assert!(text.contains("FAILED"), "{text}");
        assert!(
            text.contains("ConflictException (SENDER_ID_ASSOCIATED_TO_POOL): Sender ID"),
            "{text}"
        );
        assert!(text.contains("released"), "{text}");
        assert!(text.contains("interrupted"), "{text}");
        let mut wide = Vec::new();
        write_table(&mut wide, &changes, 160).expect("write");
        let wide = String::from_utf8(wide).expect("utf-8");
        assert!(
            wide.contains("111122223333") && wide.contains("0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9"),
            "{wide}"
        );
        // In the order they last moved: the interrupted one's intent (07:51:25) before the
        // outcomes (07:51:26), written order among equals.
        let order: Vec<&str> = changes
            .iter()
            .map(|c| c.intent.sender_id.as_str())
            .collect();
        assert_eq!(order, ["FASTCAB", "ACME-OTP", "ACMEBANK"]);
        // JSON: every recorded field of the intent and of its outcome.
        let json = serde_json::to_value(&changes[1..]).expect("json");
        assert_eq!(json[0]["intent"]["account"], "111122223333");
        assert_eq!(json[0]["intent"]["endpoint"], "AWS");
        assert_eq!(
            json[0]["outcome"]["error"]["reason"],
            "SENDER_ID_ASSOCIATED_TO_POOL"
        );
        assert_eq!(
            json[0]["outcome"]["request_id"],
            "0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9"
        );
        assert!(json[2]["outcome"].is_null());
    }
}
