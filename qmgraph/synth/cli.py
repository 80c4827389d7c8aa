"""``qmgraph synth``: write a synthetic notice corpus with ground truth."""

from __future__ import annotations

import click


@click.command()
@click.option("--notices", "n_notices", type=click.IntRange(min=1), default=100, show_default=True,
              help="Number of notices to write.")
@click.option("--seed", type=int, default=1, show_default=True, help="Random seed.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), required=True,
              help="Folder for notices/*.txt and truth.json.")
def synth(n_notices: int, seed: int, out_dir: str) -> None:
    """Generate a deterministic synthetic corpus of 质量月 notices (with truth.json)."""
    from qmgraph.synth import generate

    truth = generate(n_notices, seed, out_dir)
    click.echo(f"wrote {len(truth.notices)} notices, {len(truth.activities)} activities, "
               f"{len(truth.mirrors)} derivations ({len(truth.closure())} expected mirror pairs) "
               f"to {out_dir}")


COMMANDS = [synth]
