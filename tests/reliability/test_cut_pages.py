"""Pages are cut anywhere (web archives keep the first 2,000 bytes; mirrors drop the top):
every cut of every genre case either builds, with each activity's text exactly its span of
the normalized text, or is refused with a named reason — never an exception."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from qmgraph.errors import InputError
from qmgraph.extract import extract_notice
from qmgraph.ingest import ingest_bytes
from qmgraph.parse import parse_notice
from qmgraph.resolve import Resolver

CASES = sorted((Path(__file__).parents[1] / "cases").glob("*/input.txt"))


@pytest.mark.parametrize("path", CASES, ids=[p.parent.name for p in CASES])
def test_any_cut_of_a_page_builds_or_is_refused(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    rng = random.Random(path.parent.name)
    resolver = Resolver()
    for cut in sorted(rng.sample(range(1, len(text)), min(12, len(text) - 1))):
        for piece in (text[:cut], text[cut:]):
            try:
                src = ingest_bytes(piece.encode("utf-8"), "cut.txt")
            except InputError:
                continue
            ex = extract_notice(parse_notice(src))
            resolver.resolve_notice_events(ex)
            for a in ex.activities:
                if "\n" not in a.text:  # items joined across lines keep their first offset
                    assert src.text[a.start:a.end] == a.text, (cut, a.text)
