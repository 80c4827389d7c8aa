"""What a query call imports and prints (docs/decisions/0028-query-output.md): a table shows
``qm:``/``qmid:`` names without importing rdflib, and importing ``qmgraph.query`` leaves the
push and serve modules (http.client, ssl, subprocess) until they are used."""

from __future__ import annotations

import subprocess
import sys

from qmgraph.namespaces import PREFIXES
from qmgraph.query.run import SHORT_NAMES, Result


def test_short_names_are_the_namespaces() -> None:
    assert SHORT_NAMES == (("qm:", str(PREFIXES["qm"])), ("qmid:", str(PREFIXES["qmid"])))


def test_table_shortens_iris() -> None:
    res = Result(["a", "b"], [{"a": str(PREFIXES["qmid"]) + "activity/x", "b": str(PREFIXES["qm"]) + "Provincial"},
                              {"a": "http://example.org/y", "b": None}])
    lines = res.to_table().splitlines()
    assert lines[2].split() == ["qmid:activity/x", "qm:Provincial"]
    assert lines[3].split() == ["http://example.org/y"]
    assert lines[-1] == "(2 rows)"


def _modules_after(code: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", code + "\nimport sys\nprint(' '.join(sys.modules))"],
                          capture_output=True, text=True, check=True)
    return set(done.stdout.split())


def test_query_call_imports_neither_rdflib_nor_http() -> None:
    mods = _modules_after("from qmgraph.query import run_query, list_queries\n"
                          "from qmgraph.query.run import Result\n"
                          "Result(['a'], [{'a': 'x'}]).to_table()")
    assert "rdflib" not in mods
    assert "http.client" not in mods
    assert "qmgraph.query.store" not in mods


def test_lazy_names_resolve() -> None:
    import qmgraph.query as q
    from qmgraph.query import PushError, push, serve
    from qmgraph.query.serve import serve as serve_direct
    from qmgraph.query.store import PushError as direct_error
    from qmgraph.query.store import push as push_direct

    assert push is push_direct and serve is serve_direct and PushError is direct_error
    assert set(q.__all__) <= set(dir(q)) | set(q._LAZY)


def test_serve_is_the_function_whatever_was_imported_first() -> None:
    """The function ``serve`` shares its name with its module: importing the module first,
    or ``import *``, still leaves ``qmgraph.query.serve`` the function (a fresh process:
    import order decides)."""
    import subprocess

    code = ("import qmgraph.query.serve\n"
            "from qmgraph.query import serve\n"
            "assert callable(serve), type(serve)\n"
            "from qmgraph.query import *\n"
            "assert callable(serve), type(serve)\n")
    subprocess.run([sys.executable, "-c", code], check=True)
