//! The constants of the scoring formula, in one place; `mod.rs` explains why they are what they are.

use crate::domain::{Level, NeedType};

/// Credit of a need tag met by a narrower expert tag `d` levels below it (`d >= 1`).
pub const NARROWER_BASE: f32 = 0.8;
/// Decay per further level of a narrower tag.
pub const NARROWER_DECAY: f32 = 0.85;
/// Credit of a need tag met by a broader expert tag one level above it.
pub const BROADER_BASE: f32 = 0.6;
/// Decay per further level of a broader tag.
pub const BROADER_DECAY: f32 = 0.75;
/// Broader tags further up than this give no credit: a whole sector does not meet a specialty.
pub const BROADER_MAX_LEVELS: u8 = 2;
/// Credit of a need tag met by a sibling (same parent).
pub const SIBLING: f32 = 0.35;
/// Weight of each need sector beside skill weights of 1 to 5.
pub const SECTOR_WEIGHT: f32 = 1.0;
/// Share of the final score that the enterprise side alone decides.
pub const ENTERPRISE_SHARE: f32 = 0.7;
/// A reverse-fit component the expert said nothing about counts as this, neither for nor against.
pub const UNKNOWN_PREFERENCE: f32 = 0.5;
/// Profiles with fewer skills are near-empty and get no score.
pub const MIN_SKILLS: usize = 2;

/// How much of a tag an expert level gives: 0.5 for level 1 up to 1.0 for level 5, so that an
/// exact tag at level 1 still beats a sibling at level 5.
pub const fn level_factor(level: u8) -> f32 {
    // Clamped to 1..=5 by hand: `Ord::clamp` is not `const`, and the forward path's table of level
    // factors is built from this function at compile time.
    let level = if level < 1 {
        1
    } else if level > 5 {
        5
    } else {
        level
    };
    0.5 + 0.125 * (level as f32 - 1.0)
}

/// Credit for a need tag met by a narrower expert tag `d >= 1` levels below.
pub fn narrower(d: u8) -> f32 {
    NARROWER_BASE * NARROWER_DECAY.powi(i32::from(d) - 1)
}

/// Credit for a need tag met by a broader expert tag `d` levels above (0 beyond the limit).
pub fn broader(d: u8) -> f32 {
    if (1..=BROADER_MAX_LEVELS).contains(&d) {
        BROADER_BASE * BROADER_DECAY.powi(i32::from(d) - 1)
    } else {
        0.0
    }
}

/// The weight of a need skill.
pub fn skill_weight(weight: Level) -> f32 {
    f32::from(weight.get())
}

/// The final score from the enterprise-side fit and the reverse fit, both in [0, 1].
pub fn combine(enterprise: f32, reverse: f32) -> f32 {
    enterprise * (ENTERPRISE_SHARE + (1.0 - ENTERPRISE_SHARE) * reverse)
}

/// The need-type component of the reverse fit.
pub fn need_type_fit(wanted: &[NeedType], offered: NeedType) -> f32 {
    if wanted.is_empty() {
        UNKNOWN_PREFERENCE
    } else if wanted.contains(&offered) {
        1.0
    } else {
        0.0
    }
}

/// The hours component: full when the expert has the hours the need expects.
pub fn hours_fit(available: u16, expected: Option<u16>) -> f32 {
    match expected {
        None | Some(0) => 1.0,
        Some(e) => (f32::from(available) / f32::from(e)).min(1.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_beats_narrower_and_broader_which_beat_sibling_at_every_level() {
        for level in 1..=5 {
            let f = level_factor(level);
            let exact = f;
            for d in 1..=4 {
                assert!(exact > narrower(d) * f);
                assert!(narrower(d) * f > SIBLING * f, "narrower at {d} levels");
            }
            for d in 1..=BROADER_MAX_LEVELS {
                assert!(exact > broader(d) * f);
                assert!(broader(d) * f > SIBLING * f, "broader at {d} levels");
            }
        }
    }

    #[test]
    fn an_exact_tag_at_level_one_beats_a_sibling_at_level_five() {
        assert!(level_factor(1) > SIBLING * level_factor(5));
    }

    #[test]
    fn broader_tags_far_above_give_nothing() {
        assert_eq!(broader(BROADER_MAX_LEVELS + 1), 0.0);
    }

    #[test]
    fn a_perfect_fit_on_both_sides_combines_to_one() {
        assert_eq!(combine(1.0, 1.0), 1.0);
        assert!(combine(0.8, 1.0) > combine(0.8, 0.2));
    }

    #[test]
    fn hours_fit_is_partial_when_the_expert_has_fewer_hours() {
        assert_eq!(hours_fit(10, Some(20)), 0.5);
        assert_eq!(hours_fit(30, Some(20)), 1.0);
        assert_eq!(hours_fit(0, None), 1.0);
    }
}
