"""``qmgraph query``, ``qmgraph push`` and ``qmgraph serve``: thin click commands over :mod:`qmgraph.query`.

Registered by ``qmgraph.cli`` (``LAZY_COMMANDS``, imported when run); typed errors (``QueryError``,
``StoreError``) are turned into exit code 2 with a hint by the group.
"""

from __future__ import annotations

import click

from qmgraph.echo import echo_json, echo_utf8
from qmgraph.errors import QueryError, StoreError
from qmgraph.outputs import DEFAULT_GRAPH, find_graph
from qmgraph.query.run import RESULT_FORMATS

#: Rows ``qmgraph query`` prints as a table unless given ``--limit N`` or ``--all``: a
#: terminal is no place for the 100,000 rows a listing query gives on a 10,000-notice graph.
#: The queries' ORDER BY covers every column, so the rows shown are the same on every run.
#: CSV, TSV and JSON are read by programs: they get every row unless given ``--limit``.
DEFAULT_LIMIT = 100


def _parse_params(items: tuple[str, ...]) -> dict[str, str]:
    params: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise QueryError(f"--param wants NAME=VALUE, got {item!r}")
        params[key.strip()] = value
    return params


@click.command()
@click.argument("name", required=False)
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a query parameter (repeatable); VALUE * means any.")
@click.option("--graph", "graph_path", type=click.Path(), default=None,
              help=f"Graph file, or a build's output folder, to query embedded "
              f"[default: {DEFAULT_GRAPH}].")
@click.option("--endpoint", default=None, metavar="QUERY_URL",
              help="Query a SPARQL 1.1 endpoint instead (the canned queries name their graphs).")
@click.option("--format", "fmt", type=click.Choice(list(RESULT_FORMATS)),
              default="table", show_default=True)
@click.option("--timeout", type=float, default=60, show_default=True, help="Seconds (remote).")
@click.option("--limit", type=click.IntRange(min=0), default=None,
              help=f"Print the first N rows; a line on stderr says how many were left off "
              f"[default: {DEFAULT_LIMIT} as a table, every row as csv, tsv or json].")
@click.option("--all", "all_rows", is_flag=True, help="Print every row (no --limit).")
@click.option("--list", "list_only", is_flag=True, help="List the canned queries and parameters.")
def query(name, params, graph_path, endpoint, fmt, timeout, limit, all_rows, list_only) -> None:
    """Run canned query NAME (or a .rq FILE) on the graph or a SPARQL endpoint."""
    from qmgraph.query.canned import list_queries, load_query
    from qmgraph.query.run import run_query

    if list_only:
        _list(list_queries(), fmt)
        return
    if not name:
        raise QueryError("give a query NAME or FILE (qmgraph query --list shows them)")
    if graph_path and endpoint:
        raise QueryError("give either --graph or --endpoint, not both")
    cq = load_query(name)
    # run_query itself, not qmgraph.Graph: the CLI prints strings and needs no typed rows
    result = run_query(cq, params=_parse_params(params), endpoint=endpoint, timeout=timeout,
                       graph=None if endpoint else find_graph(graph_path or DEFAULT_GRAPH),
                       limit=None if all_rows else _limit(limit, fmt))
    echo_utf8(result.format(fmt), nl=fmt == "table")
    if result.left_off:
        click.echo(f"{result.left_off:,} more row{'s' if result.left_off != 1 else ''} left off "
                   f"after the first {len(result):,} (--limit N or --all to see them)", err=True)


def _limit(limit: int | None, fmt: str) -> int | None:
    """The rows to print: ``--limit`` when given, else ``DEFAULT_LIMIT`` for a table (read
    by a person) and every row for the formats programs read."""
    if limit is not None:
        return limit
    return DEFAULT_LIMIT if fmt == "table" else None


def _list(queries: list, fmt: str) -> None:
    """The canned queries and their parameters, as text or in ``fmt``."""
    if fmt == "table":
        for q in queries:
            click.echo(f"{q.name}")
            click.echo(f"    {q.question}")
            for p in q.params.values():
                click.echo(f"    --param {p.name}=…  ({p.type}, {p.usage}) {p.meaning}")
        return
    records = [{"name": q.name, "question": q.question,
                "parameters": [{"name": p.name, "type": p.type,
                                "default": None if p.required else p.default,
                                "required": p.required, "meaning": p.meaning}
                               for p in q.params.values()]}
               for q in queries]
    if fmt == "json":
        echo_json(records)
        return
    from qmgraph.query.run import Result

    flat = [{"name": r["name"], "question": r["question"],
             "parameters": "; ".join(f"{p['name']} ({p['type']}, "
                                     + ("required)" if p["required"] else f"default {p['default']})")
                                     for p in r["parameters"])} for r in records]
    echo_utf8(Result(["name", "question", "parameters"], flat).format(fmt), nl=False)


@click.command()
@click.option("--store", "store_url", required=True, metavar="GSP_URL",
              help="Graph Store Protocol URL, e.g. http://127.0.0.1:7878/store.")
@click.option("--graph", "graph_path", type=click.Path(), default=str(DEFAULT_GRAPH),
              show_default=True, help="Graph file or build folder to push (trig/nq keep named "
              "graphs).")
@click.option("--param-name", type=click.Choice(["graph", "graph-uri"]), default="graph",
              show_default=True, help="Query parameter naming the graph (Virtuoso: graph-uri).")
@click.option("--user", default=None, help="User for HTTP basic or digest auth.")
@click.option("--password", default=None, help="Password for --user.")
@click.option("--auth", "auth_scheme", type=click.Choice(["any", "basic", "digest"]), default="any",
              show_default=True, help="basic sends credentials up front; any follows the server's challenge.")
@click.option("--query-endpoint", default=None, metavar="QUERY_URL",
              help="Where to check counts [default: derived from --store, /store → /query].")
@click.option("--no-verify", is_flag=True, help="Skip the triple-count check.")
@click.option("--union-default", is_flag=True,
              help="Also PUT the union of all graphs into the default graph.")
@click.option("--retries", type=int, default=3, show_default=True)
@click.option("--timeout", type=float, default=60, show_default=True, help="Seconds per request.")
def push(store_url, graph_path, param_name, user, password, auth_scheme, query_endpoint, no_verify,
         union_default, retries, timeout) -> None:
    """Load every named graph of the graph file into a SPARQL store (one PUT per graph)."""
    from qmgraph.query import push as run_push

    if (user is None) != (password is None):
        raise StoreError("give both --user and --password, or neither")
    report = run_push(find_graph(graph_path), store_url, param_name=param_name,
                      auth=(user, password) if user is not None else None, auth_scheme=auth_scheme,
                      union_default=union_default, retries=retries, timeout=timeout,
                      query_endpoint=query_endpoint, verify=not no_verify,
                      on_loaded=lambda g: click.echo(f"loaded {g.graph} ({g.triples} triples)", err=True))
    click.echo(report.to_table())
    if report.verify_error:
        raise StoreError(f"all graphs were loaded but the count check failed: {report.verify_error}",
                         hint="pass --query-endpoint URL, or --no-verify")
    if report.mismatches:
        bad = ", ".join(f"{g.graph} (sent {g.triples}, stored {g.stored})" for g in report.mismatches)
        raise StoreError(f"triple counts differ after loading: {bad}",
                         hint="another writer, or a store that rewrites data; push again to replace")


@click.command()
@click.option("--graph", "graph_path", type=click.Path(), default=str(DEFAULT_GRAPH),
              show_default=True, help="Graph file, or a build's output folder, to serve.")
@click.option("--port", type=int, default=7878, show_default=True, help="Port on 127.0.0.1 (0: any free).")
@click.option("--location", type=click.Path(file_okay=False), default=None,
              help="Keep the store in DIR (its content is replaced) [default: a temporary dir].")
def serve(graph_path, port, location) -> None:
    """Serve the graph as a local SPARQL endpoint (Oxigraph) until Ctrl-C."""
    from qmgraph.query.serve import run_foreground
    from qmgraph.query.serve import serve as start

    graph_file = find_graph(graph_path)
    click.echo(f"loading {graph_file} …", err=True)
    served = start(graph_file, port, location)
    click.echo(f"SPARQL query endpoint  {served.query_url}")
    click.echo(f"Graph Store (GSP)      {served.store_url}")
    click.echo(f"browser UI             {served.ui_url}")
    click.echo(f"store {served.location}{' (temporary)' if served.temporary else ''}, "
               f"{served.triples} quads, default graph = union of the named graphs", err=True)
    click.echo(f"try: qmgraph query summary --endpoint {served.query_url}", err=True)
    click.echo("press Ctrl-C to stop", err=True)
    code = run_foreground(served)
    click.echo("stopped", err=True)
    if code not in (0, -15, -2):
        raise StoreError(f"oxigraph serve exited with {code}")


COMMANDS = [query, push, serve]
