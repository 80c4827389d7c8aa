"""``qmgraph synth``: write a synthetic notice corpus with ground truth."""

from __future__ import annotations

import click

from qmgraph.synth.generate import PROSE_SHARE


@click.command()
@click.option("--notices", "n_notices", type=click.IntRange(min=1), default=100, show_default=True,
              help="Number of notices to write.")
@click.option("--seed", type=int, default=1, show_default=True, help="Random seed.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), required=True,
              help="Folder for notices/*.txt and truth.json.")
@click.option("--prose-share", type=click.FloatRange(0.0, 1.0), default=PROSE_SHARE,
              show_default=True,
              help="Share of prose documents (press releases, meeting reports, work summaries, "
                   "slogan pages); "
                   "the rest are formal notices.")
def synth(n_notices: int, seed: int, out_dir: str, prose_share: float) -> None:
    """Generate a deterministic synthetic corpus of 质量月 documents (with truth.json)."""
    from collections import Counter

    from qmgraph.synth import generate

    truth = generate(n_notices, seed, out_dir, prose_share=prose_share)
    genres = Counter(n.genre for n in truth.notices)
    mix = ", ".join(f"{g} {k}" for g, k in sorted(genres.items(), key=lambda x: (-x[1], x[0])))
    click.echo(f"wrote {len(truth.notices)} documents ({mix}), {len(truth.activities)} activities, "
               f"{len(truth.mirrors)} derivations ({len(truth.closure())} expected mirror pairs) "
               f"to {out_dir}")


@click.command("synth-score")
@click.argument("corpus_dir", type=click.Path(exists=True, file_okay=False))
@click.option("--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Extraction processes.")
def synth_score(corpus_dir: str, jobs: int) -> None:
    """Build a ``qmgraph synth`` corpus (CORPUS_DIR/notices, not validated, in a temporary
    folder) and print its structure and mirror scores against CORPUS_DIR/truth.json."""
    import json
    import tempfile
    from pathlib import Path

    from qmgraph import pipeline
    from qmgraph.synth import SynthTruth, score_links, score_structure

    root = Path(corpus_dir)
    truth = SynthTruth.load(root / "truth.json")
    with tempfile.TemporaryDirectory() as tmp:
        r = pipeline.build([root / "notices"], tmp, validate=False, formats=("nt",), jobs=jobs)
    out = {"structure": score_structure(r.corpus, truth).to_json(),
           "links": score_links(r.corpus, r.corpus.mirrors, truth).to_json(),
           "failed_inputs": len(r.failed_inputs)}
    click.echo(json.dumps(out, ensure_ascii=False, indent=1))


COMMANDS = [synth, synth_score]
