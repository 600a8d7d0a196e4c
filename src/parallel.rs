//! Work on both cores (decisions 165 and 166).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// `work` done on each of `items` on two threads, each taking the next
/// item left; the results in the order of `items`, `None` for an item
/// whose thread stopped (a panic) before it was done. For steps that each
/// leave a core idle for much of their time: a scope's tables (small
/// Polars queries), the report folders of `--by-team`.
pub fn two_at_a_time<T: Sync, R: Send>(
    items: &[T],
    work: impl Fn(&T) -> R + Sync,
) -> Vec<Option<R>> {
    let next = AtomicUsize::new(0);
    let done: Vec<Mutex<Option<R>>> = items.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        let worker = || loop {
            let k = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(k) else {
                return;
            };
            let result = work(item);
            if let Ok(mut slot) = done[k].lock() {
                *slot = Some(result);
            }
        };
        let workers = [scope.spawn(worker), scope.spawn(worker)];
        // A panic leaves its items undone: the caller says so.
        for worker in workers {
            let _ = worker.join();
        }
    });
    done.into_iter()
        .map(|slot| slot.into_inner().ok().flatten())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_at_a_time_keeps_the_order() {
        let items: Vec<u64> = (0..40).collect();
        let work = |&k: &u64| {
            // Uneven work, so that the threads finish out of order.
            std::thread::sleep(std::time::Duration::from_micros((k % 7) * 300));
            k * k
        };
        let squares: Vec<Option<u64>> = two_at_a_time(&items, work);
        assert_eq!(
            squares,
            items.iter().map(|k| Some(k * k)).collect::<Vec<_>>()
        );
        assert!(two_at_a_time(&[] as &[u64], work).is_empty());
    }

    #[test]
    fn an_item_whose_thread_stopped_is_none() {
        let items: Vec<u64> = (0..8).collect();
        let done = two_at_a_time(&items, |&k| {
            assert!(k != 3, "a failing item");
            k
        });
        assert_eq!(done[3], None);
        assert_eq!(done[0], Some(0));
    }
}
