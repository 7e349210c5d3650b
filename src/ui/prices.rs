//! The price view: one line per group (country, region or message-type set) of the sender IDs the
//! table shows, with count, exact monthly subtotal and share of the total, then the overall total.

use super::{Theme, fit};
use crate::state::State;
use crate::state::prices::{self, PriceSort};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

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
    let groups = prices::groups(state);
    let overall = &state.view.total;
    let mut lines = vec![Line::from(Span::styled(
        format!(
            "{} {:>8} {:>16} {:>7}",
            fit("GROUP", 28),
            "COUNT",
            "MONTHLY USD",
            "SHARE"
        ),
        theme.dim(),
    ))];
    let room = usize::from(inner.height).saturating_sub(3);
    for g in groups.iter().take(room) {
        let share = if overall.sum.is_zero() {
            "-".to_owned()
        } else {
            let pct = (g.total.sum * rust_decimal::Decimal::ONE_HUNDRED / overall.sum).round_dp(1);
            format!("{pct}%")
        };
        lines.push(Line::from(format!(
            "{} {:>8} {:>16} {:>7}{}",
            fit(&g.name, 28),
            g.total.count,
            crate::domain::format_usd(g.total.sum),
            share,
            unreadable_note(&g.total)
        )));
    }
    if groups.len() > room {
        lines.push(Line::from(Span::styled(
            format!("… {} more groups", groups.len() - room),
            theme.dim(),
        )));
    }
    lines.push(Line::from(Span::styled(
        format!(
            "{} {:>8} {:>16} {:>7}{}",
            fit("TOTAL shown", 28),
            overall.count,
            crate::domain::format_usd(overall.sum),
            "100%",
            unreadable_note(overall)
        ),
        theme.title(),
    )));
    frame.render_widget(Paragraph::new(lines), inner);
}

/// ` (+N unreadable)` when some prices of a group could not be read, else nothing.
fn unreadable_note(total: &crate::domain::Total) -> String {
    if total.unparsed == 0 {
        String::new()
    } else {
        format!("  (+{} unreadable)", total.unparsed)
    }
}
