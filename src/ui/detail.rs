//! The detail pane: the release outcome of the sender ID under the cursor, when it has one (every
//! field of the ReleaseSenderId response with the request ID, or the error's code, reason,
//! message, request ID and resource, or why it was not sent), then every field of the sender ID.

use super::Theme;
use crate::domain::{ApiError, Mutation, Outcome};
use crate::domain::{Ownership, SenderIdRecord};
use crate::state::batch::RowStatus;
use crate::state::view::Row;
use crate::state::{Mode, State};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

pub fn render(frame: &mut Frame, area: Rect, state: &State, theme: Theme) {
    let focused = state.mode == Mode::Detail;
    let block = Block::default().borders(Borders::ALL).title(Span::styled(
        if focused {
            " detail (focused) "
        } else {
            " detail "
        },
        theme.title(),
    ));
    let lines = match state.view.rows.get(state.cursor) {
        Some(Row::Item(i)) => match state.inventory.records().get(*i) {
            Some(r) => record_lines(state, r, theme),
            None => Vec::new(),
        },
        Some(Row::Header(g)) => state.view.groups.get(*g).map_or_else(Vec::new, |g| {
            vec![
                field("Country", &g.country, theme),
                field("Message types", &g.types, theme),
                field("Sender IDs shown", &g.total.count.to_string(), theme),
                field("Monthly subtotal", &g.total.money(), theme),
                Line::default(),
                Line::from(Span::styled(
                    "space marks or unmarks every sender ID of this group",
                    theme.dim(),
                )),
            ]
        }),
        None => vec![Line::from(Span::styled("no row selected", theme.dim()))],
    };
    let scroll = if focused { state.detail_scroll } else { 0 };
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0)),
        area,
    );
}

fn field(name: &str, value: &str, theme: Theme) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("{name}: "), theme.dim()),
        Span::raw(value.to_owned()),
    ])
}

fn record_lines(state: &State, r: &SenderIdRecord, theme: Theme) -> Vec<Line<'static>> {
    let types: Vec<&str> = r.message_types.iter().map(|t| t.as_str()).collect();
    // The release outcome comes first: it is what the operator opens the pane for after a
    // release, and at 80x24 the record's fields would push it below the fold.
    let mut lines = Vec::new();
    if let Some((mutation, status)) = state.status(&r.key()) {
        lines.extend(status_lines(mutation, status, theme));
        lines.push(Line::default());
    }
    lines.extend([
        field("SenderId", &r.sender_id, theme),
        field("SenderIdArn", &r.arn, theme),
        field("IsoCountryCode", &r.country, theme),
        field("Region", &r.region, theme),
        field("MessageTypes", &types.join(", "), theme),
        field(
            "MonthlyLeasingPrice",
            &format!("{} USD", r.price.raw),
            theme,
        ),
        field(
            "DeletionProtectionEnabled",
            &r.deletion_protection.to_string(),
            theme,
        ),
        field("Registered", &r.registered.to_string(), theme),
        field(
            "RegistrationId",
            r.registration_id.as_deref().unwrap_or("-"),
            theme,
        ),
        field(
            "PricingTier",
            r.pricing_tier.as_deref().unwrap_or("-"),
            theme,
        ),
        field(
            "Owner",
            match r.ownership {
                Ownership::Own => "SELF (this account)",
                Ownership::Shared => "SHARED (another account; cannot be released from here)",
            },
            theme,
        ),
        field("Pool", &pool_line(state, r), theme),
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
            theme,
        ));
        lines.push(field(
            "MessagingLimits.DailyMessageCaps",
            &or_dash(&caps.join(", ")),
            theme,
        ));
    }
    if r.price.value.is_none() {
        lines.push(Line::from(Span::styled(
            "the price could not be read as a number; it is left out of totals",
            theme.warn(),
        )));
    }
    lines
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

fn status_lines(mutation: Mutation, status: &RowStatus, theme: Theme) -> Vec<Line<'static>> {
    let heading = |text: &str, style| Line::from(Span::styled(text.to_owned(), style));
    let what = match mutation {
        Mutation::Release => "Release",
        Mutation::SetProtection(true) => "Protect",
        Mutation::SetProtection(false) => "Unprotect",
    };
    let op = mutation.operation();
    match status {
        RowStatus::Verifying => vec![heading(
            &format!("{what}: re-reading before sending…"),
            theme.title(),
        )],
        RowStatus::Queued(_) => vec![heading(&format!("{what}: queued"), theme.title())],
        RowStatus::Sending(_) => vec![heading(
            &format!("{what}: {op} sent, waiting…"),
            theme.title(),
        )],
        RowStatus::Cancelled => vec![heading(
            &format!("{what}: cancelled (stopped before it was sent)"),
            theme.warn(),
        )],
        RowStatus::NotSent(why)
        | RowStatus::Excluded(why)
        | RowStatus::Ended(Outcome::Unjournaled(why)) => vec![
            heading(&format!("{what}: NOT SENT"), theme.warn()),
            field("Why", why, theme),
        ],
        RowStatus::Ended(Outcome::Done { response, note }) => {
            let mut out = vec![heading(
                &format!("{what}: {} — {op} response", mutation.done().to_uppercase()),
                theme.ok(),
            )];
            if let Some(resp) = response {
                out.extend(resp.fields.iter().map(|(k, v)| field(k, v, theme)));
                out.push(field(
                    "RequestId",
                    resp.request_id.as_deref().unwrap_or("-"),
                    theme,
                ));
            }
            if let Some(n) = note {
                out.push(field("Note", n, theme));
            }
            out
        }
        RowStatus::Ended(Outcome::Failed { error, note }) => {
            let failed = match mutation {
                Mutation::Release => "the sender ID was not released",
                Mutation::SetProtection(_) => "its protection did not change",
            };
            let mut out = vec![heading(&format!("{what}: FAILED — {failed}"), theme.bad())];
            out.extend(error_lines(error, note.as_deref(), theme));
            out
        }
        RowStatus::Ended(Outcome::Unknown { error, note }) => {
            let mut out = vec![heading(
                &format!("{what}: UNKNOWN — it may have taken effect; check before retrying"),
                theme.bad(),
            )];
            out.extend(error_lines(error, note.as_deref(), theme));
            out
        }
    }
}

fn error_lines(e: &ApiError, note: Option<&str>, theme: Theme) -> Vec<Line<'static>> {
    let mut out = vec![
        field("Code", &e.code, theme),
        field("Reason", e.reason.as_deref().unwrap_or("-"), theme),
        field(
            "Message",
            if e.message.is_empty() {
                "-"
            } else {
                &e.message
            },
            theme,
        ),
        field("RequestId", e.request_id.as_deref().unwrap_or("-"), theme),
    ];
    if let Some(t) = &e.resource_type {
        out.push(field("ResourceType", t, theme));
    }
    if let Some(id) = &e.resource_id {
        out.push(field("ResourceId", id, theme));
    }
    for (name, msg) in &e.fields {
        out.push(field(&format!("Field {name}"), msg, theme));
    }
    if let Some(n) = note {
        out.push(field("Note", n, theme));
    }
    out
}
