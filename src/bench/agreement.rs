//! The bounded scorer against the scalar reference on the bench's own kind of pool (Zipf-popular
//! tags in home domains), where floors are high and the bounded pass does most of the work.

#[cfg(test)]
mod tests {
    use super::super::baseline::reference_top;
    use super::super::synthetic::Pool;
    use crate::domain::{Expert, ExpertId};
    use crate::engine::matching::{prepare, Essentials, MatchFilter, MatchIndex, Scratch, Work};
    use crate::engine::taxonomy::Taxonomy;

    #[test]
    fn every_policy_ranks_as_the_reference_and_the_bounded_pass_does_the_work() {
        let t = Taxonomy::build(crate::seed::concepts().unwrap()).unwrap();
        let pool = Pool::new(&t, 7).unwrap();
        let experts: Vec<Expert> = pool.experts(2_000).collect();
        let needs = pool.needs(24);
        let mut index = MatchIndex::new(&t);
        experts.iter().for_each(|e| index.upsert(e));
        let k = 10;
        let mut total = Work::default();
        for need in &needs {
            let want = reference_top(&t, need, &experts, &MatchFilter::default(), k);
            let prepared = prepare(&index, need, &MatchFilter::default());
            for policy in Essentials::EVERY {
                let mut scratch = Scratch::with(policy);
                let (got, work) = index.rank(&prepared, k, &mut scratch);
                if policy != Essentials::Off {
                    total.add(&work);
                }
                let got: Vec<(ExpertId, f32)> = got.iter().map(|r| (r.id, r.score)).collect();
                assert_eq!(got.len(), want.len(), "{policy:?}");
                for ((gi, gs), (wi, ws)) in got.iter().zip(&want) {
                    assert_eq!(gi, wi, "{policy:?}: {got:?} against {want:?}");
                    assert!((gs - ws).abs() <= 1e-5, "{policy:?}: {gs} against {ws}");
                }
            }
        }
        // The pass under test did most blocks, and scored few experts one by one.
        assert!(total.bounded_blocks > total.full_blocks, "{total:?}");
        assert!(total.scored * 10 < experts.len() * needs.len() * 3, "{total:?}");
    }
}
