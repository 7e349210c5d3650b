//! The application: the one owner of the [`State`], over any ratatui backend. It owns the
//! terminal it draws on, the state, the [`Runner`] and the channel the runner reports on, the
//! theme and the table's [`Viewport`]; its few methods are what the loop is made of: a burst of
//! input, the results that have arrived, a tick, a frame. Every change to the state goes through
//! `state::update` (or `update_all` for a batch of results) as an [`Action`]; the work it names
//! goes to the runner. The binary drives it with crossterm and the terminal's [`Events`] in
//! [`App::run`]; the tests and benchmarks drive the same `App` on a `TestBackend`, calling the
//! same methods.
//!
//! Input is read in bursts (see [`Events`]). When a sheet asks for its first frame, [`App::draw`]
//! draws it, then discards the type-ahead waiting then and tells the state when the frame was
//! drawn ([`Action::Drawn`]).

mod events;
pub mod terminal;

pub use events::Events;

use crate::action::{Action, Effect, Input};
use crate::effects::Runner;
use crate::milestones::Milestones;
use crate::state::{self, State};
use crate::ui::{self, Theme, Viewport};
use color_eyre::eyre::Result;
use crossterm::event::Event;
use futures_util::Stream;
use ratatui::Terminal;
use ratatui::backend::Backend;
use std::io::Write;
use std::time::{Duration, Instant};
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

/// How long quitting waits for releases in flight to finish and be recorded.
const DRAIN_LIMIT: Duration = Duration::from_secs(20);
/// How often time passes for the state (reaping tasks, the review's dwell, progress redraws).
const TICK: Duration = Duration::from_millis(250);

/// How the loop ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// The operator quit.
    Quit,
    /// A signal (SIGTERM, SIGHUP, SIGINT) or the terminal going away ended the session.
    Signal(&'static str),
}

/// The state, the work and the screen, on the backend `B`.
pub struct App<B: Backend> {
    terminal: Terminal<B>,
    state: State,
    runner: Runner,
    rx: UnboundedReceiver<Action>,
    theme: Theme,
    viewport: Viewport,
    milestones: Milestones,
    /// Where `y`/`Y` copies go, as OSC 52 sequences: the terminal (stdout) in the binary, a
    /// buffer in tests, nowhere by default.
    clipboard: Box<dyn Write + Send>,
    /// Something changed since the last frame.
    dirty: bool,
}

impl<B: Backend> App<B> {
    /// Creates the channel the runner reports on, with the state and runner around it.
    pub fn new(
        terminal: Terminal<B>,
        state: State,
        make_runner: impl FnOnce(UnboundedSender<Action>) -> Runner,
        theme: Theme,
    ) -> Self {
        let (tx, rx) = unbounded_channel();
        Self {
            terminal,
            state,
            runner: make_runner(tx),
            rx,
            theme,
            viewport: Viewport::default(),
            milestones: Milestones::default(),
            clipboard: Box::new(std::io::sink()),
            dirty: true,
        }
    }

    /// Copies (`y`/`Y`) are written to `out` as OSC 52 sequences, between two frames.
    pub fn with_clipboard(mut self, out: Box<dyn Write + Send>) -> Self {
        self.clipboard = out;
        self
    }

    /// The state, to read.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// The backend the frames were drawn on (a `TestBackend`'s buffer is the screen).
    pub fn backend(&self) -> &B {
        self.terminal.backend()
    }

    /// The backend, to change (a `TestBackend` resized); the next frame follows its size.
    pub fn backend_mut(&mut self) -> &mut B {
        self.terminal.backend_mut()
    }

    /// True once the operator has quit: the loop then drains ([`App::drain`]) and ends.
    pub fn quitting(&self) -> bool {
        self.state.quit
    }

    /// The session starts: the screen's size, then every region loads.
    pub fn start(&mut self) -> Result<(), B::Error> {
        let size = self.terminal.size()?;
        self.apply(Action::Resize {
            width: size.width,
            height: size.height,
        });
        self.apply(Action::Start);
        Ok(())
    }

    /// A burst of terminal events read at `at`: resizes applied, the keys and pastes as one
    /// [`Action::Input`]; the work it names is spawned.
    pub fn input(&mut self, at: Instant, events: Vec<Event>) {
        let effects = self.input_unspawned(at, events);
        self.spawn(effects);
    }

    /// [`App::input`], returning the work it names instead of spawning it.
    pub fn input_unspawned(&mut self, at: Instant, events: Vec<Event>) -> Vec<Effect> {
        self.dirty = true;
        let (mut effects, inputs) = self.take_input(events);
        if !inputs.is_empty() {
            effects.extend(state::update(
                &mut self.state,
                Action::Input { at, events: inputs },
            ));
        }
        effects
    }

    /// Waits for the next result of work.
    pub async fn next_result(&mut self) -> Option<Action> {
        self.rx.recv().await
    }

    /// `first` and every other result that has arrived since, in order.
    pub fn arrived(&mut self, first: Action) -> Vec<Action> {
        let mut batch = vec![first];
        while let Ok(more) = self.rx.try_recv() {
            batch.push(more);
        }
        batch
    }

    /// Applies a batch of results at once (`update_all`: the view is built once, not once per
    /// page); returns the work they name, not yet spawned.
    pub fn apply_results(&mut self, batch: Vec<Action>) -> Vec<Effect> {
        self.dirty = true;
        state::update_all(&mut self.state, batch)
    }

    /// Every result that has arrived, from `first` on, applied at once; the work spawned.
    pub fn results(&mut self, first: Action) {
        let batch = self.arrived(first);
        let effects = self.apply_results(batch);
        self.spawn(effects);
    }

    /// Starts work; a copy is written on the terminal here, never by a task (a task's bytes
    /// could land in the middle of a frame).
    pub fn spawn(&mut self, effects: Vec<Effect>) {
        let (copies, work): (Vec<Effect>, Vec<Effect>) = effects
            .into_iter()
            .partition(|e| matches!(e, Effect::Copy { .. }));
        for copy in copies {
            if let Effect::Copy { text } = copy {
                let written = self
                    .clipboard
                    .write_all(crate::osc52::sequence(&text).as_bytes())
                    .and_then(|()| self.clipboard.flush());
                if let Err(e) = written {
                    tracing::warn!("the copy could not be written to the terminal: {e}");
                }
            }
        }
        self.runner.spawn_all(work);
    }

    /// Time passed: finished tasks are reaped and the state told; a frame is due while something
    /// moves on screen by itself (a release, a load, the review's dwell).
    pub fn tick(&mut self, at: Instant) {
        self.runner.reap();
        self.apply(Action::Tick { at });
        self.dirty |= self.state.releasing()
            || self.state.inventory.loading()
            || matches!(self.state.mode, state::Mode::Review(_));
    }

    /// Asks for a frame although nothing changed.
    pub fn redraw(&mut self) {
        self.dirty = true;
    }

    /// Draws a frame if something changed. A sheet waiting for its first frame gets it; then the
    /// type-ahead waiting in `events` is discarded, the state told when the frame was drawn, and
    /// the frame drawn again.
    pub async fn draw<S>(&mut self, events: &mut Events<S>) -> Result<(), B::Error>
    where
        S: Stream<Item = std::io::Result<Event>> + Unpin,
    {
        if !self.dirty {
            return Ok(());
        }
        self.frame()?;
        if self.state.awaits_frame() {
            let waiting = events.type_ahead().await;
            let (effects, discarded) = self.take_input(waiting);
            self.spawn(effects);
            let flushed = discarded.len();
            if flushed > 0 {
                tracing::info!("discarded {flushed} key(s) typed before the sheet appeared");
            }
            self.apply(Action::Drawn {
                at: events.now(),
                flushed,
            });
            self.frame()?;
        }
        Ok(())
    }

    fn frame(&mut self) -> Result<(), B::Error> {
        // The state decides what fits (and whether a sheet can be confirmed) by the size it was
        // told; should a resize event ever be missed, the terminal's size now tells it.
        let size = self.terminal.size()?;
        if (size.width, size.height) != (self.state.width, self.state.height) {
            self.apply(Action::Resize {
                width: size.width,
                height: size.height,
            });
        }
        let (state, viewport, theme) = (&self.state, &mut self.viewport, self.theme);
        self.terminal
            .draw(|f| ui::render(f, state, viewport, theme))?;
        self.milestones.after_draw(&self.state);
        self.dirty = false;
        Ok(())
    }

    /// Waits (bounded) for the work in flight (releases) to finish, and records the results that
    /// arrived meanwhile, so the state matches the journal. Nothing new is started.
    pub async fn drain(&mut self) {
        self.runner.drain(DRAIN_LIMIT).await;
        let mut batch = Vec::new();
        while let Ok(action) = self.rx.try_recv() {
            batch.push(action);
        }
        let _ = self.apply_results(batch);
    }

    /// A signal or a closed terminal: stop scheduling, let calls in flight finish (bounded), and
    /// leave.
    pub async fn stop(&mut self, why: &'static str) -> Exit {
        tracing::warn!("{why}: stopping; releases in flight finish and are recorded");
        self.apply(Action::Stop);
        self.drain().await;
        Exit::Signal(why)
    }

    /// Runs the session until the operator quits, a signal arrives or `events` ends: start, then
    /// a frame whenever something changed, and input, results, ticks and signals as they come.
    pub async fn run<S>(&mut self, events: &mut Events<S>) -> Result<Exit>
    where
        S: Stream<Item = std::io::Result<Event>> + Unpin,
        B::Error: Send + Sync + 'static,
    {
        self.start()?;
        let mut tick = tokio::time::interval(TICK);
        let mut term = signal(SignalKind::terminate())?;
        let mut hup = signal(SignalKind::hangup())?;
        let mut int = signal(SignalKind::interrupt())?;
        loop {
            self.draw(events).await?;
            if self.quitting() {
                self.drain().await;
                return Ok(Exit::Quit);
            }
            tokio::select! {
                burst = events.next_burst() => match burst {
                    Some((at, burst)) => self.input(at, burst),
                    // The terminal is gone (SSH dropped): stop like SIGHUP.
                    None => return Ok(self.stop("terminal closed").await),
                },
                Some(first) = self.next_result() => self.results(first),
                _ = tick.tick() => self.tick(events.now()),
                _ = term.recv() => return Ok(self.stop("SIGTERM").await),
                _ = hup.recv() => return Ok(self.stop("SIGHUP").await),
                _ = int.recv() => return Ok(self.stop("SIGINT").await),
            }
        }
    }

    /// Applies the resizes among `events`; returns the work they name and the keys and pastes,
    /// in order.
    fn take_input(&mut self, events: Vec<Event>) -> (Vec<Effect>, Vec<Input>) {
        let mut effects = Vec::new();
        let mut inputs = Vec::with_capacity(events.len());
        for event in events {
            match event {
                Event::Key(key) => inputs.push(Input::Key(key)),
                Event::Paste(text) => inputs.push(Input::Paste(text)),
                Event::Resize(width, height) => {
                    effects.extend(state::update(
                        &mut self.state,
                        Action::Resize { width, height },
                    ));
                }
                _ => {}
            }
        }
        (effects, inputs)
    }

    fn apply(&mut self, action: Action) {
        let effects = state::update(&mut self.state, action);
        self.spawn(effects);
    }
}
