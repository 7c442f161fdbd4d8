//! Property tests: the vectorized scorer equals the scalar reference on random data, and the
//! ranking invariants of DESIGN.md §3 hold.

use std::collections::HashMap;

use chrono::Utc;
use proptest::prelude::*;

use super::*;
use crate::domain::*;
use crate::engine::taxonomy::Taxonomy;

/// A random forest of concepts: roots are sectors, a few second-level concepts too, the rest skills.
pub(crate) fn taxonomy_from(parents: &[Option<usize>]) -> Taxonomy {
    let mut concepts = Vec::new();
    for (i, parent) in parents.iter().enumerate() {
        let parent = parent.filter(|p| *p < i);
        let depth_one = parent.is_some_and(|p| parents[p].is_none());
        let kind = if parent.is_none() || (depth_one && i % 3 == 0) {
            TagKind::Sector
        } else {
            TagKind::Skill
        };
        let kind = match parent {
            Some(p)
                if concepts
                    .iter()
                    .any(|c: &Concept| c.id.as_str() == format!("t{p}") && c.kind == TagKind::Skill) =>
            {
                TagKind::Skill
            }
            _ => kind,
        };
        concepts.push(Concept {
            id: TagId::parse(&format!("t{i}")).unwrap(),
            kind,
            parent: parent.map(|p| TagId::parse(&format!("t{p}")).unwrap()),
            labels: Labels {
                en: format!("label {i}"),
                zh: format!("标签{i}"),
                fr: format!("étiquette {i}"),
            },
            aliases: Aliases::default(),
        });
    }
    Taxonomy::build(concepts).unwrap()
}

fn tag(i: usize) -> TagId {
    TagId::parse(&format!("t{i}")).unwrap()
}

const LANGS: [&str; 4] = ["zh", "en", "fr", "de"];
const COUNTRIES: [&str; 3] = ["DE", "FR", "CN"];

#[derive(Debug, Clone)]
pub(crate) struct ExpertSpec {
    skills: Vec<(usize, u8)>,
    sectors: Vec<usize>,
    modes: u8,
    langs: u8,
    status: u8,
    pref_types: u8,
    pref_sectors: Vec<usize>,
    hours: u16,
    country: usize,
    channel: Option<u8>,
}

pub(crate) fn expert_strategy(n: usize) -> impl Strategy<Value = ExpertSpec> {
    (
        proptest::collection::btree_map(0..n, 1u8..=5, 0..8),
        proptest::collection::btree_set(0..n, 0..3),
        1u8..64,
        1u8..16,
        0u8..10,
        0u8..32,
        proptest::collection::btree_set(0..n, 0..3),
        0u16..40,
        0..COUNTRIES.len(),
        proptest::option::of(0u8..2),
    )
        .prop_map(
            |(skills, sectors, modes, langs, status, pref_types, pref_sectors, hours, country, channel)| ExpertSpec {
                skills: skills.into_iter().collect(),
                sectors: sectors.into_iter().collect(),
                modes,
                langs,
                status,
                pref_types,
                pref_sectors: pref_sectors.into_iter().collect(),
                hours,
                country,
                channel,
            },
        )
}

fn pick<T: Copy>(all: &[T], bits: u8) -> Vec<T> {
    all.iter()
        .enumerate()
        .filter(|(i, _)| bits & (1 << i) != 0)
        .map(|(_, x)| *x)
        .collect()
}

pub(crate) fn build_expert(t: &Taxonomy, spec: &ExpertSpec, id: ExpertId) -> Expert {
    let sector_ok = |i: &usize| t.get(&tag(*i)).is_some_and(|c| c.kind == TagKind::Sector);
    let profile = ExpertProfile {
        name: Text::parse("x", 1, 10).unwrap(),
        contact: Contact {
            email: Email::parse(&format!("{}@example.org", id.simple())).unwrap(),
            phone: None,
            other: None,
        },
        country: CountryCode::parse(COUNTRIES[spec.country]).unwrap(),
        city: Text::parse("c", 1, 10).unwrap(),
        timezone: TimeZone::parse("Europe/Paris").unwrap(),
        organisation: Text::parse("o", 1, 10).unwrap(),
        position: Text::parse("p", 1, 10).unwrap(),
        bio: None,
        languages: pick(&LANGS, spec.langs)
            .into_iter()
            .map(|l| SpokenLanguage {
                code: LanguageCode::parse(l).unwrap(),
                proficiency: Proficiency::Fluent,
            })
            .collect(),
        skills: spec
            .skills
            .iter()
            .map(|(i, l)| Skill {
                tag: tag(*i),
                level: Level::parse(i64::from(*l)).unwrap(),
                evidence: vec![],
            })
            .collect(),
        sectors: spec.sectors.iter().filter(|i| sector_ok(i)).map(|i| tag(*i)).collect(),
        engagement_modes: pick(EngagementMode::ALL, spec.modes),
        hours_per_month: spec.hours,
        preferences: Preferences {
            need_types: pick(NeedType::ALL, spec.pref_types),
            sectors: spec
                .pref_sectors
                .iter()
                .filter(|i| sector_ok(i))
                .map(|i| tag(*i))
                .collect(),
        },
        channel: spec.channel.map(|c| ChannelId::parse(&format!("ch-{c}")).unwrap()),
    };
    let consent = Consent {
        given_at: Utc::now(),
        text_version: Text::parse("v1", 1, 10).unwrap(),
        withdrawn_at: None,
    };
    let mut e = Expert::register(id, profile, consent, Utc::now());
    e.status = match spec.status {
        0 => ExpertStatus::PendingReview,
        1 => ExpertStatus::Inactive,
        _ => ExpertStatus::Active,
    };
    e
}

#[derive(Debug, Clone)]
pub(crate) struct NeedSpecGen {
    skills: Vec<(usize, u8, bool)>,
    sectors: Vec<usize>,
    modes: u8,
    langs: u8,
    need_type: usize,
    hours: Option<u16>,
}

pub(crate) fn need_strategy(n: usize) -> impl Strategy<Value = NeedSpecGen> {
    (
        // Mostly small needs, sometimes ones of more than 8 or 16 tags (the forward path's wider rows).
        prop_oneof![
            3 => proptest::collection::btree_map(0..n, (1u8..=5, proptest::bool::weighted(0.25)), 1..6),
            1 => proptest::collection::btree_map(0..n, (1u8..=5, proptest::bool::weighted(0.1)), 9..26),
        ],
        proptest::collection::btree_set(0..n, 0..3),
        1u8..64,
        0u8..4,
        0..NeedType::ALL.len(),
        proptest::option::of(1u16..40),
    )
        .prop_map(|(skills, sectors, modes, langs, need_type, hours)| NeedSpecGen {
            skills: skills.into_iter().map(|(t, (w, m))| (t, w, m)).collect(),
            sectors: sectors.into_iter().collect(),
            modes,
            langs,
            need_type,
            hours,
        })
}

pub(crate) fn build_need(t: &Taxonomy, spec: &NeedSpecGen) -> MatchNeed {
    MatchNeed {
        skills: spec
            .skills
            .iter()
            .map(|(i, w, m)| NeedSkill {
                tag: tag(*i),
                weight: Level::parse(i64::from(*w)).unwrap(),
                must_have: *m,
            })
            .collect(),
        sectors: spec
            .sectors
            .iter()
            .filter(|i| t.get(&tag(**i)).is_some_and(|c| c.kind == TagKind::Sector))
            .map(|i| tag(*i))
            .collect(),
        need_type: NeedType::ALL[spec.need_type],
        engagement_modes: pick(EngagementMode::ALL, spec.modes),
        languages: pick(&LANGS, spec.langs)
            .into_iter()
            .map(|l| LanguageCode::parse(l).unwrap())
            .collect(),
        hours_per_month: spec.hours,
    }
}

fn fast_scores(index: &MatchIndex, need: &MatchNeed, filter: &MatchFilter) -> Vec<Ranked> {
    let prepared = prepare(index, need, filter);
    index.rank(&prepared, usize::MAX >> 8, &mut Scratch::default()).0
}

/// The blocked scorer with a small k (so the top-k threshold prunes side lists) and the scattered
/// baseline, both against the reference's best k.
fn assert_small_k(
    index: &MatchIndex,
    need: &MatchNeed,
    filter: &MatchFilter,
    reference: &[(ExpertId, f32)],
) -> Result<(), TestCaseError> {
    let prepared = prepare(index, need, filter);
    // One set of buffers for every split, so that the other ranges' kept buffers are reused.
    let mut split = Scratch::default();
    for k in [1, 3] {
        let blocked = index.rank(&prepared, k, &mut Scratch::default()).0;
        let scattered = index.rank_scattered(&prepared, k, &mut ScatterScratch::default()).0;
        for threads in [3, 2] {
            let parallel = index.rank_parallel(&prepared, k, threads, &mut split).0;
            prop_assert_eq!(&parallel, &blocked, "split over {} threads, k = {}", threads, k);
        }
        for policy in Essentials::EVERY {
            let mut scratch = Scratch::with(policy);
            let other = index.rank(&prepared, k, &mut scratch).0;
            prop_assert_eq!(&other, &blocked, "bounded pass reading {:?}, k = {}", policy, k);
        }
        let want: Vec<ExpertId> = reference.iter().take(k).map(|r| r.0).collect();
        for (got, (_, score)) in blocked.iter().zip(reference) {
            prop_assert!(
                (got.score - score).abs() <= 1e-5,
                "blocked k = {}: {} against {}",
                k,
                got.score,
                score
            );
        }
        prop_assert_eq!(
            blocked.iter().map(|r| r.id).collect::<Vec<_>>(),
            want.clone(),
            "blocked, k = {}",
            k
        );
        prop_assert_eq!(
            scattered.iter().map(|r| r.id).collect::<Vec<_>>(),
            want,
            "scattered, k = {}",
            k
        );
    }
    Ok(())
}

fn reference_ranking(t: &Taxonomy, experts: &[Expert], need: &MatchNeed, filter: &MatchFilter) -> Vec<(ExpertId, f32)> {
    let mut v: Vec<(ExpertId, f32)> = experts
        .iter()
        .filter_map(|e| score_reference(t, need, e, filter).map(|s| (e.id, s)))
        .collect();
    v.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v
}

fn assert_same(fast: &[Ranked], reference: &[(ExpertId, f32)]) -> Result<(), TestCaseError> {
    let f: HashMap<ExpertId, f32> = fast.iter().map(|r| (r.id, r.score)).collect();
    let r: HashMap<ExpertId, f32> = reference.iter().copied().collect();
    prop_assert_eq!(f.len(), r.len(), "fast {:?} reference {:?}", fast, reference);
    for (id, s) in &r {
        let got = f.get(id).copied();
        prop_assert!(
            got.is_some_and(|g| (g - s).abs() <= 1e-5),
            "expert {id}: fast {got:?} reference {s}"
        );
    }
    for w in fast.windows(2) {
        prop_assert!(
            rank_order(&w[0], &w[1]) == std::cmp::Ordering::Less,
            "not ranked: {:?}",
            w
        );
    }
    Ok(())
}

fn filter_from(bits: u8, experts: &[Expert]) -> MatchFilter {
    let mut f = MatchFilter::default();
    if bits & 1 != 0 {
        f.min_score = 0.3;
    }
    if bits & 2 != 0 {
        f.mode = Some(EngagementMode::Remote);
    }
    if bits & 4 != 0 {
        f.country = Some(CountryCode::parse("DE").unwrap());
    }
    if bits & 8 != 0 {
        f.exclude = experts.iter().step_by(3).map(|e| e.id).collect();
    }
    if bits & 16 != 0 {
        f.language = Some(LanguageCode::parse("en").unwrap());
    }
    if bits & 32 != 0 {
        f.channel = Some(ChannelId::parse("ch-1").unwrap());
    }
    if bits & 64 != 0 {
        f.sector = Some(tag(0));
    }
    f
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn the_vectorized_scorer_equals_the_scalar_reference(
        parents in proptest::collection::vec(proptest::option::weighted(0.85, 0usize..40), 40),
        specs in proptest::collection::vec(expert_strategy(40), 1..60),
        need in need_strategy(40),
        filter_bits in 0u8..128,
    ) {
        let t = taxonomy_from(&parents);
        let experts: Vec<Expert> = specs.iter().map(|s| build_expert(&t, s, ExpertId::generate())).collect();
        let mut index = MatchIndex::new(&t);
        experts.iter().for_each(|e| index.upsert(e));
        let need = build_need(&t, &need);
        let filter = filter_from(filter_bits, &experts);
        let reference = reference_ranking(&t, &experts, &need, &filter);
        assert_same(&fast_scores(&index, &need, &filter), &reference)?;
        assert_small_k(&index, &need, &filter, &reference)?;
        let prepared = prepare(&index, &need, &filter);
        for e in &experts {
            let slot = index.slot_of(e.id).unwrap();
            let fast = index.explain(&need, &prepared, slot);
            let reference = score_pair(&t, &need, e);
            prop_assert_eq!(fast, reference);
        }
    }

    #[test]
    fn updates_removals_and_compaction_keep_the_index_equal_to_the_records(
        parents in proptest::collection::vec(proptest::option::weighted(0.85, 0usize..30), 30),
        specs in proptest::collection::vec(expert_strategy(30), 2..40),
        changes in proptest::collection::vec((0usize..40, expert_strategy(30), proptest::bool::ANY), 0..40),
        need in need_strategy(30),
        compact in proptest::bool::ANY,
    ) {
        let t = taxonomy_from(&parents);
        let mut experts: Vec<Expert> = specs.iter().map(|s| build_expert(&t, s, ExpertId::generate())).collect();
        let mut index = MatchIndex::new(&t);
        experts.iter().for_each(|e| index.upsert(e));
        for (i, spec, remove) in changes {
            if experts.is_empty() { break; }
            let i = i % experts.len();
            if remove {
                index.remove(experts[i].id);
                experts.remove(i);
            } else {
                let changed = build_expert(&t, &spec, experts[i].id);
                index.upsert(&changed);
                experts[i] = changed;
            }
        }
        if compact {
            index.compact();
        }
        prop_assert_eq!(index.len(), experts.len());
        let need = build_need(&t, &need);
        let filter = MatchFilter::default();
        assert_same(&fast_scores(&index, &need, &filter), &reference_ranking(&t, &experts, &need, &filter))?;
    }

    #[test]
    fn concepts_added_after_the_experts_were_indexed_score_as_the_reference(
        parents in proptest::collection::vec(proptest::option::weighted(0.9, 0usize..40), 40),
        specs in proptest::collection::vec(expert_strategy(20), 2..60),
        need in need_strategy(40),
    ) {
        // The experts hold the first 20 concepts; the other 20 come later, many under held ones.
        let (first, full) = (taxonomy_from(&parents[..20]), taxonomy_from(&parents));
        let experts: Vec<Expert> = specs.iter().map(|s| build_expert(&first, s, ExpertId::generate())).collect();
        let mut index = MatchIndex::new(&first);
        experts.iter().for_each(|e| index.upsert(e));
        index.sync_taxonomy(&full);
        // Kin masks follow the new shape (a held leaf may now be a parent).
        for slot in 0..index.slots.len() as u32 {
            prop_assert_eq!(index.slots.rows[slot as usize].kin, index.kin_from_attrs(slot), "slot {}", slot);
        }
        let mut fresh = MatchIndex::new(&full);
        experts.iter().for_each(|e| fresh.upsert(e));
        // Concept numbers differ between the two (interned in the order concepts came): by name.
        for c in full.concepts() {
            for d in 1..=formula::BROADER_MAX_LEVELS {
                let listed = |i: &MatchIndex| {
                    let x = i.concepts().get(&c.id);
                    x.and_then(|x| i.skills.above(x, d)).map(|l| l.iter().collect::<Vec<_>>()).unwrap_or_default()
                };
                prop_assert_eq!(listed(&index), listed(&fresh), "concept {} distance {}", c.id, d);
            }
        }
        let need = build_need(&full, &need);
        let filter = MatchFilter::default();
        let reference = reference_ranking(&full, &experts, &need, &filter);
        assert_same(&fast_scores(&index, &need, &filter), &reference)?;
        assert_small_k(&index, &need, &filter, &reference)?;
    }

    #[test]
    fn scores_lie_in_the_unit_interval_and_gated_experts_never_appear(
        parents in proptest::collection::vec(proptest::option::weighted(0.85, 0usize..30), 30),
        specs in proptest::collection::vec(expert_strategy(30), 1..40),
        need in need_strategy(30),
    ) {
        let t = taxonomy_from(&parents);
        let experts: Vec<Expert> = specs.iter().map(|s| build_expert(&t, s, ExpertId::generate())).collect();
        let mut index = MatchIndex::new(&t);
        experts.iter().for_each(|e| index.upsert(e));
        let need = build_need(&t, &need);
        let filter = MatchFilter::default();
        for r in fast_scores(&index, &need, &filter) {
            prop_assert!(r.score > 0.0 && r.score <= 1.0, "{}", r.score);
            let e = experts.iter().find(|e| e.id == r.id).unwrap();
            prop_assert!(gates(&t, &need, e, &filter).is_empty());
        }
    }
}
