//! The embedded seed: the taxonomy (always loaded) and sample channels, experts, needs and an event
//! (first start).

use chrono::Utc;
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::domain::{Concept, Consent, EventId, ExpertId, ExpertStatus, NeedId, Text};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::wire::{ChannelInput, EventInput, ExpertInput, NeedInput};

/// `seed/taxonomy.jsonl`.
pub const TAXONOMY: &str = include_str!("../seed/taxonomy.jsonl");
/// `seed/channels.jsonl`.
pub const CHANNELS: &str = include_str!("../seed/channels.jsonl");
/// `seed/experts.jsonl`.
pub const EXPERTS: &str = include_str!("../seed/experts.jsonl");
/// `seed/needs.jsonl`.
pub const NEEDS: &str = include_str!("../seed/needs.jsonl");
/// `seed/events.jsonl`.
pub const EVENTS: &str = include_str!("../seed/events.jsonl");

/// One line of `seed/experts.jsonl`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedExpert {
    pub id: String,
    pub status: String,
    pub profile: ExpertInput,
}

/// One line of `seed/needs.jsonl`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedNeed {
    pub id: String,
    pub need: NeedInput,
}

/// One line of `seed/events.jsonl`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedEvent {
    pub id: String,
    pub event: EventInput,
}

/// Parses JSON lines, naming the file and line of the first bad one.
pub fn lines<T: DeserializeOwned>(file: &str, text: &str) -> Result<Vec<(usize, T)>> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| {
            serde_json::from_str(l)
                .map(|v| (n + 1, v))
                .map_err(|e| Error::Storage(format!("seed/{file} line {}: {e}", n + 1)))
        })
        .collect()
}

fn at(file: &str, line: usize) -> impl Fn(Error) -> Error + '_ {
    move |e| match e {
        Error::Invalid(list) => Error::Storage(format!(
            "seed/{file} line {line}: {}",
            list.iter()
                .map(|f| format!("{}: {}", f.field, f.message))
                .collect::<Vec<_>>()
                .join("; ")
        )),
        other => Error::Storage(format!("seed/{file} line {line}: {other}")),
    }
}

/// The seed concepts.
pub fn concepts() -> Result<Vec<Concept>> {
    Ok(lines::<Concept>("taxonomy.jsonl", TAXONOMY)?
        .into_iter()
        .map(|(_, c)| c)
        .collect())
}

/// Adds the seed concepts the store does not hold yet; returns how many.
pub fn load_taxonomy(engine: &Engine) -> Result<usize> {
    engine.ensure_concepts(concepts()?)
}

/// Counts of loaded samples.
#[derive(Debug, Default)]
pub struct SampleCounts {
    pub channels: usize,
    pub experts: usize,
    pub needs: usize,
    pub events: usize,
}

/// Loads the sample channels, experts and needs, through the same checks as the API.
pub fn load_samples(engine: &Engine) -> Result<SampleCounts> {
    let now = Utc::now();
    let mut counts = SampleCounts::default();
    for (line, input) in lines::<ChannelInput>("channels.jsonl", CHANNELS)? {
        let channel = input.into_channel(now).map_err(at("channels.jsonl", line))?;
        engine.add_channel(channel).map_err(at("channels.jsonl", line))?;
        counts.channels += 1;
    }
    let taxonomy = engine.taxonomy();
    for (line, seed) in lines::<SeedExpert>("experts.jsonl", EXPERTS)? {
        let err = at("experts.jsonl", line);
        let id = ExpertId::parse(&seed.id).map_err(|m| err(Error::field("id", m)))?;
        let status = ExpertStatus::parse(&seed.status).map_err(|m| err(Error::field("status", m)))?;
        let (profile, consent) = seed.profile.into_profile(&*taxonomy, true, now).map_err(&err)?;
        let consent = consent.unwrap_or(Consent {
            given_at: now,
            text_version: Text::parse("seed", 1, 40).map_err(|m| err(Error::Internal(m)))?,
            withdrawn_at: None,
        });
        engine.load_expert(id, status, profile, consent).map_err(&err)?;
        counts.experts += 1;
    }
    for (line, seed) in lines::<SeedNeed>("needs.jsonl", NEEDS)? {
        let err = at("needs.jsonl", line);
        let id = NeedId::parse(&seed.id).map_err(|m| err(Error::field("id", m)))?;
        let (spec, status) = seed.need.into_spec(&*taxonomy).map_err(&err)?;
        engine.load_need(id, spec, status).map_err(&err)?;
        counts.needs += 1;
    }
    for (line, seed) in lines::<SeedEvent>("events.jsonl", EVENTS)? {
        let err = at("events.jsonl", line);
        let id = EventId::parse(&seed.id).map_err(|m| err(Error::field("id", m)))?;
        let spec = seed.event.into_spec(&engine.event_lookup(None)).map_err(&err)?;
        engine.load_event(id, spec).map_err(&err)?;
        counts.events += 1;
    }
    engine.mark_samples_seeded()?;
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn count(text: &str) -> usize {
        text.lines().filter(|l| !l.trim().is_empty()).count()
    }

    #[test]
    fn every_seed_file_loads_through_the_same_checks_as_the_api() {
        let dir = tempfile::tempdir().unwrap();
        let (engine, _) = Engine::open(Store::open(dir.path()).unwrap(), Some("t".into())).unwrap();
        assert_eq!(load_taxonomy(&engine).unwrap(), count(TAXONOMY));
        let loaded = load_samples(&engine).unwrap();
        assert_eq!(loaded.channels, count(CHANNELS));
        assert_eq!(loaded.experts, count(EXPERTS));
        assert_eq!(loaded.needs, count(NEEDS));
        assert_eq!(loaded.events, count(EVENTS));
    }

    #[test]
    fn the_taxonomy_covers_the_base_sectors_in_depth() {
        let taxonomy = crate::engine::Taxonomy::build(concepts().unwrap()).unwrap();
        assert!(taxonomy.len() >= 300, "{} concepts", taxonomy.len());
        for root in [
            "ai",
            "ic",
            "energy",
            "biomed",
            "marine",
            "equipment",
            "materials",
            "agri",
            "tcm",
            "earth",
            "modsim",
            "env",
        ] {
            let id = crate::domain::TagId::parse(root).unwrap();
            let deepest = taxonomy
                .concepts()
                .iter()
                .filter(|c| taxonomy.is_within(&c.id, &id))
                .map(|c| taxonomy.ancestors(&c.id).len())
                .max()
                .unwrap_or(0);
            assert!(deepest >= 2, "{root} is only {deepest} levels deep");
        }
    }

    #[test]
    fn loading_the_taxonomy_twice_adds_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let (engine, _) = Engine::open(Store::open(dir.path()).unwrap(), Some("t".into())).unwrap();
        load_taxonomy(&engine).unwrap();
        assert_eq!(load_taxonomy(&engine).unwrap(), 0);
    }
}
