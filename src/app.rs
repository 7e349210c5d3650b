//! The TUI's main loop, the glue between the parts: it owns the [`State`], feeds it terminal
//! events, ticks, signals and the results of work as [`Action`]s through `state::update`, hands
//! the returned effects to the [`Runner`], and draws when something changed. It also owns the
//! terminal: raw mode, the alternate screen and bracketed paste are left on every way out,
//! errors and panics included.
//!
//! Input is read in bursts: the first event, then everything the terminal has ready without
//! waiting, stamped with the time it was read. When a sheet asks for its first frame, the loop
//! draws it, then flushes the type-ahead (crossterm's queue and the terminal driver's input
//! buffer, as a password prompt does) and tells the state when the frame was drawn.

use crate::action::{Action, Input};
use crate::effects::Runner;
use crate::state::{self, State};
use crate::ui::{self, Theme, Viewport};
use color_eyre::eyre::Result;
use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste, Event, EventStream};
use futures_util::StreamExt;
use ratatui::DefaultTerminal;
use std::task::Poll;
use std::time::Duration;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

/// How long quitting waits for releases in flight to finish and be recorded.
const DRAIN_LIMIT: Duration = Duration::from_secs(20);
/// How often time passes for the state (reaping tasks, the review's dwell, progress redraws).
const TICK: Duration = Duration::from_millis(250);

/// The time input is stamped with (tokio's clock, so a paused test clock applies).
fn now() -> std::time::Instant {
    tokio::time::Instant::now().into_std()
}

/// Every event the terminal has ready now, without waiting. A pending read leaves the task's
/// waker with the stream, so the loop still wakes for the next key.
async fn ready_events(events: &mut EventStream) -> Vec<Event> {
    let mut out = Vec::new();
    while let Some(event) = std::future::poll_fn(|cx| match events.poll_next_unpin(cx) {
        Poll::Ready(Some(Ok(event))) => Poll::Ready(Some(event)),
        Poll::Ready(_) | Poll::Pending => Poll::Ready(None),
    })
    .await
    {
        out.push(event);
    }
    out
}

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
        // ratatui's panic hook restores raw mode and the screen; this one also ends bracketed
        // paste, so a shell after a panic does not see pastes wrapped in escape codes.
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let _ = crossterm::execute!(std::io::stdout(), DisableBracketedPaste);
            previous(info);
        }));
        let result = match crossterm::execute!(std::io::stdout(), EnableBracketedPaste) {
            Ok(()) => self.run_loop(&mut terminal).await,
            Err(e) => Err(e.into()),
        };
        let _ = crossterm::execute!(std::io::stdout(), DisableBracketedPaste);
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
        let mut tick = tokio::time::interval(TICK);
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
                if self.state.awaits_frame() {
                    let flushed = self.flush_type_ahead(&mut events).await;
                    self.apply(Action::Drawn { at: now(), flushed });
                    dirty = true;
                }
            }
            if self.state.quit {
                self.runner.drain(DRAIN_LIMIT).await;
                self.drain_results();
                return Ok(Exit::Quit);
            }
            tokio::select! {
                ev = events.next() => match ev {
                    Some(Ok(first)) => {
                        let at = now();
                        let mut burst = vec![first];
                        burst.extend(ready_events(&mut events).await);
                        let inputs = self.take_input(burst);
                        if !inputs.is_empty() {
                            self.apply(Action::Input { at, events: inputs });
                        }
                        dirty = true;
                    }
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
                    self.apply(Action::Tick { at: now() });
                    dirty |= self.state.releasing()
                        || self.state.inventory.loading()
                        || matches!(self.state.mode, state::Mode::Review(_));
                }
                _ = term.recv() => return Ok(self.stop_for("SIGTERM").await),
                _ = hup.recv() => return Ok(self.stop_for("SIGHUP").await),
                _ = int.recv() => return Ok(self.stop_for("SIGINT").await),
            }
        }
    }

    /// Applies the resizes among `events` and returns the keys and pastes, in order.
    fn take_input(&mut self, events: Vec<Event>) -> Vec<Input> {
        let mut inputs = Vec::with_capacity(events.len());
        for event in events {
            match event {
                Event::Key(key) => inputs.push(Input::Key(key)),
                Event::Paste(text) => inputs.push(Input::Paste(text)),
                Event::Resize(width, height) => self.apply(Action::Resize { width, height }),
                _ => {}
            }
        }
        inputs
    }

    /// Discards the keys and pastes waiting now (crossterm's queue, then the terminal driver's
    /// input buffer); resizes are kept. Returns how many were discarded.
    async fn flush_type_ahead(&mut self, events: &mut EventStream) -> usize {
        let mut waiting = ready_events(events).await;
        #[cfg(unix)]
        {
            use std::os::fd::AsFd;
            // Not a terminal (input redirected): nothing is buffered there to flush.
            let _ = rustix::termios::tcflush(
                std::io::stdin().as_fd(),
                rustix::termios::QueueSelector::IFlush,
            );
        }
        waiting.extend(ready_events(events).await);
        let flushed = self.take_input(waiting).len();
        if flushed > 0 {
            tracing::info!("discarded {flushed} key(s) typed before the sheet appeared");
        }
        flushed
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
