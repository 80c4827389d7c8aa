"""Stage 4, resolve: surfaces → canonical entities; notices → a ``Corpus``.

Jurisdictions come from the GB/T 2260 gazetteer (``jurisdictions``), organizations from
the sector and alias tables (``organizations``), campaigns from their normalized labels
(``campaigns``). Notice-level lineage that the text states outright is settled here too:
a notice implements the notices it cites by doc number, or — when it says "按照全国…部署"
— that year's national notice if the corpus has it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from qmgraph.lexicon.places import Gazetteer, subcounty_unit
from qmgraph.model import (
    Campaign,
    Corpus,
    Event,
    ExtractedNotice,
    Jurisdiction,
    NoticeSummary,
    Organization,
    ResolvedActivity,
    ResolvedNotice,
    sketch_containment,
    text_sketch,
)
from qmgraph.namespaces import activity_iri_text, slug
from qmgraph.resolve.campaigns import canonical_campaign, resolve_campaign
from qmgraph.resolve.organizations import OrganizationResolver

_SELF = re.compile(r"(?:本|我)?[省市区县州盟旗]局")


def notice_key(ex: ExtractedNotice, j: Jurisdiction | None, year: int | None) -> str:
    """Readable, deterministic key: the doc number's slug, else place-year-contenthash."""
    tree = ex.tree
    if tree.doc_number:
        return slug(tree.doc_number)
    place = (j.code or "cn") if j else "unknown"
    return f"{place}-{year or 'noyear'}-{tree.source.content_hash[:8]}"




def _distinct(events: list[Event]) -> list[Event]:
    """``events`` with each repeat of an earlier event dropped, problems kept.

    Applying an event a second time changes nothing — every table only gains what it does
    not hold yet, and an organization's references are the same whenever they are made —
    so an organizer named in all twenty items of a notice is one event, not twenty (a
    rebuild reads and replays every notice's events).
    """
    seen: set[Event] = set()
    out: list[Event] = []
    for ev in events:
        if ev[0] != "problem":
            if ev in seen:
                continue
            seen.add(ev)
        out.append(ev)
    return out


#: The rank of an organization name of no stem (``Resolver._name_rank``).
_NO_RANK = 1 << 30


class Resolver:
    """Resolves extracted notices against the gazetteer and organization tables."""

    def __init__(self, gazetteer=None, organizations=None):
        self.gaz = gazetteer or Gazetteer.load()
        self.orgs = organizations or OrganizationResolver(self.gaz)
        self._org_index: dict[str, Organization] = {}
        self._placeholders: set[str] = set()
        self._org_surfaces: dict[str, set[str]] = defaultdict(set)
        self._campaigns: dict[str, Campaign] = {}
        self._campaign_surfaces: dict[str, set[str]] = defaultdict(set)
        self._places: dict[str, Jurisdiction] = {}
        self.problems: list[str] = []
        #: what resolving the current notice adds to the corpus tables, applied in order by
        #: ``apply`` (a cached notice replays its events, so tables come out the same)
        self._events: list[Event] = []
        self._cited: dict[str, str] = {}
        #: organizations made from the sector table by key (counterparts, parents)
        self._made: dict[str, Organization | None] = {}
        #: ``_ref_closure`` by (counterpart, parent): the same few for thousands of names
        self._closures: dict[tuple[str | None, str | None],
                             tuple[tuple[str, Organization | None], ...]] = {}

    # -- entities -----------------------------------------------------------------------

    def _use_place(self, j: Jurisdiction) -> None:
        self._events.append(("place", j))

    def _problem(self, message: str) -> None:
        self._events.append(("problem", message))

    def _org(self, surface: str, context: Jurisdiction) -> Organization:
        org = self.orgs.resolve(surface, context)
        self._events.append(("org", org, surface, self._ref_closure(org)))
        return org

    def _by_key(self, key: str) -> Organization | None:
        if key not in self._made:
            by_key = getattr(self.orgs, "by_key", None)
            self._made[key] = by_key(key) if by_key else None
        return self._made[key]

    def _ref_closure(self, org: Organization) -> tuple[tuple[str, Organization | None], ...]:
        """The organizations ``org`` refers to (counterpart, parent, theirs…), made from the
        sector table now so that replaying the event (``apply``) needs no table lookups."""
        refs = (org.counterpart, org.parent)
        known = self._closures.get(refs)
        if known is None:
            known = self._closures[refs] = self._closure_of(*refs)
        return known

    def _closure_of(self, counterpart: str | None, parent: str | None
                    ) -> tuple[tuple[str, Organization | None], ...]:
        out: dict[str, Organization | None] = {}
        todo = [counterpart, parent]
        while todo:
            ref = todo.pop()
            if ref and ref not in out:
                target = out[ref] = self._by_key(ref)
                if target is not None:
                    todo += [target.counterpart, target.parent]
        return tuple(sorted(out.items()))

    def apply(self, events: list[Event]) -> None:
        """Add one notice's events (``resolve_notice_events``) to the corpus tables."""
        for ev in events:
            self._EVENTS[ev[0]](self, *ev[1:])

    def _on_org(self, org: Organization, surface: str | None,
                made: Iterable[tuple[str, Organization | None]]) -> None:
        self._made.update(made)
        self._keep_org(org, surface)

    def _on_surface(self, key: str, surface: str) -> None:
        self._org_surfaces[key].add(surface)

    def _on_campaign(self, campaign: Campaign, surface: str) -> None:
        # One node's label by a fixed rule, not by which file came first: 电梯安全宣传周
        # and 电梯安全宣传周2022 are one node of 2022, labelled by the shorter name.
        known = self._campaigns.get(campaign.key)
        if known is None or (len(campaign.label), campaign.label) < (len(known.label), known.label):
            self._campaigns[campaign.key] = campaign
        self._campaign_surfaces[campaign.key].add(surface)

    def _on_problem(self, problem: str) -> None:
        self.problems.append(problem)

    #: What :meth:`apply` does with each kind of event (its first field).
    _EVENTS: dict[str, Callable[..., None]] = {
        "org": _on_org, "place": lambda self, j: self._add_place(j), "surface": _on_surface,
        "campaign": _on_campaign, "problem": _on_problem,
    }

    def _add_place(self, j: Jurisdiction) -> None:
        for a in [j, *self.gaz.ancestors(j.code)]:
            self._places[a.code or "cn"] = a

    def _keep_org(self, org: Organization, surface: str | None) -> None:
        known = self._org_index.get(org.key)
        if known is None:
            self._org_index[org.key] = org
            if surface is None:
                self._placeholders.add(org.key)
        elif surface is not None and org.key in self._placeholders:
            # A node made from the sector table (a counterpart no notice had named yet)
            # gives way to the first organization a notice actually names.
            self._org_index[org.key] = org
            self._placeholders.discard(org.key)
        elif surface is not None and org.label != known.label \
                and self._name_rank(org) < self._name_rank(known):
            # One node's label by a fixed rule, not by which file came first: a body
            # folded with its earlier names (0043: 江门市卫生局 of 2009, 江门市卫生健康局
            # of 2021) is labelled by the name its sector's stems list first.
            self._org_index[org.key] = org
        if surface:
            self._org_surfaces[org.key].add("".join(surface.split()))
        if org.jurisdiction:
            try:
                self._add_place(self.gaz.get(org.jurisdiction))
            except KeyError:
                pass
        # The counterpart and parent must exist as nodes too, so links never dangle.
        for ref in (org.counterpart, org.parent):
            if ref and ref not in self._org_index:
                target = self._by_key(ref)
                if target is not None:
                    self._keep_org(target, None)

    def _name_rank(self, org: Organization) -> int:
        """Where ``org``'s name stands among its sector's names at its level (today's
        first, earlier bodies' after: ``OrganizationResolver.name_rank``); a name of no
        stem after all."""
        rank = getattr(self.orgs, "name_rank", None)
        got = rank(org) if rank else None
        return _NO_RANK if got is None else got

    def _own(self, surface: str, issuer: Organization | None) -> Organization | None:
        """"省局", "市局", "区局": how an agency's own notice names itself — the issuer."""
        if issuer is not None and issuer.kind == "agency" and _SELF.fullmatch(surface.strip()):
            self._events.append(("surface", issuer.key, surface.strip()))
            return issuer
        return None

    def _above(self, upper: NoticeSummary, lower: NoticeSummary) -> bool:
        """``upper``'s place strictly contains ``lower``'s."""
        if upper.jurisdiction is None or lower.jurisdiction is None:
            return False
        if upper.jurisdiction.code is None:
            return lower.jurisdiction.code is not None
        return upper.jurisdiction.code in {a.code for a in self.gaz.ancestors(lower.jurisdiction.code)}

    def _campaign(self, surface: str, year: int | None) -> Campaign:
        c = resolve_campaign(surface, year)
        # a named instance (an enterprise's own open day) is not a name of its campaign
        _, instance = canonical_campaign(surface)
        self._events.append(("campaign", c, c.label if instance else surface))
        return c

    # -- notices --------------------------------------------------------------------------

    def resolve_notice(self, ex: ExtractedNotice) -> ResolvedNotice:
        """Resolve one notice and add what it names to the corpus tables."""
        notice, events = self.resolve_notice_events(ex)
        self.apply(events)
        return notice

    def resolve_notice_events(self, ex: ExtractedNotice) -> tuple[ResolvedNotice, list[Event]]:
        """Resolve one notice without touching the corpus tables: the notice (a function of
        ``ex`` and the tables in ``data/`` alone) and the events ``apply`` adds."""
        self._events = []
        try:
            return self._resolve_notice(ex), _distinct(self._events)
        finally:
            self._events = []

    def _resolve_notice(self, ex: ExtractedNotice) -> ResolvedNotice:
        tree = ex.tree
        j: Jurisdiction | None
        if tree.context_national:
            j = self.gaz.nation
        elif tree.context_code:
            j = self.gaz.get(tree.context_code)
        else:
            j = None
            self._problem(f"{tree.source.path}: no jurisdiction stated (flagged, not guessed)")
        if tree.year is None:
            self._problem(f"{tree.source.path}: no year stated (flagged, not guessed)")
        ctx = j or self.gaz.nation
        if j:
            self._use_place(j)
        key = notice_key(ex, j, tree.year)
        issuer = self._org(tree.issuer, ctx) if tree.issuer else None
        activities: list[ResolvedActivity] = []
        for rec in ex.activities:
            place = j  # None when the notice names no place: flagged, never guessed
            if rec.jurisdiction:
                found = self.gaz.find(rec.jurisdiction, within=ctx.code)
                if found is None and subcounty_unit(rec.jurisdiction):
                    pass  # a town or street office: GB/T 2260 stops at counties, so the
                    # activity keeps the notice's place and the block its label
                elif found is None:
                    self._problem(f"{tree.source.path}: place block '{rec.jurisdiction}' "
                                  "not in the gazetteer")
                else:
                    place = found
                    self._use_place(found)
            # names inside a city/district block are relative to that place (区市场监管局)
            octx = place if (rec.jurisdiction and place is not None) else ctx
            organizers = [self._own(s, issuer) or self._org(s, octx) for s in rec.organizers if s]
            if not organizers:
                gov = self.orgs.government(place or ctx)
                self._events.append(("org", gov, None, self._ref_closure(gov)))
                organizers = [issuer] if (issuer and not rec.jurisdiction) else [gov]
            co = [self._own(s, issuer) or self._org(s, octx) for s in rec.co_organizers]
            co = [c for c in co if c.key not in {o.key for o in organizers}]
            activities.append(ResolvedActivity(
                iri=activity_iri_text(key, rec.local), local=rec.local, notice_key=key,
                text=rec.text, norm_start=rec.start, norm_end=rec.end, organizers=organizers,
                co_organizers=_dedupe(co), jurisdiction=place, year=tree.year,
                campaigns=_dedupe([self._campaign(c, tree.year) for c in rec.campaigns]),
                cites=list(rec.cites),
                block_kind=rec.kind or tree.blocks[rec.block_index - 1].kind,
                block_label=(rec.organizers[0] if rec.kind
                             else tree.blocks[rec.block_index - 1].name),
                block_index=rec.block_index, source=tree.source, date=rec.date, venue=rec.venue))
        joint = _dedupe([self._org(s, ctx) for s in tree.roster])
        return ResolvedNotice(key=key, extracted=ex, jurisdiction=j, year=tree.year, issuer=issuer,
                              implements=[], joint_organizers=joint,
                              slogans=list(dict.fromkeys(tree.slogans)), activities=activities)

    def corpus(self, extracted: list[ExtractedNotice]) -> Corpus:
        """Resolve every notice and settle notice-level lineage within the corpus."""
        resolved = [self.resolve_notice(ex) for ex in extracted]
        kept, implements = self.settle([NoticeSummary.of(n, i) for i, n in enumerate(resolved)])
        notices = []
        for s in kept:
            n = rekeyed(resolved[s.index], s.key)
            n.implements = implements[n.key]
            notices.append(n)
        return self.tables(notices)

    def settle(self, summaries: list[NoticeSummary],
               sketch_of: Callable[[NoticeSummary], bytes] | None = None
               ) -> tuple[list[NoticeSummary], dict[str, list[str]]]:
        """One copy of each notice (others reported), sorted by key, and the notices each
        implements — from summaries alone, after every notice's events are applied.
        ``sketch_of`` gives the sketch of a summary made without one (``NoticeSummary.of``
        with ``sketch=False``), asked only when a copy of that notice is looked for."""
        notices = _distinct_keys(_dedupe_notices(summaries, self.problems, sketch_of),
                                 self.problems)
        notices.sort(key=lambda n: n.key)
        by_doc: dict[str, list[NoticeSummary]] = defaultdict(list)
        for n in notices:
            if n.doc_number:
                by_doc[n.doc_number].append(n)
        # "按照全国…部署" follows the year's national notice: a formal notice or plan before a
        # release about it; a letter or a call for slogans deploys no Quality Month
        national: dict[int | None, NoticeSummary] = {}
        for n in sorted(notices, key=lambda n: (_FOLLOWED_GENRES.get(n.genre, 9), n.key)):
            if n.jurisdiction and n.jurisdiction.code is None and n.genre not in _NOT_FOLLOWED:
                national.setdefault(n.year, n)
        by_title: dict[tuple[int | None, str], list[NoticeSummary]] = defaultdict(list)
        for n in notices:
            by_title[(n.year, n.title)].append(n)
        self._cited = {}
        implements: dict[str, list[str]] = {}
        for n in notices:
            impl: list[str] = []
            for dn in n.cited_doc_numbers:
                target = self._cited_notice(by_doc.get(dn, ()), n)
                k = target.key if target else slug(dn)
                if not target:
                    self._cited[k] = dn
                if k != n.key and k not in impl:
                    impl.append(k)
            # 《关于开展2021年全省“质量月”活动的通知》 cited without its 文号: the corpus notice
            # of that title and year whose place contains this one's.
            for title in n.cited_titles:
                for other in by_title.get((n.year, title), ()):
                    if other is not n and other.key not in impl and self._above(other, n):
                        impl.append(other.key)
            if n.follows_national and n.level != "national":
                nat = national.get(n.year)
                if nat and nat.key not in impl:
                    impl.append(nat.key)
            implements[n.key] = impl
        return notices, implements

    def _cited_notice(self, candidates: Sequence[NoticeSummary], citer: NoticeSummary
                      ) -> NoticeSummary | None:
        """Which notice of a cited doc number is meant: the only one, or — when different
        documents share it (平市监质〔2021〕2号 of 平潭县 and of 平顶山市) — the one whose place
        contains the citer's (a notice cites the notices above it), else the first by key."""
        if len(candidates) < 2:
            return candidates[0] if candidates else None
        above = [c for c in candidates if self._above(c, citer)]
        return (above or list(candidates))[0]

    def tables(self, notices: list) -> Corpus:
        """The corpus of ``notices`` (settled) with the tables the events built."""
        sectors = {s.key: (s.label_zh, s.label_en) for s in self.orgs.sectors()}
        return Corpus(
            notices=notices, organizations=dict(sorted(self._org_index.items())),
            org_surfaces={k: set(v) for k, v in sorted(self._org_surfaces.items())},
            jurisdictions=dict(sorted(self._places.items())),
            campaigns=dict(sorted(self._campaigns.items())),
            campaign_surfaces={k: set(v) for k, v in sorted(self._campaign_surfaces.items())},
            cited_notices=dict(sorted(self._cited.items())), sectors=dict(sorted(sectors.items())),
            problems=list(self.problems))


#: Which national document a "按照全国…部署" follows first, by genre; letters, calls for
#: slogans and slogan pages deploy no Quality Month and are never followed.
_FOLLOWED_GENRES = {"notice": 0, "plan": 1, "activity-list": 2}
_NOT_FOLLOWED = frozenset({"letter", "slogan-call", "slogans"})


def _dedupe(items: list) -> list:
    seen: set[str] = set()
    out = []
    for it in items:
        if it.key not in seen:
            seen.add(it.key)
            out.append(it)
    return out


#: The share of the smaller text a copy of one document holds at least: page residue,
#: spam, portal chrome and a cut change some of a copy's text, never most of it.
SAME_DOCUMENT = 0.75
#: Shingles of the smaller text the estimate must rest on (a page of a few words is no
#: evidence of anything).
_MIN_SAMPLE = 12


def _own_sketch(n: NoticeSummary) -> bytes:
    if n.sketch is None:
        raise ValueError(f"{n.path}: a summary without its sketch, and no sketch_of to ask")
    return n.sketch


def same_document(a: NoticeSummary, b: NoticeSummary,
                  sketch_of: Callable[[NoticeSummary], bytes] = _own_sketch) -> bool:
    """Whether two inputs are copies of one document: the same bytes, the same text up to
    encoding, script and layout, or — for the same known place (else the same doc number)
    and year, and no two different doc numbers — one text holding most of the other's (``SAME_DOCUMENT`` of its shingles):
    the .html and the .pdf of one notice, a mirror with page residue, spam and other line
    breaks, a copy cut short. Different documents that share a doc number (two places) or
    a place and year (a notice and the release about it) are different texts. The sketches
    (``sketch_of``) are read last: only a pair that passed every other test needs them."""
    if a.content_hash == b.content_hash or a.text_hash == b.text_hash:
        return True
    if a.doc_number and b.doc_number and a.doc_number != b.doc_number:
        return False
    if a.year != b.year or _place(a) != _place(b):
        return False
    if a.jurisdiction is None and not (a.doc_number and a.doc_number == b.doc_number):
        # an unknown place is no evidence of one place: two counties the gazetteer does not
        # know fill one template with most text in common; only a shared doc number is
        return False
    share, sample = sketch_containment(sketch_of(a), sketch_of(b))
    return sample >= _MIN_SAMPLE and share >= SAME_DOCUMENT


def _place(n: NoticeSummary) -> str | None:
    return n.jurisdiction.code if n.jurisdiction else "unknown"


def _dedupe_notices(notices: list[NoticeSummary], problems: list[str],
                    sketch_of: Callable[[NoticeSummary], bytes] | None = None
                    ) -> list[NoticeSummary]:
    """One document once: copies (``same_document``) are built from the fullest copy (most
    activities, then blocks, then the first path) and each extra copy is reported.
    Candidates are the notices of the same place and year (or the same bytes or text), so
    the comparison stays near-linear on a large corpus. Different documents that share a
    doc number are all kept."""
    kept: list[NoticeSummary] = []
    by_bytes: dict[str, NoticeSummary] = {}
    by_text: dict[str, NoticeSummary] = {}
    by_place: dict[tuple, list[NoticeSummary]] = defaultdict(list)
    # worked out once per notice, when first compared; by identity, not ``index`` (a
    # record's summary has index 0)
    sketches: dict[int, bytes] = {}

    def sketch(n: NoticeSummary) -> bytes:
        if n.sketch is not None or sketch_of is None:
            return _own_sketch(n)
        got = sketches.get(id(n))
        if got is None:
            got = sketches[id(n)] = sketch_of(n)
        return got
    # The fullest copy wins (a .txt may hold more than the .docx of one notice), then the
    # path, so the choice does not depend on input order.
    for n in sorted(notices, key=lambda n: (-n.n_activities, -n.n_blocks, n.path)):
        first = by_bytes.get(n.content_hash) or by_text.get(n.text_hash)
        why = "same content"
        if first is None:
            first = next((o for o in by_place[(_place(n), n.year)] if same_document(o, n, sketch)), None)
            why = "same document (most of its text is in the other copy)"
        if first is not None:
            problems.append(f"{n.path}: {why} as {first.path} (kept once)")
            continue
        by_bytes.setdefault(n.content_hash, n)
        by_text.setdefault(n.text_hash, n)
        by_place[(_place(n), n.year)].append(n)
        kept.append(n)
    return kept


def _distinct_keys(notices: list[NoticeSummary], problems: list[str]) -> list[NoticeSummary]:
    """``notices`` with distinct keys: different documents whose keys meet (one doc number
    in two places, 平市监质〔2021〕2号 of 平潭县 and of 平顶山市) each get their place code
    after the key, and a short hash of their text if that is not enough; a warning names
    every file of the group. The keys depend only on the group, not on input order."""
    groups: dict[str, list[NoticeSummary]] = defaultdict(list)
    for n in notices:
        groups[n.key].append(n)
    out: list[NoticeSummary] = []
    for key, group in groups.items():
        if len(group) == 1:
            out += group
            continue
        group = sorted(group, key=lambda n: (n.path, n.text_hash))
        new = {n.index: f"{key}-{(n.jurisdiction.code or 'cn') if n.jurisdiction else 'unknown'}"
               for n in group}
        if len(set(new.values())) < len(group):
            new = {n.index: f"{new[n.index]}-{n.text_hash[:8]}" for n in group}
        names = ", ".join(f"{n.path} as {new[n.index]}" for n in group)
        for n in group:
            problems.append(f"{n.path}: doc number {n.doc_number or key} is shared by "
                            f"different documents, all kept: {names}")
            out.append(replace(n, key=new[n.index]))
    return out


def rekeyed(n: ResolvedNotice, key: str) -> ResolvedNotice:
    """``n`` under another key (``_distinct_keys``): its activities' IRIs follow."""
    if n.key == key:
        return n
    acts = [replace(a, iri=activity_iri_text(key, a.local), notice_key=key) for a in n.activities]
    return replace(n, key=key, activities=acts)


__all__ = ["NoticeSummary", "Resolver", "notice_key", "rekeyed", "same_document",
           "text_sketch"]
