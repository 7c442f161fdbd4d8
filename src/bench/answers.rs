//! `bench --write-top FILE`: the engine's top k for every need of the bench's input, as JSON lines, so
//! that another tool run on the same data (`tools/baselines/numpy_scipy.py`) can be checked against it.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use serde_json::json;

use super::data::load_input;
use super::runner::DEFAULT_NEEDS;
use super::synthetic::Pool;
use crate::config::BenchArgs;
use crate::domain::Expert;
use crate::engine::matching::{MatchFilter, MatchIndex, MatchNeed, Scratch};
use crate::engine::Taxonomy;
use crate::error::{Error, Result};

/// Builds the index from the bench's input (`--data` or the synthetic pool) and writes one line per
/// need, in input order: `{"need": i, "top": [{"id", "score", "enterprise", "reverse"}, ...]}`.
pub fn write_top(args: &BenchArgs, path: &Path) -> Result<()> {
    match &args.data {
        Some(data) => {
            let (taxonomy, needs, experts) = load_input(data, args.needs)?;
            write(path, &taxonomy, &needs, experts.into_iter(), args.k)
        }
        None => {
            let taxonomy = Taxonomy::build(crate::seed::concepts()?)?;
            let pool = Pool::new(&taxonomy, args.seed)?;
            let needs = pool.needs(args.needs.unwrap_or(DEFAULT_NEEDS));
            write(path, &taxonomy, &needs, pool.experts(args.pool_size()), args.k)
        }
    }
}

fn write(
    path: &Path,
    taxonomy: &Taxonomy,
    needs: &[MatchNeed],
    experts: impl Iterator<Item = Expert>,
    k: usize,
) -> Result<()> {
    let mut index = MatchIndex::new(taxonomy);
    for e in experts {
        index.upsert(&e);
    }
    index.shrink_to_fit();
    let file = File::create(path).map_err(|e| Error::Storage(format!("cannot write {}: {e}", path.display())))?;
    let mut out = BufWriter::new(file);
    let (filter, mut scratch) = (MatchFilter::default(), Scratch::default());
    for (i, need) in needs.iter().enumerate() {
        let (matches, _) = index.top(need, &filter, k, false, &mut scratch);
        let top: Vec<_> = matches
            .iter()
            .map(|m| {
                let r = &m.ranked;
                json!({ "id": r.id, "score": r.score, "enterprise": r.enterprise, "reverse": r.reverse })
            })
            .collect();
        writeln!(out, "{}", json!({ "need": i, "top": top })).map_err(|e| Error::Storage(e.to_string()))?;
    }
    out.flush().map_err(|e| Error::Storage(e.to_string()))?;
    eprintln!(
        "bench: wrote the top {k} of {} needs to {}",
        needs.len(),
        path.display()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::reference_top;

    #[test]
    fn the_written_top_is_the_scalar_references_for_every_need() {
        let taxonomy = Taxonomy::build(crate::seed::concepts().unwrap()).unwrap();
        let pool = Pool::new(&taxonomy, 7).unwrap();
        let experts: Vec<Expert> = pool.experts(3_000).collect();
        let needs = pool.needs(12);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("top.jsonl");
        write(&path, &taxonomy, &needs, experts.clone().into_iter(), 20).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(lines.len(), needs.len());
        let mut answered = 0;
        for (i, (line, need)) in lines.iter().zip(&needs).enumerate() {
            assert_eq!(line["need"], i);
            let want = reference_top(&taxonomy, need, &experts, &MatchFilter::default(), 20);
            let top = line["top"].as_array().unwrap();
            assert_eq!(top.len(), want.len(), "need {i}");
            for (got, (id, score)) in top.iter().zip(&want) {
                assert_eq!(got["id"], id.to_string(), "need {i}");
                let s = got["score"].as_f64().unwrap();
                assert!((s - f64::from(*score)).abs() < 1e-5, "need {i}: {s} against {score}");
                assert!(got["enterprise"].as_f64().unwrap() >= s - 1e-6);
            }
            answered += usize::from(!top.is_empty());
        }
        assert!(answered >= needs.len() / 2, "only {answered} needs had matches");
    }
}
