//! Bounded top-k: highest score first, equal scores by ascending expert id, so rankings reproduce.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use crate::domain::ExpertId;

/// One ranked expert.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ranked {
    /// The expert.
    pub id: ExpertId,
    /// Its slot in the index that ranked it (or its row in a bench layout), so that explaining it
    /// needs no lookup by id.
    pub slot: u32,
    /// Final score.
    pub score: f32,
    /// Enterprise-side fit.
    pub enterprise: f32,
    /// Reverse fit.
    pub reverse: f32,
}

/// Better ranks first: score descending by `total_cmp`, then id ascending.
pub fn rank_order(a: &Ranked, b: &Ranked) -> Ordering {
    b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id))
}

struct Entry(Ranked);

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        rank_order(&self.0, &other.0) == Ordering::Equal
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Entry {
    // The heap's top is the worst kept entry.
    fn cmp(&self, other: &Self) -> Ordering {
        rank_order(&self.0, &other.0)
    }
}

/// Keeps the best `k` entries seen.
pub struct TopK {
    k: usize,
    heap: BinaryHeap<Entry>,
    /// When logging, the entries that entered since the last `take_entered`.
    entered: Option<Vec<Ranked>>,
}

impl TopK {
    /// An empty collector of `k` entries.
    pub fn new(k: usize) -> Self {
        TopK {
            k,
            heap: BinaryHeap::with_capacity(k.saturating_add(1).min(4096)),
            entered: None,
        }
    }

    /// An empty collector that also logs every entry that enters it (see `take_entered`).
    pub fn logged(k: usize) -> Self {
        TopK {
            entered: Some(Vec::new()),
            ..TopK::new(k)
        }
    }

    /// The entries that entered since the last call, some since pushed out again, in the order
    /// they came; empty when not logging.
    pub fn take_entered(&mut self) -> Vec<Ranked> {
        self.entered.as_mut().map(std::mem::take).unwrap_or_default()
    }

    /// True when an entry with this upper bound on its score could still enter.
    pub fn could_enter(&self, bound: f32) -> bool {
        self.k > 0 && (self.heap.len() < self.k || self.heap.peek().is_some_and(|w| bound >= w.0.score))
    }

    /// The score an entry must reach to enter, once `k` entries are kept (ties enter by id).
    pub fn floor(&self) -> Option<f32> {
        if self.k == 0 {
            return Some(f32::INFINITY);
        }
        (self.heap.len() >= self.k).then(|| self.heap.peek().map_or(0.0, |w| w.0.score))
    }

    /// Offers an entry.
    pub fn push(&mut self, r: Ranked) {
        if self.k == 0 {
            return;
        }
        let enters =
            self.heap.len() < self.k || self.heap.peek().is_some_and(|w| rank_order(&r, &w.0) == Ordering::Less);
        if !enters {
            return;
        }
        if self.heap.len() >= self.k {
            self.heap.pop();
        }
        self.heap.push(Entry(r));
        if let Some(log) = &mut self.entered {
            log.push(r);
        }
    }

    /// The kept entries, best first.
    pub fn into_sorted(self) -> Vec<Ranked> {
        let mut v: Vec<Ranked> = self.heap.into_iter().map(|e| e.0).collect();
        v.sort_by(rank_order);
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(score: f32) -> Ranked {
        Ranked {
            id: ExpertId::generate(),
            slot: 0,
            score,
            enterprise: score,
            reverse: 1.0,
        }
    }

    #[test]
    fn keeps_the_best_k_best_first() {
        let mut t = TopK::new(2);
        for s in [0.1, 0.9, 0.5, 0.7] {
            t.push(r(s));
        }
        let scores: Vec<f32> = t.into_sorted().iter().map(|x| x.score).collect();
        assert_eq!(scores, vec![0.9, 0.7]);
    }

    #[test]
    fn a_logged_top_k_gives_what_entered_once() {
        let mut t = TopK::logged(2);
        let (a, b, c, d) = (r(0.5), r(0.9), r(0.1), r(0.7));
        for x in [a, b, c] {
            t.push(x);
        }
        let ids = |v: Vec<Ranked>| v.iter().map(|x| x.id).collect::<Vec<_>>();
        // c came when the two kept were better: it never entered.
        assert_eq!(ids(t.take_entered()), vec![a.id, b.id]);
        t.push(d);
        assert_eq!(ids(t.take_entered()), vec![d.id]);
        assert!(t.take_entered().is_empty());
        let mut plain = TopK::new(2);
        plain.push(a);
        assert!(plain.take_entered().is_empty());
    }

    #[test]
    fn ties_break_by_ascending_id() {
        let mut all: Vec<Ranked> = (0..10).map(|_| r(0.5)).collect();
        let mut t = TopK::new(3);
        for x in &all {
            t.push(*x);
        }
        all.sort_by_key(|a| a.id);
        let kept: Vec<ExpertId> = t.into_sorted().iter().map(|x| x.id).collect();
        assert_eq!(kept, all[..3].iter().map(|x| x.id).collect::<Vec<_>>());
    }
}
