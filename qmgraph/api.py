"""The Python API: what ``import qmgraph`` offers, and what every CLI command calls.

``qmgraph.build(inputs, out=…)`` builds the graph and returns a
:class:`~qmgraph.pipeline.BuildResult` (counts, problems, paths); ``qmgraph.open(out_or_file)``
gives a :class:`Graph` whose ``query(name, **params)`` returns typed :class:`Rows`
(``.to_pandas()``, ``.to_csv()``); ``qmgraph.validate``, ``qmgraph.evaluate`` and
``qmgraph.export_tables`` do what the commands of the same names do. Defaults are those of
the CLI (``data/out``, the cache on, TriG + Turtle), because the CLI is this module plus
printing. Heavy modules are imported when a function runs, so ``import qmgraph`` is quick.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

from qmgraph.errors import InputError, QueryError
from qmgraph.outputs import DEFAULT_GRAPH, DEFAULT_OUT, find_graph

if TYPE_CHECKING:
    import pandas

    from qmgraph.evaluate import Evaluation
    from qmgraph.model import NoticeTree
    from qmgraph.pipeline import BuildResult
    from qmgraph.query.canned import CannedQuery
    from qmgraph.query.run import Result
    from qmgraph.validate import ValidationReport

__all__ = [
    "DEFAULT_ENGINE", "DEFAULT_FORMATS", "DEFAULT_INPUTS", "DEFAULT_OUT", "Graph", "Rows",
    "Validation", "build", "evaluate", "export_tables", "list_queries", "open", "parse", "validate",
]

#: What ``build`` reads when given no inputs: the seed notices of a checkout (cwd-relative).
DEFAULT_INPUTS = ("data/raw",)
#: Graph formats ``build`` writes by default.
DEFAULT_FORMATS = ("trig", "ttl")
#: SHACL engine of ``build`` and ``validate`` (``qmgraph.validate.ENGINES``).
DEFAULT_ENGINE = "shacl"

Progress = Callable[[str], None]


# ------------------------------------------------------------------------------- build


def build(inputs: str | Path | Iterable[str | Path] | None = None,
          out: str | Path = DEFAULT_OUT, *, formats: Iterable[str] = DEFAULT_FORMATS,
          validate: bool = True, cache: bool = True, jobs: int = 1,
          engine: str = DEFAULT_ENGINE, progress: Progress | None = None,
          cluster: str | None = None, scheduler: str | None = None,
          record_listings: bool = False) -> BuildResult:
    """Build, link, validate and write the graph of ``inputs`` (notice files or folders)
    into ``out``; returns the result: ``counts``, ``problems``, ``outputs``, ``graph``,
    ``violations``.

    With no ``inputs``, reads ``./data/raw`` (a checkout's seeds) and raises
    :class:`~qmgraph.errors.InputError` if there is none. ``cache`` keeps what each stage
    made in ``out/.cache`` so a rebuild redoes only what changed (outputs are identical
    either way). Outputs of an earlier build in ``out`` that this one does not write are
    removed (``result.removed``). ``cluster`` ("local:N") or ``scheduler``
    ("tcp://HOST:PORT") extracts the documents on a Dask cluster (``qmgraph.cluster``).
    ``record_listings`` (with validation) records the default rows of the listing queries
    beside the store (``qmgraph.listings``: about +10 % build CPU).
    """
    from qmgraph.pipeline import build as run_build

    if inputs is None:
        missing = [p for p in DEFAULT_INPUTS if not Path(p).exists()]
        if missing:
            raise InputError(f"no inputs given, and no {', '.join(missing)} here to build",
                             path=str(Path.cwd()),
                             hint="name the notice files or folders to build: "
                             "qmgraph build FOLDER [--out DIR]")
        inputs = DEFAULT_INPUTS
    elif isinstance(inputs, str | Path):
        inputs = [inputs]
    items = list(inputs)
    absent = [str(p) for p in items if not Path(p).exists()]
    if absent:
        raise InputError("no such file or folder", path=", ".join(absent),
                         hint="check the paths of the notices to build")
    return run_build(items, out, validate=validate, formats=tuple(formats), progress=progress,
                     jobs=jobs, cache=cache, engine=engine, cluster=cluster,
                     scheduler=scheduler, record_listings=record_listings)


# ------------------------------------------------------------------------------- parse


def parse(file: str | Path) -> NoticeTree:
    """What the parser understands of one notice file (``qmgraph parse FILE``). Raises
    :class:`~qmgraph.errors.InputError` naming the file when it cannot be read, or is not
    about a 质量月 at all (the check ``build`` makes before parsing)."""
    from qmgraph.parse import parse_notice
    from qmgraph.pipeline import read_notice

    return parse_notice(read_notice(file))


# ------------------------------------------------------------------------------- rows


def _plain(v: Any) -> Any:
    """A value pandas and csv take as it is (IRI and language-tagged text become str)."""
    return str(v) if isinstance(v, str) else v


class Rows(Sequence[dict[str, Any]]):
    """Rows of a query, each a dict of typed values: ``int``, ``float``, ``bool``,
    ``datetime.date``, :class:`~qmgraph.query.values.IRI`,
    :class:`~qmgraph.query.values.LangText` (``.lang``) or ``str``; ``None`` when unbound."""

    def __init__(self, result: Result):
        self.result = result  #: the same rows as strings (what the CLI prints)
        self.columns: list[str] = list(result.columns)
        self._rows = result.typed

    @overload
    def __getitem__(self, i: int) -> dict[str, Any]: ...
    @overload
    def __getitem__(self, i: slice) -> list[dict[str, Any]]: ...

    def __getitem__(self, i):
        return self._rows[i]

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self._rows)

    def __repr__(self) -> str:
        return self.result.to_table()

    def to_pandas(self) -> pandas.DataFrame:
        """A DataFrame with one column per variable: integers as ``Int64``, decimals as
        ``float64``, booleans as ``boolean``, dates as ``datetime64``, IRIs and text as
        ``string`` (needs pandas: ``pip install 'qmgraph[tables]'``)."""
        try:
            import pandas as pd
        except ModuleNotFoundError as exc:
            raise QueryError("pandas is not installed",
                             hint="pip install 'qmgraph[tables]' (or pandas)") from exc
        data = {c: [_plain(r.get(c)) for r in self._rows] for c in self.columns}
        frame = pd.DataFrame({c: pd.Series(v, dtype=_DTYPES.get(_types(v), object))
                              for c, v in data.items()}, columns=self.columns)
        for c, v in data.items():
            if _types(v) == {_dt.date}:
                frame[c] = pd.to_datetime(frame[c])
        return frame

    def to_csv(self, path: str | Path | None = None) -> str:
        """The rows as CSV text (IRIs in full, lexical forms); written to ``path`` if given."""
        text = self.result.to_csv()
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text

    def to_json(self) -> str:
        """``{"columns": …, "rows": …}`` with the values as strings (UTF-8 text)."""
        return self.result.to_json()


#: The pandas dtype of a column by the types of its values (dates are converted after).
_DTYPES = {frozenset({bool}): "boolean", frozenset({int}): "Int64", frozenset({float}): "float64",
           frozenset({int, float}): "float64", frozenset({str}): "string"}


def _types(values: list[Any]) -> frozenset[type]:
    return frozenset(type(v) for v in values if v is not None)


# ------------------------------------------------------------------------------- graph


class Graph:
    """A built graph to ask questions of: a graph file (queried in an embedded Oxigraph
    store) or a SPARQL 1.1 endpoint (whose default graph is the union of the graphs)."""

    def __init__(self, path: str | Path | None = None, *, endpoint: str | None = None,
                 timeout: float = 60, auth: tuple[str, str] | None = None):
        if (path is None) == (endpoint is None):
            raise QueryError("give either a graph file or folder, or an endpoint")
        self.path = find_graph(path) if path is not None else None
        self.endpoint = endpoint
        self.timeout = timeout
        self.auth = auth

    def __repr__(self) -> str:
        return f"qmgraph.Graph({str(self.path) if self.path else self.endpoint!r})"

    def query(self, name: str | Path | CannedQuery, /, **params: Any) -> Rows:
        """Run canned query ``name`` (``qmgraph.list_queries()``; or a ``.rq`` file) with
        ``params`` (``year=2022``; ``None`` or ``"*"`` means any value)."""
        from qmgraph.query.run import run_query

        return Rows(run_query(name, params={k: _param_text(v) for k, v in params.items()},
                              graph=self.path, endpoint=self.endpoint, timeout=self.timeout,
                              auth=self.auth))

    def sparql(self, text: str) -> Rows:
        """Run a SELECT or ASK query as written (no parameters bound)."""
        from qmgraph.query.run import run_sparql

        return Rows(run_sparql(text, graph=self.path, endpoint=self.endpoint,
                               timeout=self.timeout, auth=self.auth))

    def _file(self, what: str) -> Path:
        if self.path is None:
            raise QueryError(f"{what} needs a graph file, not an endpoint")
        return self.path

    def validate(self, **kwargs: Any) -> Validation:
        """:func:`qmgraph.validate` of this graph."""
        return validate(self._file("validate"), **kwargs)

    def evaluate(self, gold: str | Path) -> Evaluation:
        """:func:`qmgraph.evaluate` of this graph against a gold file."""
        return evaluate(gold, self._file("evaluate"))

    def export_tables(self, out: str | Path, **kwargs: Any) -> list[Path]:
        """:func:`qmgraph.export_tables` of this graph."""
        return export_tables(self._file("export tables"), out, **kwargs)


def _param_text(value: Any) -> str:
    """A parameter value as the text the canned query's binder checks and types."""
    if value is None:
        return "*"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, _dt.date):
        return value.isoformat()
    return str(value)


def open(out_or_file: str | Path = DEFAULT_GRAPH, *, endpoint: str | None = None,
         timeout: float = 60, auth: tuple[str, str] | None = None) -> Graph:
    """The graph in ``out_or_file`` (a build's output folder, or a graph file), or at a
    SPARQL ``endpoint`` when one is given. Raises :class:`~qmgraph.errors.InputError` when
    there is no graph there."""
    if endpoint is not None:
        return Graph(endpoint=endpoint, timeout=timeout, auth=auth)
    return Graph(out_or_file, timeout=timeout)


def list_queries() -> list[CannedQuery]:
    """The canned queries (name, question, parameters), sorted by name."""
    from qmgraph.query.canned import list_queries as canned

    return canned()


# ---------------------------------------------------------------------- validate, evaluate


@dataclass
class Validation:
    """SHACL results and QC query rows of one graph; ``conforms`` when neither found a
    violation."""

    report: ValidationReport
    qc: dict[str, list[dict[str, str]]] = field(default_factory=dict)

    @property
    def violations(self) -> int:
        """SHACL violations plus QC rows."""
        shacl = sum(1 for r in self.report.results if r.severity == "Violation")
        return shacl + sum(len(rows) for rows in self.qc.values())

    @property
    def conforms(self) -> bool:
        return self.report.conforms and not any(self.qc.values())

    def text(self) -> str:
        """The report and one line per QC query, as ``qmgraph validate`` prints them."""
        lines = [self.report.text()]
        lines += [f"QC {name}: {len(rows)} row(s)" for name, rows in sorted(self.qc.items())]
        return "\n".join(lines)


def validate(graph: str | Path = DEFAULT_GRAPH, *, engine: str = DEFAULT_ENGINE,
             shapes: str | Path | Iterable[str | Path] = (), qc: bool = True) -> Validation:
    """Validate a built graph (a file or a build's folder) with qmgraph's SHACL shapes plus
    the ``*.ttl`` files of each folder of ``shapes`` (a user's own) and, with ``qc``, the QC
    queries."""
    from qmgraph.graphfile import load_store
    from qmgraph.validate import load_shapes
    from qmgraph.validate import validate as run_validation
    from qmgraph.validate.qc import run_qc

    extra = [shapes] if isinstance(shapes, str | Path) else list(shapes)
    store = load_store(graph)
    report = run_validation(store, engine=engine, shapes=load_shapes(extra=extra))
    return Validation(report, run_qc(store) if qc else {})


def evaluate(gold: str | Path, graph: str | Path = DEFAULT_GRAPH) -> Evaluation:
    """Precision / recall / F1 per facet of a built graph against a gold annotation file."""
    from qmgraph.evaluate import evaluate as run_eval
    from qmgraph.evaluate import load_gold, load_graph

    gold_doc = load_gold(gold)  # checked first: a bad gold file fails before a long load
    return run_eval(load_graph(graph), gold_doc)


def export_tables(graph: str | Path = DEFAULT_GRAPH, out: str | Path = "tables", *,
                  formats: Iterable[str] = ("csv", "parquet")) -> list[Path]:
    """Tidy analysis tables of a built graph written to ``out`` (see
    :mod:`qmgraph.export`): documents, activities, organizations, campaigns, mirror links,
    the jurisdiction × year × campaign adoption panel, and their data dictionary."""
    from qmgraph.export import export_tables as run_export

    return run_export(find_graph(graph), out, formats=tuple(formats))
