"""qmgraph: a knowledge graph of Chinese "质量月" (Quality Month) notices.

The Python API (the CLI is a thin layer over exactly these; README "Use from Python")::

    import qmgraph
    result = qmgraph.build("data/raw", out="data/out")   # counts, problems, outputs, graph
    g = qmgraph.open("data/out")                          # or a graph file, or endpoint=URL
    rows = g.query("provincial-mirrors-national", year=2022)
    rows.to_pandas()                                      # typed columns (qmgraph[tables])
    qmgraph.validate("data/out"); qmgraph.evaluate(gold, "data/out")
    qmgraph.export_tables("data/out", out="tables")

The functions live in :mod:`qmgraph.api`. The package mirrors the pipeline (see
../shared/DESIGN.md): ``ingest`` → ``parse`` → ``extract`` → ``resolve`` → ``link`` →
``emit`` → ``validate``, with plain dataclasses (``qmgraph.model``) passed forward and
``qmgraph.cli`` composing thin commands.
"""

import sys
import types

__version__ = "0.1.0"


class _CallableModule(types.ModuleType):
    """``qmgraph.validate`` and ``qmgraph.evaluate`` are subpackages *and* API functions:
    calling the module runs :func:`qmgraph.api.validate` / :func:`qmgraph.api.evaluate`."""

    def __call__(self, *args, **kwargs):
        from qmgraph import api

        return getattr(api, self.__name__.rsplit(".", 1)[1])(*args, **kwargs)


#: Submodules whose names are also API functions (docs/decisions/0012-packaging.md).
_CALLABLE = frozenset({"validate", "evaluate"})


class _Package(types.ModuleType):
    # The import system binds a submodule to its parent with setattr: make those callable,
    # so `import qmgraph.validate as v` still gives the module and qmgraph.validate(...) works.
    def __setattr__(self, name: str, value: object) -> None:
        if name in _CALLABLE and isinstance(value, types.ModuleType):
            value.__class__ = _CallableModule
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

from qmgraph.api import (  # noqa: E402 - after the package class, before any submodule
    DEFAULT_OUT,
    Graph,
    Rows,
    Validation,
    build,
    export_tables,
    list_queries,
    open,
)
from qmgraph.errors import QmgraphError  # noqa: E402


def __getattr__(name: str):
    # Loaded on first use: qmgraph.query and the validate/evaluate modules import rdflib.
    if name in ("IRI", "LangText"):
        from qmgraph.query import values

        return getattr(values, name)
    if name in _CALLABLE:
        import importlib

        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "DEFAULT_OUT", "IRI", "Graph", "LangText", "QmgraphError", "Rows", "Validation", "__version__",
    "build", "evaluate", "export_tables", "list_queries", "open", "validate",
]
