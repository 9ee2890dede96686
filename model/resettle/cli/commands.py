"""What each ``resettle`` command does with its parsed arguments: a thin layer over the
library (load, run, write). Each returns the exit status; a user's mistake raises a
``ResettleError``, which ``resettle.cli.main`` prints as one line."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from concurrent.futures import BrokenExecutor
from contextlib import contextmanager
from pathlib import Path

from resettle.cli.parser import EXIT_INTERRUPTED
from resettle.errors import ScenarioError, reason

OUTPUTS = Path("outputs")


def command_line(args: argparse.Namespace) -> list[str]:
    """The command as typed, for the manifest."""
    return ["resettle", *args.argv]


@contextmanager
def destination(out: Path, force: bool) -> Iterator[Path]:
    """Hold ``out``'s lock and check that it can take the result, before any computing."""
    from resettle.store.atomic import check_destination
    from resettle.store.lock import output_lock

    with output_lock(out):
        check_destination(out, force)
        yield out


def recorded_names(record: dict, where: Path) -> dict[str, list[str]]:
    """The names an output's record (``manifest.json``, ``sweep.json``) holds, as
    :func:`resettle.text.fonts.names_shown` gives them."""
    return {f"{where}: scenarios": [n for s in record.get("scenarios", []) for n in (
        s.get("name", ""), *s.get("parameters", {}).get("village_names", ()))]}


def check_study(runs: int, scenarios, what: str, workers: int | None, yes: bool, *,
                remote: bool = False, factors=()) -> None:
    """Refuse a study above the size ceilings (``resettle.experiments.limits``): ``what``
    names the option that set the number of runs; ``factors`` (a sweep's) may vary the
    residents beyond the scenarios'; ``remote`` (Dask) skips the local memory estimate."""
    from resettle.experiments.executors import default_workers
    from resettle.experiments.limits import check_size

    biggest = max(scenarios, key=lambda s: s.community.residents)
    residents = biggest.community.residents
    where = f"{biggest.files[-1] if biggest.files else biggest.name}: [community] residents"
    for factor in factors:
        if factor.name == "residents":
            largest = max(factor.values) if factor.categorical else factor.high
            if largest > residents:
                residents, where = int(largest), f"{what}: [parameters.residents]"
    concurrent = None if remote else (workers or default_workers())
    check_size(runs, what, residents, where, concurrent, yes)


def cmd_run(args: argparse.Namespace) -> int:
    """``resettle run``."""
    from resettle.experiments.run import run_scenarios
    from resettle.params.scenario import load_scenarios
    from resettle.reports.run import write_run
    from resettle.text.fonts import check_fonts, names_shown

    scenarios = load_scenarios(args.scenarios, args.years)
    check_fonts(["en"], names_shown(scenarios))  # the headline figure shows the names
    check_study(args.reps * len(scenarios), scenarios, "--reps", 1, args.yes)
    out = args.out or OUTPUTS / f"run-{'-'.join(s.name for s in scenarios)}"
    with destination(out, args.force):
        result = run_scenarios(scenarios, args.reps, args.seed, progress=not args.quiet)
        out = write_run(result, out, force=args.force, fmt=args.format,
                        argv=command_line(args))
    print(f"wrote {out}")
    return 0


def cmd_describe(args: argparse.Namespace) -> int:
    """``resettle describe``."""
    from resettle.params.scenario import load_scenario
    from resettle.sim.describe import as_text, describe

    result = describe(load_scenario(args.scenario), seed=args.seed)
    print(json.dumps(result, indent=2, ensure_ascii=False) if args.json else as_text(result))
    return 0


def cmd_params(args: argparse.Namespace) -> int:
    """``resettle params``."""
    from resettle.params.catalogue import catalogue, scenario_toml

    if args.toml:
        print(scenario_toml())
    else:
        table = catalogue()[["section", "name", "default", "unit", "source", "valid", "plausible"]]
        print(table.to_string(index=False))
    return 0


def precision_bounds(args: argparse.Namespace) -> tuple[int, int] | None:
    """--precision's least and most N (--min-reps, --max-reps, with their defaults), checked;
    None without --precision, which then refuses --min-reps and --max-reps."""
    from resettle.experiments.defaults import MAX_PRECISION_REPS, MIN_PRECISION_REPS
    from resettle.experiments.precision import check_precision

    if args.precision is None:
        if args.min_reps is not None or args.max_reps is not None:
            raise ScenarioError("--min-reps and --max-reps: only with --precision H")
        return None
    least, most = args.min_reps or MIN_PRECISION_REPS, args.max_reps or MAX_PRECISION_REPS
    check_precision(args.precision, least, most)
    return least, most


def compare_size(args: argparse.Namespace) -> tuple[int, int, int, str]:
    """How many replications ``compare`` runs: (--reps, or --precision's --min-reps and
    --max-reps, with their defaults) as (reps, least, most), and the option that bounds them."""
    from resettle.experiments.defaults import DEFAULT_REPS

    if args.precision is not None and args.reps is not None:
        raise ScenarioError("--precision: give --precision H (with --min-reps and --max-reps) "
                            "or --reps N, not both")
    bounds = precision_bounds(args)
    if bounds is None:
        reps = args.reps or DEFAULT_REPS
        return reps, reps, reps, "--reps"
    return bounds[1], *bounds, "--max-reps"


def cmd_compare(args: argparse.Namespace) -> int:
    """``resettle compare``."""
    from resettle.experiments.compare import run_comparison, run_to_precision
    from resettle.params.scenario import load_scenarios
    from resettle.reports.compare import write_comparison
    from resettle.text.fonts import check_fonts, names_shown

    scenarios = load_scenarios(args.scenarios, args.years)
    reps, least, most, what = compare_size(args)
    check_study(most * len(scenarios), scenarios, what, args.workers, args.yes)
    out = args.out or OUTPUTS / f"compare-{'-'.join(s.name for s in scenarios)}"
    check_fonts(args.lang, names_shown(scenarios))
    with destination(out, args.force):
        if args.precision is None:
            comp = run_comparison(scenarios, reps, args.seed, args.workers, args.metrics,
                                  args.milestones, progress=not args.quiet)
        else:
            comp = run_to_precision(scenarios, args.precision, args.seed, args.workers,
                                    args.metrics, args.milestones, not args.quiet, least,
                                    most)
        out = write_comparison(comp, out, force=args.force, langs=args.lang,
                               argv=command_line(args))
    print(f"wrote {out}")
    return 0


def cmd_switch_year(args: argparse.Namespace) -> int:
    """``resettle switch-year``."""
    from resettle.experiments.defaults import SWITCH_YEAR_REPS
    from resettle.experiments.switch_year import run_switch_year, switch_variants
    from resettle.params.scenario import load_scenario
    from resettle.reports.switch_year import write_switch_year
    from resettle.text.fonts import check_fonts, names_shown

    base = load_scenario(args.scenario)
    years = args.years if args.years is not None else list(range(base.horizon_years + 1))
    switch_variants(base, years)  # validate before running anything
    reps = args.reps or SWITCH_YEAR_REPS
    check_study(reps * len(years), [base], "--reps", args.workers, args.yes)
    out = args.out or OUTPUTS / f"switch-year-{base.name}"
    check_fonts(args.lang, names_shown([base]))
    with destination(out, args.force):
        study = run_switch_year(base, years, reps, args.seed, args.workers,
                                progress=not args.quiet, metrics=args.metrics)
        out = write_switch_year(study, out, force=args.force, langs=args.lang,
                                argv=command_line(args))
    print(f"wrote {out}")
    return 0


def cmd_sweep(args: argparse.Namespace) -> int:
    """``resettle sweep``."""
    from resettle.experiments.sweep.runner import copy_spec_text
    from resettle.experiments.sweep.spec import load_sweep

    check_resume_arguments(args, "sweep")
    spec = load_sweep(args.spec) if args.spec else None
    if spec is not None:
        check_sweep_size(args, spec)
    out = args.resume or args.out or OUTPUTS / f"sweep-{spec.name}"
    text = copy_spec_text(args.spec) if args.spec else None
    done = sweep_in(out, args, spec, text, "sweep")
    return done if isinstance(done, int) else report_sweep(done)


def check_sweep_size(args: argparse.Namespace, sweep, what: str | None = None) -> None:
    """A new sweep (of ``sweep``, the sweep spec a study runs) within the ceilings on runs,
    residents and memory (``resettle.experiments.limits``); ``what`` names what set the
    number of runs (default: the spec file)."""
    from resettle.experiments.sweep.design import planned_runs

    check_study(planned_runs(sweep), sweep.scenarios, what or str(args.spec), args.workers,
                args.yes, remote=bool(args.scheduler), factors=sweep.factors)


def unfinished(done, command: str) -> int | None:
    """The exit status of a sweep that stopped (``sweep_in``'s status) or is not complete
    (said in one line by ``report_sweep``); None when it is complete."""
    if isinstance(done, int):
        return done
    return None if done.complete else report_sweep(done, command)


def check_resume_arguments(args: argparse.Namespace, command: str) -> None:
    """A command that runs a sweep needs a SPEC or --resume DIR; --retry-failed needs DIR."""
    if args.spec is None and args.resume is None:
        raise ScenarioError(f"{command}: give a SPEC file, or --resume DIR")
    if args.retry_failed and args.resume is None:
        raise ScenarioError(f"--retry-failed: give the {command} directory with --resume DIR")


def sweep_in(out: Path, args: argparse.Namespace, spec, text: str | None, command: str,
             extra_files: dict[str, str] | None = None, replications: int | None = None):
    """Start or resume (``args``) the sweep in ``out`` for ``resettle COMMAND`` (its first
    ``replications``, when given): its outcome, or the exit status of an interruption or a
    failure, said in one line with how to go on."""
    from resettle.experiments.jobs import WorkerMismatch
    from resettle.experiments.sweep.runner import run_sweep

    executor, workers, close = make_executor(args)
    try:
        return run_sweep(out, executor, workers, spec, text, resume=args.resume is not None,
                         retry_failed=args.retry_failed, progress=not args.quiet,
                         argv=command_line(args), allow_code_change=args.allow_code_change,
                         extra_files=extra_files, replications=replications)
    except KeyboardInterrupt:
        print(f"resettle: interrupted; finished runs are saved in {out}; continue with "
              f"'resettle {command} --resume {out}'", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenExecutor as err:
        print(f"resettle: a worker process died ({type(err).__name__}); finished runs are "
              f"saved in {out}; continue with 'resettle {command} --resume {out}'",
              file=sys.stderr)
        return 1
    except WorkerMismatch as err:
        print(f"resettle: error: {err}; finished runs are saved in {out}; continue with "
              f"'resettle {command} --resume {out}' once every worker matches", file=sys.stderr)
        return 1
    except OSError as err:
        print(sweep_write_failure(err, out, command), file=sys.stderr)
        return 1
    finally:
        close()


def sweep_write_failure(err: OSError, out: Path, command: str = "sweep") -> str:
    """The line for a sweep stopped by a failing file system: what is saved and what to do."""
    import errno

    what = f"resettle: cannot write {err.filename or out} ({reason(err)})"
    fix = "free the disk" if err.errno in (errno.ENOSPC, errno.EDQUOT) else "fix the cause"
    if not (out / "sweep.json").is_file():
        return f"{what}; nothing was written; {fix}, then start the {command} again"
    return (f"{what}; finished runs are saved in {out}; {fix}, then continue with "
            f"'resettle {command} --resume {out}'")


def make_executor(args: argparse.Namespace):
    """A Dask executor for --scheduler, else a local process pool: (executor, workers,
    close)."""
    from resettle.experiments.executors import dask_executor, default_workers, local_executor

    if args.scheduler:
        return dask_executor(args.scheduler)
    return local_executor(args.workers or default_workers())


def report_sweep(done, command: str = "sweep") -> int:
    """Print the outcome; exit 1 if the sweep is not complete, saying why."""
    from resettle.experiments.sweep.runner import failed_keys, failure_cause

    if done.complete:
        print(f"wrote {done.out} ({done.runs} runs; results.parquet)")
        return 0
    failed = failed_keys(done.out)
    if failed:
        cause = failure_cause(done.out, failed)
        print(f"resettle: {len(failed)} run(s) failed (tracebacks in {done.out}/failures"
              f"{'; the first: ' + cause if cause else ''}); re-run them with 'resettle "
              f"{command} --resume {done.out} --retry-failed'", file=sys.stderr)
    else:
        print(f"resettle: the {command} is not complete; continue it with 'resettle {command} "
              f"--resume {done.out}'", file=sys.stderr)
    return 1


def cmd_worlds(args: argparse.Namespace) -> int:
    """``resettle worlds``: the ensemble's sweep (started or resumed), then its filters."""
    from resettle.experiments.worlds.ensemble import evaluate_worlds, write_world_tables
    from resettle.experiments.worlds.spec import (
        WORLDS_FILE,
        load_worlds_spec,
        stored_spec,
        sweep_text,
        worlds_toml,
    )
    from resettle.reports.worlds import write_worlds_report
    from resettle.store.lock import output_lock

    check_resume_arguments(args, "worlds")
    spec = load_worlds_spec(args.spec) if args.spec else None
    if args.resume is not None:  # before the lock: a mistyped directory is not created
        spec = stored_spec(args.resume, spec)
    else:
        check_sweep_size(args, spec.sweep)
    out = args.resume or args.out or OUTPUTS / f"worlds-{spec.name}"
    with output_lock(out):
        done = sweep_in(out, args, spec.sweep, sweep_text(spec), "worlds",
                        {WORLDS_FILE: worlds_toml(spec)})
        if (status := unfinished(done, "worlds")) is not None:
            return status
        ensemble = evaluate_worlds(out, spec)
        write_world_tables(out, ensemble)
        write_worlds_report(out, ensemble)
    print(f"wrote {out} ({len(ensemble.worlds)} worlds, {ensemble.plausible} plausible; "
          "worlds.csv, filters.csv, report.md)")
    return 0


def cmd_decide(args: argparse.Namespace) -> int:
    """``resettle decide``: the study's sweep (started or resumed; with --precision, in rounds),
    then its tables and report."""
    from resettle.experiments.decide.policies import policy_files
    from resettle.experiments.decide.precision import (
        PRECISION_FILE,
        Rounds,
        resumed_rounds,
        with_replications,
    )
    from resettle.experiments.decide.spec import (
        DECIDE_FILE,
        decide_toml,
        load_decide_spec,
        stored_decide,
    )
    from resettle.experiments.decide.study import write_decision_tables
    from resettle.reports.decide import write_decide_report
    from resettle.store.lock import output_lock
    from resettle.text.fonts import check_fonts, names_shown

    check_resume_arguments(args, "decide")
    spec = load_decide_spec(args.spec) if args.spec else None
    bounds = precision_bounds(args)
    rounds = None if bounds is None else Rounds(args.precision, *bounds)
    if args.resume is not None:  # before the lock: a mistyped directory is not created
        spec = stored_decide(args.resume, spec)
        rounds = resumed_rounds(args.resume, rounds)
    elif rounds is None:
        check_sweep_size(args, spec.sweep)
    else:
        check_sweep_size(args, with_replications(spec.sweep, rounds.most), "--max-reps")
    check_fonts(args.lang, names_shown(spec.sweep.scenarios))
    out = args.resume or args.out or OUTPUTS / f"decide-{spec.name}"
    files = {DECIDE_FILE: decide_toml(spec), **policy_files(spec.policies)}
    if rounds is not None:
        files[PRECISION_FILE] = rounds.to_json()
    with output_lock(out):
        decision = decide_sweep(out, args, spec, rounds, files)
        if isinstance(decision, int):
            return decision
        write_decision_tables(out, decision)
        write_decide_report(out, decision, args.lang, command_line(args))
    extra = "" if rounds is None else (f", precision.csv; N = {rounds.final}, target "
                                       f"{'reached' if rounds.reached else 'not reached'}")
    print(f"wrote {out} (recommended: {decision.recommended}; report/report.html, "
          f"policies.csv, regret.csv, outcomes.csv, boxes.csv, sensitivity.csv{extra})")
    return 0


def decide_sweep(out: Path, args: argparse.Namespace, spec, rounds, files: dict[str, str]):
    """The study's sweep, run once (``rounds`` None) or in --precision's rounds (recorded in
    ``out`` after each), and its Decision; or the exit status of a sweep that stopped."""
    from resettle.experiments.decide.precision import (
        at_replications,
        record_round,
        with_replications,
    )
    from resettle.experiments.decide.study import evaluate_decision
    from resettle.experiments.precision import next_round, round_message
    from resettle.experiments.sweep.runner import sweep_toml

    sweep = spec.sweep if rounds is None else with_replications(spec.sweep, rounds.most)
    text = sweep_toml(sweep.raw, f"the sweep of the decide study in {spec.source}")
    if rounds is None:
        done = sweep_in(out, args, sweep, text, "decide", files)
        status = unfinished(done, "decide")
        return evaluate_decision(out, spec) if status is None else status
    decision = None
    while (n := next_round(rounds.pairs, rounds.target, rounds.least, rounds.most)) is not None:
        done = sweep_in(out, args, sweep, text, "decide", files, replications=n)
        if (status := unfinished(done, "decide")) is not None:
            return status
        decision = evaluate_decision(out, at_replications(spec, n))
        record_round(out, rounds, n, decision.regret)
        if not args.quiet:
            print(round_message(rounds.pairs, rounds.target, rounds.least, rounds.most),
                  file=sys.stderr)
        args = argparse.Namespace(**{**vars(args), "resume": out, "retry_failed": False})
    if decision is None:  # resumed after the last round: its runs are all on disk
        decision = evaluate_decision(out, at_replications(spec, rounds.final))
    decision.precision = rounds
    return decision


def cmd_analyze(args: argparse.Namespace) -> int:
    """``resettle analyze``."""
    from resettle.experiments.sweep.analyse import analyse_sweep
    from resettle.experiments.sweep.runner import sweep_record
    from resettle.reports.sweep import write_analysis
    from resettle.text.fonts import check_fonts

    started = sweep_record(args.sweep_dir)  # before the lock: a mistyped directory is not made
    out = args.out or args.sweep_dir / "analysis"
    check_fonts(args.lang, recorded_names(started, args.sweep_dir / "sweep.json"))
    with destination(out, args.force):
        analysis = analyse_sweep(args.sweep_dir, args.year)
        out = write_analysis(analysis, out, force=args.force, langs=args.lang,
                             argv=command_line(args))
    print(f"wrote {out}")
    return 0


def cmd_dashboard(args: argparse.Namespace) -> int:
    """``resettle dashboard``: check the scenario files, then run the server until stopped."""
    from resettle.dashboard.serve import serve

    serve(args.scenarios, args.lang, args.host, args.port)
    return 0  # not reached: the server replaces this process


COMMANDS = {"sweep": cmd_sweep, "worlds": cmd_worlds, "decide": cmd_decide,
            "analyze": cmd_analyze, "run": cmd_run,
            "compare": cmd_compare, "switch-year": cmd_switch_year, "describe": cmd_describe,
            "params": cmd_params, "dashboard": cmd_dashboard}
