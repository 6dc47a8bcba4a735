"""Where the user left off: the last episode and transcript unit, per library.

One small JSON file in ``paths.state_dir()``. A missing or corrupt file is ignored (the
app simply starts fresh); a failed write is ignored too (losing one's place is not worth
an error). No Textual here.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from .paths import library_key, state_dir

STATE_FILE = "state.json"


@dataclass(frozen=True, slots=True)
class Place:
    episode_id: str
    unit: int = 0


def state_path() -> Path:
    return state_dir() / STATE_FILE


def _read_all(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return {}
    if not isinstance(data, dict):
        return {}
    libraries = data.get("libraries")
    if not isinstance(libraries, dict):
        return {}
    return data


def load_place(library_root: Path) -> Place | None:
    """The last place read in this library, or None (never raises)."""
    data = _read_all(state_path())
    entry = data.get("libraries", {}).get(library_key(library_root))
    if not isinstance(entry, dict):
        return None
    episode = entry.get("episode")
    unit = entry.get("unit", 0)
    if not isinstance(episode, str) or not episode:
        return None
    if not isinstance(unit, int) or isinstance(unit, bool) or unit < 0:
        unit = 0
    return Place(episode, unit)


def save_place(library_root: Path, place: Place) -> bool:
    """Remember ``place`` for this library. Returns False if the file could not be written."""
    path = state_path()
    data = _read_all(path) or {"libraries": {}}
    data.setdefault("libraries", {})[library_key(library_root)] = {
        "library": str(Path(library_root).resolve()),
        "episode": place.episode_id,
        "unit": int(place.unit),
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, indent=2, sort_keys=True), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        return False
    return True
