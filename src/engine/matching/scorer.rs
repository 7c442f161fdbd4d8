//! The vectorized scorer: postings of each need tag accumulated into a dense score array, then gates,
//! the reverse fit and a bounded top-k over the experts touched. Equal to `reference` (tested).

use ndarray::Array1;

use super::formula::{combine, hours_fit, UNKNOWN_PREFERENCE};
use super::index::{code, slot, MatchIndex, ATTR_LANGUAGE, ATTR_PREF_SECTOR, ATTR_SECTOR};
use super::prepare::{List, Prepared};
use super::reference::ReverseFit;
use super::topk::{Ranked, TopK};

/// Reusable buffers of one scoring thread, sized to the index; only touched entries are reset.
#[derive(Debug, Default)]
pub struct Scratch {
    score: Array1<f32>,
    best: Array1<f32>,
    must: Vec<u64>,
    touched: Vec<u32>,
    touched_tag: Vec<u32>,
}

/// What one query touched, for the bench.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct Work {
    /// Postings read.
    pub postings: usize,
    /// Experts touched.
    pub candidates: usize,
    /// Experts whose reverse fit was computed.
    pub reversed: usize,
}

impl Work {
    /// Bytes read: 4 per posting, then per touched expert 4 (score) + 4 (best) + 8 (must).
    pub fn bytes(&self) -> usize {
        self.postings * 12 + self.candidates * 16
    }
}

impl Scratch {
    fn fit(&mut self, slots: usize) {
        if self.score.len() < slots {
            self.score = Array1::zeros(slots);
            self.best = Array1::zeros(slots);
            self.must = vec![0; slots];
        }
    }
}

impl MatchIndex {
    fn list(&self, list: List) -> &[u32] {
        fn get(v: &[Vec<u32>], n: u32) -> &[u32] {
            v.get(n as usize).map_or(&[][..], |l| l.as_slice())
        }
        match list {
            List::SkillExact(n) => get(&self.skills.exact, n),
            List::SkillDeeper(n) => get(&self.skills.deeper, n),
            List::SectorExact(n) => get(&self.sectors.exact, n),
            List::SectorDeeper(n) => get(&self.sectors.deeper, n),
        }
    }

    fn credit(&self, list: List, code: u8) -> f32 {
        match list {
            List::SkillExact(_) | List::SectorExact(_) => self.credits.exact[code as usize],
            List::SkillDeeper(_) | List::SectorDeeper(_) => self.credits.deeper[code as usize],
        }
    }

    /// Accumulates every need tag's best credit per expert into `scratch.score`.
    fn accumulate(&self, need: &Prepared, scratch: &mut Scratch, work: &mut Work) {
        let Scratch {
            score,
            best,
            must,
            touched,
            touched_tag,
        } = scratch;
        for entry in &need.entries {
            for source in &entry.sources {
                let list = self.list(source.list);
                work.postings += list.len();
                for &p in list {
                    let s = slot(p) as usize;
                    let credit = source.factor * self.credit(source.list, code(p));
                    if best[s] == 0.0 {
                        touched_tag.push(s as u32);
                    }
                    if credit > best[s] {
                        best[s] = credit;
                    }
                    if let (Some(bit), List::SkillExact(_) | List::SkillDeeper(_)) = (entry.must_bit, source.list) {
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

    /// True when the slot passes every gate and filter that does not depend on the score.
    fn passes(&self, need: &Prepared, slot: u32, must: u64) -> bool {
        let s = &self.slots;
        let i = slot as usize;
        let f = &need.filter;
        if !s.live[i] || !s.eligible[i] || must & need.must_mask != need.must_mask || s.modes[i] & need.modes == 0 {
            return false;
        }
        let Some(langs) = &need.languages else { return false };
        if !langs.iter().all(|l| s.values(slot, ATTR_LANGUAGE).any(|x| x == *l)) {
            return false;
        }
        f.mode.is_none_or(|m| s.modes[i] & m != 0)
            && f.country.is_none_or(|c| s.country[i] == c)
            && f.channel.is_none_or(|c| s.channel[i] == c)
            && f.language.is_none_or(|l| s.values(slot, ATTR_LANGUAGE).any(|x| x == l))
            && f.sector
                .is_none_or(|sec| s.values(slot, ATTR_SECTOR).any(|x| self.concepts.is_within(x, sec)))
            && (f.exclude.is_empty() || !f.exclude.contains(&s.ids[i]))
    }

    /// The reverse fit of a slot: the same parts and arithmetic as `reference::reverse_fit`.
    pub(crate) fn reverse_parts(&self, need: &Prepared, slot: u32) -> ReverseFit {
        let s = &self.slots;
        let i = slot as usize;
        let need_type = if s.pref_types[i] == 0 {
            UNKNOWN_PREFERENCE
        } else if s.pref_types[i] & need.need_type != 0 {
            1.0
        } else {
            0.0
        };
        let mut wanted = s.values(slot, ATTR_PREF_SECTOR).peekable();
        let sectors = if wanted.peek().is_none() || !need.has_sectors {
            UNKNOWN_PREFERENCE
        } else {
            let wanted: Vec<u32> = wanted.collect();
            let mut best: f32 = 0.0;
            for &n in &need.sectors {
                for &w in &wanted {
                    best = best.max(self.concepts.relate(n, w).map_or(0.0, |r| r.factor()));
                }
            }
            best
        };
        let common = (s.modes[i] & need.modes).count_ones();
        let modes = if need.mode_count == 0 {
            0.0
        } else {
            common as f32 / need.mode_count as f32
        };
        let hours = hours_fit(s.hours[i], need.hours);
        ReverseFit {
            score: (need_type + sectors + modes + hours) / 4.0,
            need_type,
            sectors,
            modes,
            hours,
        }
    }

    /// The best `k` experts for a prepared need; `scratch` is left clean for the next query.
    pub fn rank(&self, need: &Prepared, k: usize, scratch: &mut Scratch) -> (Vec<Ranked>, Work) {
        let mut work = Work::default();
        if need.filter.impossible || need.languages.is_none() || need.total_weight <= 0.0 {
            return (Vec::new(), work);
        }
        scratch.fit(self.slots.len());
        self.accumulate(need, scratch, &mut work);
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
