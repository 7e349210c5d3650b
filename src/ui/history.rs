//! The release history view (`h`): the journal's changes, newest first, one line each (time,
//! region, sender ID, country, the change — release, protect, unprotect — its outcome, and for a failure its code and reason), the row under
//! the cursor marked with `›` (not colour alone); Enter opens the whole record, every field of
//! the intent and of its outcome. A position line says which rows are shown.

use super::{Theme, fit};
use crate::journal::Change;
use crate::sanitize::clean;
use crate::state::State;
use crate::state::history::History;
use crate::state::scroll::Window;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

pub fn render(frame: &mut Frame, area: Rect, state: &State, theme: Theme) {
    let h = &state.history;
    let title = match &h.changes {
        None => " release history · reading the journal… ".to_owned(),
        Some(Err(_)) => " release history · the journal could not be read ".to_owned(),
        Some(Ok(c)) => format!(" release history · {} change(s), newest first ", c.len()),
    };
    let block = Block::default()
        .borders(Borders::TOP)
        .title(Span::styled(title, theme.title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [list, position] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(inner);
    let height = usize::from(list.height);
    let width = usize::from(list.width);
    let changes = match &h.changes {
        None => return,
        Some(Err(why)) => {
            frame.render_widget(
                Paragraph::new(Line::from(Span::styled(clean(why), theme.bad()))),
                list,
            );
            return;
        }
        Some(Ok(c)) => c,
    };
    if changes.is_empty() {
        frame.render_widget(
            Paragraph::new(Line::from(Span::styled(
                "the journal has no changes yet",
                theme.dim(),
            ))),
            list,
        );
        return;
    }
    if h.open {
        render_record(frame, list, position, h, theme);
        return;
    }
    let window = Window::following(h.cursor, 0, changes.len(), height);
    let lines: Vec<Line> = changes
        .iter()
        .enumerate()
        .take(window.end)
        .skip(window.first)
        .map(|(n, c)| change_line(c, n == h.cursor, width, theme))
        .collect();
    frame.render_widget(Paragraph::new(lines), list);
    frame.render_widget(
        Paragraph::new(Line::from(Span::styled(
            format!("rows {} · Enter opens the whole record", window.position()),
            theme.dim(),
        ))),
        position,
    );
}

fn change_line(c: &Change, selected: bool, width: usize, theme: Theme) -> Line<'static> {
    let i = &c.intent;
    let time = clean(c.time());
    let mut text = format!(
        "{} {} {} {} {} {} {}",
        if selected { "›" } else { " " },
        fit(&time.get(..19).unwrap_or(&time).replace('T', " "), 19),
        fit(&clean(&i.region), 14),
        fit(&clean(&i.sender_id), 11),
        fit(&clean(&i.country), 2),
        fit(i.operation.verb(), 9),
        fit(c.status(), 11),
    );
    if let Some(detail) = c.error_line() {
        text.push(' ');
        text.push_str(&clean(&detail));
    }
    let style = match c.status() {
        "FAILED" | "UNKNOWN" => theme.bad(),
        "interrupted" => theme.warn(),
        _ => theme.ok(),
    };
    let style = if selected {
        style.add_modifier(Modifier::REVERSED)
    } else {
        style
    };
    Line::from(Span::styled(fit(&text, width), style))
}

fn render_record(frame: &mut Frame, list: Rect, position: Rect, h: &History, theme: Theme) {
    let Some(change) = h.current() else {
        return;
    };
    let fields = History::record_lines(change);
    let height = usize::from(list.height);
    let window = Window::at(h.scroll, fields.len(), height);
    let lines: Vec<Line> = fields[window.range()]
        .iter()
        .map(|(name, value)| {
            Line::from(vec![
                Span::styled(format!("{name}: "), theme.dim()),
                Span::raw(clean(value)),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), list);
    frame.render_widget(
        Paragraph::new(Line::from(Span::styled(
            format!("fields {} · Enter back to the list", window.position()),
            theme.dim(),
        ))),
        position,
    );
}
