"""The sample episodes ship inside the package: every file of library/ is package data of
reader.samples (a wheel install has them; checked for real in fresh venvs, see the README)."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_every_sample_file_is_package_data():
    config = tomllib.loads((REPO / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["package-data"]["reader.samples"]
    assert "\"reader.samples\": \"library\"" in (REPO / "setup.py").read_text()  # the mapping
    files = [
        p.relative_to(REPO / "library").as_posix()
        for p in (REPO / "library").rglob("*")
        if p.is_file()
    ]
    assert ".reader-library" in files and len(files) > 3
    for name in files:
        # setuptools globs: '*' does not cross '/'
        assert any(
            fnmatch.fnmatch(name, pat) and name.count("/") == pat.count("/") for pat in patterns
        ), name
