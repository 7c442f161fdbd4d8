//! The first scorer, kept as the baseline layout the bench compares against: postings accumulated
//! straight into score arrays as long as the index, read at random. `scorer` blocks the same work.

use super::formula::combine;
use super::index::MatchIndex;
use super::prepare::{List, Prepared, Read};
use super::scorer::Work;
use super::topk::{Ranked, TopK};

/// Buffers as long as the index, for the scattered baseline.
#[derive(Debug, Default)]
pub struct ScatterScratch {
    score: Vec<f32>,
    best: Vec<f32>,
    must: Vec<u64>,
    touched: Vec<u32>,
    touched_tag: Vec<u32>,
}

impl MatchIndex {
    /// Accumulates every need tag's best credit per expert into `scratch.score`.
    fn accumulate_scattered(&self, need: &Prepared, scratch: &mut ScatterScratch, work: &mut Work) {
        let ScatterScratch {
            score,
            best,
            must,
            touched,
            touched_tag,
        } = scratch;
        for entry in &need.entries {
            for source in entry.sources.iter().filter(|s| s.read != Read::Bounded) {
                let list = self.list(source.list);
                let credits = Self::credits(source.list);
                work.postings += list.len();
                for (s, level) in list.iter() {
                    let s = s as usize;
                    let credit = source.factor * credits[usize::from(level)];
                    if best[s] == 0.0 {
                        touched_tag.push(s as u32);
                    }
                    if credit > best[s] {
                        best[s] = credit;
                    }
                    if let (Some(bit), List::SkillExact(_) | List::SkillDeeper(..)) = (entry.must_bit, source.list) {
                        if source.factor == 1.0 {
                            must[s] |= bit;
                        }
                    }
                }
            }
            for &s in touched_tag.iter() {
                let s = s as usize;
                if score[s] == 0.0 {
                    touched.push(s as u32);
                }
                score[s] += entry.weight * best[s];
                best[s] = 0.0;
            }
            touched_tag.clear();
        }
    }

    /// The best `k` experts for a prepared need; `scratch` is left clean for the next query.
    pub fn rank_scattered(&self, need: &Prepared, k: usize, scratch: &mut ScatterScratch) -> (Vec<Ranked>, Work) {
        let mut work = Work::default();
        if need.filter.impossible || need.languages.is_none() || need.total_weight <= 0.0 {
            return (Vec::new(), work);
        }
        if scratch.score.len() < self.slots.len() {
            let n = self.slots.len();
            scratch.score = vec![0.0; n];
            scratch.best = vec![0.0; n];
            scratch.must = vec![0; n];
        }
        self.accumulate_scattered(need, scratch, &mut work);
        work.candidates = scratch.touched.len();
        let mut top = TopK::new(k);
        for &slot in &scratch.touched {
            let i = slot as usize;
            let enterprise = scratch.score[i] / need.total_weight;
            let must = scratch.must[i];
            scratch.score[i] = 0.0;
            scratch.must[i] = 0;
            // combine() never raises the enterprise fit: skip what cannot enter before the costly parts.
            if !top.could_enter(enterprise) || !self.passes(need, slot, must) {
                continue;
            }
            work.reversed += 1;
            let reverse = self.reverse_parts(need, slot).score;
            let score = combine(enterprise, reverse);
            if score >= need.filter.min_score {
                top.push(Ranked {
                    id: self.slots.ids[i],
                    slot,
                    score,
                    enterprise,
                    reverse,
                });
            }
        }
        scratch.touched.clear();
        (top.into_sorted(), work)
    }
}
