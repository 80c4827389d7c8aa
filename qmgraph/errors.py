"""Typed errors, each with the exit code and the one-line hint the CLI prints.

Exit codes: 0 ok, 1 SHACL violations or QC rows (build and validate), 2 bad input or a runtime
error. ``qmgraph.cli._Group`` is the one place that turns these errors into exit codes.
"""

from __future__ import annotations


class QmgraphError(Exception):
    """Base of every error qmgraph raises on purpose."""

    exit_code = 2
    hint = "see the message above"

    def __init__(self, message: str, *, path: str | None = None, hint: str | None = None):
        self.path = path
        if hint:
            self.hint = hint
        super().__init__(f"{path}: {message}" if path else message)


class InputError(QmgraphError):
    """An input file cannot be read as a notice (empty, binary, undecodable, no structure)."""

    hint = "check the file named above (qmgraph COMMAND --help says what it takes)"


class EncodingError(InputError):
    """The bytes decode in none of the supported encodings."""

    hint = "save the file as UTF-8, GB18030 or Big5"


class ReaderUnavailable(InputError):
    """A file type needs a tool that is not installed (antiword, libreoffice, pdf text layer)."""

    hint = "install the named tool, or convert the file to .docx, .pdf or .txt"


class ValidationFailed(QmgraphError):
    """The graph violates SHACL shapes or QC queries."""

    exit_code = 1
    hint = "read the validation report; qmgraph validate shows each rule and focus node"


class StoreError(QmgraphError):
    """A SPARQL store could not be reached, refused a request or lost data."""

    hint = "is the store running and the URL right?"


class QueryError(QmgraphError):
    """A canned query or its parameters are wrong."""

    hint = "qmgraph query --list shows the queries and their parameters"


class ClusterError(QmgraphError):
    """A cluster build's cluster (``qmgraph build --cluster/--scheduler``) cannot be started
    or reached, its workers run other code, or it lost a batch of documents."""

    hint = ("check the scheduler address and that every worker has this qmgraph installed "
            "(pip install 'qmgraph[cluster]'); without --cluster/--scheduler the build runs "
            "in one process")


class UnsupportedShape(QmgraphError):
    """The shapes use SHACL features the validator does not check (it refuses rather than
    passes them silently)."""

    hint = "remove or rewrite the named SHACL terms; qmgraph checks SHACL Core and SPARQL"


class TableError(QmgraphError):
    """A knowledge table (``data/*.tsv|csv``) is malformed: a row with the wrong number
    of cells, or a cell its reader would otherwise have to guess at."""

    hint = "fix the named line of the table (one cell per header column)"
