//! The ranking properties of DESIGN.md §3 on small, hand-made cases.

use chrono::Utc;

use super::*;
use crate::domain::*;
use crate::engine::taxonomy::tests::small;
use crate::engine::taxonomy::Taxonomy;

fn id(s: &str) -> TagId {
    TagId::parse(s).unwrap()
}

fn expert(skills: &[(&str, i64)], f: impl FnOnce(&mut ExpertProfile)) -> Expert {
    let mut profile = ExpertProfile {
        name: Text::parse("x", 1, 10).unwrap(),
        contact: Contact {
            email: Email::parse("x@example.org").unwrap(),
            phone: None,
            other: None,
        },
        country: CountryCode::parse("DE").unwrap(),
        city: Text::parse("c", 1, 10).unwrap(),
        timezone: TimeZone::parse("Europe/Berlin").unwrap(),
        organisation: Text::parse("o", 1, 10).unwrap(),
        position: Text::parse("p", 1, 10).unwrap(),
        bio: None,
        languages: vec![SpokenLanguage {
            code: LanguageCode::parse("zh").unwrap(),
            proficiency: Proficiency::Native,
        }],
        skills: skills
            .iter()
            .map(|(t, l)| Skill {
                tag: id(t),
                level: Level::parse(*l).unwrap(),
                evidence: vec![],
            })
            .collect(),
        sectors: vec![id("ai")],
        engagement_modes: vec![EngagementMode::Remote],
        hours_per_month: 20,
        preferences: Preferences {
            need_types: vec![NeedType::JointResearch],
            sectors: vec![id("ai")],
        },
        channel: None,
    };
    f(&mut profile);
    let consent = Consent {
        given_at: Utc::now(),
        text_version: Text::parse("v1", 1, 10).unwrap(),
        withdrawn_at: None,
    };
    let mut e = Expert::register(ExpertId::generate(), profile, consent, Utc::now());
    e.status = ExpertStatus::Active;
    e
}

fn need(skills: &[(&str, i64, bool)]) -> MatchNeed {
    MatchNeed {
        skills: skills
            .iter()
            .map(|(t, w, m)| NeedSkill {
                tag: id(t),
                weight: Level::parse(*w).unwrap(),
                must_have: *m,
            })
            .collect(),
        sectors: vec![id("ai")],
        need_type: NeedType::JointResearch,
        engagement_modes: vec![EngagementMode::Remote],
        languages: vec![LanguageCode::parse("zh").unwrap()],
        hours_per_month: Some(10),
    }
}

fn score(t: &Taxonomy, n: &MatchNeed, e: &Expert) -> Option<f32> {
    score_reference(t, n, e, &MatchFilter::default())
}

fn rank(t: &Taxonomy, n: &MatchNeed, experts: &[Expert], k: usize) -> Vec<Ranked> {
    let mut index = MatchIndex::new(t);
    experts.iter().for_each(|e| index.upsert(e));
    index
        .rank(&prepare(&index, n, &MatchFilter::default()), k, &mut Scratch::default())
        .0
}

#[test]
fn an_ideal_expert_scores_one() {
    let t = small();
    let n = need(&[("ai.ml", 5, true), ("ai.nlp", 3, false)]);
    let e = expert(&[("ai.ml", 5), ("ai.nlp", 5)], |_| {});
    assert_eq!(score(&t, &n, &e), Some(1.0));
    assert_eq!(rank(&t, &n, &[e], 5)[0].score, 1.0);
}

#[test]
fn exact_beats_narrower_beats_broader_beats_sibling_beats_unrelated() {
    let t = small();
    let n = need(&[("ai.ml", 5, false)]);
    let with = |tag: &str| expert(&[(tag, 4), ("ic", 4)], |p| p.sectors.clear());
    let exact = score(&t, &n, &with("ai.ml")).unwrap();
    let narrower = score(&t, &n, &with("ai.ml.deep-learning")).unwrap();
    let broader = score(&t, &n, &with("ai")).unwrap();
    let sibling = score(&t, &n, &with("ai.nlp")).unwrap();
    assert!(
        exact > narrower && narrower > broader && broader > sibling,
        "{exact} {narrower} {broader} {sibling}"
    );
    assert_eq!(
        score(&t, &n, &expert(&[("ic", 5), ("ic", 5)], |p| p.sectors.clear())),
        None,
        "unrelated: no score"
    );
}

#[test]
fn a_near_empty_profile_gets_no_score() {
    let t = small();
    let n = need(&[("ai.ml", 5, false)]);
    let e = expert(&[("ai.ml", 5)], |_| {});
    assert_eq!(score(&t, &n, &e), None);
    assert!(
        matches!(judge(&t, &n, &e, &MatchFilter::default()), PairOutcome::Gated(g) if g.contains(&Gate::IncompleteProfile { skills: 1 }))
    );
}

#[test]
fn a_missing_must_have_gates_but_a_narrower_one_satisfies_it() {
    let t = small();
    let n = need(&[("ai.ml", 5, true), ("ai.nlp", 1, false)]);
    assert_eq!(score(&t, &n, &expert(&[("ai.nlp", 5), ("ic", 5)], |_| {})), None);
    assert!(score(&t, &n, &expert(&[("ai.ml.deep-learning", 5), ("ic", 5)], |_| {})).is_some());
}

#[test]
fn gates_name_their_reason() {
    let t = small();
    let n = need(&[("ai.ml", 5, true)]);
    let e = expert(&[("ic", 5), ("ai.nlp", 2)], |p| {
        p.engagement_modes = vec![EngagementMode::Relocation];
        p.languages[0].code = LanguageCode::parse("fr").unwrap();
    });
    let PairOutcome::Gated(g) = judge(&t, &n, &e, &MatchFilter::default()) else {
        panic!("not gated")
    };
    assert!(g.contains(&Gate::MissingMustHave { tag: id("ai.ml") }));
    assert!(g.contains(&Gate::NoCommonMode));
    assert!(g.contains(&Gate::LanguageNotSpoken {
        language: LanguageCode::parse("zh").unwrap()
    }));
}

#[test]
fn inactive_and_pending_experts_are_gated() {
    let t = small();
    let n = need(&[("ai.ml", 5, false)]);
    let mut e = expert(&[("ai.ml", 5), ("ai.nlp", 5)], |_| {});
    e.status = ExpertStatus::PendingReview;
    assert_eq!(score(&t, &n, &e), None);
    assert!(rank(&t, &n, &[e], 5).is_empty());
}

#[test]
fn a_mutual_fit_ranks_above_a_one_sided_one_of_the_same_enterprise_fit() {
    let t = small();
    let n = need(&[("ai.ml", 5, false)]);
    let mutual = expert(&[("ai.ml", 4), ("ic", 3)], |_| {});
    let one_sided = expert(&[("ai.ml", 4), ("ic", 3)], |p| {
        p.preferences.need_types = vec![NeedType::Training];
        p.preferences.sectors = vec![id("ic")];
    });
    let ranked = rank(&t, &n, &[one_sided.clone(), mutual.clone()], 5);
    assert_eq!(ranked[0].enterprise, ranked[1].enterprise);
    assert_eq!(ranked[0].id, mutual.id);
}

#[test]
fn ties_break_by_ascending_id_and_results_repeat() {
    let t = small();
    let n = need(&[("ai.ml", 5, false)]);
    let experts: Vec<Expert> = (0..20).map(|_| expert(&[("ai.ml", 3), ("ic", 3)], |_| {})).collect();
    let first = rank(&t, &n, &experts, 5);
    let mut ids: Vec<ExpertId> = experts.iter().map(|e| e.id).collect();
    ids.sort();
    assert_eq!(first.iter().map(|r| r.id).collect::<Vec<_>>(), ids[..5].to_vec());
    assert_eq!(first, rank(&t, &n, &experts, 5));
}

#[test]
fn the_explanation_names_the_tag_and_relation_that_met_each_need_tag() {
    let t = small();
    let n = need(&[("ai.ml", 5, true), ("ai.nlp", 2, false), ("ic", 1, false)]);
    let e = expert(&[("ai.ml.deep-learning", 4), ("ai.nlp", 5)], |_| {});
    let s = score_pair(&t, &n, &e);
    assert_eq!(s.tags[0].matched_by, Some(id("ai.ml.deep-learning")));
    assert_eq!(s.tags[0].relation, Some(Relation::Narrower(1)));
    assert_eq!(s.tags[1].relation, Some(Relation::Exact));
    assert_eq!(s.tags[2].matched_by, None, "ic is missing");
    let sum: f32 = s.tags.iter().map(|c| c.contribution).sum();
    assert!((sum - s.enterprise).abs() < 1e-6);
}

#[test]
fn pruned_side_lists_still_credit_experts_that_can_reach_the_top() {
    let t = small();
    let mut n = need(&[("ai.ml.deep-learning", 5, false), ("ai.nlp", 5, false)]);
    n.sectors.clear();
    // Two strong experts fill the top 2 early, so later blocks prune broader and sibling lists...
    let mut experts = vec![
        expert(&[("ai.ml.deep-learning", 5), ("ai.nlp", 1)], |_| {}),
        expert(&[("ai.ml.deep-learning", 5), ("ai.nlp", 1)], |_| {}),
    ];
    // ...across many blocks of weak ones...
    experts.extend((0..60).map(|_| expert(&[("ai.ml", 1), ("ic", 3)], |_| {})));
    // ...yet this one's credit for ai.nlp comes only from its broader tag `ai`, and it ranks first.
    let late = expert(&[("ai.ml.deep-learning", 5), ("ai", 5)], |_| {});
    experts.push(late.clone());
    for k in [1, 2] {
        let ranked = rank(&t, &n, &experts, k);
        assert_eq!(ranked[0].id, late.id);
        assert_eq!(Some(ranked[0].score), score(&t, &n, &late), "k = {k}");
    }
}

/// An index of `n` experts holding the same three skills at levels that vary from one to the next.
fn graded_pool(t: &Taxonomy, n: i64) -> MatchIndex {
    let mut index = MatchIndex::new(t);
    for i in 0..n {
        let e = expert(
            &[("ai.ml", 1 + i % 5), ("ai.nlp", 1 + (i / 5) % 5), ("ic", 1 + i % 3)],
            |_| {},
        );
        index.upsert(&e);
    }
    index
}

#[test]
fn a_batch_answers_every_need_in_order_as_one_at_a_time_would() {
    let t = small();
    let index = graded_pool(&t, 40);
    let needs: Vec<MatchNeed> = (0..7)
        .map(|i| match i % 3 {
            0 => need(&[("ai.ml", 5, false), ("ai.nlp", 1 + i % 5, false)]),
            1 => need(&[("ic", 5, true)]),
            _ => need(&[("ai.nlp", 2, false), ("ai.ml.deep-learning", 4, false)]),
        })
        .collect();
    let filter = MatchFilter::default();
    for threads in [1, 2, 3, 16] {
        let batch = index.top_batch(&needs, &filter, 5, true, threads);
        assert_eq!(batch.len(), needs.len());
        for (n, (matches, _)) in needs.iter().zip(&batch) {
            let alone = index.top(n, &filter, 5, true, &mut Scratch::default()).0;
            assert!(!alone.is_empty());
            assert_eq!(matches, &alone, "threads = {threads}");
        }
    }
}

#[test]
fn a_need_split_over_threads_gives_the_same_matches_and_explanations_as_one_thread() {
    let t = small();
    // More slots than the split's threshold in tests, over many (tiny) blocks.
    let index = graded_pool(&t, 120);
    assert!(index.slots.len() >= scorer::PARALLEL_MIN_SLOTS);
    let filter = MatchFilter::default();
    // One set of buffers for every query, so that the kept helpers and their buffers are reused.
    let mut split = Scratch::default();
    for n in [
        need(&[("ai.ml", 5, false), ("ai.nlp", 3, false)]),
        need(&[("ic", 5, true)]),
        need(&[("ai.nlp", 2, false), ("ai.ml.deep-learning", 4, false)]),
    ] {
        let alone = index.top(&n, &filter, 12, true, &mut Scratch::default()).0;
        assert_eq!(alone.len(), 12);
        assert!(alone.iter().all(|m| m.explanation.is_some()));
        for threads in [2, 3] {
            let (matches, _) = index.top_parallel(&n, &filter, 12, true, threads, &mut split);
            assert_eq!(matches, alone, "threads = {threads}");
        }
    }
}

#[test]
fn must_haves_gate_in_every_block_of_the_bounded_pass() {
    let t = small();
    let n = need(&[("ai.ml", 5, true), ("ai.nlp", 5, false), ("ic", 2, false)]);
    // Over many (tiny) blocks: strong experts lacking the must-have, and some holding it exactly
    // or through a narrower tag at every level, spread through the slots.
    let experts: Vec<Expert> = (0..300i64)
        .map(|i| match i % 4 {
            0 => expert(&[("ai.ml", 1 + i % 5), ("ai.nlp", 1 + (i / 4) % 5)], |_| {}),
            1 => expert(&[("ai.ml.deep-learning", 1 + i % 5), ("ic", 5)], |_| {}),
            _ => expert(&[("ai.nlp", 5), ("ic", 5), ("ai", 5)], |_| {}),
        })
        .collect();
    let mut reference: Vec<(ExpertId, f32)> = experts
        .iter()
        .filter_map(|e| score(&t, &n, e).map(|s| (e.id, s)))
        .collect();
    reference.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    assert_eq!(reference.len(), 150, "only the holders of the must-have are scored");
    for k in [1, 5, 40] {
        let ranked = rank(&t, &n, &experts, k);
        let want: Vec<ExpertId> = reference.iter().take(k).map(|r| r.0).collect();
        assert_eq!(ranked.iter().map(|r| r.id).collect::<Vec<_>>(), want, "k = {k}");
    }
}
