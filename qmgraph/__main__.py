"""``python -m qmgraph``: the same command line as the ``qmgraph`` script."""

from qmgraph.cli import main

main(prog_name="qmgraph")
