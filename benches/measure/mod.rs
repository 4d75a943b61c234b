//! What every bench measures with: a stopwatch, the best of several runs, the process's peak
//! memory.
#![allow(dead_code)] // each bench uses its own part

use std::time::{Duration, Instant};

/// `f`'s value and how long it took.
pub fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let value = f();
    (value, start.elapsed())
}

/// The last value of `n` runs of `f`, and the fastest run's time.
pub fn best_of<T>(n: usize, mut f: impl FnMut() -> T) -> (T, Duration) {
    let mut best = Duration::MAX;
    let mut value = None;
    for _ in 0..n {
        let start = Instant::now();
        value = Some(f());
        best = best.min(start.elapsed());
    }
    (value.expect("run at least once"), best)
}

/// The process's peak memory (Linux's VmHWM), since it started or the last [`reset_peak_memory`],
/// in MB.
pub fn peak_memory_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(f64::NAN);
    kb / 1024.0
}

/// Starts the peak memory again from what the process holds now (Linux's `clear_refs`).
pub fn reset_peak_memory() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}
