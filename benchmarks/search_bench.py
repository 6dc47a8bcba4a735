"""Search index benchmark on a synthetic library (not a test; prints a table).

    .venv/bin/python benchmarks/search_bench.py --episodes 100
    nohup .venv/bin/python benchmarks/search_bench.py --episodes 1000 \
        > benchmarks/out/search-1000.txt &

Measures, with SQLite FTS5 and tantivy (when installed) doing the same job on the same
passages in the same run (stemmed + unstemmed text, top 20 with snippets, totals):
first build (CPU-s of this process and its workers, and wall), when the first results
are searchable, reopen with nothing changed, one changed episode, a fresh search
process (first search, peak RSS), a cold ``reader search`` against ``python -c 'import
reader.cli'``, p50/p95 per query kind, ``reader list`` (warm facts cache) and the
picker's counts (the facts the picker reads). CPU-s are the figures to compare on a
loaded machine; wall times there are only indicative.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import sqlite3
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


def cpu() -> float:
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime


def best_of(cmd: list[str], n: int = 3, env: dict | None = None) -> float:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        subprocess.run(
            cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False
        )
        out.append(time.perf_counter() - t)
    return min(out)


FRESH_PROCESS = r"""
import json, resource, sys, time
def hwm():  # this process's peak RSS: ru_maxrss would include the parent's, from before exec
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
t0 = time.perf_counter()
from reader.library import Library
from reader.search import LibraryIndex
ix = LibraryIndex(Library.load(sys.argv[1]))
trusted = ix._trusted_manifest(ix._index()) is not None
ix.update()
t1 = time.perf_counter()
r = ix.search(sys.argv[2])
t2 = time.perf_counter()
rss = {}
for q in sys.argv[3:]:
    ix.search(q)
    rss[q] = hwm()
print(json.dumps({"by_query": rss, "open": t1 - t0, "first": t2 - t1, "trusted": trusted,
                  "rss": hwm()}))
"""


def passages_of(lib) -> list[tuple[str, str]]:
    """(episode, text) of every passage and claim, as the index splits them."""
    from reader.search.documents import passages

    out = []
    for ep in lib.episodes:
        t = ep.transcript
        for _, _, text in passages(t, [0.0] * len(t.units)):
            out.append((ep.id, text))
        for s in ep.summaries:
            out.extend((ep.id, c.text) for c in s.claims)
        ep.forget_parsed()
    return out


class FTS5:
    name = "SQLite FTS5"

    def __init__(self, docs: list[tuple[str, str]], folder: Path) -> None:
        c0, t = cpu(), time.perf_counter()
        self._index(docs, folder)
        self.build_cpu, self.build_wall = cpu() - c0, time.perf_counter() - t

    @classmethod
    def from_files(cls, lib_dir: Path, folder: Path) -> FTS5:
        """The same job as our build: load the library, parse every episode's files,
        split them into passages and claims, index them (all inside the timing)."""
        from reader.library import Library

        self = cls.__new__(cls)
        c0, t = cpu(), time.perf_counter()
        self._index(passages_of(Library.load(lib_dir)), folder)
        self.build_cpu, self.build_wall = cpu() - c0, time.perf_counter() - t
        return self

    def _index(self, docs: list[tuple[str, str]], folder: Path) -> None:
        self.db = sqlite3.connect(str(folder / "fts.db"))
        self.db.execute(
            "CREATE VIRTUAL TABLE p USING fts5("
            "episode UNINDEXED, text, tokenize='porter unicode61')"
        )
        self.db.execute("CREATE VIRTUAL TABLE r USING fts5(text, tokenize='unicode61')")
        self.db.executemany("INSERT INTO p VALUES (?, ?)", docs)
        self.db.executemany("INSERT INTO r VALUES (?)", [(d[1],) for d in docs])
        self.db.commit()

    def search(self, q: str) -> int:
        table = "r" if q.endswith(("*", "~")) else "p"
        q = q.rstrip("~")
        fq = " AND ".join(
            w if w.endswith("*") or w.startswith('"') else f'"{w}"' for w in _split(q)
        )
        rows = self.db.execute(
            f"SELECT snippet({table}, -1, '«', '»', '…', 20) FROM {table} "
            f"WHERE {table} MATCH ? ORDER BY rank LIMIT 20",
            (fq,),
        ).fetchall()
        (n,) = self.db.execute(
            f"SELECT count(*) FROM {table} WHERE {table} MATCH ?", (fq,)
        ).fetchone()
        return n if rows is not None else 0


def _split(q: str) -> list[str]:
    if q.startswith('"'):
        return [q]
    return q.split()


class Tantivy:
    name = "tantivy"

    def __init__(self, docs: list[tuple[str, str]], folder: Path) -> None:
        import tantivy

        self.t = tantivy
        c0, t = cpu(), time.perf_counter()
        sb = tantivy.SchemaBuilder()
        sb.add_text_field("text", stored=True, tokenizer_name="en_stem")
        sb.add_text_field("raw", stored=False, tokenizer_name="default")
        self.schema = sb.build()
        (folder / "tantivy").mkdir()
        self.index = tantivy.Index(self.schema, path=str(folder / "tantivy"))
        w = self.index.writer(heap_size=200_000_000, num_threads=1)
        for _, text in docs:
            w.add_document(tantivy.Document(text=text, raw=text))
        w.commit()
        w.wait_merging_threads()
        self.index.reload()
        self.build_cpu, self.build_wall = cpu() - c0, time.perf_counter() - t

    def search(self, q: str) -> int:
        s = self.index.searcher()
        if q.endswith("~"):
            query = self.t.Query.fuzzy_term_query(self.schema, "raw", q[:-1], distance=1)
        elif q.endswith("*"):
            query = self.index.parse_query(q, ["raw"])
        else:
            query = self.index.parse_query(
                q if q.startswith('"') else " AND ".join(q.split()), ["text"]
            )
        res = s.search(query, 20, count=True)
        gen = self.t.SnippetGenerator.create(s, query, self.schema, "text")
        for _, addr in res.hits:
            gen.snippet_from_doc(s.doc(addr)).to_html()
        return res.count or 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--episodes", type=int, default=1000)
    ap.add_argument("--words", type=int, default=10_000)
    ap.add_argument("--library", type=Path, default=None, help="reuse/generate the library here")
    ap.add_argument("--queries", type=int, default=20, help="queries of each type")
    ap.add_argument("--no-reference", action="store_true", help="skip FTS5 and tantivy")
    ap.add_argument(
        "--reuse-cache",
        type=Path,
        default=None,
        metavar="DIR",
        help="measure the index already built under READER_CACHE_DIR=DIR (kept; no build)",
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
    os.environ.setdefault("READER_INDEX_WORKERS", "1")  # as `reader` does on 2 cores
    env = dict(os.environ, PYTHONPATH=str(HERE.parent / "src"))

    from reader.library import Library
    from reader.search import LibraryIndex

    rows: list[tuple[str, str, str]] = []

    def row(name: str, value: str, goal: str = "") -> None:
        rows.append((name, value, goal))
        print(f"{name:<46} {value:>26}  {goal}", flush=True)

    lib = Library.load(lib_dir)
    words = sum(len(p.read_text().split()) for p in lib_dir.glob("*/transcript.txt"))
    row("episodes / transcript words", f"{len(lib.episodes)} / {words / 1e6:.2f} M")

    # --- full build -----------------------------------------------------------------------
    ix = LibraryIndex(lib)
    t = time.perf_counter()
    c0 = cpu()
    first_searchable: list[float] = []

    def progress(done: int, total: int, ep: str) -> None:
        if (
            not first_searchable
            and done % 5 == 0
            and ix._ix is not None
            and ix._ix.latest_generation() > 0
        ):
            first_searchable.append(time.perf_counter() - t)
        if done % 100 == 0 or done == total:
            print(f"#   {done}/{total} episodes, {time.perf_counter() - t:.0f} s", flush=True)

    rep = ix.update(progress)
    build, build_cpu = time.perf_counter() - t, cpu() - c0
    t1, c1 = time.perf_counter(), cpu()
    aligned = ix.refine_times()  # the hits' times the bulk build left out (hit_times.py)
    refine, refine_cpu = time.perf_counter() - t1, cpu() - c1
    st = ix.stats()
    if a.reuse_cache:
        row("(index reused: no build measured)", "-")
    row(
        "first build: CPU-s (this process + workers)",
        f"{build_cpu:.1f} CPU-s",
        "goal <= 100 CPU-s, <= 8x FTS5",
    )
    row("first build: wall", f"{build:.1f} s")
    row(
        f"  then hit times: {aligned} episodes aligned (refine_times)",
        f"{refine_cpu:.1f} CPU-s / {refine:.1f} s",
        "after the build; searchable meanwhile",
    )
    row(
        "  searchable after (first batch committed)",
        f"{first_searchable[0]:.1f} s" if first_searchable else "-",
        "goal <= 10 s",
    )
    row(
        "index size / documents / segments",
        f"{du(ix.index_dir) / 2**20:.0f} MB / {st['documents']} / {st['segments']}",
    )
    if rep.problems:
        print("# problems:", rep.problems[:3])
    ix.close()

    # --- reopen, nothing changed ------------------------------------------------------------
    times = []
    for _ in range(3):
        t = time.perf_counter()
        ix = LibraryIndex(Library.load(lib_dir))
        rep = ix.update()
        times.append(time.perf_counter() - t)
        assert rep.touched == 0, rep
        ix.close()
    row("reopen, nothing changed (load + update)", f"{min(times):.3f} s", "goal <= 0.1 s")

    # --- one changed episode --------------------------------------------------------------
    lib = Library.load(lib_dir)
    ep = lib.episodes[len(lib.episodes) // 2]
    with ep.transcript_path.open("a", encoding="utf-8") as f:
        f.write(f"an added line about benchmarking {time.time_ns()}\n")
    ix = LibraryIndex(lib)
    t = time.perf_counter()
    rep = ix.update()
    row("one changed episode re-indexed", f"{time.perf_counter() - t:.3f} s", "goal <= 0.5 s")
    assert rep.changed == 1, rep

    # --- queries --------------------------------------------------------------------------
    rng = random.Random(7)
    vocab = synth.vocabulary()
    reader = ix.searcher().reader()
    ndocs = ix.searcher().doc_count()
    from whoosh.lang.porter import stem

    def df(w: str) -> int:
        return reader.doc_frequency("text", stem(w))

    mid = [w for w in vocab[50:2000] if len(w) >= 5]
    rare = [w for w in vocab[2000:] if len(w) >= 6] or mid
    common = sorted(vocab[:300], key=lambda w: abs(df(w) - 0.10 * ndocs))
    ten_pct = [w for w in common[:10] if w.isalpha()][:5] or common[:5]
    sample_text = [w.strip(".").lower() for w in ep.transcript_path.read_text().split()]
    starts = [
        i for i in range(len(sample_text) - 3) if all(len(w) >= 4 for w in sample_text[i : i + 3])
    ] or [0]
    ix.search("warmup")

    def typo(w: str) -> str:
        i = rng.randrange(1, len(w) - 1)
        return w[:i] + w[i + 1 :]

    kinds = {
        "term": (lambda: rng.choice(mid), "p95 <= 30 ms"),
        "AND (2 terms)": (lambda: f"{rng.choice(mid)} {rng.choice(mid)}", "p95 <= 30 ms"),
        "rare term": (lambda: rng.choice(rare), "p95 <= 30 ms"),
        "phrase (3 words)": (
            lambda: (lambda i: f'"{sample_text[i]} {sample_text[i + 1]} {sample_text[i + 2]}"')(
                rng.choice(starts)
            ),
            "p95 <= 60 ms",
        ),
        "prefix (4 letters*)": (lambda: rng.choice(mid)[:4] + "*", "p95 <= 60 ms"),
        "fuzzy (word~)": (lambda: typo(rng.choice(rare)) + "~", "p95 <= 60 ms"),
        f"word in ~10% of passages ({ten_pct[0]}...)": (
            lambda: rng.choice(ten_pct),
            "p95 <= 60 ms",
        ),
        "most common content word (model)": (lambda: "model", ""),
    }
    made: dict[str, list[str]] = {}
    for name, (make, goal) in kinds.items():
        lat, totals, exact = [], [], 0
        qs_list = [make() for _ in range(a.queries)]
        made[name] = qs_list
        for qs in qs_list:
            t = time.perf_counter()
            res = ix.search(qs, limit=20)
            lat.append((time.perf_counter() - t) * 1000)
            totals.append(res.total)
            exact += res.total_exact
            assert res.error is None, (qs, res.error)
        row(
            f"whoosh: {name} (median {statistics.median(totals):,.0f} hits"
            f"{'' if exact == len(qs_list) else ', about'})",
            f"p50 {pct(lat, 0.5):.0f} / p95 {pct(lat, 0.95):.0f} ms",
            goal,
        )
    # estimated totals ("about N": topterm._bounded) against the exact count and hits
    from reader.search import topterm

    checked, worst, same = 0, 0.0, True
    for qs_list in made.values():
        for qs in qs_list:
            got = ix.search(qs, limit=20)
            if got.total_exact:
                continue
            lazy, topterm.LAZY_MIN = topterm.LAZY_MIN, 10**12
            try:
                exact = ix.search(qs, limit=20)
            finally:
                topterm.LAZY_MIN = lazy
            if not exact.total_exact:
                continue  # (an estimate of Whoosh's own, not topterm's)
            checked += 1
            worst = max(worst, abs(got.total - exact.total) / max(1, exact.total))
            key = [(h.episode, h.line_start, h.kind, h.score) for h in got.hits]
            same = same and key == [(h.episode, h.line_start, h.kind, h.score) for h in exact.hits]
    row(
        f"estimated totals ({checked} queries) vs exact counts",
        f"worst {worst * 100:.2f}% off" if checked else "-",
        f"top 20 the exact search's: {'yes' if same else 'NO'}",
    )
    for qs in ("zzqx velcity", "velocity~99"):
        t = time.perf_counter()
        res = ix.search(qs)
        row(
            f"whoosh: {qs}",
            f"{(time.perf_counter() - t) * 1000:.0f} ms",
            f"({res.suggestion or '; '.join(res.notes)})",
        )
    ix.close()

    # --- a fresh search process: first search and peak RSS ----------------------------------
    import json

    probe = [sys.executable, "-c", FRESH_PROCESS, str(lib_dir), "velocity"] + [
        made[k][0] for k in made
    ]
    r = subprocess.run(probe, capture_output=True, text=True, env=env, check=False)
    try:
        fresh = json.loads(r.stdout.strip().splitlines()[-1])
        row(
            "fresh process: open (load + update)",
            f"{fresh['open']:.3f} s",
            "" if fresh["trusted"] else "(manifest not trusted: full check)",
        )
        row("fresh process: first search", f"{fresh['first'] * 1000:.0f} ms", "goal <= 50 ms")
        row(
            "fresh process: peak RSS after one query of each kind",
            f"{fresh['rss']:.0f} MB",
            "goal <= 150 MB",
        )
        print("# RSS after each query:", fresh["by_query"])
    except (ValueError, IndexError, KeyError):
        print("# fresh process failed:", r.stderr[-500:])

    # Byte-compiled first, as `pip install` leaves an installed package (this machine sets
    # PYTHONDONTWRITEBYTECODE, so a source checkout would otherwise be compiled on every
    # run, on both sides: ~40 ms of the figure).
    import compileall

    compileall.compile_dir(str(HERE.parent / "src" / "reader"), quiet=1)
    search_cmd = [sys.executable, "-m", "reader", "search", "velocity", "--library", str(lib_dir)]
    subprocess.run(search_cmd, capture_output=True, env=env, check=False)  # records the snapshot
    base = best_of([sys.executable, "-c", "import reader.cli"], n=5, env=env)
    cold = best_of(search_cmd, n=5, env=env)
    row(
        "cold `reader search velocity` - `import reader.cli`",
        f"{cold:.3f} - {base:.3f} = {cold - base:.3f} s",
        "goal <= 0.15 s",
    )
    from reader.search import freshness

    snapshot = ix.index_dir / freshness.SNAPSHOT

    def full_way() -> float:  # no snapshot: every episode.toml loaded, hashes compared
        snapshot.unlink(missing_ok=True)
        t = time.perf_counter()
        subprocess.run(search_cmd, capture_output=True, env=env, check=False)
        return time.perf_counter() - t

    full = min(full_way() for _ in range(3))
    row("  the same, library checked in full (no snapshot)", f"{full - base:.3f} s")

    # --- reader list and the picker's facts -------------------------------------------------
    cmd = [sys.executable, "-m", "reader", "list", "--library", str(lib_dir)]
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
    row("`reader list`, first (fills the facts cache)", f"{time.perf_counter() - t:.2f} s")
    row(
        "`reader list`, again (warm facts cache)", f"{best_of(cmd, env=env):.3f} s", "goal <= 0.5 s"
    )
    from reader.facts import FactsCache

    lib = Library.load(lib_dir)
    t = time.perf_counter()
    fc = FactsCache(lib)
    for e in lib.episodes:
        fc.get(e)
    row(
        "picker counts: facts of every episode (warm)",
        f"{(time.perf_counter() - t) * 1000:.0f} ms ({fc.computed} parsed)",
        "goal <= 0.5 s",
    )

    # --- the references -------------------------------------------------------------------
    if not a.no_reference:
        # The main reference does our build's job: from the library's files (load, parse,
        # split into passages, insert), all timed; the index-only row is handed the
        # passages already parsed (how rounds 1-4 measured it), for comparison.
        folder = Path(tempfile.mkdtemp(prefix="ref-", dir=out))
        try:
            whole = FTS5.from_files(lib_dir, folder)
            row(
                "SQLite FTS5: build from the files (load, parse, split, insert)",
                f"{whole.build_cpu:.1f} CPU-s / {whole.build_wall:.1f} s",
                f"whoosh = {build_cpu / max(whole.build_cpu, 1e-9):.1f}x (goal <= 8x)",
            )
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        c0 = cpu()
        docs = passages_of(Library.load(lib_dir))
        row("  (load + parse + split alone, outside FTS5)", f"{cpu() - c0:.1f} CPU-s")
        refs = [FTS5]
        try:
            import tantivy  # noqa: F401

            refs.append(Tantivy)
        except ImportError:
            print("# tantivy not installed: skipped")
        for cls in refs:
            folder = Path(tempfile.mkdtemp(prefix="ref-", dir=out))
            try:
                engine = cls(docs, folder)
                ratio = build_cpu / max(engine.build_cpu, 1e-9)
                row(
                    f"{cls.name}: build, index only ({len(docs):,} docs given)",
                    f"{engine.build_cpu:.1f} CPU-s / {engine.build_wall:.1f} s",
                    f"whoosh = {ratio:.1f}x",
                )
                for name, qs_list in made.items():
                    lat = []
                    for qs in qs_list:
                        t = time.perf_counter()
                        try:
                            engine.search(qs)
                        except Exception:  # noqa: BLE001 - syntax it lacks
                            pass
                        lat.append((time.perf_counter() - t) * 1000)
                    row(
                        f"{cls.name}: {name.split(' (')[0]}",
                        f"p50 {pct(lat, 0.5):.1f} / p95 {pct(lat, 0.95):.1f} ms",
                    )
                row(f"{cls.name}: size", f"{du(folder) / 2**20:.0f} MB")
            finally:
                shutil.rmtree(folder, ignore_errors=True)

    print("\n| measure | value | goal |\n|---|---|---|")
    for name, value, goal in rows:
        print(f"| {name} | {value} | {goal} |")
    if not a.reuse_cache:
        shutil.rmtree(cache, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
