#!/usr/bin/env python3
"""The numpy and scipy baselines of DESIGN.md section 8: the engine's matching, done the way a competent
numpy or scipy user would do it, on the same data, timed per need.

What it measures. For every need of an export, the full matching path of the engine
(`src/engine/matching/reference.rs` is the spec): per need tag the best credit over the expert's tags
(relation factor x level factor), the weighted enterprise-side fit E, the gates, the reverse fit R,
S = E * (0.7 + 0.3 R), and the top k by score descending then expert id ascending. Three layouts:

* numpy: tag-major dense rows. Per concept one row over all experts: float32 level factor of the
  expert's exact skill holding (0 when not held), uint8 rows for held sectors and for wanted
  sectors; plus dense per-expert columns (eligibility mask, engagement-mode, language and wanted
  need-type bitmasks, hours, whether any sector is wanted, rank of the expert id).
* scipy: the same exact holdings as `scipy.sparse.csr_array` with concepts as rows and experts as
  columns (a concept's holders are one contiguous slice, which is what a need reads; experts x
  concepts would need a column scan), plus the same dense columns. scipy has no max-times product,
  so a need tag's credit is scattered from the CSR slices of its related concepts into a dense
  array (indices are unique within a row, so a gather-max-scatter per row is exact).
* credit: the credit itself precomputed, independent of any need. Per concept t one dense float32
  row over all experts holding the credit an expert earns on a need tag equal to t (the best over
  the expert's tags of relation factor x level factor: exact, narrower at any depth, broader up to
  two levels, sibling): a concepts x experts matrix for skills (every concept, as a need's skill
  tag may be any concept), and one for sectors and one for wanted sectors (the reverse fit's sector
  part) over the sector concepts, the only ones a need's sectors may name; plus per concept a
  boolean row of who holds it exactly or narrower (the must-have gate). All-zero rows are not
  stored. Per need: the gates first on dense columns and must-have rows, then the weighted sum of
  the need tags' rows, gathered at the survivors when few survive (under CreditRows.DENSE_SHARE),
  else over whole rows with E > 0 joining the gates; then the same reverse fit and top k. About
  (467 x 4 + 2 x 52 x 4 + 467) bytes = 2.8 kB per expert with the shipped taxonomy.

Not timed: parsing the export, building the taxonomy relations and the layouts, and per need the
relation lists of its tags (which concepts relate to each need tag, with which factor, and the
must-have rows), which depend on the taxonomy only, never on the experts. The credit layout's
precomputed rows are part of its build (build_s), not of the timing. Timed (time.perf_counter),
per need: everything from the rows to the sorted top k. All arithmetic is float32 in the engine's
order of operations, so scores should equal the engine's bit for bit.

How to run it (from the repository root):

    talentbridge bench --experts 100000 --needs 200 --write-export pool.jsonl
    talentbridge bench --data pool.jsonl --write-top top.jsonl
    pip install numpy scipy
    python3 tools/baselines/numpy_scipy.py pool.jsonl --runs 5 --check top.jsonl

Options: --needs N (first N needs), --k 20, --runs 5 (timed passes after one untimed warm-up pass),
--check TOP.jsonl (compare with the engine's answers), --layout numpy|scipy|credit|both|all (both =
numpy and scipy, the default; all = the three, built and timed one after the other in one process, so
they are compared under the same machine load; each is freed before the next is built). Prints one
JSON object on stdout (per layout: build time, bytes of the layout, the resident set size before and
after its build, per-need times); progress goes to stderr.
"""

import argparse
import array
import json
import os
import platform
import sys
import time

import numpy as np
import scipy
import scipy.sparse as sp

F32 = np.float32

# src/engine/matching/formula.rs
NARROWER_BASE, NARROWER_DECAY = F32(0.8), F32(0.85)
BROADER_BASE, BROADER_DECAY, BROADER_MAX_LEVELS = F32(0.6), F32(0.75), 2
SIBLING = F32(0.35)
SECTOR_WEIGHT = F32(1.0)
ENTERPRISE_SHARE = F32(0.7)
REVERSE_SHARE = F32(1.0) - ENTERPRISE_SHARE  # (1.0 - ENTERPRISE_SHARE) in f32, as the Rust constant folds it
UNKNOWN_PREFERENCE = F32(0.5)
MIN_SKILLS = 2

# src/domain/vocab.rs
MODES = ["remote", "part_time", "consulting", "joint_research", "tech_transfer", "relocation"]
NEED_TYPES = ["joint_research", "tech_transfer", "talent_introduction", "consulting", "training"]
MODE_BIT = {m: 1 << i for i, m in enumerate(MODES)}
TYPE_BIT = {t: 1 << i for i, t in enumerate(NEED_TYPES)}


def powi(a, b):
    """f32::powi as compiler-rt's __powisf2 computes it (square and multiply, in float32)."""
    a, r = F32(a), F32(1.0)
    while True:
        if b & 1:
            r = F32(r * a)
        b //= 2
        if b == 0:
            return r
        a = F32(a * a)


def narrower(d):
    return F32(NARROWER_BASE * powi(NARROWER_DECAY, d - 1))


def broader(d):
    return F32(BROADER_BASE * powi(BROADER_DECAY, d - 1)) if 1 <= d <= BROADER_MAX_LEVELS else F32(0.0)


def level_factor(level):
    return F32(0.5) + F32(0.125) * (F32(min(max(level, 1), 5)) - F32(1.0))


# ---------------------------------------------------------------------------------------------------
# Taxonomy: concepts numbered in id order, and per concept the relation groups of relation.rs.


class Taxonomy:
    def __init__(self, concepts):
        concepts = sorted(concepts, key=lambda c: c["id"])
        self.ids = [c["id"] for c in concepts]
        self.kind = [c.get("kind") for c in concepts]
        self.num = {t: i for i, t in enumerate(self.ids)}
        self.parent = [self.num.get(c["parent"]) if c.get("parent") is not None else None for c in concepts]
        self.children = [[] for _ in self.ids]
        for i, p in enumerate(self.parent):
            if p is not None:
                self.children[p].append(i)
        self._groups = {}

    def __len__(self):
        return len(self.ids)

    def ancestors(self, n):
        out, at = [], self.parent[n]
        while at is not None:
            out.append(at)
            at = self.parent[at]
        return out

    def descendants(self, n):
        """(concept, distance) of every concept under n."""
        out, frontier, d = [], [n], 0
        while frontier:
            d += 1
            frontier = [c for f in frontier for c in self.children[f]]
            out.extend((c, d) for c in frontier)
        return out

    def groups(self, n):
        """The concepts whose holders earn credit for need tag n, as [(factor, [concepts])], one group
        per factor: exact, narrower by distance, broader up to two levels, siblings (relation::relate;
        each concept relates to n in one way only)."""
        if n in self._groups:
            return self._groups[n]
        by_factor = {}

        def add(f, c):
            if f > 0:
                by_factor.setdefault(float(f), (f, []))[1].append(c)

        add(F32(1.0), n)
        for c, d in self.descendants(n):
            add(narrower(d), c)
        for d, a in enumerate(self.ancestors(n), start=1):
            add(broader(d), a)
        p = self.parent[n]
        if p is not None:
            for s in self.children[p]:
                if s != n:
                    add(SIBLING, s)
        out = [(f, np.array(cs, dtype=np.int64)) for f, cs in by_factor.values()]
        self._groups[n] = out
        return out

    def within(self, n):
        """n and every concept under it: an expert holding one of these holds n (gates::holds)."""
        return np.array([n] + [c for c, _ in self.descendants(n)], dtype=np.int64)


# ---------------------------------------------------------------------------------------------------
# Loading (not timed).


class Experts:
    """The per-expert data, parsed once, as flat arrays: triplets of holdings and dense columns."""


def load_export(path, max_needs=None):
    concepts, needs_raw = [], []
    ex = Experts()
    ex.ids, ex.eligible, ex.modes, ex.langs, ex.hours, ex.pref_types, ex.has_pref = [], [], [], [], [], [], []
    raw = {f: (array.array("i"), array.array("i"), array.array("f")) for f in ("skill", "sector", "wanted")}
    lang_bit = {}
    unknown = {"expert_tags": 0, "need_tags": 0}
    tax = None
    with open(path, "rb") as fh:
        for line in fh:
            if not line.strip():
                continue
            rec = json.loads(line)
            kind = rec.get("kind")
            if kind == "concept":
                concepts.append(rec["record"])
                tax = None
            elif kind == "expert":
                if tax is None:
                    tax = Taxonomy(concepts)
                e = rec["record"]
                p = e["profile"]
                i = len(ex.ids)
                ex.ids.append(e["id"])
                consent = e.get("consent") or {}
                ex.eligible.append(
                    e["status"] == "active" and consent.get("withdrawn_at") is None and len(p["skills"]) >= MIN_SKILLS
                )
                ex.modes.append(sum(MODE_BIT[m] for m in set(p["engagement_modes"])))
                bits = 0
                for lang in p["languages"]:
                    bits |= 1 << lang_bit.setdefault(lang["code"], len(lang_bit))
                ex.langs.append(bits)
                ex.hours.append(p["hours_per_month"])
                ex.pref_types.append(sum(TYPE_BIT[t] for t in set(p["preferences"]["need_types"])))
                ex.has_pref.append(len(p["preferences"]["sectors"]) > 0)
                for facet, items in (
                    ("skill", [(s["tag"], level_factor(s["level"])) for s in p["skills"]]),
                    ("sector", [(t, 1.0) for t in p["sectors"]]),
                    ("wanted", [(t, 1.0) for t in p["preferences"]["sectors"]]),
                ):
                    cs, es, vs = raw[facet]
                    for tag, v in items:
                        n = tax.num.get(tag)
                        if n is None:  # the index leaves unknown tags out; the reference would not
                            unknown["expert_tags"] += 1
                            continue
                        cs.append(n)
                        es.append(i)
                        vs.append(v)
            elif kind == "need":
                if max_needs is None or len(needs_raw) < max_needs:
                    needs_raw.append(rec["record"]["spec"])
    if tax is None:
        tax = Taxonomy(concepts)
    if len(lang_bit) > 63:
        sys.exit("more than 63 languages: widen the language bitmask")
    n = len(ex.ids)
    ex.n = n
    ex.eligible = np.array(ex.eligible, dtype=bool)
    ex.modes = np.array(ex.modes, dtype=np.uint8)
    ex.langs = np.array(ex.langs, dtype=np.uint64)
    ex.hours = np.array(ex.hours, dtype=F32)
    ex.pref_types = np.array(ex.pref_types, dtype=np.uint8)
    ex.has_pref = np.array(ex.has_pref, dtype=bool)
    # Ties rank by ascending expert id (a UUID: byte order = order of the lowercase hex text).
    id_arr = np.array([s.lower() for s in ex.ids])
    ex.id_rank = np.empty(n, dtype=np.int64)
    ex.id_rank[np.argsort(id_arr, kind="stable")] = np.arange(n)
    ex.triplets = {}
    for facet, (cs, es, vs) in raw.items():
        c = np.frombuffer(cs, dtype=np.int32).astype(np.int64)
        e = np.frombuffer(es, dtype=np.int32).astype(np.int64)
        v = np.frombuffer(vs, dtype=F32).copy()
        # One holding per (concept, expert): the best level, as the index merges duplicates.
        order = np.lexsort((v, e, c))
        c, e, v = c[order], e[order], v[order]
        last = np.ones(len(c), dtype=bool)
        if len(c) > 1:
            last[:-1] = (c[1:] != c[:-1]) | (e[1:] != e[:-1])
        ex.triplets[facet] = (c[last], e[last], v[last])
    needs = [prepare_need(tax, s, lang_bit, unknown) for s in needs_raw]
    return tax, ex, needs, unknown


def prepare_need(tax, spec, lang_bit, unknown):
    """What a need asks, in concept numbers and lookup tables. Depends on the taxonomy only (and the
    language numbering), never on the experts, so it is done before the timing."""
    # skills/sectors/must: relation groups (numpy, scipy); *_tags: concept numbers (credit; None = unknown).
    need = {"skills": [], "sectors": [], "must": [], "skill_tags": [], "sector_tags": [], "must_tags": []}
    total = F32(0.0)
    for s in spec["skills"]:
        total = F32(total + F32(s["weight"]))
    total = F32(total + F32(SECTOR_WEIGHT * F32(len(spec["sectors"]))))
    need["total"] = total
    for s in spec["skills"]:
        n = tax.num.get(s["tag"])
        if n is None:
            unknown["need_tags"] += 1
        groups = tax.groups(n) if n is not None else []
        need["skills"].append((F32(s["weight"]), groups))
        need["skill_tags"].append((F32(s["weight"]), n))
        if s["must_have"]:
            need["must"].append(tax.within(n) if n is not None else np.array([], dtype=np.int64))
            need["must_tags"].append(n)
    best = {}  # reverse fit: best relation factor of each concept to any need sector
    for t in spec["sectors"]:
        n = tax.num.get(t)
        if n is None:
            unknown["need_tags"] += 1
        groups = tax.groups(n) if n is not None else []
        need["sectors"].append(groups)
        need["sector_tags"].append(n)
        for f, cs in groups:
            for c in cs:
                best[int(c)] = max(best.get(int(c), F32(0.0)), f)
    by_factor = {}
    for c, f in best.items():
        by_factor.setdefault(float(f), (f, []))[1].append(c)
    need["pref_groups"] = [(f, np.array(sorted(cs), dtype=np.int64)) for f, cs in by_factor.values()]
    need["has_sectors"] = len(spec["sectors"]) > 0
    modes = spec["engagement_modes"]
    need["mode_mask"] = np.uint8(sum(MODE_BIT[m] for m in set(modes)))
    # Share of the need's modes (duplicates counted as the reference counts them) per mode bitmask.
    table = np.zeros(64, dtype=F32)
    for mask in range(64):
        common = sum(1 for m in modes if mask & MODE_BIT[m])
        table[mask] = F32(common) / F32(len(modes)) if modes else F32(0.0)
    need["mode_fit"] = table
    tt = np.empty(32, dtype=F32)
    bit = TYPE_BIT[spec["need_type"]]
    for mask in range(32):
        tt[mask] = UNKNOWN_PREFERENCE if mask == 0 else (F32(1.0) if mask & bit else F32(0.0))
    need["type_fit"] = tt
    req, impossible = 0, False
    for lang in spec["languages"]:
        if lang in lang_bit:
            req |= 1 << lang_bit[lang]
        else:
            impossible = True  # nobody speaks it: everyone is gated
    need["lang_req"] = np.uint64(req)
    need["lang_impossible"] = impossible
    h = spec.get("hours_per_month")
    need["hours"] = None if h in (None, 0) else F32(h)
    return need


# ---------------------------------------------------------------------------------------------------
# The two layouts: how to read a need tag's credit and the must-have holders from each.


class NumpyRows:
    """Tag-major dense rows: concepts x experts, one contiguous row per concept."""

    name = "numpy"

    def __init__(self, tax, ex):
        c_n, n = len(tax), ex.n
        self.n = n
        self.rows, self.held, self.best = {}, {}, {}
        for facet, dtype in (("skill", F32), ("sector", np.uint8), ("wanted", np.uint8)):
            m = np.zeros((c_n, n), dtype=dtype)
            c, e, v = ex.triplets[facet]
            m[c, e] = v.astype(dtype)
            self.rows[facet] = m
            # Which rows hold anything: an all-zero row adds nothing and is not read.
            self.held[facet] = np.zeros(c_n, dtype=bool)
            self.held[facet][c] = True
            self.best[facet] = np.empty(n, dtype=dtype)
        self.tmp = np.empty(n, dtype=F32)
        self.bytes = sum(m.nbytes for m in self.rows.values())

    def credit(self, facet, groups, out):
        """Writes into `out` the credit of one need tag for every expert: per relation group the
        max over its rows, times the group's factor (f x max == max of f x level: rounding is
        monotone), max over groups. Returns None when no related row holds anything."""
        m, held, first = self.rows[facet], self.held[facet], True
        for f, cs in groups:
            cs = cs[held[cs]]
            if len(cs) == 0:
                continue
            if len(cs) == 1:
                best = m[cs[0]]
            else:
                best = np.maximum(m[cs[0]], m[cs[1]], out=self.best[facet])
                for c in cs[2:]:
                    np.maximum(best, m[c], out=best)
            if first:
                np.multiply(best, f, out=out)
                first = False
            else:
                np.multiply(best, f, out=self.tmp)
                np.maximum(out, self.tmp, out=out)
        return None if first else out

    def holds(self, cs, out):
        """Writes into `out` whether each expert holds one of the skills `cs` exactly."""
        m = self.rows["skill"]
        out[:] = False
        for c in cs[self.held["skill"][cs]]:
            out |= m[c] > 0
        return out


class ScipyCsr:
    """The same holdings as CSR, concepts x experts (a concept's holders are one slice of indices)."""

    name = "scipy"

    def __init__(self, tax, ex):
        c_n, n = len(tax), ex.n
        self.n = n
        self.mats = {}
        for facet in ("skill", "sector", "wanted"):
            c, e, v = ex.triplets[facet]
            # Triplets are unique and sorted by (concept, expert): canonical CSR.
            self.mats[facet] = sp.csr_array((v.astype(F32), (c, e)), shape=(c_n, n))
        self.bytes = sum(m.data.nbytes + m.indices.nbytes + m.indptr.nbytes for m in self.mats.values())

    def credit(self, facet, groups, out):
        """As NumpyRows.credit, scattering each related row's slice (experts unique within a row,
        so a gather, max and scatter per row is exact)."""
        m = self.mats[facet]
        indptr, indices, data = m.indptr, m.indices, m.data
        first = True
        for f, cs in groups:
            for c in cs:
                a, b = indptr[c], indptr[c + 1]
                if a == b:
                    continue
                if first:
                    out[:] = 0
                    first = False
                idx = indices[a:b]
                out[idx] = np.maximum(out[idx], data[a:b] * f)
        return None if first else out

    def holds(self, cs, out):
        m = self.mats["skill"]
        out[:] = False
        for c in cs:
            out[m.indices[m.indptr[c] : m.indptr[c + 1]]] = True
        return out


class CreditRows:
    """Precomputed credit: per concept t one dense float32 row over all experts holding the credit an
    expert earns on a need tag equal to t (the best, over the expert's tags, of relation factor x
    level factor), for skills, sectors and wanted sectors (the reverse fit's sector part), plus per
    concept a boolean row of who holds it exactly or narrower (the must-have gate). Independent of
    any need. A need's skill tag may be any concept (need_input.rs looks it up with no kind), its
    sectors only sector concepts, so skill and must-have rows exist for every concept, sector and
    wanted rows for the sector concepts. Only rows that are not all zero are stored: row[t] = -1 when
    t's row would be all zero, -2 when it was not built (a need naming it is refused).

    Per need: the gates first, on dense columns and must-have rows; then the need tags' rows on the
    survivors only (a gather of each row at the candidates, or the full rows and one gather at the
    end when most experts survive), weighted and summed in the reference's order."""

    name = "credit"
    # Above this share of candidates, whole rows are cheaper than gathers.
    DENSE_SHARE = 0.2

    def __init__(self, tax, ex):
        c_n, n = len(tax), ex.n
        self.n = n
        self.mats, self.row = {}, {}
        sectors = [t for t in range(c_n) if tax.kind[t] == "sector"]
        for facet, tags in (("skill", range(c_n)), ("sector", sectors), ("wanted", sectors)):
            self.mats[facet], self.row[facet] = self._credit_rows(tax, n, tags, *ex.triplets[facet])
        self.within, self.row["within"] = self._within_rows(tax, n, *ex.triplets["skill"])
        self.bytes = sum(m.nbytes for m in self.mats.values()) + self.within.nbytes
        self.stored_rows = {f: int(m.shape[0]) for f, m in self.mats.items()}
        self.stored_rows["within"] = int(self.within.shape[0])
        # Dense columns in fewer bytes (the rows are read from memory at its bandwidth): the engagement
        # modes zeroed for ineligible experts (one test for both gates), the language bitmask in the
        # narrowest unsigned type that holds it.
        self.modes_ok = np.where(ex.eligible, ex.modes, 0).astype(np.uint8)
        bits = int(ex.langs.max()).bit_length() if n else 0
        self.lang_t = next(t for t in (np.uint8, np.uint16, np.uint32, np.uint64) if bits <= np.iinfo(t).bits)
        self.langs = ex.langs.astype(self.lang_t)
        self.bytes += self.modes_ok.nbytes + self.langs.nbytes
        # Scratch columns, reused by every need.
        self.ok, self.ok2 = np.empty(n, dtype=bool), np.empty(n, dtype=bool)
        self.u8, self.ul = np.empty(n, dtype=np.uint8), np.empty(n, dtype=self.lang_t)
        self.acc, self.tmp = np.empty(n, dtype=F32), np.empty(n, dtype=F32)

    @staticmethod
    def _slices(c_n, c):
        return np.searchsorted(c, np.arange(c_n + 1))

    def _credit_rows(self, tax, n, tags, c, e, v):
        c_n = len(tax)
        ptr = self._slices(c_n, c)
        held = ptr[1:] > ptr[:-1]
        live = [t for t in tags if any(held[cs].any() for _, cs in tax.groups(t))]
        row = np.full(c_n, -2, dtype=np.int64)
        row[list(tags)] = -1
        row[live] = np.arange(len(live))
        m = np.zeros((len(live), n), dtype=F32)
        for t in live:
            out = m[row[t]]
            for f, cs in tax.groups(t):
                for h in cs[held[cs]]:
                    # Holders of h are unique within its slice: gather, max, scatter is exact, and
                    # f x level rounds as the reference's rel.factor() * level does.
                    idx = e[ptr[h] : ptr[h + 1]]
                    out[idx] = np.maximum(out[idx], v[ptr[h] : ptr[h + 1]].astype(F32) * f)
        return m, row

    def _within_rows(self, tax, n, c, e, v):
        c_n = len(tax)
        ptr = self._slices(c_n, c)
        held = ptr[1:] > ptr[:-1]
        live = [t for t in range(c_n) if held[tax.within(t)].any()]
        row = np.full(c_n, -1, dtype=np.int64)
        row[live] = np.arange(len(live))
        m = np.zeros((len(live), n), dtype=bool)
        for t in live:
            out = m[row[t]]
            for h in tax.within(t):
                out[e[ptr[h] : ptr[h + 1]]] = True
        return m, row

    def match(self, ex, need, k):
        n = self.n
        # Gates on dense columns: eligible (active, consent, two skills), a common engagement mode,
        # every required language, the must-haves held exactly or narrower.
        ok = self.ok
        np.bitwise_and(self.modes_ok, need["mode_mask"], out=self.u8)
        np.not_equal(self.u8, 0, out=ok)
        if need["lang_impossible"]:
            ok[:] = False
        elif need["lang_req"]:
            req = self.lang_t(need["lang_req"])  # a known language's bit is held by some expert
            np.bitwise_and(self.langs, req, out=self.ul)
            np.equal(self.ul, req, out=self.ok2)
            np.logical_and(ok, self.ok2, out=ok)
        wrow = self.row["within"]
        for t in need["must_tags"]:
            r = -1 if t is None else wrow[t]
            if r < 0:
                ok[:] = False  # nobody holds it
                break
            np.logical_and(ok, self.within[r], out=ok)
        # Σ w·credit in the reference's order (skills, then sectors). A tag nobody meets adds +0, the
        # first term is 0 + w·credit = w·credit, and w·credit = credit when w = 1 (the sector weight,
        # and a skill weight of 1): those terms are left out or not multiplied, exactly.
        terms = []
        srow, mat = self.row["skill"], self.mats["skill"]
        for w, t in need["skill_tags"]:
            if t is not None and srow[t] >= 0:
                terms.append((mat[srow[t]], w))
        srow, mat = self.row["sector"], self.mats["sector"]
        for t in need["sector_tags"]:
            if t is not None and srow[t] >= 0:
                terms.append((mat[srow[t]], SECTOR_WEIGHT))
            elif t is not None and srow[t] == -2:
                raise ValueError(f"need sector {t} is not a sector concept (the engine refuses such needs)")
        total = need["total"]
        if not terms or not total > 0:
            cand = np.empty(0, dtype=np.int64)  # E = 0 for everyone: the no-overlap gate
            acc = np.empty(0, dtype=F32)
        elif np.count_nonzero(ok) > self.DENSE_SHARE * n:
            # Most experts pass the gates: whole rows, then E > 0 joins the gates, and one gather.
            acc, tmp = self.acc, self.tmp
            x, w = terms[0]
            np.multiply(x, w, out=acc)
            for x, w in terms[1:]:
                if w != 1:
                    x = np.multiply(x, w, out=tmp)
                np.add(acc, x, out=acc)
            np.greater(acc, 0, out=self.ok2)
            np.logical_and(ok, self.ok2, out=ok)
            cand = np.flatnonzero(ok)
            acc = acc.take(cand)
        else:
            # Few pass: gather each row at the candidates only.
            cand = np.flatnonzero(ok)
            m = len(cand)
            acc, tmp = np.empty(m, dtype=F32), np.empty(m, dtype=F32)
            x, w = terms[0]
            np.take(x, cand, out=acc, mode="clip")  # in range: clip is only the unbuffered mode
            if w != 1:
                np.multiply(acc, w, out=acc)
            for x, w in terms[1:]:
                np.take(x, cand, out=tmp, mode="clip")
                if w != 1:
                    np.multiply(tmp, w, out=tmp)
                np.add(acc, tmp, out=acc)
        enterprise = np.divide(acc, total, out=acc) if len(acc) else acc
        keep = enterprise > 0  # the last gate: some overlap (already applied on the dense path)
        if not keep.all():
            keep = np.flatnonzero(keep)
            cand, enterprise = cand[keep], enterprise[keep]
        e = enterprise
        w_c = None
        if need["has_sectors"]:
            wrow, mat = self.row["wanted"], self.mats["wanted"]
            for t in need["sector_tags"]:
                if t is not None and wrow[t] >= 0:
                    x = mat[wrow[t]].take(cand)
                    w_c = x if w_c is None else np.maximum(w_c, x, out=w_c)
        return reverse_and_top(ex, need, k, cand, e, w_c)


# ---------------------------------------------------------------------------------------------------
# One need (timed), numpy and scipy layouts: only the row reads differ. All three share the tail.


def match(layout, ex, need, k):
    n = ex.n
    credit, tmp = np.empty(n, dtype=F32), np.empty(n, dtype=F32)
    acc = np.zeros(n, dtype=F32)
    # Σ w·credit in the reference's order (skills, then sectors); a tag nobody meets adds +0.
    for w, groups in need["skills"]:
        if layout.credit("skill", groups, credit) is not None:
            acc += np.multiply(credit, w, out=tmp)
    for groups in need["sectors"]:
        if layout.credit("sector", groups, credit) is not None:
            acc += np.multiply(credit, SECTOR_WEIGHT, out=tmp)
    total = need["total"]
    enterprise = np.divide(acc, total, out=acc) if total > 0 else np.zeros(n, dtype=F32)
    # Gates: not active / no consent / fewer than two skills (one precomputed mask), a common
    # engagement mode, every required language, must-haves held exactly or narrower, then E > 0.
    ok = enterprise > 0
    ok &= ex.eligible
    ok &= (ex.modes & need["mode_mask"]) != 0
    if need["lang_impossible"]:
        ok[:] = False
    elif need["lang_req"]:
        ok &= (ex.langs & need["lang_req"]) == need["lang_req"]
    if need["must"]:
        held = np.empty(n, dtype=bool)
        for cs in need["must"]:
            ok &= layout.holds(cs, held)
    cand = np.flatnonzero(ok)
    e = enterprise[cand]
    wanted = layout.credit("wanted", need["pref_groups"], credit) if need["has_sectors"] else None
    w_c = wanted[cand] if wanted is not None else None
    return reverse_and_top(ex, need, k, cand, e, w_c)


def reverse_and_top(ex, need, k, cand, e, w_c):
    """Shared by every layout: the reverse fit and the score of the candidates `cand` (which passed
    every gate; `e` their enterprise-side fit, `w_c` their credit on the need's sectors against the
    sectors they want, None when it is 0 for all), then the top k."""
    # Reverse fit, on the candidates only.
    r_type = need["type_fit"][ex.pref_types[cand]]
    if not need["has_sectors"]:
        r_sect = np.full(len(cand), UNKNOWN_PREFERENCE, dtype=F32)
    else:
        if w_c is None:
            w_c = np.zeros(len(cand), dtype=F32)
        r_sect = np.where(ex.has_pref[cand], w_c, UNKNOWN_PREFERENCE).astype(F32)
    r_mode = need["mode_fit"][ex.modes[cand]]
    if need["hours"] is None:
        r_hours = np.ones(len(cand), dtype=F32)
    else:
        r_hours = np.minimum(ex.hours[cand] / need["hours"], F32(1.0))
    reverse = (((r_type + r_sect) + r_mode) + r_hours) / F32(4.0)
    score = e * (ENTERPRISE_SHARE + REVERSE_SHARE * reverse)
    # Top k: argpartition for the k-th best score, keep every tie of it, then the exact order.
    if len(cand) > k:
        kth = score[np.argpartition(score, len(score) - k)[len(score) - k]]
        keep = np.flatnonzero(score >= kth)
    else:
        keep = np.arange(len(cand))
    order = keep[np.lexsort((ex.id_rank[cand[keep]], -score[keep]))][:k]
    return cand[order], score[order], e[order], reverse[order]


# ---------------------------------------------------------------------------------------------------
# Running, timing, checking.


def percentile(xs, q):
    return float(np.percentile(np.array(xs), q)) if xs else None


def rss_mb():
    """The resident set size of this process now, in MB (Linux)."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6
    except OSError:
        return None


def run_layout(layout, ex, needs, k, runs):
    if hasattr(layout, "match"):
        match_one = layout.match
    else:
        def match_one(ex, need, k):
            return match(layout, ex, need, k)
    for need in needs:  # warm-up, untimed
        match_one(ex, need, k)
    times = []
    answers = None
    for _ in range(runs):
        current = []
        for need in needs:
            t0 = time.perf_counter()
            top = match_one(ex, need, k)
            times.append((time.perf_counter() - t0) * 1e3)
            current.append(top)
        answers = current
    return times, answers


def check(answers, ex, path):
    engine = []
    with open(path) as fh:
        for line in fh:
            if line.strip():
                engine.append(json.loads(line))
    engine.sort(key=lambda r: r["need"])
    same_order = same_set = 0
    max_score = max_enterprise = max_reverse = 0.0
    disagreements = []
    for i, (idx, score, ent, rev) in enumerate(answers):
        if i >= len(engine):
            break
        theirs = engine[i]["top"]
        ours = [ex.ids[j] for j in idx]
        their_ids = [t["id"] for t in theirs]
        n = min(len(ours), len(theirs))
        d_score = max((abs(float(score[j]) - theirs[j]["score"]) for j in range(n)), default=0.0)
        by_id = {t["id"]: t for t in theirs}
        d_ent = max((abs(float(ent[j]) - by_id[o]["enterprise"]) for j, o in enumerate(ours) if o in by_id), default=0.0)
        d_rev = max((abs(float(rev[j]) - by_id[o]["reverse"]) for j, o in enumerate(ours) if o in by_id), default=0.0)
        max_score, max_enterprise, max_reverse = max(max_score, d_score), max(max_enterprise, d_ent), max(max_reverse, d_rev)
        if ours == their_ids:
            same_order += 1
        if set(ours) == set(their_ids):
            same_set += 1
        # Differences that are not explained by orders among scores within 1e-5 of each other.
        ties_only = len(ours) == len(theirs) and d_score <= 1e-5
        if (set(ours) != set(their_ids) or ours != their_ids) and len(disagreements) < 5:
            disagreements.append(
                {
                    "need": i,
                    "ties_within_1e-5_only": ties_only,
                    "only_ours": [
                        {"id": ex.ids[j], "score": float(s), "enterprise": float(e), "reverse": float(r)}
                        for j, s, e, r in zip(idx, score, ent, rev)
                        if ex.ids[j] not in by_id
                    ],
                    "only_engine": [t for t in theirs if t["id"] not in set(ours)],
                    "ours": [[ex.ids[j], float(s)] for j, s in zip(idx, score)],
                    "engine": [[t["id"], t["score"]] for t in theirs],
                }
            )
    return {
        "needs_compared": min(len(answers), len(engine)),
        "needs_same_ids_same_order": same_order,
        "needs_same_id_sets": same_set,
        "max_abs_score_diff_by_rank": max_score,
        "max_abs_enterprise_diff_same_id": max_enterprise,
        "max_abs_reverse_diff_same_id": max_reverse,
        "first_disagreements": disagreements,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("export", help="export in JSON lines (talentbridge bench --write-export)")
    ap.add_argument("--needs", type=int, default=None, help="only the first N needs")
    ap.add_argument("--k", type=int, default=20)
    ap.add_argument("--runs", type=int, default=5, help="timed passes over every need")
    ap.add_argument("--check", help="the engine's answers (talentbridge bench --data EXPORT --write-top FILE)")
    ap.add_argument(
        "--layout",
        choices=["numpy", "scipy", "credit", "both", "all"],
        default="both",
        help="both = numpy and scipy; all = numpy, scipy and credit",
    )
    args = ap.parse_args()

    t0 = time.perf_counter()
    tax, ex, needs, unknown = load_export(args.export, args.needs)
    parse_s = time.perf_counter() - t0
    print(f"parsed {ex.n} experts, {len(needs)} needs, {len(tax)} concepts in {parse_s:.1f} s", file=sys.stderr)
    out = {
        "export": os.path.abspath(args.export),
        "experts": ex.n,
        "needs": len(needs),
        "concepts": len(tax),
        "k": args.k,
        "runs": args.runs,
        "parse_s": round(parse_s, 2),
        "unknown_tags": unknown,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "layouts": {},
    }
    kinds = {"both": ["numpy", "scipy"], "all": ["numpy", "scipy", "credit"]}.get(args.layout, [args.layout])
    build = {"numpy": NumpyRows, "scipy": ScipyCsr, "credit": CreditRows}
    for kind in kinds:
        rss0 = rss_mb()
        t0 = time.perf_counter()
        layout = build[kind](tax, ex)
        build_s = time.perf_counter() - t0
        rss1 = rss_mb()
        print(f"{kind}: built in {build_s:.1f} s, {layout.bytes / 1e6:.0f} MB; timing", file=sys.stderr)
        times, answers = run_layout(layout, ex, needs, args.k, args.runs)
        res = {
            "load_s": round(parse_s + build_s, 2),
            "build_s": round(build_s, 2),
            "layout_mb": round(layout.bytes / 1e6, 1),
            "rss_mb_before_build": round(rss0, 1) if rss0 is not None else None,
            "rss_mb_after_build": round(rss1, 1) if rss1 is not None else None,
            "per_need_ms": {
                "median": round(percentile(times, 50), 4),
                "p95": round(percentile(times, 95), 4),
                "mean": round(float(np.mean(times)), 4),
                "min": round(min(times), 4),
                "max": round(max(times), 4),
                "samples": len(times),
            },
        }
        if hasattr(layout, "stored_rows"):
            res["stored_rows"] = layout.stored_rows
        if args.check:
            res["check"] = check(answers, ex, args.check)
        out["layouts"][kind] = res
        print(f"{kind}: median {res['per_need_ms']['median']:.3f} ms", file=sys.stderr)
        del layout
    json.dump(out, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
