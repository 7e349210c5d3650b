//! CSV output of sender IDs, shared by the TUI's `x` export and `sidman list --format csv`: a
//! header row, one row per sender ID. Each row is the same serde record `sidman list --format
//! json` prints ([`SenderIdOut`]: the API's member names plus `Region`, values as the service gave
//! them, prices untouched), serialized and flattened into [`COLUMNS`]: a list (message types)
//! joined with `;`, a boolean as `true`/`false`, an absent member as an empty cell; the nested
//! `MessagingLimits` has no column. RFC 4180 quoting is the `csv` crate's. A cell that a
//! spreadsheet would run as a formula (it starts with `=`, `+`, `-`, `@`, a tab or a carriage
//! return: the OWASP rule) is written with a leading `'`, so a value from the service such as
//! `=HYPERLINK(…)` is shown as text, never run. JSON output keeps values exact.

use crate::domain::SenderIdRecord;
use crate::record_out::SenderIdOut;
use serde_json::Value;
use std::borrow::Cow;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The CSV columns, in order: members of [`SenderIdOut`].
pub const COLUMNS: [&str; 11] = [
    "Region",
    "SenderIdArn",
    "SenderId",
    "IsoCountryCode",
    "MessageTypes",
    "MonthlyLeasingPrice",
    "DeletionProtectionEnabled",
    "Registered",
    "RegistrationId",
    "PricingTier",
    "Owner",
];

/// The extra column of the TUI's export: where each sender ID stands in this session
/// (`released`, `FAILED`, `not sent`…; empty when untouched).
pub const STATUS_COLUMN: &str = "Status";

/// Writes the rows as CSV to any writer.
pub fn write_rows<W: Write>(out: W, rows: &[SenderIdRecord]) -> csv::Result<()> {
    write_rows_with_status(out, rows, None)
}

/// Writes the rows as CSV, with a [`STATUS_COLUMN`] after the others when `status` is given (one
/// per row).
pub fn write_rows_with_status<W: Write>(
    out: W,
    rows: &[SenderIdRecord],
    status: Option<&[String]>,
) -> csv::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    for column in COLUMNS {
        w.write_field(column)?;
    }
    if status.is_some() {
        w.write_field(STATUS_COLUMN)?;
    }
    w.write_record(None::<&[u8]>)?;
    for (n, r) in rows.iter().enumerate() {
        let record = serde_json::to_value(SenderIdOut::from(r))
            .map_err(|e| csv::Error::from(std::io::Error::other(e)))?;
        for column in COLUMNS {
            w.write_field(inert(&cell(record.get(column))).as_bytes())?;
        }
        if let Some(status) = status {
            w.write_field(inert(status.get(n).map_or("", String::as_str)).as_bytes())?;
        }
        w.write_record(None::<&[u8]>)?;
    }
    w.flush()?;
    Ok(())
}

/// One member of the serialized record as a CSV cell: text as it is, a boolean as `true` or
/// `false`, a list of values joined with `;`, an absent member empty.
fn cell(value: Option<&Value>) -> Cow<'_, str> {
    match value {
        None | Some(Value::Null) => Cow::Borrowed(""),
        Some(Value::String(text)) => Cow::Borrowed(text),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| cell(Some(item)))
            .collect::<Vec<_>>()
            .join(";")
            .into(),
        Some(other) => other.to_string().into(),
    }
}

/// A cell a spreadsheet will not run as a formula: one that starts with `=`, `+`, `-`, `@`, a
/// tab or a carriage return gets a leading `'`.
pub fn inert(cell: &str) -> Cow<'_, str> {
    match cell.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// Writes the rows, with their status in this session, to a new, timestamped CSV file in `dir`
/// and returns its path.
pub fn write_csv(
    dir: &Path,
    rows: &[SenderIdRecord],
    status: &[String],
) -> std::io::Result<PathBuf> {
    let (path, file) = new_file(dir, "sidman-export")?;
    write_rows_with_status(std::io::BufWriter::new(file), rows, Some(status))
        .map_err(std::io::Error::other)?;
    Ok(path)
}

/// Writes a table of cells (the price view's summary: a header row, then the rows), every cell
/// made [inert](inert), to any writer.
pub fn write_cells<W: Write>(out: W, rows: &[Vec<String>]) -> csv::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    for row in rows {
        w.write_record(row.iter().map(|c| inert(c).into_owned()))?;
    }
    w.flush()?;
    Ok(())
}

/// Writes the price view's summary to a new, timestamped `sidman-prices-….csv` in `dir` and
/// returns its path.
pub fn write_summary_csv(dir: &Path, rows: &[Vec<String>]) -> std::io::Result<PathBuf> {
    let (path, file) = new_file(dir, "sidman-prices")?;
    write_cells(std::io::BufWriter::new(file), rows).map_err(std::io::Error::other)?;
    Ok(path)
}

/// A new file `<stem>-<time>.csv` in `dir` (`-2`, `-3`… when it exists): never overwritten.
fn new_file(dir: &Path, stem: &str) -> std::io::Result<(PathBuf, std::fs::File)> {
    let stamp = chrono::Utc::now().format("%Y%m%d-%H%M%S");
    let mut path = dir.join(format!("{stem}-{stamp}.csv"));
    let mut n = 1;
    while path.exists() {
        n += 1;
        path = dir.join(format!("{stem}-{stamp}-{n}.csv"));
    }
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)?;
    Ok((path, file))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{MessageType, Ownership, Price};

    #[test]
    fn formula_cells_are_written_inert() {
        for (cell, written) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+1", "'+1"),
            ("-2", "'-2"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("registration-1", "registration-1"),
            ("", ""),
        ] {
            assert_eq!(inert(cell), written);
        }
        let record = SenderIdRecord {
            region: "us-east-1".into(),
            arn: "arn:aws:sms-voice:us-east-1:111122223333:sender-id/ACME/GB".into(),
            sender_id: "ACME".into(),
            country: "GB".into(),
            message_types: vec![MessageType::Transactional],
            price: Price::parse("3.00"),
            deletion_protection: false,
            registered: true,
            registration_id: Some("=HYPERLINK(\"http://evil\")".into()),
            messaging_limits: None,
            pricing_tier: None,
            ownership: Ownership::Own,
        };
        let mut out = Vec::new();
        write_rows(&mut out, &[record]).expect("csv");
        let text = String::from_utf8(out).expect("utf-8");
        assert!(
            text.contains("\"'=HYPERLINK(\"\"http://evil\"\")\""),
            "{text}"
        );
    }

    /// The rows as they were written before they came from the serde record: the cells listed by
    /// hand, each made inert.
    fn hand_listed(rows: &[SenderIdRecord]) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(COLUMNS).expect("header");
        for r in rows {
            let types: Vec<&str> = r.message_types.iter().map(|t| t.as_str()).collect();
            let cells = [
                r.region.as_str(),
                r.arn.as_str(),
                r.sender_id.as_str(),
                r.country.as_str(),
                &types.join(";"),
                r.price.raw.as_str(),
                if r.deletion_protection {
                    "true"
                } else {
                    "false"
                },
                if r.registered { "true" } else { "false" },
                r.registration_id.as_deref().unwrap_or(""),
                r.pricing_tier.as_deref().unwrap_or(""),
                r.ownership.api_name(),
            ];
            w.write_record(cells.map(|c| inert(c).into_owned()))
                .expect("row");
        }
        String::from_utf8(w.into_inner().expect("flush")).expect("utf-8")
    }

    #[test]
    fn rows_are_the_hand_listed_cells() {
        let rows: Vec<SenderIdRecord> = (0..24u8)
            .map(|n| {
                let mut limits = crate::domain::MessagingLimits::default();
                limits.rate_limits.insert("SMS".into(), i64::from(n));
                SenderIdRecord {
                    region: ["us-east-1", "-eu-west-1"][usize::from(n % 2)].into(),
                    arn: format!("arn:aws:sms-voice:us-east-1:111122223333:sender-id/S{n}/GB"),
                    sender_id: ["ACME", "=1+1", "a,b \"quoted\"", "é\nline"][usize::from(n % 4)]
                        .into(),
                    country: "GB".into(),
                    message_types: match n % 4 {
                        0 => vec![],
                        1 => vec![MessageType::Transactional],
                        2 => vec![MessageType::Promotional, MessageType::Transactional],
                        _ => vec![MessageType::Other("@NEW".into())],
                    },
                    price: Price::parse(["3.00", "n/a", "+1", "12.345"][usize::from(n % 4)]),
                    deletion_protection: n % 3 == 0,
                    registered: n % 5 == 0,
                    registration_id: (n % 3 != 1).then(|| format!("-registration-{n}")),
                    messaging_limits: (n % 2 == 0).then_some(limits),
                    pricing_tier: (n % 4 == 2).then(|| "STANDARD".into()),
                    ownership: if n % 6 == 0 {
                        Ownership::Shared
                    } else {
                        Ownership::Own
                    },
                }
            })
            .collect();
        let mut out = Vec::new();
        write_rows(&mut out, &rows).expect("csv");
        assert_eq!(String::from_utf8(out).expect("utf-8"), hand_listed(&rows));
    }
}
