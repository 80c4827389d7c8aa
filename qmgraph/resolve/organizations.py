"""Resolve organization surfaces to canonical organizations.

A notice names organizations the way its authors speak: "省公安厅", "市市场监管局",
"人行成都分行", "团市委", "教 育 部". :class:`OrganizationResolver` turns each surface,
read against the notice's own jurisdiction, into a :class:`qmgraph.model.Organization`
with its full official label (四川省公安厅), a deterministic key
(``510000/public-security``), its sector, level, English label where an official pattern
exists, its same-sector ``counterpart`` one level up and, for vertical branches
(海关, 中国人民银行, 国家税务总局 …), the ``parent`` it belongs to.

All naming knowledge lives in three tables under ``data/`` (sectors, aliases, the org
lexicon: ``docs/decisions/0004-organizations.md``), read and indexed by
``qmgraph.lexicon.organizations``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from qmgraph.lexicon.organizations import (
    ALIASES_CSV,
    ALL_LEVELS,
    LEXICON_CSV,
    SECTORS_CSV,
    SLOT_RE,
    STEM_COLUMNS,
    Branch,
    GazetteerLike,
    Sector,
    clean_surface,
    org_tables,
    short_name,
    split_cell,
)
from qmgraph.model import Jurisdiction, Organization
from qmgraph.namespaces import pinyin_word, slug

#: Most entries a memo of the resolver keeps before it starts again (bounded memory).
_MEMO_SIZE = 65536


class OrganizationResolver:
    """Surface + notice jurisdiction → canonical :class:`Organization`.

    ``gazetteer`` is a ``qmgraph.lexicon.places.Gazetteer`` (or anything with its
    ``nation``, ``get``, ``find`` and ``find_all``). Results are cached per
    ``(surface, context.code)``; resolution is deterministic.
    """

    def __init__(self, gazetteer: GazetteerLike, sectors_path: str | Path | None = None,
                 aliases_path: str | Path | None = None,
                 lexicon_path: str | Path | None = None) -> None:
        self.gazetteer = gazetteer
        self.tables = org_tables(str(sectors_path or SECTORS_CSV),
                                 str(aliases_path or ALIASES_CSV),
                                 str(lexicon_path or LEXICON_CSV))
        self._cache: dict[tuple[str, str | None], Organization] = {}
        self._governments: dict[str | None, Organization] = {}
        self._chains: dict[tuple[str, str | None], list[tuple[int, int, Jurisdiction]]] = {}

    # ------------------------------------------------------------------ public API

    def sector(self, key: str) -> Sector:
        """The sector with this key (KeyError if the table has none)."""
        return self.tables.sectors[key]

    def sectors(self) -> list[Sector]:
        """All sectors in table order."""
        return list(self.tables.sectors.values())

    def government(self, j: Jurisdiction) -> Organization:
        """The people's government of ``j`` (国务院 for the nation): key ``{code}/government``."""
        gov = self._governments.get(j.code)
        if gov is None:
            gov = self._governments[j.code] = self._government(j)
        return gov

    def _government(self, j: Jurisdiction) -> Organization:
        sector = "government"
        row = self.tables.rows[sector]
        if j.code is None:
            return self._national(sector)
        stem = split_cell(row[STEM_COLUMNS[j.level]])[0]
        return self._agency(stem, sector, j)

    def by_key(self, key: str) -> Organization | None:
        """The organization a sector key names (``cn/water``, ``350900/market-regulation``).

        Used to materialize counterparts and parents that no notice named; the label uses
        the level's first stem in the table. None for slug keys and branch keys.
        """
        code, _, sector = key.partition("/")
        row = self.tables.rows.get(sector)
        if row is None:
            return None
        if code == "cn":
            return self._national(sector) if row["national_name"] else None
        j = self._get(code)
        column = STEM_COLUMNS.get(j.level) if j is not None else None
        stems = split_cell(row[column]) if column else []
        if j is None or not stems:
            return None
        return self._agency(stems[0], sector, j)

    def name_rank(self, org: Organization) -> int | None:
        """The place in its sector's stems at its level (``sectors.csv``, in table order:
        today's names first, an earlier body's folded in after them, decision 0043) of the
        longest stem ``org``'s label ends with; None: no agency, or no such stem. Decides
        which name labels a node several names resolve to."""
        row = self.tables.rows.get(org.sector or "")
        column = STEM_COLUMNS.get(org.level)
        if org.kind != "agency" or row is None or column is None:
            return None
        found = [(len(stem), -i) for i, stem in enumerate(split_cell(row[column]))
                 if stem and org.label.endswith(stem)]
        return -max(found)[1] if found else None

    def resolve(self, surface: str, context: Jurisdiction) -> Organization:
        """Resolve one organization name as written in a notice of ``context``.

        Never returns None for a non-empty name: an unknown name becomes an organization
        keyed by the slug of its label. Raises ValueError for an empty name.
        """
        key = (surface, context.code)
        org = self._cache.get(key)
        if org is None:
            org = self._resolve(surface, context)
            self._cache[key] = org
        return org

    # ------------------------------------------------------------------ resolution

    def _resolve(self, surface: str, ctx: Jurisdiction) -> Organization:
        t = self.tables
        name = clean_surface(surface)
        if not name:
            raise ValueError("empty organization name")
        for prefix in t.strip_prefixes:
            if name.startswith(prefix) and len(name) > len(prefix):
                name = name[len(prefix) :]
                break

        sector = t.national.get(name)
        if sector:
            return self._national(sector)

        branch = self._branch(name, ctx)
        if branch:
            return branch

        for place, body, _how in self._splits(name, ctx):
            match = self._match_body(body)
            if match is None:
                continue
            canonical, sector, inner = match
            j = place
            if canonical.startswith(self.tables.national_prefixes) \
                    and not SLOT_RE.search(canonical):
                j = self.gazetteer.nation  # 中消协 = 中国消费者协会, wherever it is named
            if inner is not None:
                inner_j = self._place(inner, ctx)
                if inner_j is None:
                    continue  # 市场监管委 is not {place}委
                if j is None or self._inside(inner_j, j):
                    j = inner_j  # 四川省 + 成都市委: the place inside the name is nearer
            if j is None:
                j = self._default_place(canonical, ctx)
            return self._agency(canonical, sector, j)
        sub = self._sub_branch(name, ctx)
        if sub is not None:
            return sub
        return self._unknown(name, ctx)

    def _splits(
        self, name: str, ctx: Jurisdiction
    ) -> Iterator[tuple[Jurisdiction | None, str, str]]:
        """Ways to read ``name`` as (place, rest, how), most specific first.

        An explicit place at the start (重庆市…, 成都…), then a relative marker
        (省/市/区…: the notice's own place or its ancestor), then no place at all.
        """
        t = self.tables
        # A chain of places (浙江省湖州市…, 广西壮族自治区玉林市容县…): the deepest first,
        # so the name is the agency of the last place; the shallower splits follow.
        for start, end, j in reversed(self._leading_places(name, ctx)):
            before = name[:start]
            written = {name[:end]} | {
                before + n for n in (j.name, *j.short_names) if n and name.startswith(before + n)
            }
            # Longest first, but also shorter ones: 成都市场监管局 = 成都 + 市场监管局.
            for prefix in sorted(written, key=len, reverse=True):
                if len(name) > len(prefix):
                    yield j, name[len(prefix) :], "explicit"
        for marker, _ in t.relative:
            if name.startswith(marker) and len(name) > len(marker):
                j = self._relative(marker, ctx)
                if j is not None:
                    yield j, name[len(marker) :], "relative"
        yield None, name, "none"

    def _leading_places(self, name: str, ctx: Jurisdiction) -> list[tuple[int, int, Jurisdiction]]:
        """The places written one after another at the start of ``name``, outermost first.

        The first is any division the gazetteer finds at position 0 (the notice's province
        deciding namesakes); each next one must follow directly and lie inside the one
        before, looked up in its scope (北京市|朝阳区, 浙江省|湖州市, 广西壮族自治区|玉林市|容县).
        Kept per (name, province): one name is read this way several times per notice.
        """
        province = self._province(ctx)
        key = (name, province.code if province else None)
        chain = self._chains.get(key)
        if chain is None:
            if len(self._chains) >= _MEMO_SIZE:
                self._chains.clear()
            chain = self._chains[key] = self._places_at_start(name, province)
        return list(chain)

    def _places_at_start(self, name: str, province: Jurisdiction | None
                         ) -> list[tuple[int, int, Jurisdiction]]:
        spans = self.gazetteer.find_all(name, within=province.code if province else None)
        if not any(s == 0 for s, _, _ in spans) and province is not None:
            spans = self.gazetteer.find_all(name)
        first = next((sp for sp in spans if sp[0] == 0 and sp[2].code is not None), None)
        if first is None:
            return []
        chain = [first]
        while chain[-1][1] < len(name):
            _, end, outer = chain[-1]
            found = self.gazetteer.find_all(name[end:], within=outer.code)
            if not found or found[0][0] != 0 or not self._inside(found[0][2], outer):
                break
            chain.append((end, end + found[0][1], found[0][2]))
        return chain

    def _inside(self, inner: Jurisdiction, outer: Jurisdiction) -> bool:
        """Whether ``inner`` lies strictly inside ``outer`` (the nation contains all)."""
        if inner.code is None or inner.code == outer.code:
            return False
        return outer.code is None or any(a.code == outer.code for a in self._chain(inner)[1:])

    def _match_body(self, body: str) -> tuple[str, str | None, str | None] | None:
        """``(canonical stem, sector, place written inside)`` for a known body, else None."""
        t = self.tables
        if body in t.stems:
            return body, t.stems[body][0], None
        full = t.alias.get(body)
        if full is not None:
            return full, self._stem_sector(full), None
        for regex, template, sector in t.stem_templates:
            m = regex.match(body)
            if m:
                return template, sector, m["p"]
        for regex, full in t.alias_templates:
            m = regex.match(body)
            if m:
                if "{seat}" in full:
                    continue  # vertical-branch aliases are handled by _branch
                return full, self._stem_sector(full), m["p"]
        # 交通运输委 → 交通运输委员会: a short ending of any stem (lexicon short-suffix).
        for short, full_ending in t.short_suffixes:
            stem = body[: -len(short)] + full_ending
            if body.endswith(short) and stem in t.stems:
                return stem, t.stems[stem][0], None
        return None

    def _stem_sector(self, stem: str) -> str | None:
        t = self.tables
        if stem in t.stems:
            return t.stems[stem][0]
        return t.template_sector.get(stem)

    def _branch(self, name: str, ctx: Jurisdiction) -> Organization | None:
        """A vertical branch (成都海关, 人行成都分行, 省税务局…) or None."""
        t = self.tables
        candidates = [name]
        for regex, full in t.alias_templates:
            m = regex.match(name)
            if m and "{seat}" in full:
                candidates.append(full.replace("{seat}", m["p"]).replace("{place}", m["p"]))
        for cand in candidates:
            for br in t.branches:
                m = br.regex.match(cand)
                if not m:
                    continue
                seat = m["p"]
                if seat.startswith(t.not_start):
                    continue
                j = self._place(seat, ctx)
                if j is not None and j.code is None:
                    return self._national(br.sector)
                if j is None and (br.prefix or br.slot == "place" or not 2 <= len(seat) <= 4):
                    # Only a branch with a fixed name shape (…海关) may have a seat
                    # that is not a division (拱北海关); others must name a place.
                    continue
                return self._make_branch(br, seat, j, ctx)
        return None

    def _make_branch(
        self, br: Branch, seat: str, j: Jurisdiction | None, ctx: Jurisdiction
    ) -> Organization:
        is_relative = any(seat == marker for marker, _ in self.tables.relative)
        if j is not None and br.slot == "place":
            seat_text = j.name
        elif j is not None and is_relative:
            seat_text = short_name(j)
        else:
            seat_text = seat
        label = br.prefix + seat_text + br.suffix
        tag = self._branch_tag(br)
        if j is not None:
            key = f"{j.code}/{br.sector}{tag}"
            code, level = j.code, j.level
        else:
            province = self._province(ctx)
            code = province.code if province else None
            level = province.level if province else "national"
            key = f"{code or 'cn'}/{br.sector}-{slug(seat)}"
        return Organization(key=key, label=label, kind="agency", sector=br.sector,
                            jurisdiction=code, level=level, parent=self._central_key(br.sector))

    def _central_key(self, sector: str) -> str:
        """Key of the central body a vertical sector's branches belong to."""
        return f"cn/{self.tables.sectors[sector].branch_of or sector}"

    def _sub_branch(self, name: str, ctx: Jurisdiction) -> Organization | None:
        """An agency's branch in one of its districts: agency + seat + ``分局`` (lexicon).

        湖州市公安局南浔分局 → parent 湖州市公安局; when the seat is a district of the
        agency's place the branch is that district's agency (``330503/public-security``,
        the key 区公安局 gets there), else ``{city}/{sector}-{slug(seat)}`` (开发区分局).
        """
        for suffix in self.tables.sub_branch_suffixes:
            stem = name[: -len(suffix)]
            if not name.endswith(suffix) or len(stem) < 3:
                continue
            for cut in range(len(stem) - 1, 1, -1):  # longest agency name first
                head, seat = stem[:cut], stem[cut:]
                if seat.startswith(self.tables.not_start):
                    continue
                up = self.resolve(head, ctx)
                if up.sector is None or up.jurisdiction is None:
                    continue
                outer = self._get(up.jurisdiction)
                if outer is None:
                    continue
                district = self._district(seat, outer)
                if district is not None:
                    key, where = f"{district.code}/{up.sector}", district
                else:
                    key, where = f"{outer.code}/{up.sector}-{slug(seat)}", outer
                return Organization(key=key, label=up.label + seat + suffix, kind="agency",
                                    sector=up.sector, jurisdiction=where.code,
                                    level=where.level, parent=up.key)
        return None

    def _district(self, seat: str, outer: Jurisdiction) -> Jurisdiction | None:
        """The one division inside ``outer`` that ``seat`` names, with or without its
        ending (南浔 = 南浔区: the endings are the lexicon's relative markers)."""
        found: dict[str, Jurisdiction] = {}
        for text in (seat, *(seat + marker for marker, _ in self.tables.relative)):
            j = self.gazetteer.find(text, within=outer.code)
            if j is not None and j.code is not None and self._inside(j, outer):
                found[j.code] = j
            if found and text == seat:
                break
        return next(iter(found.values())) if len(found) == 1 else None

    def _national(self, sector: str) -> Organization:
        s = self.tables.sectors[sector]
        return Organization(key=f"cn/{sector}", label=s.national_name, kind="agency",
                            sector=sector, jurisdiction=None, level="national",
                            english=s.national_en or None)

    def _agency(self, canonical: str, sector: str | None, j: Jurisdiction) -> Organization:
        """An organization of a known stem placed in ``j``."""
        t = self.tables
        if j.code is None:
            if sector and t.sectors[sector].national_name:
                return self._national(sector)
            label = SLOT_RE.sub("", canonical)
            return Organization(key=f"cn/{slug(label)}", label=label,
                                kind="agency" if sector else self._kind(label), sector=sector)
        # 气象局, 市税务局 named by a stem: the same branch its template gives. A stem no
        # branch template ends with (质量技术监督局 beside the {seat}出入境检验检疫局 of one
        # sector) names the place's own agency, not a branch of the central body.
        br = self._stem_branch(canonical, sector)
        if br is not None:
            return self._make_branch(br, j.name if br.slot == "place" else short_name(j), j, j)
        if SLOT_RE.search(canonical):
            label = SLOT_RE.sub(j.name, canonical)
        else:
            label = j.name + canonical
        if sector is None:
            return self._named(label, j)
        return Organization(key=f"{j.code}/{sector}", label=label, kind="agency", sector=sector,
                            jurisdiction=j.code, level=j.level,
                            english=self._english(canonical, sector, j),
                            counterpart=self._counterpart(sector, j))

    def _named(self, label: str, j: Jurisdiction) -> Organization:
        """An organization of ``j`` known by its name only (no sector): keyed by the name."""
        return Organization(key=f"{j.code or 'cn'}/{slug(label)}", label=label,
                            kind=self._kind(label), jurisdiction=j.code,
                            level=j.level if j.code else "national")

    def _stem_branch(self, canonical: str, sector: str | None) -> Branch | None:
        """The branch template of a vertical ``sector`` whose ending is the stem
        ``canonical`` (市气象局 → {place}气象局), else None."""
        if sector is None or not self.tables.sectors[sector].vertical:
            return None
        return next((b for b in self.tables.branches
                     if b.sector == sector and b.suffix == canonical), None)

    def _branch_tag(self, br: Branch) -> str:
        """What a branch's key adds after its sector: nothing for the sector's first
        template, unless the sector's own stems name local agencies that end otherwise (then
        those agencies take the plain key: 金华市质量技术监督局, not 金华出入境检验检疫局)."""
        own = {stem for stem, (sec, _lv) in self.tables.stems.items() if sec == br.sector}
        if br.index == 0 and (not own or br.suffix in own):
            return ""
        return "-" + slug(br.suffix)

    def _unknown(self, name: str, ctx: Jurisdiction) -> Organization:
        """A name the tables do not know: keep it, complete a relative place prefix."""
        t = self.tables
        j: Jurisdiction | None = None
        label = name
        for place, body, how in self._splits(name, ctx):
            if place is None:
                break
            if how == "explicit":
                j = place  # explicit place: keep the name as written
                break
            if not name.startswith(t.relative_blockers):
                j, label = place, place.name + body
                break
        if j is None:
            if name.startswith(t.national_prefixes) or ctx.code is None:
                j = self.gazetteer.nation
            else:
                j = ctx
        return self._named(label, j)

    def _kind(self, label: str) -> str:
        t = self.tables
        if any(m in label for m in t.enterprise_markers) or label.endswith(t.enterprise_suffixes):
            return "enterprise"
        if label.endswith(t.association_suffixes):
            return "association"
        return "agency"

    # ------------------------------------------------------------------ places

    def _get(self, code: str) -> Jurisdiction | None:
        """The division with ``code``, None when the gazetteer does not know it."""
        try:
            return self.gazetteer.get(code)
        except KeyError:  # the real Gazetteer raises; fakes may return None
            return None

    def _chain(self, ctx: Jurisdiction) -> list[Jurisdiction]:
        """``ctx`` and its ancestors below the nation, nearest first."""
        chain: list[Jurisdiction] = []
        j: Jurisdiction | None = ctx
        while j is not None and j.code is not None and len(chain) < 6:
            chain.append(j)
            j = self._get(j.parent) if j.parent else None
        return chain

    def _province(self, ctx: Jurisdiction) -> Jurisdiction | None:
        chain = self._chain(ctx)
        return chain[-1] if chain else None

    def _relative(self, marker: str, ctx: Jurisdiction) -> Jurisdiction | None:
        """The place a relative marker stands for in a notice of ``ctx`` (省 → its province)."""
        level = dict(self.tables.relative).get(marker, "")
        for j in self._chain(ctx):
            if (level and j.level == level) or (not level and j.name.endswith(marker)):
                return j
        return None

    def _place(self, text: str, ctx: Jurisdiction) -> Jurisdiction | None:
        """A place written inside a name: a relative marker or a division name."""
        if any(text == marker for marker, _ in self.tables.relative):
            return self._relative(text, ctx)
        province = self._province(ctx)
        j = None
        if province is not None:
            j = self.gazetteer.find(text, within=province.code)
        j = j or self.gazetteer.find(text)
        if j is None:  # a chain of places (广西玉林市容县) resolves to its last one
            chain = self._leading_places(text, ctx)
            if chain and chain[-1][1] == len(text):
                j = chain[-1][2]
        return j

    def _default_place(self, canonical: str, ctx: Jurisdiction) -> Jurisdiction:
        """Where an agency named without a place sits: the context, or the nearest
        ancestor at a level that has such agencies (公安厅 in a city notice → province)."""
        if ctx.code is None:
            return ctx
        entry = self.tables.stems.get(canonical)
        levels = entry[1] if entry else ALL_LEVELS
        for j in self._chain(ctx):
            if j.level in levels:
                return j
        return ctx

    def _counterpart(self, sector: str, j: Jurisdiction) -> str | None:
        """Key of the same-sector organization one level above ``j``, if that level has one."""
        if j.code is None:
            return None
        up = self._get(j.parent) if j.parent else None
        row = self.tables.rows[sector]
        if up is None or up.code is None:
            return f"cn/{sector}" if row["national_name"] else None
        column = STEM_COLUMNS.get(up.level)
        if column and row[column]:
            return f"{up.code}/{sector}"
        return None

    def _english(self, canonical: str, sector: str, j: Jurisdiction) -> str | None:
        """English label by the official pattern for the stem's ending, if any."""
        t = self.tables
        if SLOT_RE.search(canonical):
            return None  # party and mass bodies (中共…委宣传部) follow no such pattern
        label_en = t.en_sector.get(canonical) or t.sectors[sector].label_en
        pattern = next((v for k, v in t.en_pattern if canonical.endswith(k)), None)
        adjective = next((v for k, v in t.en_adjective if j.name.endswith(k)), None)
        if not (pattern and adjective and label_en):
            return None
        short = short_name(j)
        place = t.en_place.get(short) or pinyin_word(short)
        words = re.split(r"(\s+|-)", label_en)
        title = "".join(w if w in ("and", "of", "for") else w[:1].upper() + w[1:] for w in words)
        return pattern.format(place=place, adj=adjective, sector=title)
