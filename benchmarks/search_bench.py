"""Search index benchmark on a synthetic library (not a test; prints a table).

    .venv/bin/python benchmarks/search_bench.py --episodes 100
    nohup .venv/bin/python benchmarks/search_bench.py --episodes 1000 > benchmarks/out/search-1000.txt &

Measures: full build (time, size), reopen with nothing changed, one changed episode,
query latency (p50/p95 over several queries of each type, top 20 with highlights),
peak memory, and ``grep -ril`` over the same files for scale.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

import synth  # noqa: E402


def du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    k = min(len(values) - 1, max(0, round(q * (len(values) - 1))))
    return values[k]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--episodes", type=int, default=1000)
    ap.add_argument("--words", type=int, default=10_000)
    ap.add_argument("--library", type=Path, default=None, help="reuse/generate the library here")
    ap.add_argument("--queries", type=int, default=20, help="queries of each type")
    ap.add_argument(
        "--reuse-cache", type=Path, default=None, metavar="DIR",
        help="use the index already built under this READER_CACHE_DIR (skips the build; kept)",
    )
    a = ap.parse_args(argv)

    out = HERE / "out"
    out.mkdir(exist_ok=True)
    lib_dir = a.library or out / f"synth-{a.episodes}"
    if not (lib_dir / "ep00000").exists():
        t = time.perf_counter()
        synth.generate(lib_dir, a.episodes, words=a.words)
        print(f"# generated {a.episodes} episodes in {time.perf_counter() - t:.1f} s", flush=True)
    cache = a.reuse_cache or Path(tempfile.mkdtemp(prefix="search-bench-", dir=out))
    os.environ["READER_CACHE_DIR"] = str(cache)

    from reader.library import Library
    from reader.search import LibraryIndex

    rows: list[tuple[str, str, str]] = []

    def row(name: str, value: str, goal: str = "") -> None:
        rows.append((name, value, goal))
        print(f"{name:<44} {value:>18}  {goal}", flush=True)

    lib = Library.load(lib_dir)
    words = sum(len(p.read_text().split()) for p in lib_dir.glob("*/transcript.txt"))
    row("episodes / transcript words", f"{len(lib.episodes)} / {words / 1e6:.2f} M")

    # --- full build -----------------------------------------------------------------------
    ix = LibraryIndex(lib)
    t = time.perf_counter()
    last = [t]

    def progress(done: int, total: int, ep: str) -> None:
        if done % 100 == 0 or done == total:
            now = time.perf_counter()
            print(f"#   {done}/{total} episodes, {now - t:.0f} s ({(now - last[0]):.1f} s for the last batch)", flush=True)
            last[0] = now

    rep = ix.update(progress)
    build = time.perf_counter() - t
    merge = time.perf_counter() - last[0]
    st = ix.stats()
    if not a.reuse_cache:
        row("full build", f"{build:.1f} s", f"({build / max(1, len(lib.episodes)) * 1000:.0f} ms/episode)")
        row("  of which the final commit (one segment)", f"{merge:.1f} s")
    row("index size / documents / segments", f"{du(ix.index_dir) / 2**20:.0f} MB / {st['documents']} / {st['segments']}")
    if rep.problems:
        print("# problems:", rep.problems[:3])
    ix.close()

    # --- reopen, nothing changed ------------------------------------------------------------
    times, loads = [], []
    for _ in range(3):
        t = time.perf_counter()
        lib = Library.load(lib_dir)
        loads.append(time.perf_counter() - t)
        ix = LibraryIndex(lib)
        rep = ix.update()
        times.append(time.perf_counter() - t)
        assert rep.touched == 0, rep
        ix.close()
    row("reopen, nothing changed (load+update)", f"{min(times):.3f} s", "goal <= 0.2 s")
    row("  of which Library.load (toml of every episode)", f"{min(loads):.3f} s")
    t = time.perf_counter()
    LibraryIndex(lib).search("velocity")
    row("  then the first search (opens the segment)", f"{time.perf_counter() - t:.3f} s")

    # --- one changed episode --------------------------------------------------------------
    lib = Library.load(lib_dir)
    ep = lib.episodes[len(lib.episodes) // 2]
    with ep.transcript_path.open("a", encoding="utf-8") as f:
        f.write(f"an added line about benchmarking {time.time_ns()}\n")
    ix = LibraryIndex(lib)
    t = time.perf_counter()
    rep = ix.update()
    row("one changed episode re-indexed", f"{time.perf_counter() - t:.3f} s", "goal <= 1 s")
    assert rep.changed == 1, rep

    # --- queries --------------------------------------------------------------------------
    rng = random.Random(7)
    vocab = synth.vocabulary()
    mid = [w for w in vocab[50:2000] if len(w) >= 5]
    rare = [w for w in vocab[2000:] if len(w) >= 6] or mid
    sample_text = [w.strip(".").lower() for w in ep.transcript_path.read_text().split()]
    starts = [
        i for i in range(len(sample_text) - 3) if all(len(w) >= 4 for w in sample_text[i : i + 3])
    ] or [0]
    ix.search("warmup")

    def typo(w: str) -> str:
        i = rng.randrange(1, len(w) - 1)
        return w[:i] + w[i + 1 :]

    def misspelt_phrase() -> str:
        i = rng.choice(starts)
        w = sample_text[i : i + 3]
        j = max(range(3), key=lambda k: len(w[k]))
        w[j] = typo(w[j]) if len(w[j]) >= 5 else w[j]
        return '"' + " ".join(w) + '"'

    kinds = {
        "term": lambda: rng.choice(mid),
        "AND (2 terms)": lambda: f"{rng.choice(mid)} {rng.choice(mid)}",
        "phrase": lambda: (
            lambda i: f'"{sample_text[i]} {sample_text[i + 1]} {sample_text[i + 2]}"'
        )(rng.choice(starts)),
        "phrase with a misspelt word (near fallback)": misspelt_phrase,
        "fuzzy (word~)": lambda: typo(rng.choice(rare)) + "~",
        "rare term": lambda: rng.choice(rare),
    }
    goals = {
        "term": "p95 <= 50 ms",
        "AND (2 terms)": "p95 <= 50 ms",
        "phrase": "p95 <= 150 ms",
        "phrase with a misspelt word (near fallback)": "p95 <= 150 ms",
        "fuzzy (word~)": "p95 <= 150 ms",
    }
    term_queries = []
    for name, make in kinds.items():
        lat, totals = [], []
        for _ in range(a.queries):
            qs = make()
            if name == "term":
                term_queries.append(qs)
            t = time.perf_counter()
            res = ix.search(qs, limit=20)
            lat.append((time.perf_counter() - t) * 1000)
            totals.append(res.total)
            assert res.error is None, (qs, res.error)
        row(
            f"query: {name} (median {statistics.median(totals):.0f} hits)",
            f"p50 {pct(lat, .5):.0f} / p95 {pct(lat, .95):.0f} ms",
            goals.get(name, ""),
        )
    for qs in ("zzqx velcity", typo(rng.choice(mid)) + " " + typo(rng.choice(mid))):
        t = time.perf_counter()
        res = ix.search(qs)
        row(f"no-hit query + did-you-mean ({qs})", f"{(time.perf_counter() - t) * 1000:.0f} ms", f"(suggestion: {res.suggestion})")

    # --- grep for scale ---------------------------------------------------------------------
    lat = []
    for w in term_queries[:5]:
        t = time.perf_counter()
        subprocess.run(["grep", "-ril", w, str(lib_dir)], stdout=subprocess.DEVNULL, check=False)
        lat.append((time.perf_counter() - t) * 1000)
    row("grep -ril (term, same files)", f"p50 {pct(lat, .5):.0f} ms")
    row("peak memory (maxrss)", f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    ix.close()

    print("\n| measure | value | goal |\n|---|---|---|")
    for name, value, goal in rows:
        print(f"| {name} | {value} | {goal} |")
    if not a.reuse_cache:
        shutil.rmtree(cache, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
