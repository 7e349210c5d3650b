//! The terminal's input as the loop reads it: a stream of crossterm events, read in bursts (the
//! first event, then everything ready without waiting), each stamped with the time it was read on
//! the input's clock; and the discarding of type-ahead when a sheet shows its first frame. The
//! real terminal reads [`EventStream`] on tokio's clock and, on a flush, also empties the terminal
//! driver's input buffer; a scripted input (tests, benchmarks) has a clock that moves only when
//! told, so a review's dwell passes without real waiting.

use crossterm::event::{Event, EventStream};
use futures_util::{Stream, StreamExt};
use std::io;
use std::task::Poll;
use std::time::{Duration, Instant};

/// A stream of terminal events, its clock, and whether it is the real terminal.
pub struct Events<S> {
    stream: S,
    /// The terminal driver buffers keys too: a flush empties it (`tcflush`).
    tty: bool,
    /// A scripted clock; `None`: tokio's clock (so a paused test clock applies).
    manual: Option<Instant>,
}

impl Events<EventStream> {
    /// The real terminal's input (stdin), on tokio's clock.
    pub fn terminal() -> Self {
        Self {
            stream: EventStream::new(),
            tty: true,
            manual: None,
        }
    }
}

impl<S: Stream<Item = io::Result<Event>> + Unpin> Events<S> {
    /// Any stream of events (not the terminal: nothing is flushed but the stream), on a clock
    /// that starts at `start` and moves only by [`Events::advance`].
    pub fn scripted(stream: S, start: Instant) -> Self {
        Self {
            stream,
            tty: false,
            manual: Some(start),
        }
    }

    /// The time on the input's clock.
    pub fn now(&self) -> Instant {
        self.manual
            .unwrap_or_else(|| tokio::time::Instant::now().into_std())
    }

    /// Moves a scripted clock on by `by`; tokio's clock moves by itself (this does nothing).
    pub fn advance(&mut self, by: Duration) {
        if let Some(now) = &mut self.manual {
            *now += by;
        }
    }

    /// Waits for the next event, then takes everything else ready now; returns the burst and the
    /// time its first event was read. `None`: the input is gone (an error, or its end).
    pub async fn next_burst(&mut self) -> Option<(Instant, Vec<Event>)> {
        match self.stream.next().await {
            Some(Ok(first)) => {
                let at = self.now();
                let mut burst = vec![first];
                burst.extend(self.ready().await);
                Some((at, burst))
            }
            Some(Err(e)) => {
                tracing::warn!("the terminal's input failed: {e}");
                None
            }
            None => None,
        }
    }

    /// Every event ready now, without waiting. A pending read leaves the task's waker with the
    /// stream, so the loop still wakes for the next key.
    async fn ready(&mut self) -> Vec<Event> {
        let mut out = Vec::new();
        while let Some(event) = std::future::poll_fn(|cx| match self.stream.poll_next_unpin(cx) {
            Poll::Ready(Some(Ok(event))) => Poll::Ready(Some(event)),
            Poll::Ready(_) | Poll::Pending => Poll::Ready(None),
        })
        .await
        {
            out.push(event);
        }
        out
    }

    /// Takes every event waiting now (the stream's queue, then, for the terminal, what its
    /// driver had buffered), for the caller to discard the keys and pastes of.
    pub async fn type_ahead(&mut self) -> Vec<Event> {
        let mut waiting = self.ready().await;
        if self.tty {
            flush_driver();
            waiting.extend(self.ready().await);
        }
        waiting
    }
}

/// Discards what the terminal driver has buffered on stdin, as a password prompt does.
fn flush_driver() {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        // Not a terminal (input redirected): nothing is buffered there to flush.
        let _ = rustix::termios::tcflush(
            std::io::stdin().as_fd(),
            rustix::termios::QueueSelector::IFlush,
        );
    }
}
