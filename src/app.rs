//! The TUI's main loop, the glue between the parts: it owns the [`State`], feeds it terminal
//! events, ticks, signals and the results of work as [`Action`]s through `state::update`, hands
//! the returned effects to the [`Runner`], and draws when something changed. It also owns the
//! terminal: raw mode and the alternate screen are left on every way out, errors included.

use crate::action::Action;
use crate::effects::Runner;
use crate::state::{self, State};
use crate::ui::{self, Theme, Viewport};
use color_eyre::eyre::Result;
use crossterm::event::{Event, EventStream};
use futures_util::StreamExt;
use ratatui::DefaultTerminal;
use std::time::Duration;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

/// How long quitting waits for releases in flight to finish and be recorded.
const DRAIN_LIMIT: Duration = Duration::from_secs(20);

/// How the loop ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// The operator quit.
    Quit,
    /// A signal (SIGTERM, SIGHUP, SIGINT) ended the session.
    Signal(&'static str),
}

/// Everything the loop needs, built by `main` before the terminal is taken over.
pub struct App {
    pub state: State,
    pub runner: Runner,
    pub rx: UnboundedReceiver<Action>,
    pub theme: Theme,
}

impl App {
    /// Creates the channel the runner reports on, with the state and runner around it.
    pub fn new(
        state: State,
        make_runner: impl FnOnce(tokio::sync::mpsc::UnboundedSender<Action>) -> Runner,
        theme: Theme,
    ) -> Self {
        let (tx, rx) = unbounded_channel();
        Self {
            state,
            runner: make_runner(tx),
            rx,
            theme,
        }
    }

    /// Runs the TUI until the operator quits or a signal arrives; the terminal is restored on
    /// every path out of this function.
    pub async fn run(mut self) -> Result<Exit> {
        let mut terminal = ratatui::try_init()?;
        let result = self.run_loop(&mut terminal).await;
        ratatui::restore();
        result
    }

    async fn run_loop(&mut self, terminal: &mut DefaultTerminal) -> Result<Exit> {
        let size = terminal.size()?;
        self.apply(Action::Resize {
            width: size.width,
            height: size.height,
        });
        let first = self.state.reload();
        self.runner.spawn_all(first);
        let mut events = EventStream::new();
        let mut tick = tokio::time::interval(Duration::from_millis(500));
        let mut term = signal(SignalKind::terminate())?;
        let mut hup = signal(SignalKind::hangup())?;
        let mut int = signal(SignalKind::interrupt())?;
        let mut viewport = Viewport::default();
        let mut milestones = crate::milestones::Milestones::default();
        let mut dirty = true;
        loop {
            if dirty {
                terminal.draw(|f| ui::render(f, &self.state, &mut viewport, self.theme))?;
                milestones.after_draw(&self.state);
                dirty = false;
            }
            if self.state.quit {
                self.runner.drain(DRAIN_LIMIT).await;
                self.drain_results();
                return Ok(Exit::Quit);
            }
            tokio::select! {
                ev = events.next() => match ev {
                    Some(Ok(Event::Key(key))) => { self.apply(Action::Key(key)); dirty = true; }
                    Some(Ok(Event::Resize(width, height))) => { self.apply(Action::Resize { width, height }); dirty = true; }
                    Some(Ok(_)) => {}
                    // The terminal is gone (SSH dropped): stop like SIGHUP.
                    Some(Err(_)) | None => return Ok(self.stop_for("terminal closed").await),
                },
                Some(action) = self.rx.recv() => {
                    // Take whatever else has arrived, apply it all (the view is built once,
                    // not once per page), then draw once.
                    let mut batch = vec![action];
                    while let Ok(more) = self.rx.try_recv() {
                        batch.push(more);
                    }
                    let effects = state::update_all(&mut self.state, batch);
                    self.runner.spawn_all(effects);
                    dirty = true;
                }
                _ = tick.tick() => {
                    self.runner.reap();
                    dirty |= self.state.releasing() || self.state.inventory.loading();
                }
                _ = term.recv() => return Ok(self.stop_for("SIGTERM").await),
                _ = hup.recv() => return Ok(self.stop_for("SIGHUP").await),
                _ = int.recv() => return Ok(self.stop_for("SIGINT").await),
            }
        }
    }

    fn apply(&mut self, action: Action) {
        let effects = state::update(&mut self.state, action);
        self.runner.spawn_all(effects);
    }

    /// Records results that arrived while draining, so the state matches the journal.
    fn drain_results(&mut self) {
        while let Ok(action) = self.rx.try_recv() {
            let _ = state::update(&mut self.state, action);
        }
    }

    /// A signal: stop scheduling, let calls in flight finish (bounded), and leave.
    async fn stop_for(&mut self, why: &'static str) -> Exit {
        tracing::warn!("{why}: stopping; releases in flight finish and are recorded");
        state::stop_batch(&mut self.state);
        self.runner.drain(DRAIN_LIMIT).await;
        self.drain_results();
        Exit::Signal(why)
    }
}
