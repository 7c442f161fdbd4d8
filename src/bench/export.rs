//! Writes the synthetic pool in the export format, so that the real `import` and `serve` can be
//! timed on it (cold start with a million experts in sled).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use chrono::Utc;

use super::synthetic::Pool;
use crate::domain::{Enterprise, EnterpriseContact, Need, NeedId, NeedSpec, NeedStatus, Text, Urgency};
use crate::engine::matching::MatchNeed;
use crate::engine::Taxonomy;
use crate::error::{Error, Result};
use crate::store::DumpRecord;

fn text(s: &str) -> Result<Text> {
    Text::parse(s, 0, 200).map_err(Error::Internal)
}

fn need_record(i: usize, need: MatchNeed) -> Result<Need> {
    let spec = NeedSpec {
        enterprise: Enterprise {
            name: text(&format!("Synthetic enterprise {i}"))?,
            zone: text("Nansha")?,
            contact: EnterpriseContact::default(),
        },
        title: text(&format!("Synthetic need {i}"))?,
        description: text("")?,
        need_type: need.need_type,
        skills: need.skills,
        sectors: need.sectors,
        engagement_modes: need.engagement_modes,
        languages: need.languages,
        urgency: Urgency::Medium,
        deadline: None,
        hours_per_month: need.hours_per_month,
        indicators: Vec::new(),
    };
    Ok(Need::create(NeedId::generate(), spec, NeedStatus::Open, Utc::now()))
}

/// Writes the seed taxonomy, `experts` synthetic experts and `needs` needs as JSON lines to `path`.
pub fn write_export(path: &Path, experts: usize, needs: usize, seed: u64) -> Result<()> {
    let concepts = crate::seed::concepts()?;
    let taxonomy = Taxonomy::build(concepts.clone())?;
    let pool = Pool::new(&taxonomy, seed)?;
    let file = File::create(path).map_err(|e| Error::Storage(format!("cannot write {}: {e}", path.display())))?;
    let mut out = BufWriter::new(file);
    let mut line = |record: DumpRecord| -> Result<()> {
        let json = serde_json::to_string(&record).map_err(|e| Error::Internal(e.to_string()))?;
        writeln!(out, "{json}").map_err(|e| Error::Storage(e.to_string()))
    };
    for record in concepts {
        line(DumpRecord::Concept { record })?;
    }
    for record in pool.experts(experts) {
        line(DumpRecord::Expert {
            record,
            token_sha256_hex: None,
        })?;
    }
    for (i, need) in pool.needs(needs).into_iter().enumerate() {
        line(DumpRecord::Need {
            record: need_record(i, need)?,
        })?;
    }
    out.flush().map_err(|e| Error::Storage(e.to_string()))?;
    eprintln!("bench: wrote {experts} experts and {needs} needs to {}", path.display());
    Ok(())
}
