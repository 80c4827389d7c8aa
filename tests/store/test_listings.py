"""The listings a build records beside its store (``qmgraph.listings``, decision 0036):
the same rows, in the same order, as the query run on the store — for the seeds, for a
five-year synthetic build, and after a cached rebuild that edited a notice — and nothing
recorded for a query text other than the one reviewed."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

import qmgraph.listings
import qmgraph.store
from qmgraph.listings import LISTINGS, merge_listings, rq_digest
from qmgraph.pipeline import build
from qmgraph.query import bind, load_query, run_query
from qmgraph.query.run import clear_cache
from qmgraph.store import fresh_store, recorded_answer

SEEDS = Path(__file__).resolve().parents[2] / "data" / "raw"
NAMES = sorted(LISTINGS)


def _recorded_and_live(graph: Path, name: str, monkeypatch: pytest.MonkeyPatch
                       ) -> tuple[str, str]:
    """The query's TSV read from the record, and run on the store (record hidden)."""
    clear_cache()
    assert recorded_answer(graph, bind(load_query(name), None)) is not None, name
    recorded = run_query(name, graph=graph).to_tsv()
    with monkeypatch.context() as m:
        m.setattr(qmgraph.store, "recorded_answer", lambda *a: None)
        clear_cache()
        live = run_query(name, graph=graph).to_tsv()
    return recorded, live


@pytest.fixture(scope="module")
def seeds_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("listings-seeds")
    build([SEEDS], out, formats=("trig",), record_listings=True)
    return out / "qmgraph.trig"


@pytest.mark.parametrize("name", NAMES)
def test_seed_listings_are_the_querys_rows(seeds_built: Path, name: str,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    recorded, live = _recorded_and_live(seeds_built, name, monkeypatch)
    assert recorded == live
    assert recorded.count("\n") > 1, "the seeds give this listing rows"
    # the Python API's typed values too (ints, decimals, IRIs made from the cells)
    clear_cache()
    typed = run_query(name, graph=seeds_built).typed
    with monkeypatch.context() as m:
        m.setattr(qmgraph.store, "recorded_answer", lambda *a: None)
        clear_cache()
        assert run_query(name, graph=seeds_built).typed == typed


@pytest.mark.parametrize("options", [{"validate": False, "record_listings": True}, {},
                                     {"formats": ("ttl",), "record_listings": True}])
def test_no_listing_unless_asked_and_validated(tmp_path: Path, options: dict) -> None:
    """The rows come from the validation groups' stores, when asked (they cost build
    time): no validation or not asked, no listing (the query runs on the store); nor for
    a store of a Turtle file (no named graphs: the listings find nothing there)."""
    build([SEEDS], tmp_path, **{"formats": ("trig",), **options})
    graph = tmp_path / ("qmgraph.ttl" if "formats" in options else "qmgraph.trig")
    info = fresh_store(graph)
    assert info is not None and info.stamp["answer_files"] == []
    # the summary's counts still are (from the named graphs' chunks)
    assert bool(info.stamp["answers"]) == ("formats" not in options)


def test_listings_follow_a_cached_rebuild(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                          ) -> None:
    """Five years of synthetic notices (several validation groups, rows merged across
    them); then one notice edited and built again from the cache: the recorded rows are
    the new graph's, only the edited year's group ran the listings again."""
    from qmgraph.synth import generate

    generate(60, 7, tmp_path / "c", years=(2019, 2023))
    src, out = tmp_path / "c" / "notices", tmp_path / "out"
    graph = out / "qmgraph.trig"
    first = build([src], out, formats=("trig",), cache=True, record_listings=True)
    assert first.reuse["validation"]["groups"] > 2
    before = {}
    for name in NAMES:
        before[name], live = _recorded_and_live(graph, name, monkeypatch)
        assert before[name] == live, name
    # an edit that changes activity texts, hence the mirror listings' text columns
    def utf8(p: Path) -> str:
        try:
            return p.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            return ""  # the corpus has GBK files too

    victim = max(sorted(src.glob("*.txt")), key=lambda p: utf8(p).count("开展"))
    victim.write_text(utf8(victim).replace("开展", "组织开展"), encoding="utf-8")
    ran: list[int] = []
    real = qmgraph.listings.group_listings
    monkeypatch.setattr(qmgraph.listings, "group_listings",
                        lambda store: ran.append(1) or real(store))
    second = build([src], out, formats=("trig",), cache=True, record_listings=True)
    assert 1 <= len(ran) < second.reuse["validation"]["groups"]
    changed = 0
    for name in NAMES:
        recorded, live = _recorded_and_live(graph, name, monkeypatch)
        assert recorded == live, name
        changed += recorded != before[name]
    assert changed, "the edit shows in some listing"


def test_another_query_text_is_not_recorded(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """A listing whose .rq is not the text reviewed is left to the store, the others kept."""
    monkeypatch.setitem(LISTINGS, "joint-organizers",
                        qmgraph.listings.Recorded("0" * 64))
    build([SEEDS], tmp_path, formats=("trig",), record_listings=True)
    graph = tmp_path / "qmgraph.trig"
    assert recorded_answer(graph, bind(load_query("joint-organizers"), None)) is None
    assert recorded_answer(graph, bind(load_query("implements-chain"), None)) is not None
    assert len(fresh_store(graph).stamp["answer_files"]) == len(NAMES) - 1  # type: ignore[union-attr]


@pytest.mark.parametrize("name", NAMES)
def test_digest_is_that_of_the_query(name: str) -> None:
    """Editing a recorded listing's .rq means checking the reasoning of qmgraph/listings.py
    still holds for it, then updating its digest there."""
    assert rq_digest(name) == LISTINGS[name].rq_digest


def _cell(v: str) -> list[str]:
    return ["literal", v, "http://www.w3.org/2001/XMLSchema#string"]


def _part(name: str, cols: list[str], *rows: list[str]) -> dict:
    return {name: {"columns": cols, "rows": [[_cell(v) for v in r] for r in rows]}}


def test_merge_unites_sorts_and_refuses_split_groups() -> None:
    """Rows of several groups: repeats dropped, sorted by the ORDER BY; a grouped listing
    whose key two groups aggregated apart, or a group without the listing, records nothing."""
    from qmgraph.store import query_digest

    jo = load_query("joint-organizers")
    cols = ["year", "rank", "place", "level", "agency", "sector", "edition"]
    a = _part("joint-organizers", cols, ["2021", "1", "b", "P", "x", "", "e2"])
    b = _part("joint-organizers", cols, ["2020", "1", "a", "P", "x", "", "e1"],
              ["2021", "1", "b", "P", "x", "", "e2"])
    got = merge_listings([a, b])[query_digest(bind(jo, None))]
    assert [r[0][1] for r in got["rows"]] == ["2020", "2021"]
    assert merge_listings([a, None]) .get(query_digest(bind(jo, None))) is None

    cs = load_query("campaign-spread")
    cols = ["campaign", "series", "year", "rank", "level", "place", "agency", "activities"]
    one = _part("campaign-spread", cols, ["c", "", "2020", "1", "P", "p", "x", "2"])
    other = _part("campaign-spread", cols, ["c", "", "2020", "1", "P", "p", "x", "2"])
    key = query_digest(bind(cs, None))
    assert key not in merge_listings([one, other])  # 2 + 2 activities: not 2
    apart = _part("campaign-spread", cols, ["c", "", "2021", "1", "P", "p", "x", "5"])
    assert [r[2][1] for r in merge_listings([apart, one])[key]["rows"]] == ["2020", "2021"]


def test_a_blank_node_leaves_the_listing_out(monkeypatch: pytest.MonkeyPatch) -> None:
    """A blank node's label in a group's store is not the build store's: a listing whose
    rows hold one is not recorded; the group's other listings are."""
    st = ox.Store()
    st.add(ox.Quad(ox.BlankNode("b"), ox.NamedNode("urn:p"), ox.NamedNode("urn:o"),
                   ox.NamedNode("urn:g")))
    Listing = qmgraph.listings.Listing
    monkeypatch.setattr(qmgraph.listings, "listings", lambda: [
        Listing("subjects", "", "SELECT ?s WHERE { ?s ?p ?o }", (), ()),
        Listing("objects", "", "SELECT ?o WHERE { ?s ?p ?o }", (), ()),
    ])
    got = qmgraph.listings.group_listings(st)
    assert got == {"objects": {"columns": ["o"], "rows": [(("iri", "urn:o", ""),)]}}
    assert qmgraph.listings._encode(ox.NamedNode("urn:x")) == ("iri", "urn:x", "")
    with pytest.raises(ValueError):
        qmgraph.listings._encode(ox.BlankNode("b"))


def _iri(v: str) -> list[str]:
    return ["iri", f"urn:{v}", ""]


def test_solutions_merge_counts_distinct_values_across_groups() -> None:
    """most-copied-agencies is merged from the groups' solutions: an agency copied in two
    groups (years) gets its copies added, but a place both groups copied it in counted
    once (COUNT(DISTINCT ?place) is not a sum), and a solution two groups found once."""
    from qmgraph.store import query_digest

    (li,) = [x for x in qmgraph.listings.listings() if x.name == "most-copied-agencies"]
    assert li.solutions is not None and "place" in li.solutions.counted
    cols = list(li.solutions.names)
    one = ["1", "http://www.w3.org/2001/XMLSchema#integer"]

    def sol(agency: str, low: str, place: str, high: str, grade: str | None) -> list:
        cells = {"agency": ["lang", agency, "zh"], "level": "National", "low": _iri(low),
                 "place": _iri(place), "high": _iri(high),
                 "verbatim": _iri(low) if grade == "verbatim" else None,
                 "adapted": _iri(low) if grade == "adapted" else None,
                 "_param_min_copies": ["literal", *one]}
        return [cells[c] for c in cols]

    y1 = {li.name: {"columns": cols, "rows": [sol("甲", "a1", "p1", "h1", "verbatim"),
                                               sol("甲", "a2", "p2", "h1", None),
                                               sol("乙", "a3", "p1", "h2", "adapted")]}}
    y2 = {li.name: {"columns": cols, "rows": [sol("甲", "b1", "p1", "h3", "adapted"),
                                               sol("乙", "a3", "p1", "h2", "adapted")]}}
    got = merge_listings([y1, y2])[query_digest(li.text)]
    assert got["columns"] == ["agency", "level", "copies", "places", "copied_activities",
                              "verbatim_copies", "adapted_copies"]

    def n(c: list) -> int:
        return int(c[1])

    assert [(r[0][1], n(r[2]), n(r[3]), n(r[4]), n(r[5]), n(r[6])) for r in got["rows"]] == [
        ("甲", 3, 2, 2, 1, 1),  # places p1, p2: not 1 + 2
        ("乙", 1, 1, 1, 0, 1),  # the same solution in both groups: once
    ]


@pytest.mark.parametrize("head", ["(COUNT(?low) AS ?n)", "(SUM(?x) AS ?n)",
                                  "(COUNT(DISTINCT ?low) AS ?n) (SAMPLE(?x) AS ?s)"])
def test_only_count_distinct_is_merged_from_solutions(head: str) -> None:
    """A count that reads how often a solution is found (COUNT without DISTINCT, SUM…)
    cannot be made from the groups' distinct solutions: no such form is given."""
    text = f"SELECT ?a {head} WHERE {{ ?a <urn:p> ?low OPTIONAL {{ ?a <urn:q> ?x }} }} GROUP BY ?a"
    assert qmgraph.listings._solutions_form(text) is None
    ok = "SELECT ?a (COUNT(DISTINCT ?low) AS ?n) WHERE { ?a <urn:p> ?low } GROUP BY ?a"
    partial, sol = qmgraph.listings._solutions_form(ok)  # type: ignore[misc]
    assert "SELECT DISTINCT ?a ?low" in partial and "GROUP BY" not in partial
    assert sol.counted == {"low"} and "SUM(?__count_low)" in sol.head


def test_a_counted_group_key_is_not_merged_from_solutions() -> None:
    """A variable both counted (COUNT(DISTINCT ?a)) and a group key is not counted per key
    by the merge: such a form is refused, not answered with an unbound count."""
    text = ("SELECT ?a (COUNT(DISTINCT ?a) AS ?n) (COUNT(DISTINCT ?b) AS ?m) "
            "WHERE { ?a <urn:p> ?b } GROUP BY ?a")
    assert qmgraph.listings._solutions_form(text) is None


def test_listings_key_follows_the_text_the_groups_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """The groups run ``Listing.run``, made from the canned text by code outside
    qmgraph/listings.py (query.order.split_order): kept rows of another run are not reused."""
    real = qmgraph.listings.listings()
    before = qmgraph.listings.listings_key()
    (li,) = [x for x in real if x.name == "joint-organizers"]
    other = qmgraph.listings.Listing(li.name, li.text, li.run + "LIMIT 1\n", li.order,
                                     li.aggregates, li.how, li.solutions)
    monkeypatch.setattr(qmgraph.listings, "listings",
                        lambda: [other if x is li else x for x in real])
    assert qmgraph.listings.listings_key() != before
