//! The price view: one line per group (country, country x message type, region or message type)
//! of the sender IDs the table shows, with count, exact monthly subtotal, share of the total and
//! a bar of that share drawn in text (`█████▌`, so it reads without colour); the group under the
//! cursor is marked `›`. Below the groups, always in view: the total, then this account's and
//! the shared sender IDs apart, and which groups are shown (`12-20 of 34`).

use super::{Theme, fit};
use crate::domain::{Total, format_usd};
use crate::state::State;
use crate::state::prices::{self, PriceSort, Split};
use crate::state::scroll::Window;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// Widths of the count, subtotal and share columns.
const COUNT: usize = 6;
const MONEY: usize = 13;
const SHARE: usize = 7;
/// The group column: as wide as the longest name, within these.
const NAME_MIN: usize = 20;
const NAME_MAX: usize = 30;
/// The longest bar: wide enough to compare, short enough to read across.
const BAR_MAX: usize = 40;

pub fn render(frame: &mut Frame, area: Rect, state: &State, theme: Theme) {
    let order = match state.prices.sort {
        PriceSort::Subtotal => "subtotal, highest first",
        PriceSort::Name => "name",
    };
    let block = Block::default().borders(Borders::TOP).title(Span::styled(
        format!(
            " monthly leasing by {} · sorted by {order} ",
            state.prices.dimension.label()
        ),
        theme.title(),
    ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [titles, list, totals, position] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(3),
        Constraint::Length(1),
    ])
    .areas(inner);
    let groups = prices::groups(state);
    let mut all = Split::default();
    for g in &groups {
        all.own = add(all.own, g.split.own);
        all.shared = add(all.shared, g.split.shared);
    }
    let whole = all.total().sum;
    // Bars are to the scale of the largest group: it fills the column.
    let largest = groups.iter().map(|g| g.total.sum).max().unwrap_or_default();
    let name_width = groups
        .iter()
        .map(|g| g.name().chars().count())
        .max()
        .unwrap_or(0)
        .clamp(NAME_MIN, NAME_MAX);
    let width = usize::from(inner.width);
    let bar_width = width
        .saturating_sub(2 + name_width + COUNT + MONEY + SHARE + 4)
        .min(BAR_MAX);
    let row = |marker: &str, name: &str, total: &Total, with_bar: bool| {
        let share =
            prices::share(total.sum, whole).map_or_else(|| "-".to_owned(), |s| format!("{s}%"));
        // A `*` after the amount: some prices of the group could not be read.
        let money = format!(
            "{}{}",
            format_usd(total.sum),
            if total.unparsed > 0 { "*" } else { " " }
        );
        let bar_text = if with_bar {
            bar(total.sum, largest, bar_width)
        } else {
            String::new()
        };
        format!(
            "{marker} {} {:>COUNT$} {:>MONEY$} {:>SHARE$} {}",
            fit(name, name_width),
            total.count,
            money,
            share,
            fit(&bar_text, bar_width),
        )
    };
    frame.render_widget(
        Paragraph::new(Line::from(Span::styled(
            format!(
                "  {} {:>COUNT$} {:>MONEY$} {:>SHARE$} {}",
                fit("GROUP", name_width),
                "COUNT",
                "MONTHLY USD ",
                "SHARE",
                fit("BAR (largest = full)", bar_width),
            ),
            theme.dim(),
        ))),
        titles,
    );
    let cursor = state.prices.cursor.min(groups.len().saturating_sub(1));
    let window = Window::following(cursor, 0, groups.len(), usize::from(list.height));
    let lines: Vec<Line> = groups[window.range()]
        .iter()
        .enumerate()
        .map(|(n, g)| {
            let selected = window.first + n == cursor;
            let text = row(if selected { "›" } else { " " }, &g.name(), &g.total, true);
            let style = if selected {
                Style::new().add_modifier(Modifier::REVERSED)
            } else {
                Style::new()
            };
            Line::from(Span::styled(fit(&text, width), style))
        })
        .collect();
    if groups.is_empty() {
        frame.render_widget(
            Paragraph::new(Line::from(Span::styled(
                "nothing shown: no sender ID is in the table (Esc goes back)",
                theme.dim(),
            ))),
            list,
        );
    } else {
        frame.render_widget(Paragraph::new(lines), list);
    }
    let total = all.total();
    let apart = vec![
        Line::from(Span::styled(
            row(" ", "TOTAL shown", &total, false),
            theme.title(),
        )),
        Line::from(row(" ", "  this account", &all.own, false)),
        Line::from(row(" ", "  shared from others", &all.shared, false)),
    ];
    frame.render_widget(Paragraph::new(apart), totals);
    frame.render_widget(
        Paragraph::new(Line::from(Span::styled(
            if total.unparsed > 0 {
                format!(
                    "groups {} · * {} price(s) unreadable, left out of the sums",
                    window.position(),
                    total.unparsed
                )
            } else {
                format!(
                    "groups {} · Enter opens one in the table · x exports this summary",
                    window.position()
                )
            },
            theme.dim(),
        ))),
        position,
    );
}

fn add(a: Total, b: Total) -> Total {
    Total {
        count: a.count + b.count,
        sum: a.sum + b.sum,
        unparsed: a.unparsed + b.unparsed,
    }
}

/// The share of `part` in `whole` as a bar `width` cells long, in eighths of a cell; a part
/// above zero gets at least a sliver, so no spend is invisible.
pub(crate) fn bar(part: Decimal, whole: Decimal, width: usize) -> String {
    const EIGHTHS: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];
    if whole <= Decimal::ZERO || part <= Decimal::ZERO || width == 0 {
        return String::new();
    }
    let cells = Decimal::from(width);
    let eighths = (part * cells * Decimal::from(8) / whole)
        .round()
        .to_usize()
        .unwrap_or(0)
        .clamp(1, width * 8);
    let mut s = "█".repeat(eighths / 8);
    s.push_str(EIGHTHS[eighths % 8]);
    s
}

#[cfg(test)]
mod tests {
    use super::bar;
    use rust_decimal::Decimal;

    #[test]
    fn a_bar_is_its_share_in_eighths() {
        let d = |n: i64| Decimal::from(n);
        assert_eq!(bar(d(1), d(2), 10), "█████");
        assert_eq!(bar(d(1), d(16), 10), "▋");
        assert_eq!(bar(d(1), d(1000), 10), "▏", "a sliver for any spend");
        assert_eq!(bar(d(0), d(10), 10), "");
        assert_eq!(bar(d(10), d(10), 4), "████");
    }
}
