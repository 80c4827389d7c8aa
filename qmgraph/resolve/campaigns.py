"""Campaign labels → ``Campaign`` nodes with their series (昆仑2022 → series 昆仑, 2022)."""

from __future__ import annotations

import re
import unicodedata

from qmgraph.model import Campaign
from qmgraph.namespaces import slug

_TRAILING_YEAR = re.compile(r"^(.{2,}?)((?:19|20)\d{2})$")


def campaign_label(surface: str) -> str:
    """The canonical label: NFKC, no quotes/spaces/list marks (“金融标准 为民利企” =
    “金融标准、为民利企”)."""
    s = unicodedata.normalize("NFKC", surface)
    return re.sub(r"[“”‘’\"'「」『』\s、·，,]", "", s)


def resolve_campaign(surface: str) -> Campaign:
    label = campaign_label(surface)
    m = _TRAILING_YEAR.match(label)
    if m:
        base, year = m.group(1), int(m.group(2))
        return Campaign(key=slug(label), label=label, series=slug(base), series_label=base, year=year)
    return Campaign(key=slug(label), label=label)
