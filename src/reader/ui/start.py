"""How ``reader`` starts its app: imported with the garbage collector paused, resumed by
the app after its first frame (or by the command line if the app does not start)."""

from __future__ import annotations

import gc
from types import ModuleType

_collection_paused = False  # by import_app, until the app resumes it (take_paused_collection)


def import_app() -> ModuleType:
    """``reader.ui.app``, imported the way ``reader`` starts it: with the garbage collector
    paused. Importing Textual and the reader allocates tens of thousands of objects, none
    of them garbage, and the collector walked them ~70 times on the way (~20-40 ms of a
    ~300 ms start, benchmarks/README.md "UI"); the app resumes collection after its first
    frame, as it does for its own start (ReaderApp.__init__)."""
    global _collection_paused
    if gc.isenabled():
        gc.disable()
        _collection_paused = True
    try:
        from . import app
    except BaseException:
        resume_paused_collection()
        raise
    return app


def take_paused_collection() -> bool:
    """Whether import_app paused the collector (and nobody has taken that over yet)."""
    global _collection_paused
    paused, _collection_paused = _collection_paused, False
    return paused


def resume_paused_collection() -> None:
    """Collection on again if import_app paused it and no app took that over (the app
    did not start: the command line's ``finally``)."""
    if take_paused_collection():
        gc.enable()
