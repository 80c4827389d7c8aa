"""Resolved synthetic corpora with known copies, for the link tests and ``bench/link_bench.py``.

A nation, provinces and their cities, all of one year (plus an optional decoy year), each
with a notice of activities made of random Chinese characters (Zipf-distributed, so short
coincidences happen), stock phrases shared by many notices (boilerplate the weights must
discount), and copies: a province copies or adapts some national activities, a city some
provincial ones. The truth is known by construction.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from itertools import accumulate

from qmgraph.model import (
    Campaign,
    Corpus,
    ExtractedNotice,
    Jurisdiction,
    NoticeTree,
    Organization,
    ResolvedActivity,
    ResolvedNotice,
    SourceText,
)
from qmgraph.namespaces import activity_iri

SECTORS = ("market-regulation", "public-security", "water", "industry-it", "transport", "health")


@dataclass
class SynthSpec:
    """Sizes of a synthetic corpus (defaults: ≈ 2,000 activities)."""

    provinces: int = 7
    cities_per_province: int = 5
    national_acts: int = 120
    provincial_acts: int = 60
    city_acts: int = 40
    p_copy_national: float = 0.25  #: share of provincial activities copied from national
    p_copy_provincial: float = 0.1  #: share of city activities copied from their province
    p_adapted: float = 0.4  #: share of copies that embed a span instead of the whole text
    stock_phrases: int = 30
    p_stock: float = 0.5  #: share of activities carrying a stock phrase
    decoy_year: bool = True  #: a copy of the national notice dated a year later
    seed: int = 7


@dataclass
class SynthCorpus:
    corpus: Corpus
    truth: set[tuple[str, str]] = field(default_factory=set)  #: (lower iri, higher iri)


class _Gen:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        pool = [chr(c) for c in range(0x4E00, 0x4E00 + 1800)]
        self.rng.shuffle(pool)
        self.pool = pool
        self.cum = list(accumulate(1.0 / (r + 1) ** 0.8 for r in range(len(pool))))

    def chars(self, n: int) -> str:
        return "".join(self.rng.choices(self.pool, cum_weights=self.cum, k=n))

    def sentence(self, lo: int = 18, hi: int = 60) -> str:
        return self.chars(self.rng.randint(lo, hi)) + "。"


def _notice(key: str, jur: Jurisdiction, year: int,
            items: list[tuple[str, str, list[Organization], list[Campaign], str, Jurisdiction]],
            ) -> ResolvedNotice:
    """A notice whose normalized text is the activities' texts joined (identity offsets)."""
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    for _, text, *_ in items:
        spans.append((pos, pos + len(text)))
        parts.append(text + "\n")
        pos += len(text) + 1
    full = "".join(parts)
    src = SourceText(path=f"{key}.txt", content_hash=key, encoding="utf-8", original=full,
                     text=full, offsets=list(range(len(full) + 1)))
    acts = [
        ResolvedActivity(iri=str(activity_iri(key, local)), local=local, notice_key=key,
                         text=text, norm_start=s, norm_end=e, organizers=orgs, co_organizers=[],
                         jurisdiction=j, year=year, campaigns=camps, cites=[], block_kind=kind,
                         block_label=orgs[0].label if orgs else "", block_index=i, source=src)
        for i, ((local, text, orgs, camps, kind, j), (s, e)) in enumerate(
            zip(items, spans, strict=True))
    ]
    ex = ExtractedNotice(tree=NoticeTree(source=src, year=year), activities=[])
    return ResolvedNotice(key=key, extracted=ex, jurisdiction=jur, year=year, issuer=None,
                          implements=[], joint_organizers=[], slogans=[], activities=acts)


def synthetic_corpus(spec: SynthSpec | None = None) -> SynthCorpus:
    """Build a corpus and the set of true (lower, higher) mirror pairs."""
    sp = spec or SynthSpec()
    g = _Gen(sp.seed)
    rng = g.rng
    stock = [g.chars(rng.randint(8, 14)) for _ in range(sp.stock_phrases)]
    camps = [Campaign(key=f"camp-{i}", label=g.chars(5)) for i in range(40)]
    nation = Jurisdiction(None, "中华人民共和国", ("全国",), "national", None)
    table: dict[str, Jurisdiction] = {"cn": nation}

    def orgs_at(jcode: str | None, level: str) -> dict[str, Organization]:
        out = {}
        for s in SECTORS:
            up = None if jcode is None else f"cn/{s}" if level == "provincial" else None
            key = f"{jcode or 'cn'}/{s}"
            out[s] = Organization(key, key, "agency", s, jcode, level, counterpart=up)
        return out

    def dress(text: str) -> str:
        if rng.random() < sp.p_stock:
            return rng.choice(stock) + "，" + text
        return text

    def derive(src_text: str, adapted: bool) -> str:
        body = src_text.rstrip("。")
        if adapted and len(body) > 24:
            a = rng.randint(0, len(body) - 18)
            b = min(len(body), a + rng.randint(16, 24))
            return g.chars(rng.randint(6, 20)) + body[a:b] + g.chars(rng.randint(4, 16)) + "。"
        chars = list(body)
        for _ in range(max(1, len(chars) // 25)):  # a few substitutions
            chars[rng.randrange(len(chars))] = g.chars(1)
        return g.chars(rng.randint(0, 4)) + "".join(chars) + "。"

    truth: set[tuple[str, str]] = set()
    notices: list[ResolvedNotice] = []
    year = 2022
    nat_orgs = orgs_at(None, "national")
    nat_items = []
    nat_texts: dict[str, tuple[str, str, list[Campaign]]] = {}
    for k in range(sp.national_acts):
        sector = SECTORS[k % len(SECTORS)]
        cs = [rng.choice(camps)] if rng.random() < 0.2 else []
        text = dress(g.sentence())
        local = f"b{k // 10:02d}-i{k % 10:02d}"
        nat_items.append((local, text, [nat_orgs[sector]], cs, "organizer", nation))
        nat_texts[local] = (text, sector, cs)
    notices.append(_notice("cn-2022", nation, year, nat_items))
    nat_iri = {loc: str(activity_iri("cn-2022", loc)) for loc in nat_texts}
    if sp.decoy_year:  # same texts a year later: never a mirror of 2022 activities
        notices.append(_notice("cn-2023", nation, year + 1, nat_items))

    for p in range(sp.provinces):
        pcode = f"{11 + p:02d}0000"
        prov = Jurisdiction(pcode, f"省{p}", (), "provincial", None)
        table[pcode] = prov
        porgs = orgs_at(pcode, "provincial")
        pkey = f"{pcode}-2022"
        items = []
        prov_texts: list[tuple[str, str, str | None]] = []  # (local, text, national local)
        nat_locals = sorted(nat_texts)
        for k in range(sp.provincial_acts):
            local = f"b{k // 10:02d}-i{k % 10:02d}"
            if rng.random() < sp.p_copy_national:
                src_local = rng.choice(nat_locals)
                s_text, sector, cs = nat_texts[src_local]
                adapted = rng.random() < sp.p_adapted
                text = derive(s_text, adapted)
                items.append((local, text, [porgs[sector]], list(cs), "organizer", prov))
                truth.add((str(activity_iri(pkey, local)), nat_iri[src_local]))
                prov_texts.append((local, text, src_local))
            else:
                sector = rng.choice(SECTORS)
                text = dress(g.sentence())
                items.append((local, text, [porgs[sector]], [], "organizer", prov))
                prov_texts.append((local, text, None))
        for c in range(sp.cities_per_province):
            ccode = f"{11 + p:02d}{c + 1:02d}00"
            city = Jurisdiction(ccode, f"市{p}-{c}", (), "prefectural", pcode)
            table[ccode] = city
            corg = Organization(f"{ccode}/government", "gov", "agency", None, ccode, "prefectural")
            for k in range(sp.city_acts):
                local = f"c{c:02d}-i{k:02d}"
                if rng.random() < sp.p_copy_provincial:
                    src_local, s_text, nat_src = rng.choice(prov_texts)
                    text = derive(s_text, rng.random() < sp.p_adapted)
                    me = str(activity_iri(pkey, local))
                    truth.add((me, str(activity_iri(pkey, src_local))))
                    if nat_src is not None and _shares(text, nat_texts[nat_src][0], 12):
                        truth.add((me, nat_iri[nat_src]))
                else:
                    text = dress(g.sentence())
                items.append((local, text, [corg], [], "jurisdiction", city))
        notices.append(_notice(pkey, prov, year, items))
    notices.sort(key=lambda n: n.key)
    corpus = Corpus(notices=notices, organizations={}, org_surfaces={}, jurisdictions=table,
                    campaigns={c.key: c for c in camps}, campaign_surfaces={}, cited_notices={},
                    sectors={})
    return SynthCorpus(corpus, truth)


def _shares(a: str, b: str, k: int) -> bool:
    """Whether ``a`` and ``b`` share a substring of ``k`` characters."""
    subs = {b[i : i + k] for i in range(len(b) - k + 1)}
    return any(a[i : i + k] in subs for i in range(len(a) - k + 1))
