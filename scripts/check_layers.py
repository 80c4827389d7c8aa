"""Check qmgraph's layering: no stage imports a later stage, and no two parts import each other.

The package is a stack (docs/decisions/0017-lexicon-layer.md): shared foundations at the
bottom, the lexicon above them, then the stages in pipeline order, then the tools and the
orchestration on top. A module may import from its own part and from any lower layer.
Every ``import`` counts, also one inside a function or under ``if TYPE_CHECKING``: a lazy
import hides a dependency from the reader, it does not remove it.

Parts of the same layer (the foundations; the tools on top) may import each other, but the
graph of parts must have no cycle. ``*/cli.py`` modules are command wrappers and belong to
the ``cli`` part, whatever folder they sit in.

Run ``python scripts/check_layers.py`` (exit 1 and one line per problem when the rules are
broken); ``tests/test_layers.py`` runs it in the suite.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

#: Layers, lowest first: parts (top-level modules or packages of qmgraph) per layer.
LAYERS: tuple[tuple[str, frozenset[str]], ...] = (
    ("foundation", frozenset({
        "errors", "resources", "tables", "levels", "namespaces", "model", "rdfterms", "cache",
        "state", "outputs", "graphfile", "echo", "store", "counts", "cluster", "spill",
    })),
    ("lexicon", frozenset({"lexicon"})),
    ("ingest", frozenset({"ingest"})),
    ("parse", frozenset({"parse"})),
    ("extract", frozenset({"extract"})),
    ("resolve", frozenset({"resolve"})),
    ("link", frozenset({"link"})),
    ("emit", frozenset({"emit"})),
    ("validate", frozenset({"validate"})),
    ("tools", frozenset({"query", "viz", "export", "evaluate", "listings"})),
    ("pipeline", frozenset({"pipeline"})),
    ("synth", frozenset({"synth"})),  # builds its corpora with the pipeline to score them
    ("api", frozenset({"api", "summary"})),  # summary: what build tells its user
    ("commands", frozenset({"cli", "__init__", "__main__"})),
)


def _layer_of(layers: tuple[tuple[str, frozenset[str]], ...]) -> dict[str, int]:
    return {part: i for i, (_, parts) in enumerate(layers) for part in parts}


def module_name(path: Path, root: Path, package: str) -> str:
    """Dotted name of a source file under ``root`` (the folder holding ``package``)."""
    rel = path.relative_to(root).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts) or package


def part_of(module: str, package: str, modules: set[str]) -> str | None:
    """The part a dotted module name belongs to (``qmgraph.parse.blocks`` → ``parse``)."""
    if module == package:
        return "__init__"
    if not module.startswith(package + "."):
        return None
    pieces = module.split(".")
    if pieces[-1] == "cli" and len(pieces) > 2:
        return "cli"
    return pieces[1]


def imports(path: Path, module: str, is_package: bool, modules: set[str]) -> Iterator[tuple[int, str]]:
    """(line, imported module) for every import statement of a file, relative ones resolved.

    ``from a import b`` names the module ``a.b`` when that is a module, else ``a``.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    here = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = here.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                yield node.lineno, sub if sub in modules else base


def check(root: Path, package: str = "qmgraph",
          layers: tuple[tuple[str, frozenset[str]], ...] = LAYERS) -> list[str]:
    """Every breach of the layering of ``root/package``, as readable lines (empty: all good)."""
    layer = _layer_of(layers)
    names = [name for name, _ in layers]
    files = sorted((root / package).rglob("*.py"))
    modules = {module_name(f, root, package) for f in files}
    problems: list[str] = []
    edges: dict[str, dict[str, str]] = {}  # part → imported part → first place seen
    for f in files:
        mod = module_name(f, root, package)
        src = part_of(mod, package, modules)
        if src not in layer:
            problems.append(f"{f.relative_to(root)}: part {src!r} is in no layer of scripts/check_layers.py")
            continue
        for line, target in imports(f, mod, f.name == "__init__.py", modules):
            dst = part_of(target, package, modules)
            if dst is None or dst == src:
                continue
            where = f"{f.relative_to(root)}:{line}"
            if dst not in layer:
                problems.append(f"{where}: imports {target}, whose part {dst!r} is in no layer")
                continue
            if layer[dst] > layer[src]:
                problems.append(f"{where}: {src} ({names[layer[src]]}) imports {target} "
                                f"({names[layer[dst]]}), a later layer")
            edges.setdefault(src, {}).setdefault(dst, where)
    problems.extend(_cycles(edges))
    return list(dict.fromkeys(problems))  # one line per place, however many names it imports


def _cycles(edges: dict[str, dict[str, str]]) -> list[str]:
    """One line per strongly connected group of parts (Tarjan), with one import per edge."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    groups: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, {})):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for v in sorted(set(edges) | {w for ws in edges.values() for w in ws}):
        if v not in index:
            visit(v)
    out = []
    for group in sorted(groups):
        links = [f"{a} → {b} ({edges[a][b]})" for a in group for b in sorted(edges.get(a, {}))
                 if b in group]
        out.append(f"cycle between {', '.join(group)}: " + "; ".join(links))
    return out


def main(argv: list[str] | None = None) -> int:
    root = Path(argv[0]) if argv else Path(__file__).resolve().parents[1]
    problems = check(root)
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} layering problem(s); the layers are listed in scripts/check_layers.py",
              file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
