//! What the detail pane says, as text with a tone per line: the release outcome of the sender ID
//! under the cursor, when it has one (every field of the ReleaseSenderId response with the
//! request ID, or the error's code, reason, message, request ID and resource, or why it was not
//! sent), then every field of the sender ID; on a group header, the group. The lines are wrapped
//! here at the pane's width ([`wrapped`]), so the state knows how long the pane is, scrolls it
//! no further than its last line, and the view draws every line inside the border.

use super::batch::RowStatus;
use super::view::Row;
use super::{Mode, State};
use crate::domain::{ApiError, Key, Mutation, Outcome, Ownership, SenderIdRecord};
use unicode_width::UnicodeWidthChar;

/// From this width on, the detail pane stands beside the table.
pub const WIDE: u16 = 120;

/// How a line is drawn (never by colour alone: each says what it is in words).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Plain,
    Title,
    Ok,
    Bad,
    Warn,
    Dim,
}

/// One line of the pane before wrapping: `name: value`, or a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetailLine {
    /// The field's name, drawn dim before the value.
    pub name: Option<String>,
    pub value: String,
    pub tone: Tone,
}

impl DetailLine {
    fn blank() -> Self {
        Self::text(String::new(), Tone::Plain)
    }

    fn text(value: impl Into<String>, tone: Tone) -> Self {
        Self {
            name: None,
            value: value.into(),
            tone,
        }
    }
}

/// One row on screen: the part of the name on it (dim), then the part of the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrappedRow {
    pub name: String,
    pub value: String,
    pub tone: Tone,
}

fn field(name: &str, value: &str) -> DetailLine {
    DetailLine {
        name: Some(format!("{name}: ")),
        value: value.to_owned(),
        tone: Tone::Plain,
    }
}

/// The pane's size inside its border on a `width` x `height` terminal (the same layout the view
/// draws: beside the table from [`WIDE`] columns, else the whole body).
pub fn pane(state: &State) -> (usize, usize) {
    let outer = if state.width >= WIDE {
        state.width.saturating_mul(2) / 5
    } else {
        state.width
    };
    let body = state
        .height
        .saturating_sub(5 + u16::from(state.batch.is_some()));
    (
        usize::from(outer.saturating_sub(2)).max(1),
        usize::from(body.saturating_sub(2)).max(1),
    )
}

/// The lines of the pane for the row under the cursor.
pub fn lines(state: &State) -> Vec<DetailLine> {
    match state.view.rows.get(state.cursor) {
        Some(Row::Item(i)) => state
            .inventory
            .records()
            .get(*i)
            .map_or_else(Vec::new, |r| record_lines(state, r)),
        Some(Row::Header(g)) => state.view.groups.get(*g).map_or_else(Vec::new, |g| {
            vec![
                field("Country", &g.country),
                field("Message types", &g.types),
                field("Sender IDs shown", &g.total.count.to_string()),
                field("Monthly subtotal", &g.total.money()),
                DetailLine::blank(),
                DetailLine::text(
                    "space marks or unmarks every sender ID of this group",
                    Tone::Dim,
                ),
            ]
        }),
        None => vec![DetailLine::text("no row selected", Tone::Dim)],
    }
}

/// The pane's rows at its width: each line wrapped at spaces, a word longer than the pane (an
/// ARN) cut at the pane's edge and carried on to the next row.
pub fn wrapped(state: &State) -> Vec<WrappedRow> {
    let (width, _) = pane(state);
    let mut rows = Vec::new();
    for line in lines(state) {
        let name = line.name.unwrap_or_default();
        let split = name.chars().count();
        let text: Vec<char> = name.chars().chain(line.value.chars()).collect();
        for (from, to) in wrap(&text, width) {
            let cut = |a: usize, b: usize| -> String { text[a.min(b)..b].iter().collect() };
            rows.push(WrappedRow {
                name: cut(from, to.min(split)),
                value: cut(from.max(split), to),
                tone: line.tone,
            });
        }
    }
    rows
}

/// The rows of the detail pane's scroll: how many there are.
pub fn len(state: &State) -> usize {
    wrapped(state).len()
}

/// `text` in rows of at most `width` columns, wrapped as the pane wraps (for any sheet that
/// shows a long sentence).
pub fn wrap_text(text: &str, width: usize) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    wrap(&chars, width)
        .into_iter()
        .map(|(from, to)| chars[from..to].iter().collect::<String>().trim().to_owned())
        .collect()
}

/// Where each row of `text` starts and ends at `width` columns: breaks after a space when the
/// next word does not fit; a word wider than a row (an ARN) after its last `:` or `/` that fits,
/// else at the row's edge.
fn wrap(text: &[char], width: usize) -> Vec<(usize, usize)> {
    let width = width.max(1);
    let mut rows = Vec::new();
    let mut start = 0;
    while start < text.len() {
        let mut used = 0;
        let mut end = start;
        let mut last_space = None;
        let mut last_separator = None;
        while end < text.len() {
            let w = text[end].width().unwrap_or(0);
            if used + w > width {
                break;
            }
            used += w;
            match text[end] {
                ' ' => last_space = Some(end + 1),
                // An ARN or a path breaks after its separators rather than anywhere.
                ':' | '/' => last_separator = Some(end + 1),
                _ => {}
            }
            end += 1;
        }
        if end < text.len()
            && text[end] != ' '
            && let Some(after) = last_space.or(last_separator).filter(|&a| a < end)
        {
            end = after;
        }
        let end = end.max(start + 1);
        rows.push((start, end));
        start = end;
        // The space a row broke at is not carried to the start of the next row.
        if start < text.len() && text[start] == ' ' {
            start += 1;
        }
    }
    if rows.is_empty() {
        rows.push((0, 0));
    }
    rows
}

/// True while the detail pane has the keyboard.
pub fn focused(state: &State) -> bool {
    state.mode == Mode::Detail
}

fn record_lines(state: &State, r: &SenderIdRecord) -> Vec<DetailLine> {
    let types: Vec<&str> = r.message_types.iter().map(|t| t.as_str()).collect();
    // The release outcome comes first: it is what the operator opens the pane for after a
    // release, and at 80x24 the record's fields would push it below the fold.
    let mut lines = Vec::new();
    if let Some((mutation, status)) = state.status(&r.key()) {
        lines.extend(status_lines(mutation, status));
        lines.push(DetailLine::blank());
    }
    lines.extend([
        field("SenderId", &r.sender_id),
        field("SenderIdArn", &r.arn),
        field("IsoCountryCode", &r.country),
        field("Region", &r.region),
        field("MessageTypes", &types.join(", ")),
        field("MonthlyLeasingPrice", &format!("{} USD", r.price.raw)),
        field(
            "DeletionProtectionEnabled",
            &r.deletion_protection.to_string(),
        ),
        field("Registered", &r.registered.to_string()),
        field(
            "RegistrationId",
            r.registration_id.as_deref().unwrap_or("-"),
        ),
        field("PricingTier", r.pricing_tier.as_deref().unwrap_or("-")),
        field(
            "Owner",
            match r.ownership {
                Ownership::Own => "SELF (this account)",
                Ownership::Shared => "SHARED (another account; cannot be released from here)",
            },
        ),
        field("Pool", &pool_line(state, r)),
    ]);
    if let Some(limits) = &r.messaging_limits {
        let rates: Vec<String> = limits
            .rate_limits
            .iter()
            .map(|(k, v)| format!("{k} {v}/s"))
            .collect();
        let caps: Vec<String> = limits
            .daily_message_caps
            .iter()
            .map(|(k, v)| format!("{k} {v}/day"))
            .collect();
        lines.push(field(
            "MessagingLimits.RateLimits",
            &or_dash(&rates.join(", ")),
        ));
        lines.push(field(
            "MessagingLimits.DailyMessageCaps",
            &or_dash(&caps.join(", ")),
        ));
    }
    if r.price.value.is_none() {
        lines.push(DetailLine::text(
            "the price could not be read as a number; it is left out of totals",
            Tone::Warn,
        ));
    }
    lines.extend(tag_lines(state, &r.key()));
    lines
}

/// The sender ID's tags, one `Tags.KEY` line each, or where reading them stands.
fn tag_lines(state: &State, key: &Key) -> Vec<DetailLine> {
    use crate::state::tags::TagRead;
    match state.tags.of(key) {
        Some(TagRead::Read(tags)) if tags.is_empty() => vec![field("Tags", "none")],
        Some(TagRead::Read(tags)) => tags
            .iter()
            .map(|(k, v)| field(&format!("Tags.{k}"), v))
            .collect(),
        Some(TagRead::Reading) => vec![field("Tags", "loading tags…")],
        Some(TagRead::Failed(e)) if e.is_access_denied() => vec![field(
            "Tags",
            "not permitted (sms-voice:ListTagsForResource; a shared sender ID's tags are its owner's)",
        )],
        Some(TagRead::Failed(e)) => vec![DetailLine {
            tone: Tone::Bad,
            ..field("Tags", &e.in_region(&key.region, "read its tags"))
        }],
        None => vec![field("Tags", "not read yet")],
    }
}

/// The pool a sender ID is in, as far as the session knows.
fn pool_line(state: &State, r: &SenderIdRecord) -> String {
    use crate::state::pools::PoolRead;
    match (state.pools.pool_of(r), state.pools.region(&r.region)) {
        (Some(p), _) => match &p.name {
            Some(name) => format!(
                "{} ({name}) — release refused while it is in the pool",
                p.id
            ),
            None => format!("{} — release refused while it is in the pool", p.id),
        },
        (None, Some(PoolRead::Read)) => "none".to_owned(),
        (None, Some(PoolRead::Reading) | None) => "reading pools…".to_owned(),
        (None, Some(PoolRead::Failed(e))) if e.is_access_denied() => {
            "unknown (no permission to read pools)".to_owned()
        }
        (None, Some(PoolRead::Failed(_))) => "unknown (the pools could not be read)".to_owned(),
    }
}

fn or_dash(s: &str) -> String {
    if s.is_empty() {
        "-".to_owned()
    } else {
        s.to_owned()
    }
}

fn status_lines(mutation: Mutation, status: &RowStatus) -> Vec<DetailLine> {
    let heading = |text: &str, tone| DetailLine::text(text.to_owned(), tone);
    let what = match mutation {
        Mutation::Release => "Release",
        Mutation::SetProtection(true) => "Protect",
        Mutation::SetProtection(false) => "Unprotect",
    };
    let op = mutation.operation();
    match status {
        RowStatus::Verifying => vec![heading(
            &format!("{what}: re-reading before sending…"),
            Tone::Title,
        )],
        RowStatus::Queued(_) => vec![heading(&format!("{what}: queued"), Tone::Title)],
        RowStatus::Sending(_) => vec![heading(
            &format!("{what}: {op} sent, waiting…"),
            Tone::Title,
        )],
        RowStatus::Cancelled => vec![heading(
            &format!("{what}: cancelled (stopped before it was sent)"),
            Tone::Warn,
        )],
        RowStatus::NotSent(why)
        | RowStatus::Excluded(why)
        | RowStatus::Ended(Outcome::Unjournaled(why)) => vec![
            heading(&format!("{what}: NOT SENT"), Tone::Warn),
            field("Why", why),
        ],
        RowStatus::Ended(Outcome::Done { response, note }) => {
            let mut out = vec![heading(
                &format!("{what}: {} — {op} response", mutation.done().to_uppercase()),
                Tone::Ok,
            )];
            if let Some(resp) = response {
                out.extend(resp.fields.iter().map(|(k, v)| field(k, v)));
                out.push(field(
                    "RequestId",
                    resp.request_id.as_deref().unwrap_or("-"),
                ));
            }
            if let Some(n) = note {
                out.push(field("Note", n));
            }
            out
        }
        RowStatus::Ended(Outcome::Failed { error, note }) => {
            let failed = match mutation {
                Mutation::Release => "the sender ID was not released",
                Mutation::SetProtection(_) => "its protection did not change",
            };
            let mut out = vec![heading(&format!("{what}: FAILED — {failed}"), Tone::Bad)];
            out.extend(error_lines(error, note.as_deref()));
            out
        }
        RowStatus::Ended(Outcome::Unknown { error, note }) => {
            let mut out = vec![heading(
                &format!("{what}: UNKNOWN — it may have taken effect; check before retrying"),
                Tone::Bad,
            )];
            out.extend(error_lines(error, note.as_deref()));
            out
        }
    }
}

fn error_lines(e: &ApiError, note: Option<&str>) -> Vec<DetailLine> {
    let mut out = vec![
        field("Code", &e.code),
        field("Reason", e.reason.as_deref().unwrap_or("-")),
        field(
            "Message",
            if e.message.is_empty() {
                "-"
            } else {
                &e.message
            },
        ),
        field("RequestId", e.request_id.as_deref().unwrap_or("-")),
    ];
    if let Some(t) = &e.resource_type {
        out.push(field("ResourceType", t));
    }
    if let Some(id) = &e.resource_id {
        out.push(field("ResourceId", id));
    }
    for (name, msg) in &e.fields {
        out.push(field(&format!("Field {name}"), msg));
    }
    if let Some(n) = note {
        out.push(field("Note", n));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::wrap;

    fn rows(text: &str, width: usize) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        wrap(&chars, width)
            .into_iter()
            .map(|(a, b)| chars[a..b].iter().collect())
            .collect()
    }

    #[test]
    fn words_wrap_at_spaces_and_an_arn_after_its_separators() {
        assert_eq!(
            rows("Message: remove it first", 12),
            ["Message: ", "remove it ", "first"]
        );
        assert_eq!(
            rows(
                "SenderIdArn: arn:aws:sms-voice:us-east-1:111122223333:sender-id/ACMEINFO/GB",
                46
            ),
            [
                "SenderIdArn: ",
                "arn:aws:sms-voice:us-east-1:111122223333:",
                "sender-id/ACMEINFO/GB"
            ]
        );
        assert_eq!(rows("abcdefgh", 3), ["abc", "def", "gh"]);
        // A break right at a space: the next row does not start with it.
        assert_eq!(rows("abcd efgh", 4), ["abcd", "efgh"]);
        assert_eq!(rows("", 3), [""]);
        for row in rows(
            "arn:aws:sms-voice:eu-west-1:111122223333:sender-id/X/GB",
            10,
        ) {
            assert!(row.chars().count() <= 10, "{row}");
        }
    }
}
