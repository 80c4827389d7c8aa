"""Campaign labels → ``Campaign`` nodes with their series (昆仑2022 → series 昆仑, 2022).

One node per campaign whatever the surface form: quotes, spaces and list marks go
(:func:`campaign_label`), then a level prefix (全国/全省/全市…), then known wording variants
map to one canonical name (``data/campaign_variants.tsv``); every surface stays on the node
as ``skos:altLabel``. An organization's own open day (…检测技术有限公司开放日) is a named
instance: its activity belongs to the campaign the table names (检验检测机构开放日).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from qmgraph.lexicon.words import longest_first
from qmgraph.model import Campaign
from qmgraph.namespaces import slug
from qmgraph.tables import read_table

_TRAILING_YEAR = re.compile(r"^(.{2,}?)((?:19|20)\d{2})$")
_EDITION = re.compile(r"^第[一二三四五六七八九十百零〇\d]+届")
_LEADING_YEAR = re.compile(r"^(?:19|20)\d{2}(?:年度|年)?")
#: shortest name left after cutting a level prefix (全国质量月 stays whole below this)
_MIN_AFTER_PREFIX = 4


@dataclass(frozen=True)
class CampaignVariants:
    """``data/campaign_variants.tsv``: level prefixes, wording variants, named instances."""

    prefixes: tuple[str, ...]
    variants: dict[str, str]
    enterprise_endings: tuple[str, ...]
    #: (cue in an organization's name, canonical campaign), longest cue first
    instances: tuple[tuple[str, str], ...]


@functools.lru_cache(maxsize=2)
def campaign_variants(path: str | None = None) -> CampaignVariants:
    """The variant table (default ``data/campaign_variants.tsv``), read once."""
    by: dict[str, list[tuple[str, str]]] = {}
    for r in read_table(path or "campaign_variants.tsv"):
        by.setdefault(r["kind"], []).append((r["term"], (r.get("canonical") or "").strip()))
    return CampaignVariants(
        prefixes=longest_first([t for t, _ in by.get("prefix", [])]),
        variants={campaign_label(t): campaign_label(c) for t, c in by.get("variant", [])},
        enterprise_endings=longest_first([t for t, _ in by.get("enterprise", [])]),
        instances=tuple(sorted(by.get("instance", []), key=lambda tc: (-len(tc[0]), tc))),
    )


def campaign_label(surface: str) -> str:
    """The surface without quotes/spaces/list marks (“金融标准 为民利企” = “金融标准、为民利企”),
    NFKC-normalized, and without a leading edition number (第五届) or year (2022年)."""
    s = unicodedata.normalize("NFKC", surface)
    s = re.sub(r"[“”‘’\"'「」『』\s、·，,]", "", s)
    s = _EDITION.sub("", s)
    rest = _LEADING_YEAR.sub("", s)
    return rest if len(rest) >= 2 else s


def canonical_campaign(surface: str, variants: CampaignVariants | None = None) -> tuple[str, bool]:
    """The canonical campaign name of ``surface`` and whether ``surface`` is a named
    instance (an organization's own day) rather than a name of the campaign."""
    v = variants or campaign_variants()
    label = campaign_label(surface)
    for p in v.prefixes:
        if label.startswith(p) and len(label) - len(p) >= _MIN_AFTER_PREFIX:
            label = label[len(p):]
            break
    label = v.variants.get(label, label)
    for cue, canonical in v.instances:
        ending = _shared_ending(label, canonical)
        if not ending or label == canonical:
            continue
        head = label[: len(label) - len(ending)]
        if cue in head and head.endswith(v.enterprise_endings):
            return canonical, True
    return label, False


def _shared_ending(label: str, canonical: str) -> str:
    """The campaign word both end with (开放日), at least three characters, else ""."""
    n = 0
    while n < min(len(label), len(canonical)) and label[-1 - n] == canonical[-1 - n]:
        n += 1
    return label[len(label) - n:] if n >= 3 else ""


def resolve_campaign(surface: str, year: int | None = None) -> Campaign:
    """The ``Campaign`` node ``surface`` names in ``year`` (a named instance gives its
    campaign): one node per campaign and year, each in the series of its name.

    A name with a year (昆仑2022) is that year's campaign of its series (昆仑). A name
    without one (电梯安全宣传周) run in ``year`` is the same node a yearly name would give
    (key of 电梯安全宣传周2022), in the series 电梯安全宣传周; with no year known, the
    campaign is the series' yearless node.
    """
    label, _ = canonical_campaign(surface)
    m = _TRAILING_YEAR.match(label)
    if m:
        base, y = m.group(1), int(m.group(2))
        return Campaign(key=slug(label), label=label, series=slug(base), series_label=base, year=y)
    if year is not None:
        return Campaign(key=slug(f"{label}{year}"), label=label, series=slug(label),
                        series_label=label, year=year)
    return Campaign(key=slug(label), label=label, series=slug(label), series_label=label)
