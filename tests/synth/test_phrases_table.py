"""``data/synth_phrases.tsv`` and the names ``qmgraph.synth.templates`` reads from it."""

from __future__ import annotations

import ast
import inspect

from qmgraph.synth import templates
from qmgraph.tables import read_table


def used_lists() -> set[str]:
    """The list names of every ``_texts("NAME")`` / ``_keyed("NAME")`` in templates.py."""
    tree = ast.parse(inspect.getsource(templates))
    return {node.args[0].value.lower().replace("_", "-") for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id in ("_texts", "_keyed") and node.args
            and isinstance(node.args[0], ast.Constant)}


def test_every_list_of_the_table_is_read_and_every_list_read_is_there() -> None:
    used = used_lists()
    assert len(used) >= 30
    in_table = {r["list"] for r in read_table("synth_phrases.tsv")}
    assert in_table - used == set(), "lists in data/synth_phrases.tsv templates.py never reads"
    assert used - in_table == set(), "lists templates.py reads that the table lacks"


def test_the_table_is_read_as_written() -> None:
    """Read strictly, the table holds the rows the lenient reader finds (nothing of it
    was stripped or shifted), and every text is as the generator gets it."""
    assert templates._ROWS == read_table("synth_phrases.tsv")
    assert all(r["text"] for r in templates._ROWS)
    assert "" in templates.PURPOSE_LEADS  # ``(empty)``
