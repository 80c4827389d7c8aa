"""qmgraph: a knowledge graph of Chinese "质量月" (Quality Month) notices.

The package mirrors the pipeline (see ../shared/DESIGN.md): ``ingest`` → ``parse`` →
``extract`` → ``resolve`` → ``link`` → ``emit`` → ``validate``, with plain dataclasses
(``qmgraph.model``) passed forward and ``qmgraph.cli`` composing thin commands.
"""

__version__ = "0.1.0"
