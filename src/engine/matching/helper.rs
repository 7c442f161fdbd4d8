//! A thread kept with a caller's buffers to score blocks of a need split over the cores.
//! Spawning a thread per query, or waking one that sleeps, costs tens to hundreds of µs on the
//! 2-core VMs the service runs on (spawn and join of a thread measured 100-400 µs, a round trip
//! through a channel to a sleeping thread 22-100 µs), against about 1.2 ms for a split need at 1M
//! experts. So the helper, after each task, stays awake for `AWAKE` (yielding its core to any other
//! thread that wants it) before it sleeps, and the caller does the same while it waits:
//! back-to-back queries find both awake.

// One of the two modules allowed `unsafe` (with `simd.rs`): lending a borrowed closure to a kept
// thread (see `Lent`).
#![allow(unsafe_code)]

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long a helper stays awake after a task, and a caller waiting for one before they sleep.
const AWAKE: Duration = Duration::from_millis(1);

const IDLE: u8 = 0;
const POSTED: u8 = 1;
const DONE: u8 = 2;
const PANICKED: u8 = 3;
const EXIT: u8 = 4;

/// A task lent to the helper: a borrowed closure whose lifetime the type no longer says. It is
/// called only between its posting and the state leaving `POSTED`, and `Helper::run` does not
/// return or unwind before that, so the closure it points to is alive whenever it is called.
struct Lent(*const (dyn Fn() + Sync));

// SAFETY: the closure is `Sync`, so calling it through a shared pointer from another thread is
// sound; the pointer's validity is kept by `Helper::run` (see `Lent`).
unsafe impl Send for Lent {}

struct Shared {
    state: AtomicU8,
    task: Mutex<Option<Lent>>,
    /// Held while the state changes to one the other side may sleep waiting for.
    sleep: Mutex<()>,
    wake: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, ()> {
        self.sleep.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Sets the state and wakes whoever sleeps waiting for it.
    fn set(&self, state: u8) {
        let guard = self.lock();
        self.state.store(state, Ordering::Release);
        drop(guard);
        self.wake.notify_all();
    }

    /// Waits until `ready` holds for the state, awake for `AWAKE`, then asleep; returns the state.
    fn wait(&self, ready: impl Fn(u8) -> bool) -> u8 {
        let started = Instant::now();
        loop {
            let s = self.state.load(Ordering::Acquire);
            if ready(s) {
                return s;
            }
            if started.elapsed() > AWAKE {
                break;
            }
            std::thread::yield_now();
        }
        let mut guard = self.lock();
        loop {
            let s = self.state.load(Ordering::Acquire);
            if ready(s) {
                return s;
            }
            guard = self.wake.wait(guard).unwrap_or_else(|p| p.into_inner());
        }
    }
}

/// Runs `tasks[i]` on `helpers[i]` while `mine` runs here (as many as there are helpers); returns
/// what `mine` gave and, per task, whether it finished without panicking.
pub(super) fn run_all<R>(
    helpers: &mut [Helper],
    tasks: &[&(dyn Fn() + Sync)],
    mine: impl FnOnce() -> R,
) -> (R, Vec<bool>) {
    match (helpers.split_first_mut(), tasks.split_first()) {
        (Some((helper, helpers)), Some((task, tasks))) => {
            let ((r, mut oks), ok) = helper.run(*task, || run_all(helpers, tasks, mine));
            oks.insert(0, ok);
            (r, oks)
        }
        _ => (mine(), Vec::new()),
    }
}

/// A kept thread that runs one lent task at a time.
pub(super) struct Helper {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Helper {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Helper").finish_non_exhaustive()
    }
}

impl Helper {
    /// Starts the thread, or `None` when the system refuses one.
    pub(super) fn start() -> Option<Helper> {
        let shared = Arc::new(Shared {
            state: AtomicU8::new(IDLE),
            task: Mutex::new(None),
            sleep: Mutex::new(()),
            wake: Condvar::new(),
        });
        let theirs = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("match-helper".into())
            .spawn(move || serve(&theirs))
            .ok()?;
        Some(Helper {
            shared,
            thread: Some(thread),
        })
    }

    /// Runs `task` on the helper while `mine` runs here; returns what `mine` gave and whether
    /// `task` finished without panicking. A panic in `mine` is passed on once `task` is over.
    pub(super) fn run<R>(&mut self, task: &(dyn Fn() + Sync), mine: impl FnOnce() -> R) -> (R, bool) {
        let shared = &*self.shared;
        // SAFETY: only the lifetime is erased (see `Lent`): this returns, or passes a panic on,
        // only once the helper is done with the task.
        let lent: *const (dyn Fn() + Sync + '_) = task;
        let lent: *const (dyn Fn() + Sync) = unsafe { std::mem::transmute(lent) };
        *shared.task.lock().unwrap_or_else(|p| p.into_inner()) = Some(Lent(lent));
        shared.set(POSTED);
        // The caller's part may panic: the task must still be over before this returns.
        let mine = catch_unwind(AssertUnwindSafe(mine));
        let state = shared.wait(|s| s == DONE || s == PANICKED);
        shared.state.store(IDLE, Ordering::Release);
        match mine {
            Ok(r) => (r, state == DONE),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    }
}

/// The helper's loop: each posted task is run, its panic caught, and the caller told.
fn serve(shared: &Shared) {
    loop {
        if shared.wait(|s| s == POSTED || s == EXIT) == EXIT {
            return;
        }
        let task = shared.task.lock().unwrap_or_else(|p| p.into_inner()).take();
        let ok = task.is_some_and(|Lent(task)| {
            // SAFETY: the caller is inside `Helper::run` until the state leaves POSTED.
            catch_unwind(AssertUnwindSafe(|| unsafe { (*task)() })).is_ok()
        });
        shared.set(if ok { DONE } else { PANICKED });
    }
}

impl Drop for Helper {
    fn drop(&mut self) {
        self.shared.set(EXIT);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    #[test]
    fn runs_the_task_beside_the_callers_work_many_times() {
        let mut helper = Helper::start().expect("a thread");
        let count = AtomicUsize::new(0);
        for i in 0..200 {
            let task = || {
                count.fetch_add(i, Ordering::Relaxed);
            };
            let (mine, ok) = helper.run(&task, || i * 2);
            assert!(ok);
            assert_eq!(mine, i * 2);
        }
        assert_eq!(count.load(Ordering::Relaxed), (0..200).sum::<usize>());
    }

    #[test]
    fn a_panicking_task_is_reported_and_the_helper_goes_on() {
        let mut helper = Helper::start().expect("a thread");
        let boom = || panic!("task failed");
        assert!(!helper.run(&boom, || ()).1);
        let fine = || ();
        assert!(helper.run(&fine, || ()).1);
    }

    #[test]
    fn a_panic_of_the_callers_part_waits_for_the_task_then_goes_on() {
        let mut helper = Helper::start().expect("a thread");
        let done = AtomicUsize::new(0);
        let slow = || {
            std::thread::sleep(Duration::from_millis(20));
            done.store(1, Ordering::Release);
        };
        let caught = catch_unwind(AssertUnwindSafe(|| helper.run(&slow, || panic!("caller failed"))));
        assert!(caught.is_err());
        // The task had finished before the panic left `run`.
        assert_eq!(done.load(Ordering::Acquire), 1);
    }

    #[test]
    fn several_helpers_run_their_tasks_at_once() {
        let mut helpers: Vec<Helper> = (0..3).filter_map(|_| Helper::start()).collect();
        assert_eq!(helpers.len(), 3);
        let hits: Vec<AtomicUsize> = (0..3).map(|_| AtomicUsize::new(0)).collect();
        let tasks: Vec<Box<dyn Fn() + Sync + '_>> = (0..3)
            .map(|i| {
                let hits = &hits;
                Box::new(move || {
                    hits[i].fetch_add(i + 1, Ordering::Relaxed);
                }) as Box<dyn Fn() + Sync + '_>
            })
            .collect();
        let lent: Vec<&(dyn Fn() + Sync)> = tasks.iter().map(|t| &**t).collect();
        let (mine, oks) = run_all(&mut helpers, &lent, || "mine");
        assert_eq!((mine, oks), ("mine", vec![true; 3]));
        assert_eq!(
            hits.iter().map(|h| h.load(Ordering::Relaxed)).collect::<Vec<_>>(),
            vec![1, 2, 3]
        );
    }

    #[test]
    fn a_helper_asleep_is_woken() {
        let mut helper = Helper::start().expect("a thread");
        std::thread::sleep(AWAKE * 3);
        let hit = AtomicUsize::new(0);
        let task = || {
            hit.store(7, Ordering::Relaxed);
        };
        assert!(helper.run(&task, || ()).1);
        assert_eq!(hit.load(Ordering::Relaxed), 7);
    }
}
