//! A meeting placed or moved by hand (schemas/meeting-input.schema.json, meeting-move.schema.json).

use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::event_input::instant_in;
use super::fields::{opt_text, required};
use super::limits::SHORT_TEXT_CHARS;
use crate::domain::{ExpertId, NeedId, Problems, Text, TimeZone};
use crate::error::Result;

/// The body of `POST .../meetings` (slot, need, expert, table) and `PATCH .../meetings/{id}` (slot, table).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeetingInput {
    #[serde(default)]
    pub slot: Option<String>,
    #[serde(default)]
    pub need: Option<String>,
    #[serde(default)]
    pub expert: Option<String>,
    #[serde(default)]
    pub table: Option<String>,
}

/// A meeting body, parsed.
#[derive(Debug, Clone)]
pub struct ParsedMeeting {
    /// The slot's start.
    pub slot: DateTime<Utc>,
    /// The pair, for a new meeting.
    pub pair: Option<(NeedId, ExpertId)>,
    /// The table asked for, if any.
    pub table: Option<Text>,
}

impl MeetingInput {
    /// Parses the body with slot times in `zone`; `with_pair` for a new meeting (need and expert
    /// required), otherwise a move (need and expert refused). Every bad field at once.
    pub fn parse(&self, zone: TimeZone, with_pair: bool) -> Result<ParsedMeeting> {
        let mut p = Problems::new();
        let slot =
            required(&mut p, "slot", self.slot.as_deref()).and_then(|raw| p.check("slot", instant_in(zone, raw)));
        let (need, expert) = if with_pair {
            let need = required(&mut p, "need", self.need.as_deref()).and_then(|r| p.check("need", NeedId::parse(r)));
            let expert =
                required(&mut p, "expert", self.expert.as_deref()).and_then(|r| p.check("expert", ExpertId::parse(r)));
            (need, expert)
        } else {
            if self.need.is_some() || self.expert.is_some() {
                p.push(
                    "need",
                    "a moved meeting keeps its pair; add a new meeting for another pair",
                );
            }
            (None, None)
        };
        let table = opt_text(&mut p, "table", self.table.as_deref(), SHORT_TEXT_CHARS);
        p.finish(|| {
            Some(ParsedMeeting {
                slot: slot?,
                pair: need.zip(expert),
                table: table?,
            })
        })
    }
}
