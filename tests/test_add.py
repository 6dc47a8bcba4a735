"""`reader add` / `reader remove` as a user runs them: the user's own library, the samples
left alone, and every bad add refused with one line, exit 2, and the library unchanged."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from cli_run import one_error_line, run
from libtree import tree_digest
from material import bench, seed
from reader.cli import main
from reader.library import Library
from reader.paths import bundled_library, user_library

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def files(tmp_path) -> dict[str, Path]:
    src = tmp_path / "downloads"
    src.mkdir()
    return {
        "transcript": Path(shutil.copy(seed("003"), src / "interview.txt")),
        "summary": Path(shutil.copy(seed("000"), src / "summary.md")),
        "summary2": Path(shutil.copy(seed("001"), src / "summary-2.md")),
        "article": Path(shutil.copy(seed("004"), src / "article.txt")),
    }


@pytest.fixture
def user_lib(isolated_dirs) -> Path:
    return user_library()


def git_status() -> str | None:
    try:
        result = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=all"], cwd=REPO,
            capture_output=True, text=True, timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout if result.returncode == 0 else None


# --- where episodes go ------------------------------------------------------------------


def test_add_writes_to_the_users_library_and_leaves_the_repository_and_samples_alone(
    capsys, files, user_lib
):
    samples = bundled_library()
    samples_before = tree_digest(samples)
    status_before = git_status()
    code, out, err = run(
        capsys, "add", str(files["transcript"]), "--summary", str(files["summary"])
    )
    assert code == 0, err
    assert "Added" in out and str(user_lib) in out
    (episode,) = Library.load(user_lib).episodes
    assert len(episode.summaries[0].claims) == 79
    assert tree_digest(samples) == samples_before
    if status_before is not None:
        assert git_status() == status_before  # nothing new, nothing untracked in the clone


def test_samples_show_until_the_user_has_episodes_and_stay_reachable(capsys, files, user_lib):
    code, out, _ = run(capsys, "list")
    assert code == 0
    assert "Sample episodes" in out and "Anthropic's Douglas on Claude 4" in out
    code, _, err = run(capsys, "add", str(files["article"]), "--title", "My own article")
    assert code == 0, err
    code, out, _ = run(capsys, "list")
    assert "My own article" in out
    assert "Anthropic's Douglas on Claude 4" not in out and "Sample episodes" not in out
    code, out, _ = run(capsys, "list", "--samples")
    assert "Anthropic's Douglas on Claude 4" in out and "My own article" not in out


@pytest.mark.parametrize("env", [False, True])
def test_every_reading_subcommand_takes_samples_once_you_have_episodes_of_your_own(
        capsys, files, user_lib, monkeypatch, env):
    code, _, err = run(capsys, "add", str(files["transcript"]), "--title", "My own interview")
    assert code == 0, err
    if env:  # an explicit --samples beats $READER_LIBRARY
        monkeypatch.setenv("READER_LIBRARY", str(user_lib))
    samples = {ep.id for ep in Library.load(bundled_library()).episodes}
    mine = "my-own-interview"

    code, out, err = run(capsys, "list", "--json", "--samples")
    assert code == 0, err
    assert {row["id"] for row in json.loads(out)} == samples

    code, out, err = run(capsys, "index", "--samples")
    assert code == 0 and "2 added" in out, err
    code, out, err = run(capsys, "search", "Douglas", "--json", "--samples")
    assert code == 0, err
    hits = {hit["episode"] for hit in json.loads(out)["hits"]}
    assert hits and hits <= samples
    code, out, err = run(capsys, "search", "Douglas", "--json")  # the default: your library
    assert code == 0, err
    assert {hit["episode"] for hit in json.loads(out)["hits"]} <= {mine}

    code, out, err = run(capsys, "export", "redpoint-douglas-claude-4", "--samples", "-o", "-")
    assert code == 0 and "Anthropic's Douglas on Claude 4" in out, err
    code, out, err = run(capsys, "export", "redpoint-douglas-claude-4", "-o", "-")
    assert code == 2 and "no episode 'redpoint-douglas-claude-4'" in one_error_line(err)


@pytest.mark.parametrize("command", [["list"], ["search", "x"], ["index"], ["export", "x"]])
def test_library_and_samples_together_are_refused(capsys, tmp_path, command):
    with pytest.raises(SystemExit) as exc:
        main([*command, "--library", str(tmp_path), "--samples"])
    assert exc.value.code == 2
    assert "--samples: not allowed with argument --library" in capsys.readouterr().err


def test_the_samples_are_never_written(capsys, files, monkeypatch):
    samples = bundled_library()
    before = tree_digest(samples)
    code, _, err = run(capsys, "add", str(files["article"]), "--library", str(samples))
    assert code == 2 and "read-only" in one_error_line(err)
    monkeypatch.setenv("READER_LIBRARY", str(samples))
    code, _, err = run(capsys, "add", str(files["article"]))
    assert code == 2 and "read-only" in one_error_line(err)
    code, _, err = run(capsys, "remove", "redpoint-douglas-claude-4", "--yes")
    assert code == 2 and "read-only" in one_error_line(err)
    code, _, err = run(
        capsys, "add", "--summary", str(files["summary"]), "--to", "redpoint-douglas-claude-4"
    )
    assert code == 2 and "read-only" in one_error_line(err)
    assert tree_digest(samples) == before


# --- refused adds -----------------------------------------------------------------------


def test_the_same_content_twice_is_refused_naming_the_episode_and_force_adds_it(
    capsys, files, user_lib
):
    code, out, err = run(
        capsys, "add", str(files["transcript"]), "--summary", str(files["summary"])
    )
    assert code == 0, err
    first = Library.load(user_lib).episodes[0].id
    before = tree_digest(user_lib)
    copy = files["transcript"].with_name("renamed-copy.txt")
    shutil.copy(files["transcript"], copy)
    code, _, err = run(capsys, "add", str(copy))
    line = one_error_line(err)
    assert code == 2 and f"'{first}'" in line and "--force" in line and "same transcript" in line
    assert tree_digest(user_lib) == before
    code, out, err = run(capsys, "add", str(copy), "--force")
    assert code == 0, err
    assert len(Library.load(user_lib).episodes) == 2


@pytest.mark.parametrize(
    "case",
    [
        "folder",
        "missing",
        "empty",
        "summary-folder",
        "summary-no-stamps",
        "summary-article",
        "swapped",
        "timed-as-summary",
        "episode-toml",
    ],
)
def test_bad_adds_are_one_line_exit_2_and_the_library_is_unchanged(
    capsys, files, user_lib, tmp_path, case
):
    code, _, err = run(capsys, "add", str(files["article"]), "--title", "Already here")
    assert code == 0, err
    before = tree_digest(user_lib)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    no_stamps = tmp_path / "notes.md"
    no_stamps.write_text("# Notes\n\n- Claude 4 is good at code.\n- Agents come next.\n")
    existing_meta = Library.load(user_lib).episodes[0].folder / "episode.toml"
    argv = {
        "folder": ["add", str(files["transcript"].parent)],
        "missing": ["add", str(tmp_path / "nope.txt")],
        "empty": ["add", str(empty)],
        "summary-folder": ["add", str(files["transcript"]), "--summary", str(tmp_path)],
        "summary-no-stamps": ["add", str(files["transcript"]), "--summary", str(no_stamps)],
        "summary-article": ["add", str(files["transcript"]), "--summary", str(files["article"])],
        "swapped": ["add", str(files["summary"]), "--summary", str(files["transcript"])],
        "timed-as-summary": [
            "add",
            str(files["transcript"]),
            "--summary",
            str(bench("lecun-416/captions.srt")),
        ],
        "episode-toml": ["add", str(existing_meta)],
    }[case]
    code, out, err = run(capsys, *argv)
    line = one_error_line(err)
    assert code == 2, (case, out, err)
    expected = {
        "folder": "is a folder",
        "missing": "no such file",
        "empty": "empty",
        "summary-folder": "is a folder",
        "summary-no-stamps": "no timestamps found",
        "summary-article": "not a summary",
        "swapped": "swapped",
        "timed-as-summary": "timed transcript",
        "episode-toml": "metadata",
    }[case]
    assert expected in line, line
    assert tree_digest(user_lib) == before
    assert not any(p.name.startswith(".adding-") for p in user_lib.iterdir())


def test_a_file_named_episode_toml_never_overwrites_the_metadata(capsys, files, user_lib, tmp_path):
    odd = tmp_path / "odd"
    odd.mkdir()
    summary_named_meta = odd / "episode.toml"
    shutil.copy(
        files["summary"], summary_named_meta
    )  # a summary that happens to be called episode.toml
    code, out, err = run(
        capsys, "add", str(files["transcript"]), "--summary", str(summary_named_meta)
    )
    assert code == 0, err
    (episode,) = Library.load(user_lib).episodes
    assert episode.transcript_path.read_bytes() == files["transcript"].read_bytes()
    assert len(episode.summary_paths) == 1
    assert episode.summary_paths[0].name != "episode.toml"
    assert episode.summary_paths[0].read_bytes() == files["summary"].read_bytes()
    assert len(episode.summaries[0].claims) == 79
    # a transcript called episode.toml (not reader's metadata) is kept under another name
    transcript_named_meta = odd / "sub" / "episode.toml"
    transcript_named_meta.parent.mkdir()
    shutil.copy(files["article"], transcript_named_meta)
    code, out, err = run(capsys, "add", str(transcript_named_meta), "--title", "Article")
    assert code == 0, err
    article = Library.load(user_lib).get("article")
    assert article.transcript_path.name != "episode.toml"
    assert article.transcript_path.read_bytes() == files["article"].read_bytes()
    assert article.title == "Article"


def test_an_interrupted_add_leaves_nothing_behind(capsys, files, user_lib, monkeypatch):
    code, _, err = run(capsys, "add", str(files["article"]))
    assert code == 0, err
    before = tree_digest(user_lib)
    import reader.adding as adding

    real_dumps = adding.tomli_w.dumps

    def interrupted(*args, **kwargs):  # ctrl+c after the files are copied, before the metadata
        raise KeyboardInterrupt

    monkeypatch.setattr(adding.tomli_w, "dumps", interrupted)
    code, out, err = run(
        capsys, "add", str(files["transcript"]), "--summary", str(files["summary"])
    )
    monkeypatch.setattr(adding.tomli_w, "dumps", real_dumps)
    assert code == 130
    assert err.strip().splitlines()[-1] == "reader: interrupted: nothing was added"
    assert "Traceback" not in err
    assert tree_digest(user_lib) == before


# --- remove, attach ---------------------------------------------------------------------


def test_remove_asks_first_and_yes_skips_the_question(capsys, files, user_lib, monkeypatch):
    run(capsys, "add", str(files["article"]), "--title", "Article one")
    run(capsys, "add", str(files["transcript"]), "--title", "Interview")
    before = tree_digest(user_lib)
    monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))
    code, out, _ = run(capsys, "remove", "article-one")
    assert code == 1 and "Not removed" in out
    assert tree_digest(user_lib) == before
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))
    code, out, err = run(capsys, "remove", "article-one")
    assert code == 0, err
    assert "Removed article-one" in out
    assert [e.id for e in Library.load(user_lib).episodes] == ["interview"]
    code, out, err = run(capsys, "remove", "interview", "--yes")
    assert code == 0 and Library.load(user_lib).episodes == []
    code, _, err = run(capsys, "remove", "interview", "--yes")
    assert code == 2 and "no episode 'interview'" in one_error_line(err)


def test_attach_a_summary_to_an_existing_episode(capsys, files, user_lib, tmp_path):
    code, _, err = run(
        capsys,
        "add",
        str(files["transcript"]),
        "--summary",
        str(files["summary"]),
        "--title",
        "Interview",
    )
    assert code == 0, err
    code, out, err = run(capsys, "add", "--summary", str(files["summary2"]), "--to", "interview")
    assert code == 0, err
    episode = Library.load(user_lib).get("interview")
    assert [len(s.claims) for s in episode.summaries] == [79, 51]
    before = tree_digest(user_lib)
    for bad in (files["article"], files["summary2"], tmp_path):  # untimed, already there, a folder
        code, _, err = run(capsys, "add", "--summary", str(bad), "--to", "interview")
        assert code == 2, bad
        one_error_line(err)
    code, _, err = run(capsys, "add", "--summary", str(files["summary"]), "--to", "nobody")
    assert code == 2 and "no episode 'nobody'" in one_error_line(err)
    assert tree_digest(user_lib) == before
    # a summary with the same name as one already there is kept beside it, not over it
    same_name = tmp_path / "other" / "summary.md"
    same_name.parent.mkdir()
    shutil.copy(seed("002"), same_name)
    code, _, err = run(capsys, "add", "--summary", str(same_name), "--to", "interview")
    assert code == 0, err
    episode = Library.load(user_lib).get("interview")
    assert [len(s.claims) for s in episode.summaries] == [79, 51, 53]
    assert (episode.folder / "summary.md").read_bytes() == files["summary"].read_bytes()


def test_a_staging_folder_left_by_a_killed_add_is_cleaned_up(capsys, files, user_lib):
    run(capsys, "add", str(files["article"]))
    stale = user_lib / ".adding-4194305-x1y2"  # above Linux's pid_max: that process is gone
    stale.mkdir()
    (stale / "half.txt").write_text("half written")
    code, _, err = run(capsys, "add", str(files["transcript"]))
    assert code == 0, err
    assert not stale.exists()
    assert len(Library.load(user_lib).episodes) == 2


def test_reader_opens_your_library_once_it_has_episodes_and_the_samples_before(
    capsys, files, user_lib, monkeypatch
):
    import reader.ui.app as app_module

    opened = []
    monkeypatch.setattr(app_module, "run_app", lambda root: opened.append(Path(root)) or 0)
    assert main([]) == 0
    assert main(["--samples"]) == 0
    run(capsys, "add", str(files["article"]))
    assert main([]) == 0
    assert main(["--samples"]) == 0
    samples = bundled_library()
    assert opened == [samples, samples, user_lib, samples]
