"""UI speed: first paint, opening long transcripts, key presses, search round trips.

Prints a table. Not part of the test suite.

    .venv/bin/python benchmarks/ui_bench.py [--runs 5]

- first paint: a fresh process, from spawn until the first frame with content has been
  written (an empty Textual app, the bundled library's picker, the interview opening at
  start as the only episode of its library -- cold, then with the alignment and episode
  caches warm --, and the interview restored from the state file in the bundled
  two-episode library). Headless at 120x40 for every app (headless without a size lays
  out at 80x25 and then resizes to 80x24: a second layout no terminal causes), so terminal
  speed does not count. The app reports the wall-clock time of that frame: the callback
  after the refresh in which the picker is shown or the transcript first renders a row of
  text; process teardown and background work still running then do not count. Modules are
  byte-compiled as a wheel install's are (PYTHONDONTWRITEBYTECODE is dropped and one
  warm-up run precedes each median). The reader's app module is imported as ``reader``
  imports it (``reader.ui.start.import_app``: the garbage collector paused until the first
  frame); the empty app is plain Textual.
- open: a 15-minute and a 10-hour transcript (synthetic: the seed interview repeated),
  from spawn until the transcript pane has painted text (for a long transcript, its
  beginning: the rest is parsed and laid out after that).
- keys: in-process (``App.run_test``), per key press including the screen refresh:
  ``j``, ``pagedown``, ``G``/``g`` jumps, a claim jump (Enter in the summary). Wall time
  through ``pilot.press`` is quantised: the pilot waits in 20 ms steps until the process
  has used < 1 ms of CPU in a step, so any key that repaints costs a step or two. The
  "CPU work" rows are the process CPU time per press (all threads) above an unbound
  key's: the work a key really costs.
- search: Enter in the query box until results are on screen (bundled library).

``--first-paint [--before SRC]``: only the start cases (picker, the only episode of its
library with warm caches, the interview restored from state), interleaved: every round
runs the empty app and then each reader case (and, with ``--before``, the same case with
``SRC`` -- e.g. another commit's ``src/`` from ``git archive`` -- first on PYTHONPATH),
in an order that rotates per round. Each figure is divided by its own round's empty app;
the table gives medians and ranges of those ratios, and a line under it each case's median
time over the empty app's median time (one slow empty round moves it less).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
PY = sys.executable

EMPTY_APP = """
import sys, time
from textual.app import App
from textual.widgets import Static
class Empty(App):
    def compose(self):
        yield Static("hello")
    def on_mount(self):
        self.call_after_refresh(self._painted)
    def _painted(self):
        print("PAINTED", time.time(), time.process_time())
        self.exit()
Empty().run(headless=True, size=(120, 40))
"""

# Exits once the main screen has painted: the picker shown, or the transcript pane's text
# (the callback after the refresh in which the transcript first renders a row of text).
READER_APP = """
import sys, time
from pathlib import Path
try:  # as `reader` starts it (reader.cli): the collector paused for the imports
    from reader.ui.start import import_app
except ImportError:  # (a --before tree from before import_app)
    from reader.ui.app import ReaderApp
else:
    ReaderApp = import_app().ReaderApp
want = sys.argv[2]
if want == "transcript":
    from reader.ui.widgets.transcript_view import TranscriptView
    _render_row = TranscriptView._render_row
    def render_row(self, *args):
        if not getattr(self.app, "_done", False):
            self.app.call_after_refresh(self.app._painted)
        return _render_row(self, *args)
    TranscriptView._render_row = render_row
class Bench(ReaderApp):
    CSS_PATH = str(Path(__import__("reader.ui.app").ui.app.__file__).with_name("app.tcss"))
    # Textual calls every class's on_mount in the MRO: ReaderApp's runs by itself (a
    # super() call here pushed a second main screen and loaded everything twice).
    def on_mount(self):
        self.set_interval(0.002, self._check)
    def _check(self):
        if want != "picker":
            return  # (the picker's module is not the transcript's start to import)
        from reader.ui.screens.picker import PickerScreen
        if isinstance(self.screen, PickerScreen):
            self.call_after_refresh(self._painted)
    def _painted(self):
        if not self.is_running or getattr(self, "_done", False):
            return
        self._done = True
        print("PAINTED", time.time(), time.process_time())
        self.exit()
Bench(Path(sys.argv[1])).run(headless=True, size=(120, 40))
"""


def spawn(code: str, *args: str, env: dict[str, str]) -> float:
    """Run ``code`` as a script in a fresh process; seconds from spawn to the frame it
    reports painting (``PAINTED <time.time()> <process CPU s>`` on stdout)."""
    return spawn_times(code, *args, env=env)[0]


def spawn_times(code: str, *args: str, env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds from spawn to the painted frame, the process's CPU seconds then)."""
    # A file, not ``-c``: Textual finds an App subclass's CSS_PATH through its source file.
    script = Path(env["READER_CACHE_DIR"]).parent / f"bench_{abs(hash(code))}.py"
    script.parent.mkdir(parents=True, exist_ok=True)
    script.write_text(code)
    t0 = time.time()
    done = subprocess.run([PY, str(script), *args], env=env, capture_output=True, text=True)
    painted = [line.split() for line in done.stdout.splitlines() if line.startswith("PAINTED ")]
    if done.returncode or not painted:
        sys.exit(f"benchmark app failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return float(painted[0][1]) - t0, float(painted[0][2])


def median_of(runs: int, fn) -> float:
    fn()  # a warm-up run: byte-compiled modules, a warm file cache (not counted)
    return statistics.median(fn() for _ in range(runs))


def make_env(base: Path) -> dict[str, str]:
    env = dict(os.environ)
    # As installed: pip byte-compiles a wheel's modules, as it did Textual's. Without
    # this an environment with PYTHONDONTWRITEBYTECODE compiles reader's sources on every
    # start (~60-90 ms here) while the empty app reads Textual's .pyc files.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    for name in ("CACHE", "DATA", "STATE"):
        env[f"READER_{name}_DIR"] = str(base / name.lower())
    return env


def one_episode_library(dest: Path, lines: list[str], title: str) -> Path:
    folder = dest / "ep"
    folder.mkdir(parents=True)
    (folder / "transcript.txt").write_text("\n".join(lines) + "\n")
    (folder / "episode.toml").write_text(f'title = "{title}"\ntranscript = "transcript.txt"\n')
    return dest


def write_place(env: dict[str, str], library: Path, episode: str, unit: int) -> None:
    """Leave a reading place in ``env``'s state folder, as a previous run would have."""
    code = (
        "import sys; from pathlib import Path; from reader.state import Place, save_place; "
        "save_place(Path(sys.argv[1]), Place(sys.argv[2], int(sys.argv[3])))"
    )
    subprocess.run([PY, "-c", code, str(library), episode, str(unit)], env=env, check=True)


def fmt(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


async def key_latencies(library: Path, env: dict[str, str]) -> dict[str, list[float]]:
    os.environ.update({k: v for k, v in env.items() if k.startswith("READER_")})
    from reader.ui.app import ReaderApp

    results: dict[str, list[float]] = {}
    app = ReaderApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(200):
            await pilot.pause()
            if app.main_screen is not None and app.main_screen.transcript is not None:
                break
        await app.workers.wait_for_complete()
        await pilot.pause()
        main = app.main_screen
        main.focus_pane("transcript")
        await pilot.pause()

        async def timed(name: str, *keys: str, n: int = 60) -> None:
            samples = []
            cpu = []
            for _ in range(n):
                for key in keys:
                    t0, c0 = time.perf_counter(), time.process_time()
                    await pilot.press(key)
                    samples.append(time.perf_counter() - t0)
                    cpu.append(time.process_time() - c0)
            results[name] = samples
            results["cpu:" + name] = cpu

        # pilot.press itself waits for the app to go idle: an unbound key measures that
        # floor, and the table reports each key's p50 above it.
        await timed("baseline: an unbound key", "f12", n=200)
        await timed("j (cursor down)", "j", n=200)
        await timed("pagedown", "pagedown", n=60)
        await timed("G / g (jump)", "G", "g", n=40)
        main.focus_pane("summary")
        await pilot.pause()
        await timed("Enter on a claim (jump)", "down", "enter", n=40)

        search = main.search_pane
        samples = []
        cpu = []
        for query in ["lego", "agent", '"escape velocity"', "velocty~", "time horizon"] * 4:
            main.action_search()
            await pilot.pause()
            search.input.value = query
            t0, c0 = time.perf_counter(), time.process_time()
            await pilot.press("enter")
            for _ in range(500):
                if not search.workers and search.results_list.option_count:
                    break
                await pilot.pause(0.001)
            await pilot.pause()
            samples.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        results["search: Enter → results on screen"] = samples
        results["cpu:search: Enter → results on screen"] = cpu
    return results


def first_paint(runs: int, before: Path | None) -> None:
    """Interleaved start cases: ratios to the same round's empty app (see the docstring)."""
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        env = make_env(tmp / "env")
        only_env = make_env(tmp / "only-env")
        lib = tmp / "interview"
        shutil.copytree(
            ROOT / "library" / "redpoint-douglas-claude-4", lib / "redpoint-douglas-claude-4"
        )
        restored_env = make_env(tmp / "restored-env")
        write_place(restored_env, ROOT / "library", "redpoint-douglas-claude-4", 900)
        cases = {
            "picker (bundled library)": (str(ROOT / "library"), "picker", env),
            "interview, only episode of its library, caches warm": (
                str(lib),
                "transcript",
                only_env,
            ),
            "interview restored from state (bundled library)": (
                str(ROOT / "library"),
                "transcript",
                restored_env,
            ),
        }
        versions: dict[str, str | None] = {"after": None}
        if before is not None:
            versions = {"before": str(before), "after": None}

        def run(case: str, version: str) -> tuple[float, float]:
            library, want, case_env = cases[case]
            case_env = dict(case_env)
            src = versions[version]
            if src is not None:
                case_env["PYTHONPATH"] = os.pathsep.join(
                    p for p in (src, case_env.get("PYTHONPATH")) if p
                )
            return spawn_times(READER_APP, library, want, env=case_env)

        jobs = [(c, v) for c in cases for v in versions]
        for job in jobs:  # warm-up: byte-compiled modules, every cache written
            run(*job)
            run(*job)
        spawn(EMPTY_APP, env=env)
        empties: list[tuple[float, float]] = []
        ratios: dict[tuple[str, str], list[tuple[float, float]]] = {job: [] for job in jobs}
        times: dict[tuple[str, str], list[tuple[float, float]]] = {job: [] for job in jobs}
        for r in range(runs):
            order = jobs[r % len(jobs) :] + jobs[: r % len(jobs)]
            empty = spawn_times(EMPTY_APP, env=env)
            empties.append(empty)
            for job in order:
                wall, cpu = run(*job)
                ratios[job].append((wall / empty[0], cpu / empty[1]))
                times[job].append((wall, cpu))
    for k, what in enumerate(("wall clock", "process CPU")):
        e = [x[k] * 1000 for x in empties]
        print(
            f"\n{what}: empty Textual app median {statistics.median(e):.0f} ms "
            f"({min(e):.0f}-{max(e):.0f}), "
            f"{runs} interleaved rounds"
        )
        width = max(len(c) for c in cases)
        print(f"{'first paint / empty app':<{width}}  " + "  ".join(f"{v:>18}" for v in versions))
        for case in cases:
            cells = []
            for version in versions:
                rs = [x[k] for x in ratios[(case, version)]]
                cells.append(
                    f"{statistics.median(rs):.2f}x ({min(rs):.2f}-{max(rs):.2f})".rjust(18)
                )
            print(f"{case:<{width}}  " + "  ".join(cells))
        # less moved by one slow empty round: the case's median time over the empty app's
        empty_median = statistics.median(e) / 1000
        print(
            "  median time / the empty app's median time: "
            + "; ".join(
                f"{case.split(' (')[0].split(',')[0]} "
                + " / ".join(
                    f"{statistics.median(x[k] for x in times[(case, v)]) / empty_median:.2f}x"
                    for v in versions
                )
                for case in cases
            )
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--first-paint", action="store_true", help="only the start cases, interleaved"
    )
    parser.add_argument(
        "--before", type=Path, help="with --first-paint: a src/ folder to compare with"
    )
    args = parser.parse_args()
    if args.first_paint:
        first_paint(args.runs, args.before)
        return
    if not SEEDS.is_dir():
        sys.exit(f"seed files not found at {SEEDS}; this benchmark needs them")
    seed_text = next(SEEDS.glob("003_*.txt")).read_text()
    seed_lines = [line for line in seed_text.splitlines() if line.strip()]
    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        env = make_env(tmp / "env")
        empty = median_of(args.runs, lambda: spawn(EMPTY_APP, env=env))
        rows.append(("empty Textual app, first paint", fmt(empty)))

        picker = median_of(
            args.runs, lambda: spawn(READER_APP, str(ROOT / "library"), "picker", env=env)
        )
        rows.append(
            (
                "bundled library: picker, first paint",
                f"{fmt(picker)}  ({picker / empty:.2f}x empty)",
            )
        )

        # the interview, restored from state (as on a second start)
        state_env = make_env(tmp / "state-env")
        lib = tmp / "interview"
        shutil.copytree(
            ROOT / "library" / "redpoint-douglas-claude-4", lib / "redpoint-douglas-claude-4"
        )
        cold = []
        for _ in range(args.runs):
            shutil.rmtree(tmp / "state-env" / "cache", ignore_errors=True)
            cold.append(spawn(READER_APP, str(lib), "transcript", env=state_env))
        cold_s = statistics.median(cold)
        warm_s = median_of(
            args.runs, lambda: spawn(READER_APP, str(lib), "transcript", env=state_env)
        )
        rows.append(
            ("interview open, alignment cold", f"{fmt(cold_s)}  ({cold_s / empty:.2f}x empty)")
        )
        rows.append(
            ("interview open, alignment cached", f"{fmt(warm_s)}  ({warm_s / empty:.2f}x empty)")
        )

        # the bundled (two-episode) library, the interview restored from the state file
        restored_env = make_env(tmp / "restored-env")
        write_place(restored_env, ROOT / "library", "redpoint-douglas-claude-4", 900)
        restored = median_of(
            args.runs,
            lambda: spawn(READER_APP, str(ROOT / "library"), "transcript", env=restored_env),
        )
        rows.append(
            (
                "bundled library, interview restored from state",
                f"{fmt(restored)}  ({restored / empty:.2f}x empty)",
            )
        )

        # 15 minutes against 10 hours of transcript (no summary: times from a rate)
        quarter = one_episode_library(tmp / "q", seed_lines[: len(seed_lines) // 4], "15 minutes")
        ten = one_episode_library(
            tmp / "ten", seed_lines * 10 + seed_lines[: len(seed_lines) // 2], "10 hours"
        )
        q_s = median_of(args.runs, lambda: spawn(READER_APP, str(quarter), "transcript", env=env))
        t_s = median_of(args.runs, lambda: spawn(READER_APP, str(ten), "transcript", env=env))
        rows.append((f"open 15-min transcript ({len(seed_lines) // 4:,} lines)", fmt(q_s)))
        rows.append(
            (
                f"open 10-hour transcript ({len(seed_lines) * 10 + len(seed_lines) // 2:,} lines)",
                f"{fmt(t_s)}  ({t_s / q_s:.2f}x 15-min)",
            )
        )

        latencies = asyncio.run(key_latencies(lib, state_env))
        floor = statistics.median(latencies["baseline: an unbound key"])
        cpu_floor = statistics.median(latencies["cpu:baseline: an unbound key"])
        for name, samples in latencies.items():
            if name.startswith("cpu:"):
                continue
            samples.sort()
            p50 = statistics.median(samples)
            p95 = samples[int(len(samples) * 0.95) - 1]
            net = (
                ""
                if name.startswith("baseline")
                else f"  (p50 {fmt(max(0.0, p50 - floor))} above baseline)"
            )
            rows.append((f"{name} (n={len(samples)})", f"p50 {fmt(p50)}  p95 {fmt(p95)}{net}"))
            cpu = latencies.get("cpu:" + name)
            if cpu and not name.startswith("baseline"):
                work = statistics.median(cpu) - cpu_floor
                rows.append(("  CPU work above baseline", f"p50 {fmt(max(0.0, work))}"))

    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  result")
    print("-" * (width + 40))
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


if __name__ == "__main__":
    main()
