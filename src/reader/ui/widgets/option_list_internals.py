"""The few private parts of Textual's ``OptionList`` the reader uses, in one place.

Restyling every claim of a long summary through the public API
(``replace_option_prompt_at_index``) re-measures every option once per call; a cursor
marker that changes neither width nor height needs only its own rows repainted. Textual
has no public call for either, so these wrap its private ones. ``tests/test_textual_internals.py``
fails loudly, naming the attribute, when a Textual upgrade removes or renames one.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import OptionList
from textual.widgets.option_list import Option

# (class, attribute) pairs used below: checked by the test
USED = (
    (Option, "_set_prompt"),
    (OptionList, "_clear_caches"),
    (OptionList, "_option_render_cache"),
    (OptionList, "_index_to_line"),
    (OptionList, "_heights"),
    (OptionList, "_update_lines"),
    (OptionList, "_line_cache"),
    (OptionList, "_size_updated"),
)


def set_prompt(option: Option, prompt: Any) -> None:
    """Change an option's prompt without re-measuring the list (call :func:`remeasure`
    once after changing many, or :func:`repaint_option` for one of unchanged size)."""
    option._set_prompt(prompt)


def remeasure(option_list: OptionList) -> None:
    """Drop every cached rendering and measurement: the next paint re-measures."""
    option_list._clear_caches()


def repaint_option(option_list: OptionList, index: int) -> None:
    """Repaint one option whose prompt changed but not its size: only its cached
    lines go, only its rows are refreshed."""
    option = option_list.get_option_at_index(index)
    cache = option_list._option_render_cache
    for key in [k for k in cache.keys() if k[0] is option]:
        cache.discard(key)
    line = option_list._index_to_line.get(index)
    if line is not None:
        option_list.refresh_lines(line, option_list._heights.get(index, 1))


def measure_now(option_list: OptionList) -> None:
    """Measure every option at the list's present width, as Textual does only when the
    list first paints (its scrollbar then appears a frame late). Measures kept from
    another width are dropped first, without a repaint."""
    option_list._option_render_cache.clear()
    option_list._line_cache.clear()
    option_list._update_lines()
