"""Shared fixtures. Every test gets its own cache, data and state folders."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from reader.paths import bundled_library as _samples

REPO = Path(__file__).resolve().parents[1]
# the samples in the source tree (an installed reader ships a copy)
BUNDLED_LIBRARY = REPO / "library"


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path_factory, monkeypatch):
    base = tmp_path_factory.mktemp("reader-dirs")
    dirs = {}
    for name in ("cache", "data", "state"):
        d = base / name
        d.mkdir()
        monkeypatch.setenv(f"READER_{name.upper()}_DIR", str(d))
        dirs[name] = d
    monkeypatch.delenv("READER_LIBRARY", raising=False)
    return dirs


@pytest.fixture
def bundled_library() -> Path:
    """The sample episodes reader ships (the repository's library/, or the installed copy)."""
    samples = _samples()
    if not (samples / ".reader-library").exists():
        pytest.skip("bundled sample library not present")
    return samples


@dataclass
class StubCopyResult:
    text: str
    system_ok: bool = True
    osc52_sent: bool = False

    def message(self) -> str:
        return f"Copied quote ({len(self.text)} characters) to the clipboard."


@dataclass
class StubClipboard:
    """Stands in for ``reader.clipboard.copy_text``: records instead of copying."""

    copied: list[str] = field(default_factory=list)

    def __call__(self, text: str, osc52=None) -> StubCopyResult:
        self.copied.append(text)
        return StubCopyResult(text)


@pytest.fixture
def clipboard(monkeypatch) -> StubClipboard:
    stub = StubClipboard()
    try:
        import reader.clipboard as clipboard_module
    except ImportError:
        pass
    else:
        monkeypatch.setattr(clipboard_module, "copy_text", stub, raising=False)
    return stub
