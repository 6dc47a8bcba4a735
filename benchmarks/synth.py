"""Generate a synthetic library for benchmarks.

    python benchmarks/synth.py OUT_DIR --episodes 100 [--words 10000] [--claims 50] [--seed 1]

Each episode is one hour (``duration = 3600``): an untimed caption-style transcript of about
``--words`` words (7 words a line) and a markdown summary of ``--claims`` timestamped claims
under a few headings. Words are drawn from the bundled seed transcripts with a Zipf-ish
distribution (rank r has weight 1/r), plus a sprinkling of random rare terms, so term
statistics look like real speech. Deterministic for a given seed; reusable from code via
``generate(out_dir, episodes, ...)``.
"""

from __future__ import annotations

import argparse
import random
import re
import string
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED_LIBRARY = ROOT / "library"
WORDS_PER_LINE = 7
RARE_RATE = 0.01  # share of words that are random rare terms


def vocabulary() -> list[str]:
    """Seed words, most frequent first."""
    counts: Counter[str] = Counter()
    for path in sorted(SEED_LIBRARY.glob("*/*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        text = re.sub(r"<[^>]+>|\[\[|\]\]|\[[\d:]+\]", " ", text)
        counts.update(w.lower() for w in re.findall(r"[A-Za-z][A-Za-z']+", text))
    words = [w for w, _ in counts.most_common()]
    if len(words) < 50:  # no seed library: fall back to a tiny built-in list
        words = "the and to of a that it is like in you so this i we think models model".split()
    return words


def rare_word(rng: random.Random) -> str:
    return "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(6, 11)))


class WordSource:
    def __init__(self, rng: random.Random, words: list[str]) -> None:
        self.rng = rng
        self.words = words
        weights = [1.0 / (r + 1) for r in range(len(words))]
        acc, cum = 0.0, []
        for w in weights:
            acc += w
            cum.append(acc)
        self.cum = cum

    def take(self, n: int) -> list[str]:
        out = self.rng.choices(self.words, cum_weights=self.cum, k=n)
        for i in range(n):
            if self.rng.random() < RARE_RATE:
                out[i] = rare_word(self.rng)
        return out


def fmt(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def write_episode(
    folder: Path, n: int, src: WordSource, words: int, claims: int, rng: random.Random
) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    body = src.take(words)
    lines = []
    for i in range(0, len(body), WORDS_PER_LINE):
        chunk = body[i : i + WORDS_PER_LINE]
        line = " ".join(chunk)
        if rng.random() < 0.25:
            line += "."
        lines.append(line[:1].upper() + line[1:])
    (folder / "transcript.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = [f"---\ntitle: Synthetic episode {n}\n---\n", f"# Synthetic episode {n}\n"]
    for c in range(claims):
        if c % 10 == 0:
            summary.append(f"\n## {' '.join(src.take(3)).title()}\n")
        t = 3600 * (c + rng.random()) / claims
        summary.append(f"- {' '.join(src.take(rng.randint(12, 25))).capitalize()} [{fmt(t)}]")
    (folder / "summary.md").write_text("\n".join(summary) + "\n", encoding="utf-8")
    (folder / "episode.toml").write_text(
        f'title = "Synthetic episode {n}"\nshow = "Synth"\nduration = 3600\n'
        f'transcript = "transcript.txt"\nsummaries = ["summary.md"]\n',
        encoding="utf-8",
    )


def generate(
    out: Path, episodes: int, words: int = 10_000, claims: int = 50, seed: int = 1
) -> Path:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / ".reader-library").touch()
    vocab = vocabulary()
    for n in range(episodes):
        rng = random.Random(seed * 1_000_003 + n)
        write_episode(out / f"ep{n:05d}", n, WordSource(rng, vocab), words, claims, rng)
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("out", type=Path)
    p.add_argument("--episodes", type=int, default=100)
    p.add_argument("--words", type=int, default=10_000)
    p.add_argument("--claims", type=int, default=50)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args(argv)
    generate(a.out, a.episodes, a.words, a.claims, a.seed)
    print(f"{a.episodes} episodes in {a.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
