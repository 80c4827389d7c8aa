"""Lineage: which lower-level activity mirrors (copies or adapts) which higher-level one.

``link(corpus)`` returns :class:`qmgraph.model.MirrorLink` s (score, grade, method, aligned
spans in the original files, evidence); ``write_sssom`` exports them as an SSSOM TSV.
See ``docs/decisions/0006-lineage.md``.
"""

from qmgraph.link.mirrors import LinkStats, link, link_with_stats
from qmgraph.link.params import LinkParams
from qmgraph.link.sssom import write_sssom

__all__ = ["LinkParams", "LinkStats", "link", "link_with_stats", "write_sssom"]
