//! Progress on the terminal for long builds. A build of the real site takes a tenth of a
//! second and says nothing until its summary line; one that runs past a second (thousands of
//! replies, a slow disk) shows which stage it is in and how far it has got, on one line of
//! standard error that the summary then replaces. Nothing is shown when standard error is
//! not a terminal (CI, tests, pipes).

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Shown only after this long.
const QUIET_FOR: Duration = Duration::from_secs(1);
const REFRESH: Duration = Duration::from_millis(200);

#[derive(Default)]
struct State {
    stage: Mutex<(&'static str, usize)>,
    done: AtomicUsize,
    finished: AtomicBool,
    shown: AtomicBool,
}

/// A build's progress line. Cheap to tick from many threads.
pub struct Progress {
    state: Option<Arc<State>>,
}

impl Progress {
    /// Starts the progress line's thread when standard error is a terminal.
    pub fn start() -> Progress {
        if !std::io::stderr().is_terminal() {
            return Progress { state: None };
        }
        let state = Arc::new(State::default());
        let shared = Arc::clone(&state);
        let started = Instant::now();
        std::thread::spawn(move || {
            std::thread::sleep(QUIET_FOR);
            while !shared.finished.load(Ordering::Acquire) {
                let (stage, total) = shared.stage.lock().map(|s| *s).unwrap_or(("", 0));
                let done = shared.done.load(Ordering::Relaxed);
                let line = progress_line(stage, done, total, started.elapsed());
                let mut err = std::io::stderr().lock();
                let _ = write!(err, "\r\x1b[2K{line}");
                let _ = err.flush();
                shared.shown.store(true, Ordering::Release);
                drop(err);
                std::thread::sleep(REFRESH);
            }
        });
        Progress { state: Some(state) }
    }

    /// A new stage of `total` steps (0: not counted).
    pub fn stage(&self, name: &'static str, total: usize) {
        if let Some(s) = &self.state {
            if let Ok(mut st) = s.stage.lock() {
                *st = (name, total);
            }
            s.done.store(0, Ordering::Relaxed);
        }
    }

    pub fn tick(&self) {
        if let Some(s) = &self.state {
            s.done.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Stops the line and clears it, so that the summary takes its place.
    fn done(&self) {
        if let Some(s) = &self.state {
            s.finished.store(true, Ordering::Release);
            if s.shown.load(Ordering::Acquire) {
                let mut err = std::io::stderr().lock();
                let _ = write!(err, "\r\x1b[2K");
                let _ = err.flush();
            }
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.done();
    }
}

/// `render 4,512/10,047 pages · 3.2 s`.
fn progress_line(stage: &str, done: usize, total: usize, elapsed: Duration) -> String {
    let secs = elapsed.as_secs_f64();
    if total > 0 {
        format!(
            "{stage} {}/{} pages · {secs:.1} s",
            thousands(done.min(total)),
            thousands(total)
        )
    } else {
        format!("{stage} · {secs:.1} s")
    }
}

fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_says_stage_count_and_time() {
        assert_eq!(
            progress_line("render", 4512, 10047, Duration::from_millis(3210)),
            "render 4,512/10,047 pages · 3.2 s"
        );
        assert_eq!(
            progress_line("index", 0, 0, Duration::from_millis(1500)),
            "index · 1.5 s"
        );
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
    }

    #[test]
    fn off_the_terminal_it_is_silent() {
        // Test runs capture standard error: no thread, no output.
        let p = Progress::start();
        p.stage("render", 10);
        p.tick();
        assert!(p.state.is_none() || std::io::stderr().is_terminal());
    }
}
