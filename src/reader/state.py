"""Where the user left off: the last episode, and the transcript unit of every episode
read, per library; and the reader's own settings (theme, pane widths), for all libraries.

One small JSON file in ``paths.state_dir()``. A missing or corrupt file is ignored (the
app simply starts fresh); a failed write is ignored too (losing one's place is not worth
an error). No Textual here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .atomic import write_atomic
from .errors import InputError
from .files import MAX_STATE_BYTES, read_limited
from .paths import library_key, state_dir

STATE_FILE = "state.json"


@dataclass(frozen=True, slots=True)
class Place:
    episode_id: str
    unit: int = 0


SETTINGS: dict[str, type] = {"theme": str, "summary_width": int}  # the settings kept

# The file's contents as JSON gives them: checked by _read_all, key by key.
State = dict[str, Any]


def state_path() -> Path:
    return state_dir() / STATE_FILE


def _read_all(path: Path) -> State:
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
    places: State = {}
    for key, entry in libraries.items():
        if isinstance(entry, dict) and isinstance(entry.get("episode"), str):
            unit = entry.get("unit", 0)
            places[key] = {
                "library": entry["library"] if isinstance(entry.get("library"), str) else "",
                "episode": entry["episode"],
                "unit": unit if isinstance(unit, int) and not isinstance(unit, bool) else 0,
            }
            per_episode = entry.get("places")
            if isinstance(per_episode, dict):
                places[key]["places"] = {
                    str(k)[:300]: v
                    for k, v in per_episode.items()
                    if isinstance(k, str) and _unit(v) is not None
                }
    out: State = {"libraries": places}  # only what reader wrote: a deep value cannot come back
    settings = data.get("settings")
    if isinstance(settings, dict):
        kept = {
            k: v
            for k, v in settings.items()
            if k in SETTINGS and isinstance(v, SETTINGS[k]) and not isinstance(v, bool)
        }
        if kept:
            out["settings"] = kept
    return out


def _unit(value: object) -> int | None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        return None
    return value


def _entry(data: State, library_root: Path) -> State:
    entry = data.get("libraries", {}).get(library_key(library_root))
    return entry if isinstance(entry, dict) else {}


def load_place(library_root: Path) -> Place | None:
    """The last place read in this library, or None (never raises)."""
    entry = _entry(_read_all(state_path()), library_root)
    episode = entry.get("episode")
    if not isinstance(episode, str) or not episode:
        return None
    return Place(episode, episode_unit(entry, episode))


def episode_unit(entry: State, episode_id: str) -> int:
    places = entry.get("places")
    unit = places.get(episode_id) if isinstance(places, dict) else None
    if unit is None and entry.get("episode") == episode_id:
        unit = entry.get("unit")  # a state file written before places were kept per episode
    return _unit(unit) or 0


def load_episode_place(library_root: Path, episode_id: str) -> int | None:
    """The unit where this episode was left, or None if it was never read."""
    entry = _entry(_read_all(state_path()), library_root)
    places = entry.get("places")
    if isinstance(places, dict) and episode_id in places:
        return _unit(places[episode_id])
    if entry.get("episode") == episode_id:
        return _unit(entry.get("unit"))
    return None


def save_place(library_root: Path, place: Place) -> bool:
    """Remember ``place`` for this library (and for its episode, next to the places of the
    other episodes). Returns False if the file could not be written."""
    path = state_path()
    data = _read_all(path) or {"libraries": {}}
    old = _entry(data, library_root)
    kept = old.get("places")
    places = {
        k: v
        for k, v in (kept.items() if isinstance(kept, dict) else ())
        if isinstance(k, str) and _unit(v) is not None
    }
    if (
        isinstance(old.get("episode"), str)
        and old["episode"] not in places
        and _unit(old.get("unit")) is not None
    ):
        places[old["episode"]] = old["unit"]
    places[place.episode_id] = int(place.unit)
    data.setdefault("libraries", {})[library_key(library_root)] = {
        "library": str(Path(library_root).resolve()),
        "episode": place.episode_id,
        "unit": int(place.unit),
        "places": places,
    }
    return _write(path, data)


def load_settings() -> dict[str, Any]:
    """The reader's own settings (``theme``, ``summary_width``...), {} if none."""
    settings = _read_all(state_path()).get("settings")
    return dict(settings) if isinstance(settings, dict) else {}


def save_setting(name: str, value: object) -> bool:
    """Remember one setting for every library. False if the file could not be written."""
    path = state_path()
    data = _read_all(path) or {"libraries": {}}
    settings = data.get("settings")
    if not isinstance(settings, dict):
        settings = data["settings"] = {}
    if settings.get(name) == value:
        return True
    settings[name] = value
    return _write(path, data)


def _write(path: Path, data: State) -> bool:
    try:
        write_atomic(path, json.dumps(data, indent=2, sort_keys=True))
    except OSError:
        return False
    return True
