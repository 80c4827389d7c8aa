"""The mirrors facet: predicted qm:mirrors links between blocks against the gold lists
(with wildcards), and whether each link carries its MirrorLink evidence.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from rdflib.namespace import RDF
from rdflib.term import Node

from qmgraph.evaluate.facets import _block_kind, _codes
from qmgraph.evaluate.graph import Q, _Doc, _Index
from qmgraph.evaluate.normalize import normalize
from qmgraph.evaluate.report import FacetScore, _Tally

# ---------------------------------------------------------------- mirrors

_Block = tuple[str, str, str]  # (doc key, normalized block name, blockKind)


def _side_matches(spec: dict[str, Any], block: _Block) -> bool:
    """Whether a gold side ``{"doc", "block"}`` covers a predicted block (with wildcards)."""
    doc, name, kind = block
    if spec.get("doc") != doc:
        return False
    want = spec.get("block", "")
    if want == "*":
        return True
    if want == "*district*":
        return kind == "jurisdiction"
    return normalize(want) == name


def _pair_matches(entry: dict[str, Any], local: _Block, source: _Block) -> bool:
    return (_side_matches(entry.get("local", {}), local)
            and _side_matches(entry.get("source", {}), source))


class _BlockNamer:
    """Names the block of an activity: gold block names where a label matches one used in
    the gold mirror lists (or an alias / division code of that block), else the label."""

    def __init__(self, idx: _Index, gold: dict[str, Any], docs: list[_Doc]) -> None:
        self.idx = idx
        self.doc_of_notice = {n: d.key for d in docs for n in d.notices}
        self.alias: dict[str, dict[str, str]] = defaultdict(dict)
        self.by_code: dict[str, dict[str, str]] = defaultdict(dict)
        for entry in [*gold.get("mirrors", []), *gold.get("neutral_mirrors", [])]:
            for side in (entry.get("local", {}), entry.get("source", {})):
                b = side.get("block", "")
                if b and b not in ("*", "*district*"):
                    self.alias[side.get("doc", "")][normalize(b)] = normalize(b)
        for d in docs:
            used = self.alias[d.key]
            for ob in d.gold.get("organizer_blocks") or []:
                name = normalize(ob.get("name", ""))
                if name in used:
                    for a in ob.get("alts") or []:
                        used.setdefault(normalize(a), name)
            for jb in d.gold.get("jurisdiction_blocks") or []:
                if jb.get("code"):
                    self.by_code[d.key][str(jb["code"])] = normalize(jb.get("name", ""))

    def doc(self, act: Node) -> str | None:
        for n in sorted(self.idx.objs(act, Q.notice), key=str):
            if n in self.doc_of_notice:
                return self.doc_of_notice[n]
        return None

    def blocks(self, act: Node, doc: str) -> list[_Block]:
        idx = self.idx
        kind = _block_kind(idx, act)
        if kind == "jurisdiction":
            ents = idx.objs(act, Q.jurisdiction)
        elif kind == "body":
            ents = {o for n in idx.objs(act, Q.notice) for o in idx.objs(n, Q.issuedBy)}
            ents = ents or idx.objs(act, Q.organizer)
        else:
            ents = idx.objs(act, Q.organizer)
        names = {self._name(e, doc) for e in ents}
        if not names:
            names = {normalize(x) for x in idx.strs(act, Q.blockLabel)} or {f"?{kind or 'block'}"}
        return [(doc, n, kind) for n in sorted(names)]

    def _name(self, ent: Node, doc: str) -> str:
        alias = self.alias.get(doc, {})
        for label in sorted(self.idx.labels(ent)):
            if label in alias:
                return alias[label]
        codes = self.by_code.get(doc, {})
        for c in sorted(_codes(self.idx, ent)):
            if c in codes:
                return codes[c]
        return self.idx.display(ent)


def _predicted_pairs(idx: _Index, namer: _BlockNamer,
                     by_docs: dict[tuple[str, str], list[dict[str, Any]]],
                     ) -> tuple[set[tuple[_Block, _Block]], int, int]:
    """The (local block, source block) pairs the graph's qm:mirrors links make, the number
    of links outside the gold notices, and the number without MirrorLink evidence."""
    predicted: set[tuple[_Block, _Block]] = set()
    outside = no_evidence = 0
    for a, targets in sorted(idx.fwd.get(Q.mirrors, {}).items(), key=lambda kv: str(kv[0])):
        for b in sorted(targets, key=str):
            if not _has_evidence(idx, a, b):
                no_evidence += 1
            ldoc, sdoc = namer.doc(a), namer.doc(b)
            if ldoc is None or sdoc is None:
                outside += 1
                continue
            combos = [(lb, sb) for lb in namer.blocks(a, ldoc) for sb in namer.blocks(b, sdoc)]
            entries = by_docs.get((ldoc, sdoc), [])
            known = [c for c in combos if any(_pair_matches(e, *c) for e in entries)]
            # an activity with several organizers: keep the combinations gold knows about
            predicted.update(known or combos)
    return predicted, outside, no_evidence


def _facet_mirrors(idx: _Index, gold: dict[str, Any], docs: list[_Doc]) -> FacetScore:
    namer = _BlockNamer(idx, gold, docs)
    gold_pairs = list(gold.get("mirrors", []))
    neutral = list(gold.get("neutral_mirrors", []))
    by_docs: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for e in (*gold_pairs, *neutral):  # gold and neutral entries by (local doc, source doc)
        by_docs[(e.get("local", {}).get("doc", ""), e.get("source", {}).get("doc", ""))].append(e)
    predicted, outside, no_evidence = _predicted_pairs(idx, namer, by_docs)
    t = _Tally()
    strong_total = strong_found = 0
    missed_strong: list[str] = []
    missed_other: list[str] = []
    for e in gold_pairs:
        grade = e.get("grade", "")
        strong = grade == "strong"
        strong_total += strong
        if any(_pair_matches(e, lb, sb) for lb, sb in predicted):
            t.hit()
            strong_found += strong
        else:
            t.fn += 1
            loc, src = e.get("local", {}), e.get("source", {})
            line = (f"{grade}: {loc.get('doc')} {loc.get('block')} ← "
                    f"{src.get('doc')} {src.get('block')}")
            (missed_strong if strong else missed_other).append(line)
    t.missed = missed_strong + missed_other
    spurious = sorted({(lb[0], lb[1], sb[0], sb[1]) for lb, sb in predicted if not any(
        _pair_matches(e, lb, sb) for e in by_docs.get((lb[0], sb[0]), []))})
    t.fp = len(spurious)
    t.spurious = [f"{ld} {ln} ← {sd} {sn}" for ld, ln, sd, sn in spurious]
    note = (f"strong found {strong_found}/{strong_total}; "
            f"qm:mirrors without MirrorLink+evidence: {no_evidence}")
    if outside:
        note += f"; links outside gold notices: {outside}"
    return t.score("mirrors", note)


def _has_evidence(idx: _Index, a: Node, b: Node) -> bool:
    """Whether a qm:MirrorLink with qm:source a, qm:target b and a qm:evidence exists."""
    return any(Q.MirrorLink in idx.objs(link, RDF.type)
               and any(str(x).strip() for x in idx.objs(link, Q.evidence))
               for link in idx.subjs(Q.source, a) & idx.subjs(Q.target, b))
