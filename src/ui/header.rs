//! The two header lines (who and where: profile, regions with their loading progress or error,
//! endpoint when not AWS, READ-ONLY badge; then counts and monthly totals of what is shown and
//! what is marked) and the release gauge.

use super::Theme;
use crate::state::State;
use crate::state::inventory::RegionLoad;
use crate::state::release::{Batch, Phase};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Gauge, Paragraph};

pub fn render(frame: &mut Frame, area: Rect, state: &State, theme: Theme) {
    let s = &state.session;
    let mut first = vec![Span::styled("sidman ", theme.title())];
    if s.read_only {
        first.push(Span::styled(" READ-ONLY ", theme.badge()));
        first.push(Span::raw(" "));
    }
    if s.demo {
        first.push(Span::styled(" DEMO ", theme.badge()));
        first.push(Span::raw(" "));
    }
    first.push(Span::raw(format!("profile {} · ", s.profile)));
    for (i, (region, load)) in state.inventory.regions.iter().enumerate() {
        if i > 0 {
            first.push(Span::raw(", "));
        }
        let (text, style) = match load {
            RegionLoad::Loading { items, .. } => {
                (format!("{region} loading {items}…"), theme.warn())
            }
            RegionLoad::Loaded { items } => (format!("{region} ✓{items}"), theme.ok()),
            RegionLoad::Failed { error, .. } => (format!("{region} ✗ {}", error.code), theme.bad()),
        };
        first.push(Span::styled(text, style));
    }
    if let Some(url) = &s.endpoint {
        first.push(Span::styled(format!(" · endpoint {url}"), theme.dim()));
    }

    let shown = &state.view.total;
    let marked = state.marked_total();
    let hidden = state.hidden_marks();
    let mut second = vec![
        Span::raw(format!(
            "{} sender IDs · shown {} ",
            state.inventory.len(),
            shown.count
        )),
        Span::styled(format!("{}/mo", shown.money()), theme.title()),
        Span::raw(" · "),
        Span::styled(
            format!("marked {} {}/mo", state.marks.len(), marked.money()),
            theme.marked(),
        ),
    ];
    if hidden > 0 {
        second.push(Span::styled(
            format!(" ({hidden} hidden by filter)"),
            theme.warn(),
        ));
    }
    second.push(Span::raw(format!(" · sort {}", state.sort.label())));
    frame.render_widget(
        Paragraph::new(vec![Line::from(first), Line::from(second)]),
        area,
    );
}

pub fn render_gauge(frame: &mut Frame, area: Rect, batch: &Batch, theme: Theme) {
    let phase = match batch.phase {
        Phase::Verifying => "checking",
        Phase::Releasing => "releasing",
        Phase::Stopped => "stopped",
        Phase::Finished => "finished",
    };
    let label = format!(
        "{phase} {}/{}: {} released, {} failed, {} not sent, {} in flight, {} queued",
        batch.settled(),
        batch.confirmed,
        batch.released,
        batch.failed,
        batch.not_sent,
        batch.in_flight_total(),
        batch.queued_total()
    );
    let gauge = Gauge::default()
        .gauge_style(if batch.failed > 0 {
            theme.warn()
        } else {
            theme.ok()
        })
        .ratio(batch.progress())
        .label(label)
        .use_unicode(true);
    frame.render_widget(gauge, area);
}
