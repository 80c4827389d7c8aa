"""The lexicon: what qmgraph knows of the words of 质量月 documents, below every stage.

Knowledge lives in ``data/`` tables, each with a ``# source:`` line saying where its rows
come from (one reader, :func:`qmgraph.tables.read_table`); this package turns them into
the lookups the stages share:

* :mod:`qmgraph.lexicon.places` — the GB/T 2260 gazetteer (``Gazetteer``): names of
  places, their levels and nesting, the place a text is about;
* :mod:`qmgraph.lexicon.organizations` — organization names and sectors (``OrgTables``,
  ``org_name_length``);
* :mod:`qmgraph.lexicon.words` — word and pattern tables (``words``, ``patterns``…).

Parse, extract and resolve read the lexicon; the lexicon imports no stage
(``scripts/check_layers.py``, docs/decisions/0017-lexicon-layer.md).
"""

from __future__ import annotations

from qmgraph.tables import read_table

__all__ = ["read_table"]
