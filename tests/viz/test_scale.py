"""A 100k-triple graph loads into every view (and the page data) in a few seconds."""

from __future__ import annotations

from pathlib import Path

from qmgraph.viz import to_networkx
from qmgraph.viz.html import page_data
from qmgraph.viz.load import load_facts

QM = "https://w3id.org/qmgraph/ontology#"
ID = "https://w3id.org/qmgraph/id/"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
XINT = "^^<http://www.w3.org/2001/XMLSchema#integer>"


def synthetic(path: Path, provinces: int = 30, notices_per: int = 6, acts: int = 50) -> int:
    """Write a contract-shaped N-Quads file; returns its number of quads."""
    lines: list[str] = []
    shared = f"<{ID}graph/shared>"

    def q(s: str, p: str, o: str, g: str = shared) -> None:
        lines.append(f"{s} {p} {o} {g} .")

    cn = f"<{ID}jurisdiction/cn>"
    q(cn, RDF_TYPE, f"<{QM}Jurisdiction>")
    q(cn, LABEL, '"中华人民共和国"@zh')
    q(cn, f"<{QM}level>", f"<{QM}National>")
    nat_acts = []
    for p in range(provinces):
        code = f"{11 + p}0000"
        j = f"<{ID}jurisdiction/{code}>"
        q(j, RDF_TYPE, f"<{QM}Jurisdiction>")
        q(j, LABEL, f'"省{p}"@zh')
        q(j, f"<{QM}level>", f"<{QM}Provincial>")
        q(j, f"<{QM}partOf>", cn)
        for s in range(8):
            o = f"<{ID}org/{code}/s{s}>"
            q(o, RDF_TYPE, f"<{QM}Agency>")
            q(o, LABEL, f'"省{p}厅{s}"@zh')
            q(o, f"<{QM}jurisdiction>", j)
            q(o, f"<{QM}level>", f"<{QM}Provincial>")
        for n in range(notices_per):
            key = f"{code}-2022-n{n}"
            g = f"<{ID}graph/notice/{key}>"
            nt = f"<{ID}notice/{key}>"
            q(nt, RDF_TYPE, f"<{QM}Notice>", g)
            q(nt, "<http://purl.org/dc/terms/title>", f'"通知{key}"@zh', g)
            for a in range(acts):
                ai = f"<{ID}activity/{key}/b01-i{a:02d}>"
                q(ai, RDF_TYPE, f"<{QM}Activity>", g)
                q(ai, f"<{QM}text>", f'"省{p}开展第{a}项质量提升活动，推动质量强省建设。"@zh', g)
                q(ai, f"<{QM}notice>", nt, g)
                q(ai, f"<{QM}year>", f'"2022"{XINT}', g)
                q(ai, f"<{QM}organizer>", f"<{ID}org/{code}/s{a % 8}>", g)
                q(ai, f"<{QM}jurisdiction>", j, g)
                q(ai, f"<{QM}sourceStart>", f'"{a * 40}"{XINT}', g)
                q(ai, f"<{QM}sourceEnd>", f'"{a * 40 + 30}"{XINT}', g)
                if p == 0 and n == 0:
                    nat_acts.append(ai)
                elif a % 3 == 0 and nat_acts:
                    t = nat_acts[a % len(nat_acts)]
                    li = f"<{ID}mirror/{key}-{a}>"
                    q(ai, f"<{QM}mirrors>", t, g)
                    q(li, RDF_TYPE, f"<{QM}MirrorLink>", g)
                    q(li, f"<{QM}source>", ai, g)
                    q(li, f"<{QM}target>", t, g)
                    q(li, f"<{QM}score>", '"0.8"^^<http://www.w3.org/2001/XMLSchema#decimal>', g)
                    q(li, f"<{QM}grade>", '"adapted"', g)
                    q(li, f"<{QM}evidence>", '"开展质量提升活动"@zh', g)
                    q(li, f"<{QM}sourceStart>", f'"{a * 40 + 3}"{XINT}', g)
                    q(li, f"<{QM}sourceEnd>", f'"{a * 40 + 11}"{XINT}', g)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


def test_views_of_100k_triples(tmp_path: Path) -> None:
    """The views and the page's data hold up on a 100k-triple graph (``bench/micro.py``
    prints how long they take)."""
    path = tmp_path / "big.nq"
    assert synthetic(path) >= 100_000
    facts = load_facts(path)
    sizes = {v: to_networkx(facts, v).number_of_nodes()
             for v in ("hierarchy", "lineage", "campaigns")}
    assert sizes["lineage"] > 8000
    assert len(page_data(facts)["mirrors"]) > 2000
