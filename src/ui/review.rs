//! The review sheet, drawn over the whole screen: what will be released (with hidden ones
//! counted), what it costs a month, registered ones flagged, what will not be sent and why, and
//! the prompt where the operator types `release`. A protection sheet is the same sheet, saying
//! which way protection turns (on: Enter confirms; off: the operator types `unprotect`).

use super::{Theme, fit};
use crate::domain::Mutation;
use crate::state::State;
use crate::state::review::{ListLine, ReviewSheet};
use crate::state::scroll::Window;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use unicode_width::UnicodeWidthStr;

/// Width of a list row before the REGISTERED column: sender ID, country, region, types, price.
const ROW_PREFIX: usize = 11 + 1 + 2 + 1 + 14 + 1 + 25 + 1 + 10 + 1;

pub fn render(frame: &mut Frame, area: Rect, state: &State, sheet: &ReviewSheet, theme: Theme) {
    frame.render_widget(Clear, area);
    let n = sheet.to_release.len();
    let plural = if n == 1 { "" } else { "s" };
    let title = match sheet.mutation {
        _ if state.session.read_only => {
            format!(
                " Review {} — READ-ONLY: nothing will be sent ",
                sheet.mutation.verb()
            )
        }
        Mutation::Release => format!(" Review release of {n} sender ID{plural} — irreversible "),
        Mutation::SetProtection(true) => {
            format!(" Turn deletion protection ON for {n} sender ID{plural} ")
        }
        Mutation::SetProtection(false) => format!(
            " Turn deletion protection OFF for {n} sender ID{plural} — they can then be released "
        ),
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(title, theme.danger()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [summary, list, position, prompt] = Layout::vertical([
        Constraint::Length(4),
        Constraint::Min(2),
        Constraint::Length(1),
        Constraint::Length(3),
    ])
    .areas(inner);

    let first = match sheet.mutation {
        Mutation::Release => Line::from(vec![
            Span::styled(format!("{n} to release"), theme.danger()),
            Span::raw(format!(" · monthly leasing total {}", sheet.total.money())),
        ]),
        Mutation::SetProtection(true) => Line::from(vec![
            Span::styled(format!("{n} to protect"), theme.key()),
            Span::raw(" · a protected sender ID cannot be released"),
        ]),
        Mutation::SetProtection(false) => Line::from(vec![
            Span::styled(format!("{n} to unprotect"), theme.danger()),
            Span::raw(" · a release (D) can then send them"),
        ]),
    };
    let mut head = vec![
        first,
        Line::from(vec![
            Span::raw("account "),
            Span::styled(accounts(sheet), theme.key()),
            Span::raw(" · "),
            Span::styled(join(&sheet.regions, "no region"), theme.key()),
            Span::raw(format!(" · profile {}", state.session.profile)),
        ]),
    ];
    if sheet.hidden > 0 {
        head.push(Line::from(Span::styled(
            format!("⚠ {} of them hidden by the current filter", sheet.hidden),
            theme.warn(),
        )));
    }
    head.push(if let Mutation::SetProtection(on) = sheet.mutation {
        protection_line(sheet, on, theme)
    } else if sheet.registered > 0 {
        Line::from(Span::styled(
            format!(
                "⚠ {} registered: the registration is lost (re-registering takes weeks)",
                sheet.registered
            ),
            theme.danger(),
        ))
    } else {
        Line::from(Span::styled("a release cannot be undone", theme.dim()))
    });
    frame.render_widget(Paragraph::new(head), summary);

    // One list that scrolls: the sender IDs to release, those that will not be sent and why,
    // the subtotal of each region. Every line can be reached.
    let lines = sheet.lines();
    let height = usize::from(list.height).saturating_sub(1);
    let window = Window::at(sheet.scroll, lines.len(), height);
    let mut rows = vec![Line::from(Span::styled(
        format!(
            "{} {} {} {} {:>10} {}",
            fit("SENDER ID", 11),
            fit("CC", 2),
            fit("REGION", 14),
            fit("TYPES", 25),
            "PRICE/MO",
            match sheet.mutation {
                Mutation::Release => "REGISTERED",
                Mutation::SetProtection(_) => "PROTECTION",
            }
        ),
        theme.dim(),
    ))];
    for line in &lines[window.range()] {
        rows.push(list_line(
            state,
            sheet,
            line.clone(),
            usize::from(list.width),
            theme,
        ));
    }
    frame.render_widget(Paragraph::new(rows), list);
    let where_ = if window.fits() {
        format!("all {} line(s) shown", lines.len())
    } else {
        format!("lines {} · ↑/↓ PgUp/PgDn scroll", window.position())
    };
    frame.render_widget(
        Paragraph::new(Line::from(Span::styled(where_, theme.dim()))),
        position,
    );

    let mut prompt_lines = if n == 0 {
        vec![Line::from(Span::styled(
            match sheet.mutation {
                Mutation::Release => "nothing here can be released · Esc goes back",
                Mutation::SetProtection(_) => "nothing here to change · Esc goes back",
            },
            theme.warn(),
        ))]
    } else if let Some(word) = sheet.confirm.word() {
        let what = match sheet.mutation {
            Mutation::Release => "release",
            Mutation::SetProtection(_) => "turn deletion protection off",
        };
        vec![
            if sheet.confirm.ready() {
                Line::from(vec![
                    Span::raw("Type "),
                    Span::styled(word, theme.key()),
                    Span::raw(format!(" and press Enter to {what}; Esc cancels. ")),
                ])
            } else {
                Line::from(vec![
                    Span::raw("Read the sheet: Enter is accepted after a second. Type "),
                    Span::styled(word, theme.key()),
                    Span::raw("; Esc cancels."),
                ])
            },
            Line::from(
                [Span::raw("> ")]
                    .into_iter()
                    .chain(super::input_spans(sheet.confirm.input(), true, theme))
                    .collect::<Vec<_>>(),
            ),
        ]
    } else {
        vec![Line::from(if sheet.confirm.ready() {
            vec![
                Span::raw("Press "),
                Span::styled("Enter", theme.key()),
                Span::raw(" to turn deletion protection on; Esc cancels."),
            ]
        } else {
            vec![Span::raw(
                "Read the sheet: Enter is accepted after a second; Esc cancels.",
            )]
        })]
    };
    // The sheet covers the notice line, so what the last key said (e.g. after Enter with the
    // wrong word) is shown here.
    if let Some(note) = &state.notice {
        prompt_lines.push(Line::from(Span::styled(note.clone(), theme.warn())));
    }
    frame.render_widget(Paragraph::new(prompt_lines), prompt);
}

/// The last line of a protection sheet's summary: what Tab does on a mixed selection, or what
/// the change means.
fn protection_line(sheet: &ReviewSheet, on: bool, theme: Theme) -> Line<'static> {
    match (sheet.mixed, on) {
        (true, true) => Line::from(Span::styled(
            "mixed: the protected ones are listed apart · Tab turns it OFF instead",
            theme.warn(),
        )),
        (true, false) => Line::from(Span::styled(
            "mixed: the unprotected ones are listed apart · Tab turns it ON instead",
            theme.warn(),
        )),
        (false, true) => Line::from(Span::styled(
            "UpdateSenderId · reversible: P on protected ones, with the word unprotect",
            theme.dim(),
        )),
        (false, false) => Line::from(Span::styled(
            "⚠ UpdateSenderId · once off, nothing stops a release",
            theme.danger(),
        )),
    }
}

/// The accounts of the sheet, or what is known when no ARN names one.
fn accounts(sheet: &ReviewSheet) -> String {
    join(&sheet.accounts, "unknown (no ARN names one)")
}

fn join(items: &std::collections::BTreeSet<String>, none: &str) -> String {
    if items.is_empty() {
        none.to_owned()
    } else {
        items
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// One line of the sheet's list.
fn list_line(
    state: &State,
    sheet: &ReviewSheet,
    line: ListLine<'_>,
    width: usize,
    theme: Theme,
) -> Line<'static> {
    match line {
        ListLine::ToSend(key) => {
            let Some(r) = state.inventory.get(key) else {
                return Line::from(format!(
                    "{} {} {} — no longer loaded",
                    key.id, key.country, key.region
                ));
            };
            let reg = if let Mutation::SetProtection(on) = sheet.mutation {
                let word = |p: bool| if p { "on" } else { "off" };
                Span::styled(
                    format!("{} → {}", word(r.deletion_protection), word(on)),
                    if on { theme.ok() } else { theme.danger() },
                )
            } else if r.registered {
                // The registration ID when it fits whole; a cut ID helps nobody.
                let id = r.registration_id.as_deref().unwrap_or("");
                let room = width.saturating_sub(ROW_PREFIX + "⚠ YES ".width());
                let text = if !id.is_empty() && id.width() <= room {
                    format!("⚠ YES {id}")
                } else {
                    "⚠ YES".to_owned()
                };
                Span::styled(text, theme.danger())
            } else {
                Span::raw("no")
            };
            Line::from(vec![
                Span::raw(format!(
                    "{} {} {} {} {:>10} ",
                    fit(&r.sender_id, 11),
                    fit(&r.country, 2),
                    fit(&r.region, 14),
                    fit(&r.message_type_label(), 25),
                    r.price
                        .value
                        .map_or_else(|| r.price.raw.clone(), crate::domain::format_usd)
                )),
                reg,
            ])
        }
        ListLine::Warning(text) => Line::from(Span::styled(text, theme.warn())),
        ListLine::ExcludedHeading => Line::from(Span::styled(
            format!("{} marked will NOT be sent:", sheet.excluded.len()),
            theme.warn(),
        )),
        ListLine::Excluded(key, why) => {
            let name = state
                .inventory
                .get(key)
                .map_or(key.id.as_str(), |r| r.sender_id.as_str());
            Line::from(format!(
                "  {} {} {} — {}",
                fit(name, 11),
                key.country,
                key.region,
                sheet.reason(key, why)
            ))
        }
        ListLine::SubtotalHeading => Line::from(Span::styled("subtotal by region:", theme.dim())),
        ListLine::Subtotal(region, total) => Line::from(format!(
            "  {} {:>5} to {} · {}/mo",
            fit(region, 14),
            total.count,
            sheet.mutation.verb(),
            total.money()
        )),
    }
}
