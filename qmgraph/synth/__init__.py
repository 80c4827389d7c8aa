"""Synthetic 质量月 corpora with ground truth, for benchmarks and scale tests.

``generate(n_notices, seed, out_dir, prose_share=0.35)`` writes ``out_dir/notices/*.txt``
(formal notices and, ``prose_share`` of them, press releases, meeting reports and work
summaries) and ``out_dir/truth.json``; ``score`` compares a built corpus with that truth
(place, year, genre, blocks, non-activity sentences kept out, activity- and block-level
mirror precision/recall, co-organizer precision/recall on the built graph). See ``docs/decisions/0010-performance.md``.

``qmgraph.synth.corpus`` makes an in-memory, already resolved corpus with known copies
(``synthetic_corpus(SynthSpec(...), seed)``) for the linker's index tests and
``bench/link_bench.py``: no text, so no extraction.
"""

from qmgraph.synth.generate import SynthTruth, TruthActivity, TruthNotice, generate
from qmgraph.synth.score import (
    CoOrganizerScore,
    LinkScore,
    StructureScore,
    score_co_organizers,
    score_links,
    score_structure,
)

__all__ = [
    "CoOrganizerScore", "LinkScore", "StructureScore", "SynthTruth", "TruthActivity", "TruthNotice",
    "generate", "score_co_organizers", "score_links", "score_structure",
]
