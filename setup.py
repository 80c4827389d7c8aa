"""Build hook: a wheel carries the top-level ``ontology/ shapes/ queries/ data/`` folders as
package data under ``qmgraph/_resources/`` (metadata and dependencies are in setup.cfg).

The folders stay where the project's layout puts them; ``qmgraph.resources`` finds the
copies in an installed wheel and the folders themselves in a checkout or an editable
install (docs/decisions/0012-packaging.md).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
FOLDERS = ("ontology", "shapes", "queries", "data")  # = qmgraph.resources.FOLDERS
#: Never packaged: build outputs and caches that may sit in a developer's data/.
SKIP = shutil.ignore_patterns("out", ".*", "__pycache__", "*.pyc")


class BuildWithResources(build_py):
    """``build_py`` that also copies the resource folders into ``qmgraph/_resources``."""

    def run(self) -> None:
        super().run()
        # An editable install reads the folders in place; copying would leave a stale twin.
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "qmgraph" / "_resources"
        shutil.rmtree(target, ignore_errors=True)
        for name in FOLDERS:
            src = HERE / name
            if not src.is_dir():
                raise SystemExit(f"setup.py: {src} is missing; build from a complete checkout")
            shutil.copytree(src, target / name, ignore=SKIP)


setup(cmdclass={"build_py": BuildWithResources})
