"""The sync engine: align summary claims to an untimed (or timed) transcript.

``align`` is pure and deterministic; ``align_cached`` keeps results on disk.
"""

from .cache import align_cached
from .engine import ENGINE_VERSION, align

__all__ = ["ENGINE_VERSION", "align", "align_cached"]
