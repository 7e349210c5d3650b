//! CSV output of sender IDs, shared by the TUI's `x` export and `sidman list --format csv`: a
//! header row, one row per sender ID, the API's member names plus `Region`, values as the service
//! gave them (prices untouched), message types joined with `;`, RFC 4180 quoting by the `csv` crate.
//! A cell that a spreadsheet would run as a formula (it starts with `=`, `+`, `-`, `@`, a tab or
//! a carriage return: the OWASP rule) is written with a leading `'`, so a value from the service
//! such as `=HYPERLINK(…)` is shown as text, never run. JSON output keeps values exact.

use crate::domain::SenderIdRecord;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The CSV columns, in order.
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

/// Writes the rows as CSV to any writer.
pub fn write_rows<W: Write>(out: W, rows: &[SenderIdRecord]) -> csv::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(COLUMNS)?;
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
        for cell in cells {
            w.write_field(inert(cell).as_bytes())?;
        }
        w.write_record(None::<&[u8]>)?;
    }
    w.flush()?;
    Ok(())
}

/// A cell a spreadsheet will not run as a formula: one that starts with `=`, `+`, `-`, `@`, a
/// tab or a carriage return gets a leading `'`.
pub fn inert(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// Writes the rows to a new, timestamped CSV file in `dir` and returns its path.
pub fn write_csv(dir: &Path, rows: &[SenderIdRecord]) -> std::io::Result<PathBuf> {
    let stamp = chrono::Utc::now().format("%Y%m%d-%H%M%S");
    let mut path = dir.join(format!("sidman-export-{stamp}.csv"));
    let mut n = 1;
    while path.exists() {
        n += 1;
        path = dir.join(format!("sidman-export-{stamp}-{n}.csv"));
    }
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)?;
    write_rows(std::io::BufWriter::new(file), rows).map_err(std::io::Error::other)?;
    Ok(path)
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
}
