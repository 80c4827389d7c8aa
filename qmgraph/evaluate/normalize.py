"""How labels are compared: both sides normalized the same way (NFKC, OpenCC ``t2s``,
whitespace removed; campaign names also lose quotes and 、·，).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from qmgraph.ingest.normalize import opencc_converter

# ---------------------------------------------------------------- normalization

_WS_RE = re.compile(r"\s+")
_CAMPAIGN_DROP_RE = re.compile(r"[\s“”‘’\"'「」『』、·•・，,]+")


@lru_cache(maxsize=200_000)
def normalize(text: str) -> str:
    """The form every label comparison uses: NFKC, simplified script, no whitespace."""
    s = unicodedata.normalize("NFKC", str(text))
    s = opencc_converter("t2s").convert(s)
    return _WS_RE.sub("", unicodedata.normalize("NFKC", s))


@lru_cache(maxsize=50_000)
def normalize_campaign(text: str) -> str:
    """Campaign-name form: ``normalize`` plus quotes “”‘’"'「」, 、·， and commas removed."""
    s = opencc_converter("t2s").convert(unicodedata.normalize("NFKC", str(text)))
    return _CAMPAIGN_DROP_RE.sub("", unicodedata.normalize("NFKC", s))
