"""What ``qmgraph build`` tells its user: the summary of a build, as text or JSON, and the
typed error a build that failed ends with.

The CLI prints :meth:`BuildSummary.text` (or :meth:`BuildSummary.to_json`) and calls
:meth:`BuildSummary.check`, whose error the command group maps to an exit code (1 for
violations, 2 for failed inputs).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qmgraph.errors import InputError, ValidationFailed

if TYPE_CHECKING:
    from qmgraph.pipeline import BuildResult

__all__ = ["BuildSummary"]


@dataclass
class BuildSummary:
    """A finished build and the folder it wrote to."""

    result: BuildResult
    out_dir: Path

    def text(self) -> str:
        """The summary as ``qmgraph build`` prints it: counts, timings, files, problems."""
        r = self.result
        lines = ["qmgraph build summary"]
        lines += [f"  {k:<14} {v}" for k, v in r.summary().items()]
        lines.append("  time           " + " · ".join(f"{k} {v:.1f}s" for k, v in r.timings.items()))
        lines += [f"  wrote          {p}" for p in r.outputs]
        lines += [f"  removed        {p} (an earlier build's)" for p in r.removed]
        if r.problems:
            lines.append("problems:")
            lines += [f"  {'ERROR' if p.fatal else 'warn '} {p}" for p in r.problems]
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        """The summary as ``qmgraph build --json`` prints it."""
        r = self.result
        return {"summary": r.summary(),
                "timings_s": {k: round(v, 3) for k, v in r.timings.items()},
                "problems": [asdict(p) for p in r.problems],
                "outputs": [str(p) for p in r.outputs],
                "removed": [str(p) for p in r.removed]}

    def check(self, *, keep_going: bool = False) -> None:
        """Raise :class:`~qmgraph.errors.ValidationFailed` when the graph has violations
        (SHACL or QC), else :class:`~qmgraph.errors.InputError` when inputs failed (unless
        ``keep_going``)."""
        r = self.result
        if r.violations:
            raise ValidationFailed(
                f"{r.violations} violations (SHACL shapes and QC queries); see "
                f"{self.out_dir}/validation-report.txt",
                hint="qmgraph validate --graph OUT shows each rule and focus node")
        if r.failed_inputs and not keep_going:
            failed = len(r.failed_inputs)
            first = r.failed_inputs[0]
            named = f"{first.path}: {first.message}" + (
                f" (and {failed - 1} more)" if failed > 1 else "")
            notices = r.counts.get("notices", 0)
            if notices == 0:
                raise InputError(f"{failed} input(s) failed and no notice was built — {named}",
                                 hint="the problems above say why for each file")
            raise InputError(f"{failed} input(s) failed; the {notices} other notice(s) were "
                             f"built — {named}", hint="the problems above say why for each "
                             "file; use --keep-going to exit 0")
