//! Progress reporting: an indicatif bar on a terminal (pages done of known,
//! pages/s, ETA), plain log lines otherwise.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::time::{Duration, Instant};

/// Tracks pages as the pipeline reports them.
pub struct Progress {
    bar: Option<ProgressBar>,
    start: Instant,
    last_log: Instant,
    total: u64,
    done: u64,
    issues_total: usize,
    issues_open: usize,
}

impl Progress {
    /// A bar when stderr is a terminal, log lines when it is not.
    pub fn new(issues_total: usize) -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let b = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
            // The template is a constant known to be valid.
            if let Ok(style) = ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} pages  {per_sec}  ETA {eta}  {msg}",
            ) {
                b.set_style(style);
            }
            b.enable_steady_tick(Duration::from_millis(200));
            b
        });
        Self {
            bar,
            start: Instant::now(),
            last_log: Instant::now(),
            total: 0,
            done: 0,
            issues_total,
            issues_open: 0,
        }
    }

    /// An issue was opened: its pages join the total.
    pub fn issue(&mut self, pages: usize) {
        self.total += pages as u64;
        self.issues_open += 1;
        if let Some(b) = &self.bar {
            b.set_length(self.total);
            b.set_message(format!("issue {}/{}", self.issues_open, self.issues_total));
        }
    }

    /// A page finished (read or failed).
    pub fn page(&mut self) {
        self.done += 1;
        match &self.bar {
            Some(b) => b.set_position(self.done),
            None => {
                if self.last_log.elapsed() >= Duration::from_secs(10) {
                    self.last_log = Instant::now();
                    eprintln!(
                        "progress: {}/{} pages of {}/{} issues, {:.2} pages/s",
                        self.done,
                        self.total,
                        self.issues_open,
                        self.issues_total,
                        self.rate()
                    );
                }
            }
        }
    }

    /// Pages per second so far.
    pub fn rate(&self) -> f64 {
        self.done as f64 / self.start.elapsed().as_secs_f64().max(1e-9)
    }

    pub fn elapsed(&self) -> Duration {
        self.start.elapsed()
    }

    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}
