//! The sender-ID table: group header rows (country, message-type set, count, monthly subtotal)
//! and one row per sender ID. Only the rows that fit on screen are laid out, so a frame costs
//! the same with a hundred rows or a hundred thousand. Every state has a word or glyph: `[x]`
//! marked, `REG` registered, `PROT` protected, and the release status in words.

use super::{Theme, Viewport, fit};
use crate::domain::{MessageType, Ownership, SenderIdRecord};
use crate::state::State;
use crate::state::batch::RowStatus;
use crate::state::scroll::Window;
use crate::state::view::Row;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use unicode_width::UnicodeWidthStr;

/// Column widths: mark, sender ID, country, types, price, registered, protected, region, status.
const WIDTHS: [usize; 9] = [3, 11, 2, 5, 10, 3, 4, 14, 9];
/// Registration IDs are shown when the table has room for them.
const REG_ID_WIDTH: usize = 36;

pub fn render(frame: &mut Frame, area: Rect, state: &State, viewport: &mut Viewport, theme: Theme) {
    let visible = usize::from(area.height.saturating_sub(2));
    let rows = &state.view.rows;
    let window = Window::following(state.cursor, viewport.table_offset, rows.len(), visible);
    viewport.table_offset = window.first;
    let position = (!window.fits()).then(|| format!(" rows {} ", window.position()));
    let mut block = Block::default().borders(Borders::TOP).title(title(
        state,
        usize::from(area.width),
        position.as_deref(),
        theme,
    ));
    if let Some(position) = position {
        block = block.title(Line::from(Span::styled(position, theme.dim())).right_aligned());
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height < 2 {
        return;
    }
    let with_reg_id =
        usize::from(inner.width) >= WIDTHS.iter().sum::<usize>() + WIDTHS.len() + REG_ID_WIDTH;
    let mut lines = vec![column_titles(with_reg_id, theme)];
    if rows.is_empty() {
        let msg = if state.inventory.loading() {
            "loading sender IDs…"
        } else if state.every_region_failed() {
            "every region failed to load: e shows why, with the fix; r reloads"
        } else if state.filter.is_empty()
            && state
                .inventory
                .regions
                .values()
                .any(|l| matches!(l, crate::state::inventory::RegionLoad::Failed { .. }))
        {
            "no sender IDs in the regions that loaded; some failed: e shows why"
        } else if state.filter.is_empty() && state.drill.is_none() {
            "no sender IDs in these regions"
        } else {
            "no sender ID matches the filter (Esc clears it)"
        };
        lines.push(Line::from(Span::styled(msg, theme.dim())));
    }
    for (n, row) in rows.iter().enumerate().take(window.end).skip(window.first) {
        let mut line = match row {
            Row::Header(g) => group_line(state, *g, theme),
            Row::Item(i) => match state.inventory.records().get(*i) {
                Some(r) => item_line(state, *i, r, with_reg_id, theme),
                None => Line::default(),
            },
        };
        if n == state.cursor {
            line = line.patch_style(theme.cursor());
        }
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The table's title: what it shows, the price view's group opened in it, the filter (with
/// its cursor while typed); shorter when the position on the right needs the room.
fn title(state: &State, width: usize, position: Option<&str>, theme: Theme) -> Line<'static> {
    // Rows released in this session are listed but counted in no total: said beside the count,
    // so a count of 0 above a listed row reads right.
    let shown = match state.view.released {
        0 => format!("{} shown", state.view.shown()),
        released => format!("{} shown, {released} released", state.view.shown()),
    };
    let long = match &state.drill {
        Some(d) => format!(" {} (Esc: price view) · {shown} ", d.scope.label()),
        None => format!(" sender IDs by country and message type · {shown} "),
    };
    let editing = state.mode == crate::state::Mode::Filter;
    let filter_width = if editing || !state.filter.is_empty() {
        10 + state.filter.text().width()
    } else {
        0
    };
    let right = position.map_or(0, UnicodeWidthStr::width);
    let head = if long.width() + filter_width + right + 2 <= width {
        long
    } else {
        match &state.drill {
            Some(d) => format!(" {} · {shown} ", d.scope.label()),
            None => format!(" sender IDs · {shown} "),
        }
    };
    let mut title = vec![Span::styled(head, theme.title())];
    if filter_width > 0 {
        title.push(Span::raw("· filter "));
        title.push(Span::styled("/", theme.input()));
        title.extend(super::input_spans(&state.filter, editing, theme));
        title.push(Span::raw(" "));
    }
    Line::from(title)
}

fn column_titles(with_reg_id: bool, theme: Theme) -> Line<'static> {
    let titles = [
        "",
        "SENDER ID",
        "CC",
        "TYPES",
        "PRICE/MO",
        "REG",
        "PROT",
        "REGION",
        "STATUS",
    ];
    let mut text = String::new();
    for (t, w) in titles.iter().zip(WIDTHS) {
        if *t == "PRICE/MO" {
            text.push_str(&format!("{t:>w$} "));
        } else {
            text.push_str(&fit(t, w));
            text.push(' ');
        }
    }
    if with_reg_id {
        text.push_str("REGISTRATION ID");
    }
    Line::from(Span::styled(text, theme.dim()))
}

fn group_line(state: &State, g: usize, theme: Theme) -> Line<'static> {
    let Some(group) = state.view.groups.get(g) else {
        return Line::default();
    };
    let marked = state.marks().in_group(g);
    let mark = match marked {
        0 => "[ ]",
        n if n == group.members.len() => "[x]",
        _ => "[-]",
    };
    Line::from(vec![
        Span::styled(format!("{mark} "), theme.marked()),
        Span::styled(
            format!(
                "{} {} · {} sender ID{} · {}{}",
                group.country,
                group.types,
                group.total.count,
                if group.total.count == 1 { "" } else { "s" },
                super::per_month(&group.total),
                if marked > 0 {
                    format!(" · {marked} marked")
                } else {
                    String::new()
                }
            ),
            theme.group(),
        ),
    ])
}

fn item_line(
    state: &State,
    idx: usize,
    r: &SenderIdRecord,
    with_reg_id: bool,
    theme: Theme,
) -> Line<'static> {
    let marked = state.marks().is_marked(idx);
    let status = if state.batch.is_none() && state.past.is_empty() {
        None
    } else {
        state.status(&r.key())
    };
    let (status_text, status_style) = match status {
        Some((m, s)) => (s.label(m).to_owned(), status_style(s, theme)),
        None if r.ownership == Ownership::Shared => ("shared".to_owned(), theme.dim()),
        None if state.pools.pool_of(r).is_some() => ("pooled".to_owned(), theme.dim()),
        None => (String::new(), Style::new()),
    };
    let [wm, wid, wcc, wty, wpr, wreg, wprot, wrgn, wst] = WIDTHS;
    let mut spans = vec![
        Span::styled(
            fit(if marked { "[x]" } else { "[ ]" }, wm),
            if marked { theme.marked() } else { theme.dim() },
        ),
        Span::raw(" "),
        Span::styled(
            fit(&r.sender_id, wid),
            if marked { theme.marked() } else { Style::new() },
        ),
        Span::raw(format!(" {} ", fit(&r.country, wcc))),
        Span::raw(format!("{} ", fit(&short_types(&r.message_types), wty))),
        Span::raw(format!("{:>wpr$} ", price_text(r))),
        Span::raw(format!(
            "{} ",
            fit(if r.registered { "REG" } else { "-" }, wreg)
        )),
        Span::styled(
            format!(
                "{} ",
                fit(if r.deletion_protection { "PROT" } else { "-" }, wprot)
            ),
            if r.deletion_protection {
                theme.warn()
            } else {
                Style::new()
            },
        ),
        Span::styled(format!("{} ", fit(&r.region, wrgn)), theme.dim()),
        Span::styled(fit(&status_text, wst), status_style),
    ];
    if with_reg_id {
        spans.push(Span::styled(
            format!(" {}", r.registration_id.as_deref().unwrap_or("")),
            theme.dim(),
        ));
    }
    Line::from(spans)
}

fn status_style(s: &RowStatus, theme: Theme) -> Style {
    use crate::domain::Outcome;
    match s {
        RowStatus::Ended(Outcome::Done { .. }) => theme.ok(),
        RowStatus::Ended(Outcome::Failed { .. } | Outcome::Unknown { .. }) => theme.bad(),
        RowStatus::Ended(Outcome::Unjournaled(_))
        | RowStatus::NotSent(_)
        | RowStatus::Excluded(_)
        | RowStatus::Cancelled => theme.warn(),
        RowStatus::Verifying | RowStatus::Queued(_) | RowStatus::Sending(_) => theme.title(),
    }
}

/// `T`, `P`, `T+P`: the message types in five columns.
fn short_types(types: &[MessageType]) -> String {
    let has_t = types.contains(&MessageType::Transactional);
    let has_p = types.contains(&MessageType::Promotional);
    let other = types.iter().any(|t| matches!(t, MessageType::Other(_)));
    let mut s = match (has_t, has_p) {
        (true, true) => "T+P".to_owned(),
        (true, false) => "T".to_owned(),
        (false, true) => "P".to_owned(),
        (false, false) => String::new(),
    };
    if other {
        s.push_str("+?");
    }
    if s.is_empty() { "-".to_owned() } else { s }
}

fn price_text(r: &SenderIdRecord) -> String {
    match r.price.value {
        Some(v) => crate::domain::format_usd(v),
        None => format!("?{}", r.price.raw),
    }
}
