"""The facets other than mirrors: notices, level, metadata, organizers (with kinds and
sectors), jurisdiction blocks and parents, joint and co-organizers, campaigns, slogans,
numbered items, boilerplate, counterparts and branches.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS
from rdflib.term import Node

from qmgraph.evaluate.graph import Q, _Doc, _Index
from qmgraph.evaluate.normalize import normalize, normalize_campaign
from qmgraph.evaluate.report import FacetScore, _Tally
from qmgraph.levels import LEVEL_TERMS
from qmgraph.namespaces import QM

# ---------------------------------------------------------------- facets

_KIND_CLASSES = {"agency": Q.Agency, "association": Q.Association, "enterprise": Q.Enterprise}
#: Gold metadata field → the normalized values of a notice it is compared with (in order).
_METADATA: dict[str, Callable[[_Index, Node], Iterable[str]]] = {
    "title_contains": lambda idx, n: map(normalize, idx.strs(n, DCTERMS.title)),
    "doc_number": lambda idx, n: map(normalize, idx.strs(n, Q.docNumber)),
    "issued": lambda idx, n: map(normalize, idx.strs(n, DCTERMS.issued)),
    "theme": lambda idx, n: map(normalize, idx.strs(n, Q.theme)),
    "issuer": lambda idx, n: (x for org in idx.objs(n, Q.issuedBy) for x in idx.labels(org)),
    "implements_doc_number": lambda idx, n: (
        normalize(v) for up in idx.objs(n, Q.implements) for v in idx.strs(up, Q.docNumber)),
}


def _facet_notices(docs: list[_Doc], others: list[Node]) -> FacetScore:
    t = _Tally()
    for d in docs:
        if not d.notices:
            t.miss(d.key)
            continue
        t.hit()
        for extra in d.notices[1:]:
            t.false(f"{d.key}: duplicate notice {extra}")
    note = f"{len(others)} other corpus notice(s) not in gold, not counted" if others else ""
    return t.score("notices", note)


def _facet_level(idx: _Index, docs: list[_Doc]) -> FacetScore:
    """The document's notice states the gold level (qm:level); a notice not found misses."""
    t = _Tally()
    for d in docs:
        want = d.gold.get("notice", {}).get("level")
        if not want:
            continue
        term = QM[LEVEL_TERMS.get(want, want)]
        if not d.notices:
            t.miss(f"{d.key}: {want} (notice not found)")
            continue
        levels = {lv for n in d.notices for lv in idx.objs(n, Q.level)}
        if term in levels:
            t.hit()
        else:
            t.miss(f"{d.key}: {want}")
            t.false(f"{d.key}: {' | '.join(sorted(idx.display(lv) for lv in levels)) or 'no level'}")
    return t.score("level", "qm:level of the document's notice")


def _facet_jurisdiction_parents(idx: _Index, gold: dict[str, Any]) -> FacetScore:
    """Each gold {code, parent}: the jurisdiction with that code is in the graph and
    qm:partOf (transitively) the one with the parent code."""
    t = _Tally()
    by_code: dict[str, set[Node]] = defaultdict(set)
    for j in idx.subjs(RDF.type, QM.Jurisdiction):
        for c in _codes(idx, j):
            by_code[c].add(j)
    for pair in gold.get("jurisdiction_parents") or []:
        code, parent = str(pair.get("code")), str(pair.get("parent"))
        nodes = by_code.get(code, set())
        if not nodes:
            t.miss(f"{code} → {parent} ({code} not in the graph)")
            continue
        if any(parent in _codes(idx, a) for n in nodes for a in _ancestors(idx, n)):
            t.hit()
        else:
            t.miss(f"{code} → {parent}")
    return t.score("jurisdiction_parents", "code in the graph and qm:partOf+ its parent")


def _facet_metadata(idx: _Index, docs: list[_Doc]) -> FacetScore:
    t = _Tally()
    for d in docs:
        for fld, values_of in _METADATA.items():
            want = d.gold.get(fld)
            if want in (None, ""):
                continue
            values = {v for n in d.notices for v in values_of(idx, n)}
            w = normalize(str(want))
            ok = any((w in v) if fld == "title_contains" else (w == v) for v in values)
            if ok:
                t.hit()
                continue
            t.miss(
                f"{d.key}: {fld} = {want}"
                + (f" (graph: {' | '.join(sorted(values))})" if values else "")
            )
            if values:  # a stated but wrong value is also a false prediction
                t.fp += 1
                t.spurious.append(f"{d.key}: {fld} = {' | '.join(sorted(values))}")
    return t.score("metadata", "wrong value = fn + fp")


def _block_kind(idx: _Index, act: Node) -> str:
    kinds = idx.strs(act, Q.blockKind)
    return kinds[0] if kinds else ""


def _block_objects(idx: _Index, d: _Doc, pred: Node, kind: str) -> tuple[set[Node], set[Node]]:
    """The ``pred`` objects of all the document's activities, and of those in ``kind`` blocks."""
    every: set[Node] = set()
    in_blocks: set[Node] = set()
    for a in d.activities:
        objs = idx.objs(a, pred)
        every.update(objs)
        if _block_kind(idx, a) == kind:
            in_blocks.update(objs)
    return every, in_blocks


def _names(entry: dict[str, Any]) -> set[str]:
    """Normalized ``name`` plus ``alts`` of a gold organizer entry."""
    return {normalize(x) for x in [entry.get("name", ""), *(entry.get("alts") or [])] if x}


def _facet_organizers(idx: _Index, docs: list[_Doc]) -> tuple[FacetScore, FacetScore, FacetScore]:
    """Organizers, kinds and sectors. Kinds and sectors: every gold block is expected (a
    block not found is missed); a found block with another type / sector is also spurious."""
    org_t, kind_t, sec_t = _Tally(), _Tally(), _Tally()
    for d in docs:
        blocks = d.gold.get("organizer_blocks") or []
        all_orgs, block_orgs = _block_objects(idx, d, Q.organizer, "organizer")
        gold_names: set[str] = set()
        for b in blocks:
            names = _names(b)
            gold_names |= names
            matched = sorted((o for o in all_orgs if idx.labels(o) & names), key=str)
            label = f"{d.key}: {b.get('name')}"
            kind, sector = b.get("kind"), b.get("sector")
            if not matched:
                org_t.miss(label)
                if kind in _KIND_CLASSES:
                    kind_t.miss(f"{label} is {kind} (block not found)")
                if sector:
                    sec_t.miss(f"{label} sector {sector} (block not found)")
                continue
            org_t.hit()
            if kind in _KIND_CLASSES:
                _score_kind(idx, matched, kind, label, kind_t)
            if sector:
                _score_sector(idx, matched, sector, label, sec_t)
        for o in sorted(block_orgs, key=lambda x: (idx.display(x), str(x))):
            if not idx.labels(o) & gold_names:
                org_t.false(f"{d.key}: {idx.display(o)}")
    return (
        org_t.score("organizers", "predicted = organizers of blockKind 'organizer' activities"),
        kind_t.score("kinds", "fn = block missing or mistyped; fp = mistyped"),
        sec_t.score("sectors", "fn = block missing or wrong sector; fp = wrong sector"),
    )


def _score_kind(idx: _Index, matched: list[Node], kind: str, label: str, t: _Tally) -> None:
    """A found gold block of ``kind``: hit when one of its organizations has that class,
    else missed (and spurious for the classes it has)."""
    types = {c for o in matched for c in idx.objs(o, RDF.type)}
    if _KIND_CLASSES[kind] in types:
        t.hit()
        return
    t.miss(f"{label} is {kind}")
    got = sorted(str(x).rsplit("#", 1)[-1] for x in types if x in _KIND_CLASSES.values())
    if got:
        t.false(f"{label} typed {'/'.join(got)}")


def _score_sector(idx: _Index, matched: list[Node], sector: str, label: str, t: _Tally) -> None:
    """A found gold block in ``sector``: hit when one of its organizations is in it, else
    missed (and spurious for the sectors it has)."""
    got = {s for o in matched for s in _sector_keys(idx, o)}
    if sector in got:
        t.hit()
        return
    t.miss(f"{label} sector {sector}")
    if got:
        t.false(f"{label} sector {'/'.join(sorted(got))}")


def _sector_keys(idx: _Index, org: Node) -> set[str]:
    """skos:notation of the organization's qm:sector (IRI tail when it has none)."""
    out: set[str] = set()
    for s in idx.objs(org, Q.sector):
        notes = idx.strs(s, SKOS.notation)
        out.update(notes if notes else [str(s).rstrip("/").rsplit("/", 1)[-1]])
    return out


def _ancestors(idx: _Index, node: Node) -> set[Node]:
    """Transitive closure of qm:partOf from ``node`` (excluding itself)."""
    seen: set[Node] = set()
    stack = list(idx.objs(node, Q.partOf))
    while stack:
        n = stack.pop()
        if n in seen:
            continue
        seen.add(n)
        stack.extend(idx.objs(n, Q.partOf))
    return seen


def _codes(idx: _Index, node: Node) -> set[str]:
    return {str(c) for c in idx.objs(node, Q.divisionCode)}


def _facet_jurisdiction_blocks(idx: _Index, docs: list[_Doc]) -> FacetScore:
    t = _Tally()
    for d in docs:
        blocks = d.gold.get("jurisdiction_blocks") or []
        act_juris, block_juris = _block_objects(idx, d, Q.jurisdiction, "jurisdiction")
        gold_codes = {str(b.get("code")) for b in blocks}
        for b in blocks:
            code, parent = str(b.get("code")), b.get("parent")
            if any(code in _codes(idx, j) and (parent is None or any(
                    str(parent) in _codes(idx, up) for up in _ancestors(idx, j)))
                   for j in act_juris):
                t.hit()
            else:
                t.miss(f"{d.key}: {b.get('name')} ({code})")
        for j in sorted(block_juris, key=lambda x: (idx.display(x), str(x))):
            if not _codes(idx, j) & gold_codes:
                t.false(f"{d.key}: {idx.display(j)} ({'/'.join(sorted(_codes(idx, j))) or '-'})")
    return t.score("jurisdiction_blocks", "a document without jurisdiction_blocks expects none")


def _facet_joint_organizers(idx: _Index, docs: list[_Doc]) -> FacetScore:
    t = _Tally()
    for d in docs:
        roster = d.gold.get("joint_organizers")
        if roster is None:
            continue
        alts = d.gold.get("joint_organizer_alts") or {}
        joint = {o for e in d.editions for o in idx.objs(e, Q.jointOrganizer)}
        all_names: set[str] = set()
        for name in roster:
            names = {normalize(name), *(normalize(a) for a in alts.get(name, []))}
            all_names |= names
            if any(idx.labels(o) & names for o in joint):
                t.hit()
            else:
                t.miss(f"{d.key}: {name}")
        for o in sorted(joint, key=lambda x: (idx.display(x), str(x))):
            if not idx.labels(o) & all_names:
                t.false(f"{d.key}: {idx.display(o)}")
    return t.score("joint_organizers")


def _facet_co_organizers(idx: _Index, docs: list[_Doc]) -> FacetScore:
    t = _Tally()
    for d in docs:
        entries = d.gold.get("co_organizers") or []
        texts = {a: [normalize(x) for x in idx.strs(a, Q.text)] for a in d.activities} \
            if entries else {}
        for c in entries:
            needle = normalize(c.get("text_contains", ""))
            org_n, co_n = normalize(c.get("organizer", "")), normalize(c.get("co", ""))
            acts = [a for a in d.activities if any(needle in x for x in texts[a])]
            ok = any(
                any(org_n in idx.labels(o) for o in idx.objs(a, Q.organizer))
                and any(co_n in idx.labels(o) for o in idx.objs(a, Q.coOrganizer))
                for a in acts
            )
            what = f"{d.key}: {c.get('organizer')} + {c.get('co')} ({c.get('text_contains')})"
            if ok:
                t.hit()
            else:
                t.miss(what + ("" if acts else " — no activity text contains it"))
    return t.score("co_organizers", "recall only")


def _facet_campaigns(idx: _Index, docs: list[_Doc]) -> FacetScore:
    t = _Tally()
    for d in docs:
        camps = {c for a in d.activities for c in idx.objs(a, Q.campaign)}
        names: dict[Node, set[str]] = {
            c: {normalize_campaign(str(o)) for p in (RDFS.label, SKOS.altLabel)
                for o in idx.objs(c, p)} for c in camps}
        have = set().union(*names.values()) if names else set()
        for req in d.gold.get("campaigns_required") or []:
            if normalize_campaign(req) in have:
                t.hit()
            else:
                t.miss(f"{d.key}: {req}")
        forbidden = {normalize_campaign(f): f for f in d.gold.get("campaigns_forbidden") or []}
        for c in sorted(camps, key=str):
            hits = sorted({forbidden[n] for n in names[c] if n in forbidden})
            if hits:
                t.false(f"{d.key}: {' / '.join(hits)} ({idx.display(c)})")
    return t.score("campaigns", "precision counts forbidden campaigns only")


def _facet_slogans(idx: _Index, docs: list[_Doc]) -> FacetScore:
    t = _Tally()
    for d in docs:
        want = d.gold.get("slogan_count")
        if want is None:
            continue
        got = len({s for e in d.editions for s in idx.objs(e, Q.slogan)})
        t.tp += min(got, want)
        if got > want:
            t.fp += got - want
            t.spurious.append(f"{d.key}: {got} slogans, gold {want}")
        elif got < want:
            t.fn += want - got
            t.missed.append(f"{d.key}: {got} slogans, gold {want}")
    return t.score("slogans", "counts per edition")


def _facet_numbered_items(docs: list[_Doc]) -> FacetScore:
    t = _Tally()
    for d in docs:
        want = d.gold.get("numbered_items")
        if want is None:
            continue
        if d.found and len(d.activities) >= want:
            t.hit()
        else:
            t.miss(f"{d.key}: {len(d.activities)} activities < {want}")
    return t.score("numbered_items", "pass = at least that many activities")


def _facet_boilerplate(idx: _Index, docs: list[_Doc]) -> FacetScore:
    t = _Tally()
    for d in docs:
        strings = d.gold.get("not_in_activity_text") or []
        if not strings:
            continue
        texts = [normalize(x) for a in d.activities for x in idx.strs(a, Q.text)]
        for s in strings:
            if not d.found:
                t.miss(f"{d.key}: {s} (notice not found)")
            elif any(normalize(s) in x for x in texts):
                t.false(f"{d.key}: {s}")
            else:
                t.hit()
    return t.score("boilerplate", "fp = string found in some qm:text")


# ---------------------------------------------------------------- counterparts, branches


def _facet_org_pairs(
    idx: _Index, pairs: list[dict[str, Any]], up_key: str, pred: Node, facet: str
) -> FacetScore:
    """Gold pairs (``agency`` → ``up_key``) that must exist as ``pred`` triples; any other
    ``pred`` object of a gold agency counts as spurious."""
    t = _Tally()
    allowed: dict[str, set[str]] = defaultdict(set)
    for p in pairs:
        allowed[normalize(p.get("agency", ""))].add(normalize(p.get(up_key, "")))
    for p in pairs:
        agency, up = normalize(p.get("agency", "")), normalize(p.get(up_key, ""))
        subjects = idx.by_label(agency)
        if any(up in idx.labels(o) for s in subjects for o in idx.objs(s, pred)):
            t.hit()
        else:
            t.miss(f"{p.get('agency')} → {p.get(up_key)}")
    spurious: set[str] = set()
    for agency, ups in allowed.items():
        for s in idx.by_label(agency):
            for o in idx.objs(s, pred):
                if not idx.labels(o) & ups:
                    spurious.add(f"{agency} → {idx.display(o)}")
    for s in sorted(spurious):
        t.false(s)
    return t.score(facet, "fp = other targets of gold agencies")
