//! Matching: gates, a taxonomy-aware two-sided score, bounded top-k, and explanations.
//!
//! # The formula
//!
//! **Credit of one need tag.** Every need skill `t` (weight `w` from 1 to 5) earns the best credit any
//! expert skill `u` (level `l` from 1 to 5) gives it: `factor(relation(t, u)) × level_factor(l)`.
//! The relation factors are: exact `1.0`; narrower (the expert's tag lies `d` levels under the need's:
//! a specialist within the field asked for) `0.8 × 0.85^(d−1)`; broader (the expert's tag lies `d`
//! levels above: a generalist of the field) `0.6 × 0.75^(d−1)`, only up to two levels, because a whole
//! sector does not meet a specialty; sibling (same parent) `0.35`; anything else `0`, so an unrelated
//! tag adds nothing. The level factor runs `0.5, 0.625, 0.75, 0.875, 1.0` for levels 1 to 5: level
//! matters, yet an exact tag at level 1 (0.5) still beats a sibling at level 5 (0.35), so the order
//! exact > narrower/broader > sibling > unrelated holds at every level. Each need sector is one more
//! tag of weight 1, met the same way by the expert's sectors (no levels there).
//!
//! **Enterprise-side fit** `E = Σ w·credit / Σ w`, in [0, 1]: an expert holding every need tag exactly
//! at level 5 and every need sector scores 1. Taking the best credit per need tag (not a sum over the
//! expert's tags) keeps a profile that lists twenty neighbouring skills from outscoring one that holds
//! the tag asked for.
//!
//! **Reverse fit** `R`, the mean of four parts in [0, 1]: the need type among the types the expert
//! wants; the need's sectors against the sectors the expert wants (same relation factors); the share of
//! the need's engagement modes the expert accepts; the expert's hours against the hours the need
//! expects. A preference the expert did not state counts 0.5: missing data is neither agreement nor
//! refusal.
//!
//! **Final score** `S = E × (0.7 + 0.3·R)`. The enterprise side decides most of it (the base works
//! for its enterprises), the expert's side can take away up to 30 %, a mutual fit ranks above a
//! one-sided one with the same `E`, and `S = 1` only for an ideal expert who also wants this need.
//!
//! **Gates** remove candidates before scoring and never add points: not active (pending review or
//! inactive), fewer than two skills (a near-empty profile gets no score rather than a small one), a
//! must-have skill held neither exactly nor through a narrower tag, no common engagement mode, a
//! required language not spoken, excluded by the query; then `E = 0` (nothing in common) and the
//! query's `min_score` and filters. Ties rank by ascending expert id.
//!
//! # The vectorized path
//!
//! The index (`index`) keeps, per concept and facet, two-byte postings (offset of the slot within
//! its segment of 8,192, level) of the experts holding it exactly and, in one list per distance, of
//! those whose best narrower holding is that many levels down (so narrower credit is a lookup by
//! level), and per slot a packed 16-byte row of the columns the gates read. A query walks the slots
//! in cache-sized blocks (`scorer`). The full pass visits, per need tag, its exact and narrower
//! lists plus the exact lists of its two nearest ancestors (broader credit) and of its siblings,
//! keeps the best credit per expert, accumulates `w × best` into the block's dense score array, and
//! gates, reverse-fits and offers the touched experts to a bounded top k. Once the top k has a
//! floor, the bounded pass (`bounded`, MaxScore) takes over: it reads only the exact, narrower and
//! broader lists, bounds every expert by what it could still earn (sibling credit is bounded, not
//! read; for skills, the broader lists are the index's `above` lists, which leave out the
//! ancestor's holders whom something nearer credits as much, so that an expert holding a tag and
//! its parent is not counted twice), lowers the bound by the most the reverse fit can give, and
//! scores the few experts whose bound reaches the floor from their own tags (`forward`). A need
//! split over threads (`split`) is scored by the caller and helper threads kept with its buffers
//! (`helper`): each seeds in its own region, they share their seeds, then each takes the next
//! block not yet taken, and they share their best k (`shared`), so each prunes against the floor
//! of everything scored so far; they explain the top k the same way. Both passes give the reference's scores
//! with the same arithmetic; `reference` is the plain scalar implementation, and property tests
//! hold them equal.

mod bounded;
mod explain;
pub mod formula;
mod forward;
mod gates;
mod gating;
mod helper;
pub mod index;
mod need;
mod prepare;
mod query;
pub mod reference;
mod relation;
mod scattered;
mod scorer;
mod shared;
mod simd;
mod split;
mod topk;

pub use bounded::Essentials;
pub use gates::{gates, holds, Gate};
pub use index::{IndexStats, MatchIndex};
pub use need::{MatchFilter, MatchNeed};
pub use prepare::{prepare, Prepared};
pub use query::Match;
pub use reference::{
    judge, reverse_fit, score_pair, score_reference, Facet, PairOutcome, PairScore, ReverseFit, TagCredit,
};
pub use relation::{relate, Relation};
pub use scattered::ScatterScratch;
pub use scorer::{Scratch, Work, BLOCK};
pub use topk::{rank_order, Ranked, TopK};

#[cfg(test)]
mod props;
#[cfg(test)]
mod tests;
