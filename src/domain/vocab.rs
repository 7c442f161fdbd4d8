//! The closed vocabularies of the domain: engagement modes, need types, statuses, levels.

use serde::{Deserialize, Serialize};

macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vdoc])* $variant),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The wire name.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// Parses the wire name.
            pub fn parse(raw: &str) -> Result<Self, String> {
                match raw.trim() {
                    $($text => Ok($name::$variant),)+
                    _ => Err(format!(
                        "{raw:?} is not one of {}",
                        [$($text),+].join(", ")
                    )),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

vocabulary!(
    /// How an expert may work with an enterprise.
    EngagementMode {
        /// Remote work from abroad.
        Remote = "remote",
        /// Part-time presence.
        PartTime = "part_time",
        /// Paid advice.
        Consulting = "consulting",
        /// A shared research project.
        JointResearch = "joint_research",
        /// Licensing or transfer of a technology.
        TechTransfer = "tech_transfer",
        /// Moving to the zone.
        Relocation = "relocation",
    }
);

vocabulary!(
    /// What kind of demand an enterprise has.
    NeedType {
        /// A shared research project.
        JointResearch = "joint_research",
        /// Licensing or transfer of a technology.
        TechTransfer = "tech_transfer",
        /// Bringing a person to the enterprise.
        TalentIntroduction = "talent_introduction",
        /// Paid advice.
        Consulting = "consulting",
        /// Teaching the enterprise's staff.
        Training = "training",
    }
);

vocabulary!(
    /// Where an expert profile stands; only active profiles are matched.
    ExpertStatus {
        /// Registered, not yet reviewed by an operator.
        PendingReview = "pending_review",
        /// Reviewed and available.
        Active = "active",
        /// Paused by the expert or an operator.
        Inactive = "inactive",
    }
);

vocabulary!(
    /// Where an enterprise need stands; only open needs are matched.
    NeedStatus {
        /// Looking for experts.
        Open = "open",
        /// On hold.
        Paused = "paused",
        /// Met by an expert.
        Filled = "filled",
        /// Withdrawn or done.
        Closed = "closed",
    }
);

vocabulary!(
    /// How well an expert speaks a language.
    Proficiency {
        /// Mother tongue.
        Native = "native",
        /// Fluent.
        Fluent = "fluent",
        /// Good enough for work.
        Working = "working",
        /// Basic.
        Basic = "basic",
    }
);

vocabulary!(
    /// How pressing a need is.
    Urgency {
        /// Months are fine.
        Low = "low",
        /// Weeks.
        Medium = "medium",
        /// Now.
        High = "high",
    }
);

vocabulary!(
    /// What kind of partner a channel is.
    ChannelKind {
        /// An association of scientists or engineers.
        Association = "association",
        /// A university alumni network.
        Alumni = "alumni",
        /// An incubator or accelerator.
        Incubator = "incubator",
        /// A university or institute.
        University = "university",
        /// A government office.
        Government = "government",
        /// Anything else.
        Other = "other",
    }
);

vocabulary!(
    /// How an event is held.
    EventFormat {
        /// Every meeting by video.
        Online = "online",
        /// Every meeting at tables in the zone.
        Onsite = "onsite",
        /// Some slots online, some on site.
        Hybrid = "hybrid",
    }
);

vocabulary!(
    /// How the meetings of one time slot are held.
    SlotMode {
        /// By video: both sides must be inside their waking hours.
        Online = "online",
        /// At a table or room on site: the tables bound the meetings of the slot.
        Onsite = "onsite",
    }
);

vocabulary!(
    /// What one side of a pair says about meeting the other at an event.
    PreferenceKind {
        /// Place this meeting before any other.
        MustMeet = "must_meet",
        /// Would like to meet: weighs in favour of the pair.
        Meet = "meet",
        /// Never place this meeting.
        NoThanks = "no_thanks",
    }
);

vocabulary!(
    /// The side of an event pair: the enterprise's need or the expert.
    Side {
        /// The enterprise behind a need.
        Need = "need",
        /// The expert.
        Expert = "expert",
    }
);

vocabulary!(
    /// Where an event's meeting schedule stands.
    ScheduleStatus {
        /// Drafted, under review by the organisers.
        Draft = "draft",
        /// Announced to the participants; its meetings count as met-before.
        Published = "published",
    }
);

vocabulary!(
    /// Who put a meeting in the schedule.
    Placement {
        /// The scheduler's assignment.
        Auto = "auto",
        /// An organiser, by hand.
        Manual = "manual",
    }
);

vocabulary!(
    /// Where an introduction stands: `proposed` to `landed` in order, or ended.
    Stage {
        /// Suggested by an operator.
        Proposed = "proposed",
        /// Both sides were contacted.
        Contacted = "contacted",
        /// They met.
        Met = "met",
        /// Terms are being discussed.
        Negotiating = "negotiating",
        /// An agreement was signed.
        Agreed = "agreed",
        /// The project settled in the zone.
        Landed = "landed",
        /// A side said no.
        Declined = "declined",
        /// The base stopped it.
        Withdrawn = "withdrawn",
    }
);

vocabulary!(
    /// Where an introduction came from.
    IntroductionSource {
        /// A ranked match of a need.
        Match = "match",
        /// A meeting of an event.
        Event = "event",
        /// An operator's own idea.
        Manual = "manual",
    }
);

vocabulary!(
    /// What an audit entry records.
    AuditAction {
        /// Contacts of an expert were shown.
        ContactsRead = "contacts_read",
        /// Records left the service (an export of the store, a schedule or shortlists with names, an expert's own data).
        Export = "export",
        /// An operator released contacts for an introduction.
        ContactRelease = "contact_release",
        /// An expert's personal data was erased.
        Erasure = "erasure",
        /// An expert withdrew consent.
        ConsentWithdrawn = "consent_withdrawn",
        /// A token was created.
        TokenCreated = "token_created",
        /// A token was revoked.
        TokenRevoked = "token_revoked",
    }
);

/// A skill level from 1 (aware) to 5 (leading expert), or a need weight from 1 to 5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "u8")]
pub struct Level(u8);

impl Level {
    /// The highest level.
    pub const MAX: Level = Level(5);

    /// Parses an integer from 1 to 5.
    pub fn parse(raw: i64) -> Result<Self, String> {
        if (1..=5).contains(&raw) {
            Ok(Level(raw as u8))
        } else {
            Err(format!("must be from 1 to 5, got {raw}"))
        }
    }

    /// The level as a number.
    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<i64> for Level {
    type Error = String;
    fn try_from(raw: i64) -> Result<Self, String> {
        Level::parse(raw)
    }
}

impl From<Level> for u8 {
    fn from(l: Level) -> u8 {
        l.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_mode_round_trips_through_its_wire_name() {
        for m in EngagementMode::ALL {
            assert_eq!(EngagementMode::parse(m.as_str()).unwrap(), *m);
        }
    }

    #[test]
    fn an_unknown_mode_names_the_allowed_ones() {
        let err = EngagementMode::parse("freelance").unwrap_err();
        assert!(err.contains("part_time"), "{err}");
    }

    #[test]
    fn levels_run_from_one_to_five() {
        assert!(Level::parse(0).is_err());
        assert!(Level::parse(6).is_err());
        assert_eq!(Level::parse(5).unwrap(), Level::MAX);
    }
}
