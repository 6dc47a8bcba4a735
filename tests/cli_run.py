"""Running the `reader` command in-process, as the CLI tests do."""

from __future__ import annotations

from reader.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of ``reader ARGV...``."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_error_line(err: str) -> str:
    """The single ``reader: error: …`` line a refusal prints (and no traceback)."""
    lines = [line for line in err.splitlines() if line.startswith("reader: error:")]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]
