"""Hostile input, failing disks, killed processes (issue 12): one line, nothing lost, nothing
mixed.

Each test names the defect it pins down. Disks that are full, read-only or fail half-way are
simulated by making the file system calls fail with the error the kernel gives (ENOSPC, EROFS),
so the tests need no privileges; a name too long is real. Worker deaths are real: a run that
kills its own worker process with SIGKILL (``tests/fault_injection.py``).
"""

from __future__ import annotations

import errno
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cli_helpers import call, listing, one_error_line
from resettle.errors import OutputError
from resettle.experiments.executors import LocalPool, WorkerDeath, run_bounded
from resettle.store import atomic
from resettle.store.atomic import check_destination, leftovers, recover, write_atomically
from resettle.store.lock import lock_path, output_lock


def scheme(scenarios_dir: Path, n: int = 1) -> str:
    return str(scenarios_dir / f"scheme{n}.toml")


def fill_with(text: str):
    def fill(tmp: Path) -> None:
        (tmp / "result.txt").write_text(text, "utf-8")
    return fill


# ---- atomic replacement and clean-up ---------------------------------------------------------

def test_force_keeps_the_old_result_until_the_new_one_is_complete(tmp_path: Path) -> None:
    # defect: --force deleted the old result before the new one was in place
    out = write_atomically(tmp_path / "out", fill_with("old"))

    def fails_half_way(tmp: Path) -> None:
        (tmp / "result.txt").write_text("half", "utf-8")
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OSError) as caught:
        write_atomically(out, fails_half_way, force=True)
    assert caught.value.filename == str(out)  # the result is named, not a temporary file
    assert (out / "result.txt").read_text("utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    write_atomically(out, fill_with("new"), force=True)
    assert (out / "result.txt").read_text("utf-8") == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_failed_swap_puts_the_old_result_back(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    out = write_atomically(tmp_path / "out", fill_with("old"))
    real = os.replace

    def refuses_the_new(src, dst):
        if Path(src).name.startswith(".out.new-"):
            raise OSError(errno.EIO, "Input/output error")
        return real(src, dst)

    monkeypatch.setattr(atomic.os, "replace", refuses_the_new)
    with pytest.raises(OSError):
        write_atomically(out, fill_with("new"), force=True)
    assert (out / "result.txt").read_text("utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_leftovers_of_a_killed_run_are_cleaned_and_an_old_result_restored(
        tmp_path: Path) -> None:
    # defect: killed runs left hidden temporary directories that nothing removed, and a kill
    # between "old aside" and "new in" would strand the old result
    out = tmp_path / "out"
    (tmp_path / ".out.old-4242-abcdefgh").mkdir()
    (tmp_path / ".out.old-4242-abcdefgh" / "result.txt").write_text("old", "utf-8")
    (tmp_path / ".out.new-4242-bcdefghi").mkdir()
    (tmp_path / ".out.del-4242-cdefghij").mkdir()
    (tmp_path / ".out.try-4242-defghijk").mkdir()
    (tmp_path / ".out.old-4242-x").mkdir()  # not a name resettle makes: left alone
    (tmp_path / ".outer.new-4242-abcdefgh").mkdir()  # another result's: left alone
    assert len(leftovers(out)) == 4
    with output_lock(out):
        recover(out)
    assert (out / "result.txt").read_text("utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".out.old-4242-x", ".outer.new-4242-abcdefgh", "out"]


# A run of `resettle run --force` that kills itself (SIGKILL) at one step of the replacement.
KILLED_AT = """
import os, signal, sys
from resettle.store import atomic
step = sys.argv[1]
real = getattr(atomic, step)
def killed(*args, **kwargs):
    if step == "_set_aside":
        real(*args, **kwargs)  # the old result is aside, the new one not yet in place
    else:
        atomic.os.replace(args[1], atomic._make_temporary(args[0], atomic.DEL))  # mid-delete
    os.kill(os.getpid(), signal.SIGKILL)
setattr(atomic, step, killed)
from resettle.cli import main
sys.exit(main(sys.argv[2:]))
"""


@pytest.mark.parametrize("step", ["_set_aside", "_discard"])
def test_a_force_killed_at_any_step_loses_nothing_and_is_cleaned_up(
        step: str, tmp_path: Path, scenarios_dir: Path) -> None:
    # defect: --force deleted the old result and then renamed the new one into place
    out = tmp_path / "out"
    args = ["run", scheme(scenarios_dir), "--years", "1", "--quiet", "--out", str(out)]
    subprocess.run([sys.executable, "-m", "resettle.cli", *args], check=True,
                   capture_output=True, timeout=120)
    old = listing(out)
    proc = subprocess.run([sys.executable, "-c", KILLED_AT, step, *args, "--force",
                           "--seed", "1"], capture_output=True, timeout=120, check=False)
    assert proc.returncode == -9
    if step == "_set_aside":  # the old result is aside, whole; the new one is lost
        assert not out.exists()
        assert [listing(p) for p in tmp_path.iterdir() if ".out.old-" in p.name] == [old]
        # the next run without --force puts the old result back and refuses to replace it
        assert subprocess.run([sys.executable, "-m", "resettle.cli", *args],
                              capture_output=True, timeout=120, check=False).returncode == 2
        assert listing(out) == old
    else:  # the new result is in place, the old one half-deleted beside it
        assert json.loads((out / "manifest.json").read_text("utf-8"))["root_seed"] == 1
    subprocess.run([sys.executable, "-m", "resettle.cli", *args, "--force", "--seed", "2"],
                   check=True, capture_output=True, timeout=120)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert json.loads((out / "manifest.json").read_text("utf-8"))["root_seed"] == 2


def test_a_destination_that_cannot_be_renamed_is_refused_before_running(
        tmp_path: Path, scenarios_dir: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    # found in review: --out . --force computed everything, then failed with EBUSY
    from resettle.experiments import run as run_module

    monkeypatch.setattr(run_module, "run_jobs", lambda *a, **k: pytest.fail("it ran"))
    here = tmp_path / "here"
    (here / "keep").mkdir(parents=True)
    monkeypatch.chdir(here)
    for out in (".", str(here), str(tmp_path)):
        assert call(["run", scheme(scenarios_dir), "--years", "1", "--out", out,
                     "--force"]) == 2
        assert "cannot be replaced (it is the current directory" in one_error_line(capsys)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["here"]
    assert [p.name for p in here.iterdir()] == ["keep"]


# ---- outputs checked before computing ---------------------------------------------------------

def test_an_existing_file_as_output_is_one_line(tmp_path: Path, scenarios_dir: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    # defect: sweep --out on an existing file was a NotADirectoryError traceback
    target = tmp_path / "afile"
    target.write_text("mine", "utf-8")
    for argv in (["run", scheme(scenarios_dir)], ["compare", scheme(scenarios_dir)]):
        assert call([*argv, "--years", "1", "--quiet", "--out", str(target)]) == 2
        assert "is a file" in one_error_line(capsys)
        assert call([*argv, "--years", "1", "--quiet", "--out", str(target / "x")]) == 2
        assert "is a file, not a folder" in one_error_line(capsys)
    assert target.read_text("utf-8") == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"]


def test_an_overlong_output_name_is_one_line_before_running(
        tmp_path: Path, scenarios_dir: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    # defect: ENAMETOOLONG was found after all the computing, as a traceback
    from resettle.experiments import run as run_module

    monkeypatch.setattr(run_module, "run_jobs", lambda *a, **k: pytest.fail("it ran"))
    out = tmp_path / ("n" * 250)
    assert call(["run", scheme(scenarios_dir), "--years", "1", "--out", str(out)]) == 2
    assert "name is too long" in one_error_line(capsys)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("code", [errno.EROFS, errno.ENOSPC, errno.EACCES])
def test_an_unwritable_destination_is_one_line_before_running(
        code: int, tmp_path: Path, scenarios_dir: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from resettle.experiments import run as run_module

    monkeypatch.setattr(run_module, "run_jobs", lambda *a, **k: pytest.fail("it ran"))

    def refuses(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(atomic.tempfile, "mkdtemp", refuses)
    assert call(["run", scheme(scenarios_dir), "--years", "1", "--out",
                 str(tmp_path / "out")]) == 2
    line = one_error_line(capsys)
    assert "cannot write there" in line and errno.errorcode[code] in line
    assert list(tmp_path.iterdir()) == []


def test_too_little_free_space_is_one_line_before_running(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    usage = atomic.shutil.disk_usage(tmp_path)
    monkeypatch.setattr(atomic.shutil, "disk_usage",
                        lambda p: usage._replace(free=atomic.MIN_FREE_BYTES - 1))
    with pytest.raises(OutputError, match="MiB free"):
        check_destination(tmp_path / "out", force=False)
    assert list(tmp_path.iterdir()) == []


def test_a_disk_that_fills_while_writing_is_one_line_exit_1(
        tmp_path: Path, scenarios_dir: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from resettle.reports import run as run_report

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(run_report, "write_table", full)
    out = tmp_path / "out"
    assert call(["run", scheme(scenarios_dir), "--years", "1", "--quiet", "--out",
                 str(out)]) == 1
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and "Traceback" not in captured.err
    assert f"{out}: No space left on device (ENOSPC)" in captured.err
    assert list(tmp_path.iterdir()) == []


# ---- the lock --------------------------------------------------------------------------------

def test_a_second_process_on_the_same_output_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "sweep"
    with output_lock(out):
        code = ("import sys; from resettle.store.lock import output_lock\n"
                "from resettle.errors import OutputError\n"
                "try:\n    output_lock(sys.argv[1]).__enter__()\n"
                "except OutputError as err:\n    print(err); sys.exit(2)\n")
        proc = subprocess.run([sys.executable, "-c", code, str(out)], capture_output=True,
                              text=True, timeout=60, check=False)
        assert proc.returncode == 2
        assert f"process {os.getpid()}" in proc.stdout and "in use" in proc.stdout
    assert not lock_path(out).exists()


def test_the_lock_of_a_killed_process_is_stale_and_taken_over(tmp_path: Path) -> None:
    out = tmp_path / "sweep"
    code = ("import sys, time; from resettle.store.lock import output_lock\n"
            "held = output_lock(sys.argv[1]); held.__enter__()\n"
            "print('held', flush=True); time.sleep(60)\n")
    proc = subprocess.Popen([sys.executable, "-c", code, str(out)], stdout=subprocess.PIPE,
                            text=True)
    try:
        assert proc.stdout.readline().strip() == "held"
        with pytest.raises(OutputError, match="in use"), output_lock(out):
            pass
    finally:
        proc.kill()
        proc.wait()
    assert lock_path(out).exists()  # left behind by the killed process...
    with output_lock(out):  # ...and taken over
        assert f"process {os.getpid()}" in lock_path(out).read_text("utf-8")


# ---- worker deaths in local pools -------------------------------------------------------------

def kill_on_three(x: int) -> int:
    """In a worker: die (SIGKILL) on 3, else return x squared."""
    if x == 3:
        os.kill(os.getpid(), 9)
    return x * x


def test_a_job_that_kills_its_worker_is_retried_once_then_a_worker_death() -> None:
    pool = LocalPool(2)
    try:
        outcomes = dict(run_bounded(pool, kill_on_three, list(range(8)), limit=4))
    finally:
        pool.shutdown()
    assert sorted(outcomes) == list(range(8))
    assert isinstance(outcomes[3], WorkerDeath)
    assert {i: v for i, v in outcomes.items() if i != 3} == {i: i * i for i in range(8)
                                                             if i != 3}


def test_a_worker_death_without_a_restartable_pool_propagates() -> None:
    from concurrent.futures import BrokenExecutor, ProcessPoolExecutor

    from resettle.experiments.executors import pool_context

    with ProcessPoolExecutor(1, mp_context=pool_context()) as pool, \
            pytest.raises(BrokenExecutor):
        list(run_bounded(pool, kill_on_three, [3], limit=1))


# ---- resume refuses a changed model -----------------------------------------------------------

def test_the_source_digest_sees_any_change_to_the_package(tmp_path: Path) -> None:
    import shutil

    from resettle.store.provenance import PACKAGE_ROOT, source_digest

    copy = tmp_path / "resettle"
    shutil.copytree(PACKAGE_ROOT, copy, ignore=shutil.ignore_patterns("__pycache__"))
    assert source_digest(copy) == source_digest()
    (copy / "sim" / "model.py").write_text((copy / "sim" / "model.py").read_text() + "\n")
    assert source_digest(copy) != source_digest()


def write_tiny_spec(path: Path, scenarios_dir: Path, **changes: object) -> Path:
    sweep = {"name": "tiny", "scenarios": [scheme(scenarios_dir, 1), scheme(scenarios_dir, 2)],
             "design": "latin_hypercube", "samples": 2, "replications": 1, "seed": 5,
             "horizon_years": 1, "metrics": ["attitude"], **changes}
    body = "\n".join(f"{k} = {json.dumps(v)}" for k, v in sweep.items())
    path.write_text(f"[sweep]\n{body}\n[parameters.enforcement_probability]\n"
                    "range = [0.1, 0.5]\n", "utf-8")
    return path


def sweep_started_as_if(tmp_path: Path, scenarios_dir: Path, edit) -> Path:
    """A finished tiny sweep whose ``sweep.json`` record ``edit`` has changed (as if another
    model or machine had started it)."""
    spec = write_tiny_spec(tmp_path / "tiny.toml", scenarios_dir)
    out = tmp_path / "sweep"
    assert call(["sweep", str(spec), "--out", str(out), "--workers", "1", "--quiet"]) == 0
    info = json.loads((out / "sweep.json").read_text("utf-8"))
    edit(info)
    (out / "sweep.json").write_text(json.dumps(info), "utf-8")
    return out


@pytest.mark.parametrize(("key", "name"), [("numpy_simd", "numpy's SIMD level"),
                                           ("libc", "the C library")])
def test_resume_refuses_another_numpy_simd_level_or_c_library(
        tmp_path: Path, scenarios_dir: Path, capsys: pytest.CaptureFixture[str], key: str,
        name: str) -> None:
    # numpy's exp and log round differently with and without AVX-512 (and the C library's,
    # which numpy's draws call, may differ between versions): a sweep resumed on another
    # machine would mix two sets of numbers for the same seeds
    def other_machine(info: dict) -> None:
        assert info["versions"][key].split()[0]  # recorded: numpy's baseline, glibc's name
        info["versions"][key] = "another-machine"
    out = sweep_started_as_if(tmp_path, scenarios_dir, other_machine)
    capsys.readouterr()
    assert call(["sweep", "--resume", str(out), "--quiet"]) == 2
    line = one_error_line(capsys)
    assert "the machine changed" in line and f"{name} another-machine is now" in line
    assert "--allow-code-change" in line


def test_resume_refuses_a_changed_model_unless_allowed(
        tmp_path: Path, scenarios_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # defect: --resume never compared the model; a sweep mixed runs of two models
    out = sweep_started_as_if(tmp_path, scenarios_dir,
                              lambda info: info.update(source_digest="0" * 64))
    before = listing(out)
    capsys.readouterr()
    assert call(["sweep", "--resume", str(out), "--quiet"]) == 2
    line = one_error_line(capsys)
    assert "model changed" in line and "source digest 000000000000" in line
    assert "--allow-code-change" in line
    assert listing(out) == before
    assert call(["sweep", "--resume", str(out), "--allow-code-change", "--quiet"]) == 0
    session = json.loads((out / "sweep.json").read_text("utf-8"))["sessions"][-1]
    assert "source digest 000000000000" in session["code_change_allowed"]


# ---- validation that matches what later code assumes -----------------------------------------

@pytest.mark.parametrize(("argv", "words"), [
    (["compare", "{s1}", "--reps", "99999999999999"], "exceed the limit of 2,000,000"),
    (["compare", "{s1}", "--reps", "30000"], "pass --yes"),
    (["switch-year", "{phased}", "--reps", "5000"], "pass --yes"),
    (["compare", "{s1}", "--metrics", ""], "--metrics: expected one or more"),
    (["compare", "{s1}", "--milestones", "2-1"], "runs backwards"),
    (["dashboard", "--host", "999.999.0.1"], "not an IP address or host name"),
    (["dashboard", "--host", "a b"], "not an IP address or host name"),
])
def test_bad_command_lines_are_one_line_exit_2(
        argv: list[str], words: str, scenarios_dir: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    argv = [a.format(s1=scheme(scenarios_dir), phased=scenarios_dir / "phased.toml")
            for a in argv]
    assert call(argv) == 2
    assert words in one_error_line(capsys)
    assert list(tmp_path.iterdir()) == []


def test_a_huge_design_is_refused_before_it_is_made(
        tmp_path: Path, scenarios_dir: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    # defect: levels = 100000 was a MemoryError
    from resettle.experiments.sweep import design

    monkeypatch.setattr(design, "design_points", lambda spec: pytest.fail("made the design"))
    spec = write_tiny_spec(tmp_path / "ff.toml", scenarios_dir, design="full_factorial",
                           levels=100000)
    with spec.open("a", encoding="utf-8") as fh:
        fh.write("[parameters.owner_effect]\nrange = [0.0, 0.005]\n")
    assert call(["sweep", str(spec), "--out", str(tmp_path / "o"), "--quiet"]) == 2
    assert "20,000,000,000 runs exceed the limit" in one_error_line(capsys)
    assert not (tmp_path / "o").exists()


def test_the_planned_size_is_the_designs_size(tmp_path: Path, scenarios_dir: Path) -> None:
    from resettle.experiments.sweep.design import design_points, planned_points
    from resettle.experiments.sweep.spec import load_sweep

    for changes in ({"design": "latin_hypercube", "samples": 5},
                    {"design": "sobol", "samples": 4}, {"design": "morris", "samples": 3},
                    {"design": "full_factorial", "levels": 4}):
        spec = load_sweep(write_tiny_spec(tmp_path / "s.toml", scenarios_dir, **changes))
        assert planned_points(spec) == len(design_points(spec)), changes


def test_memory_beyond_what_is_available_needs_yes(monkeypatch: pytest.MonkeyPatch) -> None:
    from resettle.errors import ScenarioError
    from resettle.experiments import limits

    monkeypatch.setattr(limits, "available_memory", lambda: 2**30)
    where = "big.toml: [community] residents"
    with pytest.raises(ScenarioError, match=f"^{re.escape(where)}: about .* GiB of memory"):
        limits.check_size(10, "--reps", 90_000, where, 8, yes=False)
    limits.check_size(10, "--reps", 90_000, where, 8, yes=True)
    limits.check_size(10, "--reps", 90_000, where, None, yes=False)  # a cluster's own memory
    limits.check_size(10, "--reps", 4_200, where, 2, yes=False)  # Dongyu on 2 workers fits
    with pytest.raises(ScenarioError, match=f"^{re.escape(where)}: 200,000 residents"):
        limits.check_size(1, "--reps", 200_000, where, 1, yes=False)


def test_something_that_is_not_dask_answering_is_one_line(
        tmp_path: Path, scenarios_dir: Path) -> None:
    # defect: a non-Dask server at --scheduler gave a 46-line traceback ("3.07 EiB")
    pytest.importorskip("distributed")
    import socket
    import threading

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()

    def answer_garbage() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            conn.sendall(b"HTTP/1.1 200 OK\r\n\r\n" + b"\xff" * 64)
            conn.close()

    threading.Thread(target=answer_garbage, daemon=True).start()
    spec = write_tiny_spec(tmp_path / "tiny.toml", scenarios_dir)
    proc = subprocess.run([sys.executable, "-m", "resettle.cli", "sweep", str(spec),
                           "--scheduler", f"tcp://127.0.0.1:{server.getsockname()[1]}",
                           "--out", str(tmp_path / "o"), "--quiet"],
                          capture_output=True, text=True, timeout=60, check=False)
    server.close()
    assert proc.returncode == 2, proc.stderr
    assert len(proc.stderr.splitlines()) == 1, proc.stderr
    assert "--scheduler tcp://127.0.0.1" in proc.stderr
    assert not (tmp_path / "o").exists()


def test_names_in_chinese_get_a_font_in_english_figures(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # defect: a scenario with Chinese names run without --lang zh drew boxes
    from resettle.errors import FontError
    from resettle.text import fonts

    monkeypatch.setattr(fonts, "NAME_FALLBACKS", [])
    fonts.check_fonts(["en"], {"a.toml: [scenario] name": ["scheme1", "Liduan"]})
    assert fonts.NAME_FALLBACKS == []  # Latin names need nothing more
    monkeypatch.setattr(fonts, "family_for", lambda text: None)
    with pytest.raises(FontError, match=r"^a\.toml: \[scenario\] name: no installed font has"):
        fonts.check_fonts(["en"], {"a.toml: [scenario] name": ["东裕"]})
    monkeypatch.setattr(fonts, "family_for", lambda text: "Some CJK Family")
    fonts.check_fonts(["en"], {"a.toml: [scenario] name": ["东裕"]})
    assert fonts.font_families("en")[-1] == "Some CJK Family"


# ---- worker deaths through the command line ---------------------------------------------------

def test_a_run_that_kills_its_worker_is_recorded_and_the_sweep_goes_on(
        tmp_path: Path, scenarios_dir: Path) -> None:
    from resettle.experiments.sweep.runner import finished_keys, run_key

    spec = write_tiny_spec(tmp_path / "tiny.toml", scenarios_dir, samples=3)
    out = tmp_path / "out"
    killer = run_key(1, 0, 0)
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).parent / "fault_injection.py"), f"kill:{killer}",
         "sweep", str(spec), "--workers", "2", "--out", str(out), "--quiet"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 1, proc.stderr
    assert "1 run(s) failed" in proc.stderr and "Traceback" not in proc.stderr
    assert [p.stem for p in (out / "failures").iterdir()] == [killer]
    record = json.loads((out / "failures" / f"{killer}.json").read_text("utf-8"))
    assert "worker process died" in record["traceback"]
    assert len(finished_keys(out)) == 3 * 2 - 1  # every other run finished



def test_a_disk_that_fills_during_a_sweep_keeps_its_runs_and_says_how_to_resume(
        tmp_path: Path, scenarios_dir: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from resettle.experiments.sweep import runner

    spec = write_tiny_spec(tmp_path / "tiny.toml", scenarios_dir, samples=3)
    out = tmp_path / "sweep"
    real, shards = runner.write_file, []

    def fills_after_one_shard(path: Path, write) -> None:
        if path.parent.name == "shards":
            if shards:
                raise OSError(errno.ENOSPC, "No space left on device", str(path))
            shards.append(path)
        real(path, write)

    monkeypatch.setattr(runner, "write_file", fills_after_one_shard)
    monkeypatch.setattr(runner, "FLUSH_RUNS", 2)
    monkeypatch.setattr(runner, "FLUSH_SECONDS", float("inf"))  # shards of exactly two runs
    assert call(["sweep", str(spec), "--out", str(out), "--workers", "1", "--quiet"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "No space left on device (ENOSPC)" in err and f"--resume {out}" in err
    kept = runner.finished_keys(out)
    assert len(kept) == 2
    monkeypatch.undo()
    assert call(["sweep", "--resume", str(out), "--quiet"]) == 0
    assert len(runner.finished_keys(out)) == 6


# ---- found by the review ----------------------------------------------------------------------

class ScriptedPool:
    """An executor whose futures finish at once: a job in ``killers`` breaks the pool (as a
    worker killed under it would). Records, at each submit, the jobs not yet collected."""

    def __init__(self, killers: set[int], dead: bool = False) -> None:
        self.killers, self.dead = killers, dead  # dead: its workers cannot even start
        self.submits, self.unread, self.restarts, self.probes = [], set(), 0, 0

    def submit(self, fn, *args):
        from concurrent.futures import Future
        from concurrent.futures.process import BrokenProcessPool

        future: Future = Future()
        if not args:  # the executors' trivial job that tries a fresh pool
            self.probes += 1
            if self.dead:
                future.set_exception(BrokenProcessPool("a worker died"))
            else:
                future.set_result(fn())
            return future
        job = args[0]
        self.submits.append((job, frozenset(self.unread)))
        self.unread.add(job)
        if job in self.killers or self.dead:
            future.set_exception(BrokenProcessPool("a worker died"))
        else:
            future.set_result(job * job)
        return future

    def restart(self) -> None:
        self.restarts += 1
        self.unread.clear()  # what broke is no longer running (the rest has been collected)


def collect(pool: ScriptedPool, jobs: list[int], limit: int) -> dict[int, object]:
    outcomes = {}
    for i, outcome in run_bounded(pool, lambda job: job, jobs, limit):
        pool.unread.discard(jobs[i])
        outcomes[i] = outcome
    return outcomes


def test_a_suspect_runs_alone_so_only_the_killer_is_blamed() -> None:
    # found in review: the last suspect was run beside fresh jobs, and could be blamed
    pool = ScriptedPool(killers={1, 5})
    outcomes = collect(pool, list(range(8)), limit=4)
    assert {i for i, o in outcomes.items() if isinstance(o, WorkerDeath)} == {1, 5}
    assert all(outcomes[i] == i * i for i in range(8) if i not in (1, 5))
    seen, retried = set(), set()
    for job, unread in pool.submits:
        assert not unread & retried, f"job {job} was submitted beside a retried one"
        if job in seen:
            assert not unread, f"retried job {job} was submitted beside {sorted(unread)}"
            retried.add(job)
        seen.add(job)
    assert retried >= {1, 5}


def test_a_pool_whose_workers_cannot_start_stops_the_study() -> None:
    from concurrent.futures import BrokenExecutor

    from resettle.experiments.executors import MAX_FRUITLESS_RESTARTS

    pool = ScriptedPool(killers=set(), dead=True)
    with pytest.raises(BrokenExecutor):
        collect(pool, list(range(100)), limit=4)
    assert pool.restarts == MAX_FRUITLESS_RESTARTS and pool.probes == 1


def test_a_streak_of_runs_that_kill_their_workers_does_not_stop_the_study() -> None:
    # found in review: one design point that runs out of memory gives killers in a row
    from resettle.experiments.executors import MAX_FRUITLESS_RESTARTS

    killers = set(range(3, 3 + 2 * MAX_FRUITLESS_RESTARTS))
    pool = ScriptedPool(killers=killers)
    outcomes = collect(pool, list(range(30)), limit=4)
    assert {i for i, o in outcomes.items() if isinstance(o, WorkerDeath)} == killers
    assert all(outcomes[i] == i * i for i in range(30) if i not in killers)
    assert pool.probes >= 1  # the streak made it try the pool, which works


def test_an_allowed_code_change_is_recorded_before_any_run(
        tmp_path: Path, scenarios_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # found in review: the change was recorded only when the session ended cleanly
    from resettle.experiments.sweep import runner

    spec = write_tiny_spec(tmp_path / "tiny.toml", scenarios_dir)
    out = tmp_path / "sweep"
    assert call(["sweep", str(spec), "--out", str(out), "--workers", "1", "--quiet"]) == 0
    info = json.loads((out / "sweep.json").read_text("utf-8"))
    (out / "sweep.json").write_text(json.dumps({**info, "source_digest": "1" * 64}), "utf-8")

    def killed(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(runner, "execute", killed)
    assert call(["sweep", "--resume", str(out), "--allow-code-change", "--quiet"]) == 130
    session = json.loads((out / "sweep.json").read_text("utf-8"))["sessions"][-1]
    assert "source digest 111111111111" in session["code_change_allowed"]
    assert "ended" not in session


def test_a_mistyped_sweep_directory_is_not_created(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # found in review: analyze and --resume created the directory they were given
    for argv in (["analyze", str(tmp_path / "a" / "typo")],
                 ["sweep", "--resume", str(tmp_path / "b" / "typo")]):
        assert call([*argv]) == 2
        assert "not a sweep directory" in one_error_line(capsys)
    assert list(tmp_path.iterdir()) == []


def test_a_huge_range_of_years_is_refused_while_parsing(
        capsys: pytest.CaptureFixture[str]) -> None:
    # found in review: --years 0-10000000000 built the list in memory
    assert call(["switch-year", "x.toml", "--years", "0-10000000000"]) == 2
    assert "--years: the range '0-10000000000' is longer than" in one_error_line(capsys)


def test_a_scheduler_that_never_answers_is_given_up(monkeypatch: pytest.MonkeyPatch) -> None:
    from resettle.errors import SchedulerError
    from resettle.experiments import executors

    monkeypatch.setattr(executors, "SCHEDULER_TIMEOUT", 0.05)
    monkeypatch.setattr(executors, "CONNECT_GRACE_S", 0.05)
    with pytest.raises(SchedulerError, match="cannot reach the Dask scheduler within"):
        executors._connect(lambda address, timeout: time.sleep(1), "tcp://10.0.0.1:8786")


# ---- found by the second review ---------------------------------------------------------------

def test_a_sweep_that_varies_residents_beyond_the_ceiling_needs_yes(
        tmp_path: Path, scenarios_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = write_tiny_spec(tmp_path / "big.toml", scenarios_dir)
    with spec.open("a", encoding="utf-8") as fh:
        fh.write("[parameters.residents]\nrange = [4000, 5000000]\n")
    assert call(["sweep", str(spec), "--out", str(tmp_path / "o"), "--quiet"]) == 2
    line = one_error_line(capsys)
    assert f"{spec}: [parameters.residents]: 5,000,000 residents per run" in line
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("content", [b"{not json", b"\xff\xfe\x00", b"[1, 2]"])
def test_a_damaged_sweep_record_is_one_line(content: bytes, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "sweep"
    out.mkdir()
    (out / "sweep.json").write_bytes(content)
    for argv in (["analyze", str(out)], ["sweep", "--resume", str(out)]):
        assert call(argv) == 2
        assert "sweep.json is not" in one_error_line(capsys)
    assert [p.name for p in out.iterdir()] == ["sweep.json"]


def test_another_thread_on_the_same_output_is_refused(tmp_path: Path) -> None:
    import threading

    out, found = tmp_path / "out", []

    def other() -> None:
        try:
            with output_lock(out):
                found.append("entered")
        except OutputError as err:
            found.append(str(err))

    with output_lock(out):
        thread = threading.Thread(target=other)
        thread.start()
        thread.join()
    assert len(found) == 1 and "another thread" in found[0]
    assert not lock_path(out).exists()


def test_a_symbolic_link_as_output_is_refused_before_running(
        tmp_path: Path, scenarios_dir: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from resettle.experiments import run as run_module

    monkeypatch.setattr(run_module, "run_jobs", lambda *a, **k: pytest.fail("it ran"))
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    assert call(["run", scheme(scenarios_dir), "--years", "1", "--out",
                 str(tmp_path / "link")]) == 2
    assert "is a symbolic link" in one_error_line(capsys)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "real"]


def test_fonts_found_for_names_are_fallbacks_in_chinese_figures_too(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from resettle.text import fonts

    monkeypatch.setattr(fonts, "NAME_FALLBACKS", ["A Tibetan Family"])
    monkeypatch.setattr(fonts, "cjk_family", lambda: "A CJK Family")
    assert fonts.font_families("zh")[0] == "A CJK Family"
    assert fonts.font_families("zh")[-1] == "A Tibetan Family"


def test_resume_cleans_what_killed_writes_left(tmp_path: Path, scenarios_dir: Path) -> None:
    from resettle.experiments.sweep.runner import finished_keys

    spec = write_tiny_spec(tmp_path / "tiny.toml", scenarios_dir)
    out = tmp_path / "sweep"
    assert call(["sweep", str(spec), "--out", str(out), "--workers", "1", "--quiet"]) == 0
    (tmp_path / ".sweep.new-4242-abcdefgh").mkdir()
    (out / "shards" / ".shard.try-4242-abcdefgh").mkdir()
    assert call(["sweep", "--resume", str(out), "--quiet"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sweep", "tiny.toml"]
    assert not [p for p in (out / "shards").iterdir() if p.name.startswith(".")]
    assert len(finished_keys(out)) == 4
