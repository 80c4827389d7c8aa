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
                   "slogan pages); the rest are formal notices.")
@click.option("--years", "years", callback=lambda _c, _p, v: _span(v), default=None,
              metavar="FIRST-LAST",
              help="Spread the documents over these years (e.g. 2005-2024), more in later "
                   "years; default: 1-3 years from 2021.")
def synth(n_notices: int, seed: int, out_dir: str, prose_share: float,
          years: tuple[int, int] | None) -> None:
    """Generate a deterministic synthetic corpus of 质量月 documents (with truth.json)."""
    from collections import Counter

    from qmgraph.synth import generate

    truth = generate(n_notices, seed, out_dir, prose_share=prose_share, years=years)
    genres = Counter(n.genre for n in truth.notices)
    mix = ", ".join(f"{g} {k}" for g, k in sorted(genres.items(), key=lambda x: (-x[1], x[0])))
    click.echo(f"wrote {len(truth.notices)} documents ({mix}), {len(truth.activities)} activities, "
               f"{len(truth.mirrors)} derivations ({len(truth.closure())} expected mirror pairs) "
               f"to {out_dir}")


def _span(value: str | None) -> tuple[int, int] | None:
    """``2005-2024`` (or one year, ``2023``) as (first, last)."""
    if value is None:
        return None
    first, _, last = value.partition("-")
    try:
        span = (int(first), int(last or first))
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a span of years such as 2005-2024") from None
    if not 1900 <= span[0] <= span[1] <= 2100:
        raise click.BadParameter(f"{value!r} is not a span of years such as 2005-2024")
    return span


@click.command("synth-score")
@click.argument("corpus_dir", type=click.Path(exists=True, file_okay=False))
@click.option("--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Extraction processes.")
def synth_score(corpus_dir: str, jobs: int) -> None:
    """Build a ``qmgraph synth`` corpus (CORPUS_DIR/notices, not validated, in a temporary
    folder) and print its structure, mirror and co-organizer scores against
    CORPUS_DIR/truth.json."""
    import json
    import tempfile
    from pathlib import Path

    from qmgraph import pipeline
    from qmgraph.synth import SynthTruth, score_co_organizers, score_links, score_structure

    root = Path(corpus_dir)
    truth = SynthTruth.load(root / "truth.json")
    with tempfile.TemporaryDirectory() as tmp:
        r = pipeline.build([root / "notices"], tmp, validate=False, formats=("nt",), jobs=jobs)
        co = score_co_organizers(r.corpus, Path(tmp) / "qmgraph.nt", truth)
    out = {"structure": score_structure(r.corpus, truth).to_json(),
           "links": score_links(r.corpus, r.corpus.mirrors, truth).to_json(),
           "co_organizers": co.to_json(),
           "failed_inputs": len(r.failed_inputs)}
    click.echo(json.dumps(out, ensure_ascii=False, indent=1))


COMMANDS = [synth, synth_score]
