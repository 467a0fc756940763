"""The ``flowsheet`` command line.

Commands::

    flowsheet validate FILE
    flowsheet run FILE [-o DIR] [--format csv,json,xlsx] [--method M] [--species a,b]
                 [--no-store]
    flowsheet schema
    flowsheet diagram FILE -o plant.svg|png [--solve | --results out/results.json]
    flowsheet sankey FILE -o flows.html|png [--results out/results.json] [--element Cu]
    flowsheet psd FILE -o psd.png [--streams a,b] [--species quartz] [--results R]
    flowsheet blocks FILE BLOCKS.csv [-o DIR] [--unit NAME] [--plot]
    flowsheet calibrate FILE DATA.csv [-o DIR] [--unit NAME] [--models m1,m2]
    flowsheet runs [ID]
    flowsheet smelt ORES.csv|xlsx --technology T (--matte-grade G | --sulfur-oxidised F) -o DIR
    flowsheet track FILE.yaml DATA.csv|xlsx -o DIR [--metal Cu]
    flowsheet mccabe FILE.yaml [--unit NAME] [-o mt.png]
    flowsheet calc NAME --temperature T --time MIN [--pressure PA] [--input F -o DIR] [--fit LAB]

Bad input prints one line (file:line:col: unit: key: message -- hint) and exits with code
2; ``--debug`` shows the traceback instead. Nothing is written when a command fails.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import json
import os
import sys
import traceback
from collections.abc import Sequence

from flowsheet.argtypes import OneLineParser, count, number
from flowsheet.errors import FlowsheetError
from flowsheet.terminal import closure_line, species_option, stream_table

__all__ = ["main"]

EXIT_BAD_INPUT = 2

#: Exit code when the reader of the output went away (``flowsheet runs | head``): 128 +
#: SIGPIPE, what the shell reports for a program killed by a broken pipe, so pipelines
#: under ``set -o pipefail`` treat it as they treat ``cat`` or ``grep``.
EXIT_BROKEN_PIPE = 141


#: Entry-point group through which a domain contributes commands: each entry point is a
#: mapping command name -> (module, one-line help); the module has ``add_arguments(parser)``
#: and ``command(args)`` and is imported only when its command is run.
COMMAND_GROUP = "flowsheet.commands"


@functools.cache
def extensions() -> dict[str, tuple[str, str]]:
    """The commands the installed domains add (``flowsheet.commands`` entry points):
    command name -> (module, help). The core names none of them."""
    from importlib.metadata import entry_points

    found: dict[str, tuple[str, str]] = {}
    for point in sorted(entry_points(group=COMMAND_GROUP), key=lambda e: e.name):
        found.update(point.load())
    return found


def _chosen(argv: Sequence[str] | None) -> str | None:
    """The command named on the command line (the first word not an option)."""
    words = sys.argv[1:] if argv is None else argv
    return next((w for w in words if not w.startswith("-")), None)


#: Help of the ``--results`` option of the drawing commands.
_RESULTS_HELP = ("results.json (or its folder) of an earlier 'flowsheet run' of this file, "
                 "drawn instead of solving again")


def _parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    p = OneLineParser(
        prog="flowsheet",
        description="Flowsheet simulation for mining and metallurgy: YAML in, balances out.")
    p.add_argument("--debug", action="store_true", help="show tracebacks of errors")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    v = sub.add_parser("validate", help="check a flowsheet file without solving it")
    v.add_argument("file")

    r = sub.add_parser("run", help="solve a flowsheet and write its results")
    r.add_argument("file")
    r.add_argument("-o", "--output", default="out", help="results folder (default: out)")
    r.add_argument("--format", default="json,csv",
                   help="comma-separated: json, csv, xlsx (default: json,csv)")
    r.add_argument("--method", choices=("wegstein", "direct", "broyden", "newton"),
                   help="tear convergence method (default: the file's, else wegstein)")
    r.add_argument("--tolerance", type=number(above=0, below=1),
                   help="relative tolerance of the recycles, > 0 and < 1")
    r.add_argument("--no-store", action="store_true", help="do not record the run")
    r.add_argument("--quiet", action="store_true", help="print nothing but errors")
    r.add_argument("--species", help="comma-separated species for the printed stream table "
                                     "(default: every species that is at least "
                                     "0.1 %% of some stream)")
    r.add_argument("--strict", action="store_true",
                   help="a value outside its usual range is an error (exit 2, nothing "
                        "written)")

    sub.add_parser("schema", help="print the JSON Schema of the flowsheet format")

    d = sub.add_parser("diagram", help="draw the flowsheet (SVG or PNG)")
    d.add_argument("file")
    d.add_argument("-o", "--output", required=True, help="plant.svg or plant.png")
    d.add_argument("--solve", action="store_true", help="label streams with solved flows")
    d.add_argument("--results", help=_RESULTS_HELP)

    s = sub.add_parser("sankey", help="draw a Sankey diagram of the mass flows (HTML or PNG)")
    s.add_argument("file")
    s.add_argument("-o", "--output", required=True, help="flows.html or flows.png")
    s.add_argument("--results", help=_RESULTS_HELP)
    s.add_argument("--element", help="draw the flow of one element (t/h of Cu, ...) "
                                     "instead of the total mass")

    ps = sub.add_parser("psd", help="plot the size distributions of solved streams")
    ps.add_argument("file")
    ps.add_argument("-o", "--output", required=True, help="psd.png or psd.svg")
    ps.add_argument("--streams", help="comma-separated stream names (default: every "
                                      "stream with solids, up to 8)")
    ps.add_argument("--species", help="one solid species instead of all solids")
    ps.add_argument("--results", help=_RESULTS_HELP)

    runs = sub.add_parser("runs", help="list recorded runs, or show one")
    runs.add_argument("id", nargs="?", type=count(minimum=1))
    runs.add_argument("--limit", type=count(minimum=1), default=20)

    chosen = _chosen(argv)
    for name, (module, text) in extensions().items():
        ext = sub.add_parser(name, help=text)
        if name == chosen:
            importlib.import_module(module).add_arguments(ext)
    return p


#: Seconds a step of a command runs before its progress line shows (on a terminal):
#: small files show none.
_PROGRESS_DELAY = 0.5


def _load(path: str, *, freeze: bool = False):
    """Load a flowsheet with a progress line for big files; ``freeze`` moves what is
    loaded out of the collector's reach for the rest of the command (the flowsheet lives
    until the command ends, and a big one is millions of objects that each collection
    would walk again)."""
    import flowsheet
    from flowsheet.collector import collector_paused
    from flowsheet.progress import Progress

    progress = Progress(delay=_PROGRESS_DELAY)
    try:
        with collector_paused():
            fs = flowsheet.load(path, progress=progress)
            if freeze:
                import gc

                gc.freeze()
    finally:
        progress.close()
    return fs


def _cmd_validate(args) -> int:
    fs = _load(args.file)
    print(f"{args.file}: ok -- {len(fs.units)} units, {len(fs.connections)} streams, "
          f"{len(fs.table)} species, {len(fs.specs)} design specs")
    return 0


def _cmd_run(args) -> int:
    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    fs = _load(args.file, freeze=True)
    species = species_option(fs, args.species)
    from flowsheet.exports import write_results

    options = {}
    if args.method:
        options["method"] = args.method
    if args.tolerance:
        options["tolerance"] = args.tolerance
    from flowsheet.progress import Progress

    progress = Progress()
    try:
        res = fs.solve(progress=progress, **options)
    except FlowsheetError as err:
        history = _write_failure_history(err, args.output)
        if not args.no_store:
            from flowsheet.runstore import RunStore

            RunStore().record_failure(fs.name, fs.path, fs.text, str(err), history=history)
        raise
    finally:
        progress.close()
    if args.strict and res.warnings:
        _refuse_out_of_range(res, fs, args)
    # the run is recorded once every file is staged and before any is moved into place:
    # when the store cannot record it, nothing is written
    recorded: dict[str, int] = {}

    def record() -> int:
        from flowsheet.runstore import RunStore

        recorded["id"] = RunStore().record(res, parameters=options)
        return recorded["id"]

    writing = Progress(delay=_PROGRESS_DELAY)
    try:
        paths = write_results(res, args.output, formats,
                              record=None if args.no_store else record,
                              notify=lambda line: print(f"note: {line}", file=sys.stderr),
                              progress=writing)
    finally:
        writing.close()
    run_id = recorded.get("id")
    if not args.quiet:
        conv = res.convergence
        print(f"flowsheet '{fs.name}': {len(fs.units)} units, {len(fs.connections)} streams")
        print(stream_table(res, species=species))
        print(closure_line(res))
        print(f"solved in {conv.seconds * 1e3:.3g} ms: {conv.linear_solves} linear solves, "
              f"{conv.iterations} recycle iterations ({conv.method}), {conv.unit_runs} unit runs")
        for spec in conv.specs:
            print("design spec: " + ", ".join(f"{k} = {v:.6g}" for k, v in spec["vary"].items())
                  + f" ({spec['evaluations']} solves, {spec['recycle_iterations']} recycle "
                  f"iterations, {spec['seconds']:.3g} s in all)")
        print("wrote " + ", ".join(str(p) for p in paths)
              + (f"; run {run_id} recorded" if run_id is not None else ""))
        if res.warnings:
            from flowsheet.validity import summary_line

            where = next((str(p) for p in paths if str(p).endswith(".json")), "")
            print("warning: " + summary_line(res.warnings, where), file=sys.stderr)
    return 0


def _write_failure_history(err: FlowsheetError, out_dir: str) -> dict | None:
    """Write ``convergence.csv`` (atomically, the one file of a failed run) when the error
    carries a convergence or design-spec history; return that table as
    ``{"columns": [...], "rows": [...]}`` for the run store, or None."""
    from pathlib import Path

    from flowsheet.atomic import atomic_write
    from flowsheet.results import Convergence

    table = Convergence.failure_table(err)
    if table is None or table.empty:
        return None
    atomic_write(Path(out_dir) / "convergence.csv", table.to_csv(index=False,
                                                                 lineterminator="\n"))
    return {"columns": [str(c) for c in table.columns],
            "rows": json.loads(table.to_json(orient="values"))}


def _refuse_out_of_range(res, fs, args) -> None:
    """``run --strict``: the first value outside its usual range, and how many there are,
    as one error; the failure is recorded like any other."""
    from flowsheet.errors import Location, RangeError
    from flowsheet.validity import UsualRange

    first, n = res.warnings[0], len(res.warnings)
    usual = UsualRange(first.low, first.high, first.unit_of_measure, first.source).text()
    value = first.value_text()
    more = f" (1 of {n} values outside their usual range)" if n > 1 else ""
    err = fs._locate(RangeError(
        f"{value} is outside its usual range {usual}{more}",
        location=Location(unit=first.unit, key=first.key),
        hint=f"range from {first.source}; run without --strict to write the results with "
             "warnings"))
    if not args.no_store:
        from flowsheet.runstore import RunStore

        RunStore().record_failure(fs.name, fs.path, fs.text, str(err))
    raise err


def _cmd_schema(args) -> int:
    from flowsheet.plugins import unit_types
    from flowsheet.schema import json_schema

    print(json.dumps(json_schema(unit_types()), indent=1))
    return 0


def _graph_with_flows(fs, res, element: str | None = None):
    """The flowsheet graph with solved flows on its edges (total mass, or the mass of
    ``element``); recycles are left for the drawing to find (the solver's tears need not
    be the streams a reader sees as recycles)."""
    g = fs.graph.copy()
    if res is not None:
        column = None if element is None else list(fs.table.elements).index(element)
        for _, _, k, data in g.edges(keys=True, data=True):
            flows = res.flows[fs.by_name[k].index]
            data["flow"] = float(flows.sum() if column is None else
                                 flows @ fs.table.element_fractions[:, column])
    return g


def _element(fs, element: str | None) -> str | None:
    """``--element``, checked against the elements of the flowsheet's species."""
    from flowsheet.errors import Location, SchemaError, did_you_mean

    if element is None or element in fs.table.elements:
        return element
    raise SchemaError(f"no species of the flowsheet carries the element '{element}'",
                      location=Location(file=fs.path, key="--element"),
                      hint=did_you_mean(element, fs.table.elements))


def _cmd_diagram(args) -> int:
    import flowsheet
    from flowsheet.diagram import draw_diagram
    from flowsheet.saved import solved

    fs = flowsheet.load(args.file)
    res = solved(fs, args.results) if args.solve or args.results else None
    draw_diagram(_graph_with_flows(fs, res), args.output, title=fs.name)
    print(f"wrote {args.output}")
    return 0


def _cmd_sankey(args) -> int:
    import flowsheet
    from flowsheet.sankey import draw_sankey
    from flowsheet.saved import solved

    fs = flowsheet.load(args.file)
    element = _element(fs, args.element)
    res = solved(fs, args.results)
    title = fs.name if element is None else f"{fs.name}: {element}"
    draw_sankey(_graph_with_flows(fs, res, element), args.output, title=title,
                unit="t/h" if element is None else f"t/h {element}")
    print(f"wrote {args.output}")
    return 0


def _cmd_psd(args) -> int:
    import flowsheet
    from flowsheet.errors import SchemaError
    from flowsheet.plots import psd_plot
    from flowsheet.saved import solved

    fs = flowsheet.load(args.file)
    if fs.grid is None:
        raise SchemaError("the flowsheet has no size grid: give one stream a psd or add "
                          "'size_grid:'", location=flowsheet.errors.Location(file=fs.path))
    res = solved(fs, args.results)
    names = ([n.strip() for n in args.streams.split(",")] if args.streams else
             [c.name for c in fs.connections if res.stream(c.name).solids > 0][:8])
    curves = {name: res.stream(name).size_distribution(args.species) for name in names}
    psd_plot(fs.grid, curves, args.output, title=f"{fs.name}: size distributions")
    print(f"wrote {args.output}")
    return 0


def _cmd_runs(args) -> int:
    from flowsheet.runstore import RunStore

    store = RunStore()
    if args.id is None:
        table = store.list(limit=args.limit)
        print(table.to_string(index=False) if len(table) else f"no runs in {store.path}")
    else:
        run = store.get(args.id)
        shown = {k: v for k, v in run.items() if k not in ("yaml", "results")}
        print(json.dumps(shown, indent=1, default=str))
        results = run.get("results") or {}
        history = results.pop("failure_history", None)
        if results:
            print(json.dumps({"closure": results.get("closure"),
                              "convergence": {k: v for k, v in
                                              results.get("convergence", {}).items()
                                              if k != "history"}}, indent=1))
        if history:
            from flowsheet.results import Convergence

            print("convergence history (last iterations):")
            print(Convergence.history_text(history))
    return 0


def _silence_stdout() -> None:
    """Point stdout at the null device, so that the interpreter's last flush of a closed
    pipe does not fail again (the recipe of Python's ``signal`` documentation)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # stdout replaced by a non-file object
        pass


COMMANDS = {"validate": _cmd_validate, "run": _cmd_run, "schema": _cmd_schema,
            "diagram": _cmd_diagram, "sankey": _cmd_sankey, "psd": _cmd_psd,
            "runs": _cmd_runs}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``flowsheet`` command; returns the exit code."""
    args = _parser(argv).parse_args(argv)
    try:
        if args.command in extensions():
            code = importlib.import_module(extensions()[args.command][0]).command(args)
        else:
            code = COMMANDS[args.command](args)
        sys.stdout.flush()                  # a closed pipe shows here, not at exit
        return code
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except FlowsheetError as err:
        if args.debug:
            traceback.print_exc()
        print(f"error: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug, not bad input: say so in one line
        if args.debug:
            raise
        print(f"internal error: {type(exc).__name__}: {exc} (run with --debug for the "
              "traceback)", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
