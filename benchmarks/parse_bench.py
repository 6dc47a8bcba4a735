"""Parser growth on big and hostile input (not a test; prints a table).

    .venv/bin/python benchmarks/parse_bench.py [--scale 1]

For each shape of input it writes files of n, 2n and 4n units to benchmarks/out/parse/,
parses each in a fresh process (``parse_transcript`` or ``parse_summary``) and prints the
time, the peak memory and the growth per doubling: ~2.0 is linear, ~4.0 quadratic. The
reference row in the same run is reading the same file and splitting its lines.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out" / "parse"


def _clock(i: int) -> str:
    return f"{i // 3600:02d}:{i % 3600 // 60:02d}:{i % 60:02d}"


SHAPES = {
    # name: (parser, file name, writer of n units, n at scale 1)
    "vtt cues": (
        "transcript",
        "cues.vtt",
        lambda n: (
            "WEBVTT\n\n"
            + "".join(f"{_clock(i)}.000 --> {_clock(i)}.900\nword {i} here\n\n" for i in range(n))
        ),
        50_000,
    ),
    "srt cues": (
        "transcript",
        "cues.srt",
        lambda n: "".join(
            f"{i + 1}\n{_clock(i)},000 --> {_clock(i)},900\nword {i} here\n\n" for i in range(n)
        ),
        50_000,
    ),
    "bare (hh:mm:ss): turns": (
        "transcript",
        "turns.md",
        lambda n: (
            "Lenny (00:00:00):\nHi.\n\n"
            + "".join(f"({_clock(i)}):\nand then {i}.\n\n" for i in range(n))
        ),
        50_000,
    ),
    "one prose line": (
        "transcript",
        "prose.txt",
        lambda n: "Mr. Smith and Dr. Who went on " * n + "\n",
        100_000,
    ),
    "one line, no spaces": ("transcript", "blob.txt", lambda n: "a" * (30 * n) + "\n", 100_000),
    "summary: one line of stamps": (
        "summary",
        "stamps.md",
        lambda n: "".join(f"claim {i} [{_clock(i)}] and " for i in range(n)) + "\n",
        50_000,
    ),
    "summary: '[a](b' line": ("summary", "links.md", lambda n: "[a](b" * n + "\n", 200_000),
    "summary: title-first lines": (
        "summary",
        "titles.md",
        lambda n: "".join(f"Title {i} {_clock(i)}\n" for i in range(n)),
        50_000,
    ),
}

RUN = """
import resource, sys, time
from pathlib import Path
sys.path.insert(0, {src!r})
kind, path = sys.argv[1], Path(sys.argv[2])
from reader.errors import InputError
t = time.perf_counter()
try:
    if kind == "reference":
        n = len(path.read_text(encoding="utf-8").splitlines())
    elif kind == "transcript":
        from reader.parse import parse_transcript
        n = len(parse_transcript(path).units)
    else:
        from reader.parse import parse_summary
        n = len(parse_summary(path).claims)
except InputError:
    n = -1  # refused by the input checks (reader.files): a shape no real file has
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, n)
"""


def measure(kind: str, path: Path) -> tuple[float, float, int]:
    code = RUN.format(src=str(HERE.parent / "src"))
    out = subprocess.run([sys.executable, "-c", code, kind, str(path)], capture_output=True,
                         text=True, check=True, timeout=900).stdout.split()
    return float(out[0]), float(out[1]), int(out[2])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=float, default=1.0)
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    print(
        f"{'input':30} {'units':>9} {'MB':>6} {'parse s':>8} {'ref s':>6} {'peak MB':>8}"
        f" {'growth':>7}"
    )
    for name, (kind, fname, write, base) in SHAPES.items():
        prev = None
        for mult in (1, 2, 4):
            n = int(base * args.scale * mult)
            path = OUT / f"{mult}x-{fname}"
            path.write_text(write(n), encoding="utf-8")
            secs, peak, units = measure(kind, path)
            ref, _, _ = measure("reference", path)
            if units < 0:
                size = path.stat().st_size / 1e6
                print(f"{name:30} {n:>9,} {size:>6.1f} refused in {secs:.2f} s (input checks)")
                prev = None
                continue
            growth = f"{secs / prev:.1f}" if prev else ""
            prev = secs
            size = path.stat().st_size / 1e6
            print(
                f"{name:30} {n:>9,} {size:>6.1f} {secs:>8.2f} {ref:>6.2f} {peak:>8.0f} {growth:>7}"
            )


if __name__ == "__main__":
    main()
