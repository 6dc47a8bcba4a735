"""The house rules that a reviewer would otherwise have to re-check by hand.

- No file in ``src/reader`` holds more than ``MAX_LINES`` lines (a file that long holds more
  than one job). The files still over are listed in ``KNOWN_OVER``: each is an expected,
  *strict* failure, so splitting one turns its entry into an XPASS failure until the entry is
  removed, and the list can only shrink.
- The core never imports the UI: no module outside ``reader.ui`` imports ``reader.ui``
  (at the top, inside a function or under TYPE_CHECKING), except the console-script entry
  point that starts the app.
- One definition per concept: no core module reaches into an Episode's ``__dict__`` /
  ``vars()`` for its parsed files (``KNOWN_CACHE_REACHES``), and no module writes out again
  a regex that ``reader.parse.patterns`` or ``reader.text`` holds: an HTML tag, a time, a
  sentence end, control characters (``KNOWN_PATTERN_COPIES``). Both lists work like
  ``KNOWN_OVER``: strict expected failures that can only shrink.
- README.md's "Layout of the code" names every file and package under ``src/reader`` and
  nothing that is gone (a split updates it in the same change).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "reader"
MAX_LINES = 500

# path relative to src/ -> why it is still over (remove the entry when the file is split)
KNOWN_OVER = {
}

# The composition root: starting the TUI is its job, so it alone may import reader.ui.
ENTRY_POINTS = {"reader/cli.py"}


def _sources() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _rel(path: Path) -> str:
    return path.relative_to(SRC).as_posix()


def _line_count(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def _checked_params(
    known: dict[str, str], skip: set[str], ui: bool = False, why: str = "known"
) -> list[object]:
    """One param per source file (the core's only, unless ``ui``), the ``known`` ones as
    strict expected failures."""
    params: list[object] = []
    for path in _sources():
        rel = _rel(path)
        if (rel.startswith("reader/ui/") and not ui) or rel in skip:
            continue
        marks = []
        if rel in known:
            marks.append(pytest.mark.xfail(strict=True, reason=f"{why}: {known[rel]}"))
        params.append(pytest.param(path, id=rel, marks=marks))
    return params


def _size_params() -> list[object]:
    return _checked_params(KNOWN_OVER, set(), ui=True, why=f"known over {MAX_LINES}")


@pytest.mark.parametrize("path", _size_params())
def test_no_source_file_over_500_lines(path: Path) -> None:
    lines = _line_count(path)
    assert lines <= MAX_LINES, f"{_rel(path)} has {lines} lines (> {MAX_LINES}): split it by job"


def test_known_over_list_names_only_existing_files() -> None:
    missing = [rel for rel in KNOWN_OVER if not (SRC / rel).is_file()]
    assert not missing, f"KNOWN_OVER names files that are gone (remove them): {missing}"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imported_modules(source: str, module: str, is_package: bool = False) -> set[str]:
    """Every module ``source`` (the text of ``module``) imports, anywhere in the file,
    relative imports resolved; ``from X import y`` counts as ``X`` and ``X.y``."""
    package = module if is_package else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            target = node.module or ""
            if node.level:
                parts = package.split(".")
                base = parts[: len(parts) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return found


def _is_ui(name: str) -> bool:
    return name == "reader.ui" or name.startswith("reader.ui.")


def _ui_imports(path: Path) -> list[str]:
    names = _imported_modules(
        path.read_text(encoding="utf-8"), _module_name(path), path.name == "__init__.py"
    )
    return sorted(name for name in names if _is_ui(name))


@pytest.mark.parametrize(
    "source",
    [
        "def f():\n    from .ui.app import run_app\n",
        "from . import ui\n",
        "if TYPE_CHECKING:\n    from reader.ui.messages import X\n",
        "import reader.ui.app\n",
        "from ..ui import app\n",
    ],
)
def test_the_import_check_sees_every_way_of_importing_the_ui(source: str) -> None:
    # the check must be able to fail: these, in a core module, all reach reader.ui
    module = "reader.parse.probe" if source.startswith("from ..") else "reader.probe"
    assert any(_is_ui(n) for n in _imported_modules(source, module))


def test_the_import_check_lets_a_similar_name_through() -> None:
    assert not any(_is_ui(n) for n in _imported_modules("from . import uikit\n", "reader.x"))


def test_the_core_never_imports_the_ui() -> None:
    offenders = []
    for path in _sources():
        rel = _rel(path)
        if rel.startswith("reader/ui/") or rel in ENTRY_POINTS:
            continue
        ui = _ui_imports(path)
        if ui:
            offenders.append(f"{rel} imports {', '.join(ui)}")
    assert not offenders, "the core imports the UI:\n" + "\n".join(offenders)


# --- one definition per concept --------------------------------------------------------
#
# An Episode keeps its parsed transcript and summaries (library.Episode: transcript_parsed,
# set_parsed, forget_parsed). Reaching into its ``__dict__`` / ``vars()`` for them from
# elsewhere is a second, private copy of that API.
CACHE_OWNER = "reader/library.py"
CACHED = {"transcript", "summaries"}

# path -> what it still does (remove the entry when the file uses the Episode API)
KNOWN_CACHE_REACHES = {
}


def _parts(node: ast.AST) -> list[ast.expr]:
    if isinstance(node, ast.Compare):
        return [node.left, *node.comparators]
    if isinstance(node, ast.Call):
        return [node.func, *node.args]
    if isinstance(node, ast.Subscript):
        return [node.value, node.slice]
    return []


def _is_dict_of(node: ast.AST) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "__dict__") or (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "vars"
    )


def _cache_reaches(source: str) -> list[int]:
    """Lines where ``x.__dict__`` or ``vars(x)`` meets "transcript" or "summaries" (a key
    looked up, popped, set or tested)."""
    lines = set()
    for node in ast.walk(ast.parse(source)):
        parts = _parts(node)
        if any(isinstance(p, ast.Constant) and p.value in CACHED for p in parts) and any(
            _is_dict_of(n) for p in parts for n in ast.walk(p)
        ):
            lines.add(getattr(node, "lineno", 0))
    return sorted(lines)


@pytest.mark.parametrize(
    "source",
    [
        'cached = "transcript" in ep.__dict__\n',
        'ep.__dict__.pop("summaries", None)\n',
        'if "transcript" in vars(episode):\n    pass\n',
        'episode.__dict__["transcript"] = t\n',
    ],
)
def test_the_cache_check_sees_a_reach_into_an_episode(source: str) -> None:
    assert _cache_reaches(source)


def test_the_cache_check_lets_other_dicts_through() -> None:
    source = 'leaf.__dict__.setdefault("_vocab", {})\nep.transcript_parsed\nd.pop("transcript")\n'
    assert not _cache_reaches(source)


@pytest.mark.parametrize("path", _checked_params(KNOWN_CACHE_REACHES, {CACHE_OWNER}))
def test_the_core_uses_the_episode_cache_api(path: Path) -> None:
    lines = _cache_reaches(path.read_text(encoding="utf-8"))
    assert not lines, (
        f"{_rel(path)}:{lines}: an Episode's parsed files reached through __dict__/vars(); "
        "use transcript_parsed / summaries_parsed / set_parsed / forget_parsed"
    )


# The patterns several modules need have one home each: reader.parse.patterns (tags, times,
# sentence ends) and reader.text (control characters). Elsewhere a regex is built from them
# (rf"{END_PUNCT}+..."), never written out again. A regex literal is recognised by what it
# does (probes), not by how it is spelt, so a re-spelt copy is caught too.
PATTERN_HOMES = {"reader/parse/patterns.py", "reader/text.py"}

# path -> its copies (remove the entry when the file imports the shared pattern)
KNOWN_PATTERN_COPIES = {
}


def _finds(pattern: re.Pattern[str], text: str, want: str | None = None) -> bool:
    m = pattern.search(text)
    return m is not None and (want is None or m.group() == want)


def _takes(pattern: re.Pattern[str], text: str, mark: str) -> bool:
    """``pattern`` finds, in ``text``, a match holding ``mark``."""
    return any(mark in m.group() for m in pattern.finditer(text))


def _concepts(pattern: re.Pattern[str]) -> list[str]:
    """Which shared concepts a compiled regex re-implements."""
    found = []
    if all(_finds(pattern, t) for t in ("<b>", "</span>", '<a href="x">')) and not _finds(
        pattern, "a <3 b"
    ):
        found.append("an HTML tag (patterns.TAG)")
    if _finds(pattern, "at 1:02 we", "1:02") and _finds(pattern, "at 01:02:03 we", "01:02:03"):
        found.append("a time (patterns.TRANSCRIPT_TIME / SUMMARY_TIME)")
    if all(
        _takes(pattern, f"It ended{p} So", p) or _takes(pattern, f"It ended{p}", p) for p in ".!?…"
    ) and not (_finds(pattern, "It ended so") or _finds(pattern, "It ended")):
        found.append("a sentence end (patterns.END_PUNCT, CLOSERS, SENTENCE_END)")
    if all(_finds(pattern, c) for c in "\x01\x1b\x7f\x9b") and not _finds(pattern, "a b"):
        found.append("control characters (text.strip_controls, mask_controls)")
    return found


_RE_CALLS = {"compile", "search", "match", "fullmatch", "sub", "subn", "findall", "finditer"}


def _pattern_copies(source: str) -> list[str]:
    out = []
    for node in ast.walk(ast.parse(source)):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in _RE_CALLS
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "re"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            continue  # a pattern built from the shared ones is not a literal
        try:
            pattern = re.compile(node.args[0].value)
        except re.error:
            continue
        out.extend(f"line {node.lineno}: {concept}" for concept in _concepts(pattern))
    return out


@pytest.mark.parametrize(
    "source",
    [
        'TAG = re.compile(r"<[^>]+>")\n',
        'T = re.compile(r"\\b\\d+:\\d\\d(?::\\d\\d)?")\n',
        'END = re.compile(r"[.?!\\u2026][\\"\')]*$")\n',
        'x = re.sub("[\\x00-\\x1f\\x7f-\\x9f]", " ", s)\n',
    ],
)
def test_the_pattern_check_sees_a_copy(source: str) -> None:
    assert _pattern_copies(source)


def test_the_pattern_check_lets_other_patterns_through() -> None:
    source = (
        'a = re.compile(r"\\s+")\nb = re.compile(r"<\\s*br\\b[^>]*>")\n'
        'c = re.compile(rf"{END_PUNCT}+(?= |$)")\nd = re.compile(r"[.!?:;,][\\"]*$")\n'
    )
    assert not _pattern_copies(source)


@pytest.mark.parametrize("path", _checked_params(KNOWN_PATTERN_COPIES, PATTERN_HOMES, ui=True))
def test_shared_patterns_are_defined_once(path: Path) -> None:
    copies = _pattern_copies(path.read_text(encoding="utf-8"))
    assert not copies, f"{_rel(path)} writes out a shared pattern again:\n" + "\n".join(copies)


# --- the README's layout section -------------------------------------------------------

README = SRC.parent / "README.md"


def _layout_block(text: str) -> list[str]:
    section = text.split("## Layout of the code", 1)[1].split("\n## ", 1)[0]
    return section.split("```", 2)[1].splitlines()[1:]


def _layout_paths(lines: list[str]) -> set[str]:
    """The paths a layout block names: two spaces of indent a folder level."""
    paths: set[str] = set()
    folders: list[str] = []
    for line in lines:
        if not line.strip():
            continue
        depth = (len(line) - len(line.lstrip(" "))) // 2
        name = line.split()[0]
        del folders[depth:]
        path = "".join(folders) + name
        paths.add(path.rstrip("/"))
        if name.endswith("/"):
            folders.append(name)
    return paths


def test_the_layout_reader_follows_the_indent() -> None:
    lines = ["src/reader/", "  sub/        x", "    a.py      job", "  b.py        job", "tests/"]
    assert _layout_paths(lines) == {
        "src/reader",
        "src/reader/sub",
        "src/reader/sub/a.py",
        "src/reader/b.py",
        "tests",
    }


def test_the_readme_layout_names_every_source_file_and_no_other() -> None:
    named = _layout_paths(_layout_block(README.read_text(encoding="utf-8")))
    named_src = {p for p in named if p.startswith("src/reader/")}
    files = {
        f"src/{_rel(p)}"
        for p in PACKAGE.rglob("*")
        if p.is_file()
        and p.suffix in (".py", ".tcss")
        and p.name not in ("__init__.py", "__main__.py")
        and "__pycache__" not in p.parts
    }
    folders = {f"src/{_rel(p.parent)}" for p in PACKAGE.rglob("__init__.py")} - {"src/reader"}
    unlisted = sorted((files | folders) - named_src)
    gone = sorted(named_src - files - folders)
    assert not unlisted, f"README's layout does not name: {unlisted}"
    assert not gone, f"README's layout names what is not in the tree: {gone}"
