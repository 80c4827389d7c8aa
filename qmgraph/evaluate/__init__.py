"""Score a qmgraph graph against hand-made gold annotations (``gold/README.md`` format).

The evaluator reads the graph exactly as ``docs/decisions/0002-graph-contract.md`` describes
it and reports precision / recall / F1 per *facet* (notices, metadata, organizers, kinds,
sectors, jurisdiction blocks, joint organizers, co-organizers, campaigns, slogans, numbered
items, boilerplate, mirrors, counterparts, branches). Counts are summed over documents
(micro average).

Library only: the CLI calls ``evaluate(load_graph(p), load_gold(g))`` and prints
``Evaluation.table()`` or ``json.dumps(Evaluation.to_json())``.

All label comparisons normalize both sides the same way: NFKC, OpenCC ``t2s``, whitespace
removed (campaign names additionally lose quotes and 、·，). The graph is read with one pass
over all triples of all named graphs into plain dictionaries, so a 200k-triple graph
evaluates in a few seconds.

The pieces: :mod:`~qmgraph.evaluate.loaders` (gold file, graph file),
:mod:`~qmgraph.evaluate.graph` (the index of the graph and the gold documents' notices),
:mod:`~qmgraph.evaluate.facets` and :mod:`~qmgraph.evaluate.mirrors` (one function per
facet), :mod:`~qmgraph.evaluate.report` (scores and their table) and
:mod:`~qmgraph.evaluate.normalize`.
"""

from __future__ import annotations

from typing import Any

from rdflib import Dataset, Graph

from qmgraph.evaluate import facets
from qmgraph.evaluate.graph import Q, _identify_notices, _Index
from qmgraph.evaluate.loaders import load_gold, load_graph
from qmgraph.evaluate.mirrors import _facet_mirrors
from qmgraph.evaluate.normalize import normalize, normalize_campaign
from qmgraph.evaluate.report import FACETS, Evaluation, FacetScore, prf
from qmgraph.namespaces import ORG

__all__ = ["FacetScore", "Evaluation", "FACETS", "load_gold", "load_graph", "evaluate",
           "normalize", "normalize_campaign", "prf"]

# ---------------------------------------------------------------- entry point


def evaluate(graph: Graph | Dataset, gold: dict[str, Any]) -> Evaluation:
    """Score ``graph`` (a Graph, or a Dataset read as the union of its graphs) against
    ``gold`` (``load_gold`` output); one ``FacetScore`` per name in ``FACETS``.

    A gold document whose notice is not in the graph counts all its items as missed.
    """
    idx = _Index(graph)
    docs, others = _identify_notices(idx, gold)
    # items of documents whose notice is missing are simply missed: every facet below
    # works on d.activities / d.editions / d.notices, which are empty then
    scores = [
        facets._facet_notices(docs, others),
        facets._facet_level(idx, docs),
        facets._facet_metadata(idx, docs),
        *facets._facet_organizers(idx, docs),  # organizers, kinds, sectors
        facets._facet_jurisdiction_blocks(idx, docs),
        facets._facet_jurisdiction_parents(idx, gold),
        facets._facet_joint_organizers(idx, docs),
        facets._facet_co_organizers(idx, docs),
        facets._facet_campaigns(idx, docs),
        facets._facet_slogans(idx, docs),
        facets._facet_numbered_items(docs),
        facets._facet_boilerplate(idx, docs),
        _facet_mirrors(idx, gold, docs),
        facets._facet_org_pairs(idx, gold.get("counterparts", []), "counterpart",
                                Q.counterpart, "counterparts"),
        facets._facet_org_pairs(idx, gold.get("branches", []), "parent",
                                ORG.subOrganizationOf, "branches"),
    ]
    assert [s.facet for s in scores] == list(FACETS)
    return Evaluation(scores)
