"""Where qmgraph's own files are: the ontology, the SHACL shapes, the canned queries and
the reference tables.

They live in the repository's top-level ``ontology/``, ``shapes/``, ``queries/`` and
``data/`` folders (the project's layout). A wheel carries copies of them as package data
under ``qmgraph/_resources/`` (``setup.py`` puts them there); a checkout or an editable
install (``pip install -e .``) reads the folders themselves. This module is the one place
that knows both; every other module asks it (docs/decisions/0012-packaging.md).
"""

from __future__ import annotations

import functools
from importlib import resources as _ilr
from pathlib import Path

from qmgraph.errors import QmgraphError

__all__ = [
    "FOLDERS", "ResourcesMissing", "data_dir", "ontology_dir", "ontology_file", "queries_dir",
    "qc_dir", "resource_root", "seeds_dir", "shapes_dir",
]

#: The top-level folders a wheel carries as ``qmgraph/_resources/<folder>``.
FOLDERS = ("ontology", "shapes", "queries", "data")

#: Name of the package-data folder inside the installed package.
PACKAGED = "_resources"


class ResourcesMissing(QmgraphError):
    """qmgraph's own data files are neither packaged nor beside a checkout."""

    hint = "reinstall qmgraph (pip install --force-reinstall qmgraph), or run from a checkout"


def _complete(root: Path) -> bool:
    # Every folder must be there: a half-copied tree would fail later with a less clear error.
    return all((root / name).is_dir() for name in FOLDERS)


@functools.lru_cache(maxsize=1)
def resource_root() -> Path:
    """The folder holding ``ontology/ shapes/ queries/ data/``.

    The installed package's ``_resources`` when it has one (a wheel), else the checkout
    the package was imported from (the source tree, or an editable install of it).
    Raises :class:`ResourcesMissing` when neither is complete.
    """
    packaged = _ilr.files("qmgraph").joinpath(PACKAGED)
    # Installs are on the file system (wheels are unpacked); a zip import would not be.
    if isinstance(packaged, Path) and _complete(packaged):
        return packaged
    checkout = Path(__file__).resolve().parents[1]
    if _complete(checkout):
        return checkout
    raise ResourcesMissing(
        f"qmgraph's data files ({', '.join(FOLDERS)}) are not in {packaged} nor in {checkout}")


def data_dir() -> Path:
    """``data/``: the reference tables the rules read (gazetteer, aliases, vocabularies)."""
    return resource_root() / "data"


def shapes_dir() -> Path:
    """``shapes/``: the SHACL shapes every build is validated against."""
    return resource_root() / "shapes"


def queries_dir() -> Path:
    """``queries/``: the canned SPARQL queries (``qmgraph query --list``)."""
    return resource_root() / "queries"


def qc_dir() -> Path:
    """``queries/qc/``: the QC queries that must return no rows on a good graph."""
    return queries_dir() / "qc"


def ontology_dir() -> Path:
    """``ontology/``: the OWL ontology."""
    return resource_root() / "ontology"


def ontology_file() -> Path:
    """The ontology's Turtle file."""
    return ontology_dir() / "qmgraph.ttl"


def seeds_dir() -> Path:
    """``data/raw/``: the five seed notices, a small corpus to try qmgraph on."""
    return data_dir() / "raw"
