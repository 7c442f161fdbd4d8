//! Limits on strings and lists of every payload, in one place so schemas/ can state the same.

/// Body size limit for every JSON request.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// Body size limit for a bulk intake file (CSV or JSON lines).
pub const MAX_INTAKE_BYTES: usize = 20 * 1024 * 1024;
/// Names, organisations, positions, titles.
pub const NAME_CHARS: usize = 200;
/// Cities, zones.
pub const PLACE_CHARS: usize = 100;
/// Phones.
pub const PHONE_CHARS: usize = 40;
/// Other contact details, indicator names and targets.
pub const SHORT_TEXT_CHARS: usize = 200;
/// Evidence lines.
pub const EVIDENCE_CHARS: usize = 300;
/// Expert biographies.
pub const BIO_CHARS: usize = 4000;
/// Need descriptions.
pub const DESCRIPTION_CHARS: usize = 8000;
/// Consent text versions.
pub const VERSION_CHARS: usize = 40;
/// Skills per expert or need.
pub const MAX_SKILLS: usize = 50;
/// Evidence lines per skill.
pub const MAX_EVIDENCE: usize = 10;
/// Sectors per record.
pub const MAX_SECTORS: usize = 10;
/// Languages per expert.
pub const MAX_LANGUAGES: usize = 10;
/// Languages required by a need.
pub const MAX_REQUIRED_LANGUAGES: usize = 5;
/// Indicators per need.
pub const MAX_INDICATORS: usize = 20;
/// Hours per month.
pub const MAX_HOURS: i64 = 200;
/// Inputs per resolve request.
pub const MAX_RESOLVE_INPUTS: usize = 100;
/// Tag search query length.
pub const MAX_QUERY_CHARS: usize = 100;
/// Days an event may span.
pub const MAX_EVENT_DAYS: i64 = 31;
/// Time slots per event.
pub const MAX_EVENT_SLOTS: usize = 200;
/// Minutes a slot may last.
pub const MAX_SLOT_MINUTES: i64 = 480;
/// Tables or rooms per event.
pub const MAX_TABLES: usize = 200;
/// Needs per event.
pub const MAX_EVENT_NEEDS: usize = 1000;
/// Experts per event.
pub const MAX_EVENT_EXPERTS: usize = 5000;
/// Pair preferences per event.
pub const MAX_PREFERENCES: usize = 5000;
/// Meetings one participant may be given at one event.
pub const MAX_QUOTA: i64 = 100;
