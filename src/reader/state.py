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

from .errors import InputError
from .files import MAX_STATE_BYTES, read_limited
from .paths import library_key, state_dir

STATE_FILE = "state.json"


@dataclass(frozen=True, slots=True)
class Place:
    episode_id: str
    unit: int = 0


def state_path() -> Path:
    return state_dir() / STATE_FILE


def _read_all(path: Path) -> dict:
    """The state file's contents, or {} for anything unusable: missing, not a regular
    file, too big, not JSON, nested too deeply, the wrong shape. Entries that are not a
    place are dropped (and so healed on the next save)."""
    try:
        data = json.loads(read_limited(path, MAX_STATE_BYTES, "state file").decode("utf-8"))
    except (InputError, ValueError, UnicodeDecodeError, RecursionError):
        return {}
    if not isinstance(data, dict):
        return {}
    libraries = data.get("libraries")
    if not isinstance(libraries, dict):
        return {}
    places = {}
    for key, entry in libraries.items():
        if isinstance(entry, dict) and isinstance(entry.get("episode"), str):
            unit = entry.get("unit", 0)
            places[key] = {
                "library": entry["library"] if isinstance(entry.get("library"), str) else "",
                "episode": entry["episode"],
                "unit": unit if isinstance(unit, int) and not isinstance(unit, bool) else 0,
            }
    return {"libraries": places}  # only what reader wrote: a deep value cannot come back


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
