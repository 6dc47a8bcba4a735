"""Test material outside the repository: the seeds and the bench transcripts in
``../shared``. A test that needs a file skips, saying why, when it is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEEDS = SHARED / "seeds"
BENCH = SHARED / "bench"


def seed(prefix: str) -> Path:
    """The seed file ``{prefix}_*.txt`` (e.g. ``seed("003")``)."""
    if not SEEDS.is_dir():
        pytest.skip(f"seed folder {SEEDS} is absent (shared test material not available)")
    matches = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not matches:
        pytest.skip(f"seed {prefix}_*.txt not found in {SEEDS}")
    return matches[0]


def bench(rel: str) -> Path:
    """A file under ``shared/bench`` (e.g. ``bench("lecun-416/captions.srt")``)."""
    path = BENCH / rel
    if not BENCH.is_dir():
        pytest.skip(f"bench folder {BENCH} is absent (shared test material not available)")
    if not path.exists():
        pytest.skip(f"bench file {path} is absent")
    return path


def write_file(tmp_path: Path, name: str, data: bytes | str) -> Path:
    """Write ``data`` (text as UTF-8, or bytes as they are) to ``tmp_path / name``."""
    path = tmp_path / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path
