"""Synthetic 质量月 notice corpora with ground truth, for benchmarks and scale tests.

``generate(n_notices, seed, out_dir)`` writes ``out_dir/notices/*.txt`` and
``out_dir/truth.json``; ``score`` compares a built corpus with that truth (notice structure,
activity- and block-level mirror precision/recall). See ``docs/decisions/0010-performance.md``.
"""

from qmgraph.synth.generate import SynthTruth, TruthActivity, TruthNotice, generate
from qmgraph.synth.score import LinkScore, StructureScore, score_links, score_structure

__all__ = [
    "LinkScore",
    "StructureScore",
    "SynthTruth",
    "TruthActivity",
    "TruthNotice",
    "generate",
    "score_links",
    "score_structure",
]
