"""A notice's events are kept once each: replaying a repeat changes no corpus table."""

from __future__ import annotations

from pathlib import Path

import pytest

import qmgraph.resolve as resolve
from qmgraph.pipeline import expand_inputs, extract_paths
from qmgraph.resolve import Resolver

RAW = Path(__file__).resolve().parents[2] / "data" / "raw"


@pytest.fixture(scope="module")
def extracted():
    done, _problems = extract_paths(expand_inputs([RAW]))
    return done


def _tables(corpus) -> tuple:
    return (corpus.organizations, corpus.org_surfaces, corpus.jurisdictions, corpus.campaigns,
            corpus.campaign_surfaces, corpus.cited_notices, corpus.problems)


def test_distinct_events_make_the_same_tables(extracted, monkeypatch) -> None:
    kept = Resolver().corpus(extracted)
    raw_counts = []
    with monkeypatch.context() as m:
        m.setattr(resolve, "_distinct", lambda events: list(events))
        every = Resolver().corpus(extracted)
        r = Resolver()
        raw_counts = [len(r.resolve_notice_events(ex)[1]) for ex in extracted]
    assert _tables(kept) == _tables(every)
    r = Resolver()
    counts = [len(r.resolve_notice_events(ex)[1]) for ex in extracted]
    assert sum(counts) < sum(raw_counts)  # organizers named again and again


def test_problems_are_never_merged() -> None:
    ev = [("problem", "a: no year"), ("place", "x"), ("problem", "a: no year"), ("place", "x")]
    assert resolve._distinct(ev) == [("problem", "a: no year"), ("place", "x"),
                                     ("problem", "a: no year")]
