//! One maximum-weight matching in a slot, with at most a given number of edges: the Hungarian
//! method (`kuhn_munkres`) on a dense matrix whose empty cells weigh 0.

use std::collections::BTreeMap;

use pathfinding::kuhn_munkres::kuhn_munkres;
use pathfinding::matrix::Matrix;

use super::Pair;

/// Largest total a matrix may reach before the exact method could overflow; beyond it, the
/// matching falls back to taking the heaviest edges first.
const SAFE_TOTAL: i64 = i64::MAX / 8;

/// The heaviest set of candidate pairs (entry of `pairs`, weight > 0) with no participant twice
/// and at most `limit` pairs; returns the chosen entries, by need.
pub(super) fn best_pairs(pairs: &[Pair], candidates: &[(usize, i64)], limit: usize) -> Vec<usize> {
    let mut needs = BTreeMap::new();
    let mut experts = BTreeMap::new();
    for &(id, _) in candidates {
        needs.insert(pairs[id].need, 0);
        experts.insert(pairs[id].expert, 0);
    }
    for (position, row) in needs.values_mut().enumerate() {
        *row = position;
    }
    for (position, col) in experts.values_mut().enumerate() {
        *col = position;
    }
    let mut by_cell = BTreeMap::new();
    let edges: Vec<(usize, usize, i64)> = candidates
        .iter()
        .map(|&(id, w)| {
            let cell = (needs[&pairs[id].need], experts[&pairs[id].expert]);
            by_cell.insert(cell, id);
            (cell.0, cell.1, w)
        })
        .collect();
    best_matching(needs.len(), experts.len(), &edges, limit)
        .into_iter()
        .filter_map(|cell| by_cell.get(&cell).copied())
        .collect()
}

/// The heaviest set of edges of a bipartite graph with `rows` x `cols` vertices, no vertex twice and
/// at most `limit` edges. `edges` holds distinct (row, col, weight) with weight > 0; returns the
/// chosen (row, col), by row.
pub(super) fn best_matching(
    rows: usize,
    cols: usize,
    edges: &[(usize, usize, i64)],
    limit: usize,
) -> Vec<(usize, usize)> {
    let edges: Vec<(usize, usize, i64)> = edges
        .iter()
        .copied()
        .filter(|&(r, c, w)| r < rows && c < cols && w > 0)
        .collect();
    if edges.is_empty() || limit == 0 {
        return Vec::new();
    }
    // The Hungarian method assigns every row, so rows must not outnumber columns.
    let transpose = rows > cols;
    let (small, large) = if transpose { (cols, rows) } else { (rows, cols) };
    let limit = limit.min(small);
    let heaviest = edges.iter().map(|e| e.2).max().unwrap_or(0);
    let dummy = heaviest.saturating_add(1);
    let total = i64::try_from(small).ok().and_then(|n| n.checked_mul(dummy));
    if total.is_none_or(|t| t > SAFE_TOTAL) {
        return heaviest_first(edges, limit);
    }
    // `small - limit` extra columns worth more than any edge: the best assignment fills all of them,
    // which leaves exactly `limit` rows for real columns (a cell of 0 there means unmatched).
    let extra = small - limit;
    let mut matrix = Matrix::new(small, large + extra, 0i64);
    for &(r, c, w) in &edges {
        let (r, c) = if transpose { (c, r) } else { (r, c) };
        matrix[(r, c)] = w;
    }
    for r in 0..small {
        for c in large..large + extra {
            matrix[(r, c)] = dummy;
        }
    }
    let (_, assignment) = kuhn_munkres(&matrix);
    let mut chosen: Vec<(usize, usize)> = assignment
        .into_iter()
        .enumerate()
        .filter(|&(r, c)| c < large && matrix[(r, c)] > 0)
        .map(|(r, c)| if transpose { (c, r) } else { (r, c) })
        .collect();
    chosen.sort_unstable();
    chosen
}

/// The fallback for sizes the exact method could overflow on: edges by weight, then by position.
fn heaviest_first(mut edges: Vec<(usize, usize, i64)>, limit: usize) -> Vec<(usize, usize)> {
    edges.sort_by(|a, b| b.2.cmp(&a.2).then((a.0, a.1).cmp(&(b.0, b.1))));
    let (mut row_used, mut col_used) = (std::collections::BTreeSet::new(), std::collections::BTreeSet::new());
    let mut chosen = Vec::new();
    for (r, c, _) in edges {
        if chosen.len() == limit {
            break;
        }
        if !row_used.contains(&r) && !col_used.contains(&c) {
            row_used.insert(r);
            col_used.insert(c);
            chosen.push((r, c));
        }
    }
    chosen.sort_unstable();
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_matching_is_the_heaviest_not_the_greediest() {
        // Greedy would take (0, 0) = 10 and then (1, 1) = 1; the best is 9 + 9.
        let edges = [(0, 0, 10), (0, 1, 9), (1, 0, 9), (1, 1, 1)];
        assert_eq!(best_matching(2, 2, &edges, usize::MAX), vec![(0, 1), (1, 0)]);
    }

    #[test]
    fn more_rows_than_columns_are_transposed() {
        let edges = [(0, 0, 1), (1, 0, 5), (2, 0, 3)];
        assert_eq!(best_matching(3, 1, &edges, usize::MAX), vec![(1, 0)]);
    }

    #[test]
    fn a_limit_keeps_the_heaviest_edges() {
        let edges = [(0, 0, 2), (1, 1, 7), (2, 2, 5)];
        assert_eq!(best_matching(3, 3, &edges, 2), vec![(1, 1), (2, 2)]);
        assert_eq!(best_matching(3, 3, &edges, 0), vec![]);
    }

    #[test]
    fn a_limit_may_prefer_one_heavy_edge_to_two_lighter_ones() {
        // Unlimited: 6 + 6 = 12 beats 10 + 1; limited to one edge: 10.
        let edges = [(0, 0, 10), (0, 1, 6), (1, 0, 6), (1, 1, 1)];
        assert_eq!(best_matching(2, 2, &edges, usize::MAX), vec![(0, 1), (1, 0)]);
        assert_eq!(best_matching(2, 2, &edges, 1), vec![(0, 0)]);
    }

    #[test]
    fn edges_out_of_range_or_without_weight_are_ignored() {
        let edges = [(0, 5, 3), (4, 0, 3), (0, 0, 0), (0, 0, -2)];
        assert_eq!(best_matching(1, 1, &edges, usize::MAX), vec![]);
        assert_eq!(best_matching(0, 0, &[], usize::MAX), vec![]);
    }
}
