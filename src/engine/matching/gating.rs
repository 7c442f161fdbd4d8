//! Per-candidate checks of the scorers: the gates and filters that do not depend on the score, and
//! the reverse fit, read from the index's columns.

use super::formula::{hours_fit, UNKNOWN_PREFERENCE};
use super::index::{MatchIndex, Row, ATTR_LANGUAGE, ATTR_PREF_SECTOR, ATTR_SECTOR};
use super::prepare::Prepared;
use super::reference::ReverseFit;

impl MatchIndex {
    /// True when the slot passes every gate and filter that does not depend on the score.
    pub(crate) fn passes(&self, need: &Prepared, slot: u32, must: u64) -> bool {
        let s = &self.slots;
        let row = s.rows[slot as usize];
        let f = &need.filter;
        if !row_passes(&row, need) || must & need.must_mask != need.must_mask {
            return false;
        }
        let Some(langs) = &need.languages else { return false };
        if !langs.iter().all(|l| s.values(slot, ATTR_LANGUAGE).any(|x| x == *l)) {
            return false;
        }
        f.mode.is_none_or(|m| row.modes & m != 0)
            && f.country.is_none_or(|c| u32::from(row.country) == c)
            && f.channel.is_none_or(|c| row.channel == c)
            && f.language.is_none_or(|l| s.values(slot, ATTR_LANGUAGE).any(|x| x == l))
            && f.sector
                .is_none_or(|sec| s.values(slot, ATTR_SECTOR).any(|x| self.concepts.is_within(x, sec)))
            && (f.exclude.is_empty() || !f.exclude.contains(&s.ids[slot as usize]))
    }

    /// The reverse fit of a slot: the same parts and arithmetic as `reference::reverse_fit`.
    pub(crate) fn reverse_parts(&self, need: &Prepared, slot: u32) -> ReverseFit {
        let s = &self.slots;
        let (need_type, modes, hours) = column_parts(&s.rows[slot as usize], need);
        let mut wanted = s.values(slot, ATTR_PREF_SECTOR).peekable();
        let sectors = if wanted.peek().is_none() || !need.has_sectors {
            UNKNOWN_PREFERENCE
        } else {
            // The best relation of a wanted sector to a need sector, from the need's relation table.
            wanted.map(|w| need.forward.best_sector_factor(w)).fold(0.0, f32::max)
        };
        ReverseFit {
            score: (need_type + sectors + modes + hours) / 4.0,
            need_type,
            sectors,
            modes,
            hours,
        }
    }
}

/// The gates a slot's row alone decides: scorable (current, active, consented, enough skills) and
/// a common engagement mode.
pub(crate) fn row_passes(row: &Row, need: &Prepared) -> bool {
    row.scorable() && row.modes & need.modes != 0
}

/// The most the reverse fit of a slot can be, from its row alone: the sectors part, which needs the
/// expert's wanted sectors, is taken as 1.
pub(crate) fn reverse_ceiling(row: &Row, need: &Prepared) -> f32 {
    let (need_type, modes, hours) = column_parts(row, need);
    (need_type + 1.0 + modes + hours) / 4.0
}

/// The reverse-fit parts a slot's row gives: need type, engagement modes and hours.
fn column_parts(row: &Row, need: &Prepared) -> (f32, f32, f32) {
    let need_type = if row.pref_types() == 0 {
        UNKNOWN_PREFERENCE
    } else if row.pref_types() & need.need_type != 0 {
        1.0
    } else {
        0.0
    };
    let modes = if need.mode_count == 0 {
        0.0
    } else {
        (row.modes & need.modes).count_ones() as f32 / need.mode_count as f32
    };
    (need_type, modes, hours_fit(row.hours, need.hours))
}
