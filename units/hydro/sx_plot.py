r"""The McCabe-Thiele diagram of a solvent-extraction unit of a solved flowsheet.

:func:`sx_operating_point` reads what the stages of a ``solvent_extraction`` unit saw at
the converged solution -- the aqueous feed :math:`x_F` and the organic entering
:math:`y_{in}` [g/L], the phase volumes and their ratio O/A, the aqueous leaving the last
stage :math:`x_N` and the unit's isotherm (for ``oxime`` the curve of the converged
organic's extractant and the feed's acid) -- and :func:`sx_mccabe_thiele` draws it with
:func:`units.hydro.mccabe_thiele.step_off_stages`: the equilibrium curve, the
operating line of slope A/O through :math:`(x_N, y_{in})` and the stages stepped off
with the unit's Murphree efficiency. At a converged solution the steps reach
:math:`x_N` in exactly the unit's number of stages; the stage count drawn is a check of
the solution.

``flowsheet mccabe FILE.yaml --unit NAME -o mt.png`` solves the file (or reads
``--results out/results.json`` of an earlier run) and draws the unit
(:func:`add_arguments`, :func:`command`); without ``--unit`` it draws the file's only SX
unit, or lists them.

A two-stage extraction fed with fresh organic; stepping off at the solution takes the
unit's two stages:

>>> import tempfile, pathlib, flowsheet
>>> res = flowsheet.loads('''
... flowsheet: sx
... species: [{name: water}, {name: copper_sulfate}, {name: sulfuric_acid}, {name: dodecane},
...   {name: lix, formula: C16H25NO2, phase: organic, density: 910},
...   {name: cux, formula: Cu(C16H24NO2)2, phase: organic, density: 910}]
... units:
...   pls: {type: feed, flows: {water: 997, copper_sulfate: 7.536, sulfuric_acid: 5}}
...   org: {type: feed, flows: {dodecane: 340, lix: 35}}
...   sx: {type: solvent_extraction, stages: 2, efficiency: 0.9,
...        equation: "copper_sulfate + 2 lix -> cux + sulfuric_acid",
...        isotherm: {model: oxime, k_ex: 5}}
...   raffinate: {type: product}
...   loaded: {type: product}
... streams:
...   - {from: pls, to: sx.aqueous}
...   - {from: org, to: sx.organic}
...   - {from: sx.raffinate, to: raffinate}
...   - {from: sx.loaded, to: loaded}
... ''').solve()
>>> point = sx_operating_point(res, "sx")
>>> round(point.x_feed, 3), round(point.oa, 4) == round(res.units["sx"]["oa"], 4)
(2.992, True)
>>> out = pathlib.Path(tempfile.mkdtemp()) / "mt.png"
>>> round(sx_mccabe_thiele(res, "sx", out).stages, 6)
2.0
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import NamedTuple

import numpy as np

from flowsheet.errors import Location, SchemaError, did_you_mean
from flowsheet.stream import Stream
from units.hydro.isotherms import Isotherm
from units.hydro.mccabe_thiele import Staircase, mccabe_thiele_plot

__all__ = ["OperatingPoint", "sx_units", "sx_unit", "sx_operating_point",
           "sx_mccabe_thiele", "add_arguments", "command"]

#: The unit type this module draws.
SX_TYPE = "solvent_extraction"


class OperatingPoint(NamedTuple):
    """What the stages of one SX unit saw at the solution (concentrations in g/L)."""

    isotherm: Isotherm
    x_feed: float             # aqueous entering stage 1
    x_out: float              # aqueous leaving the last stage (before entrainment)
    y_in: float               # organic entering the last stage
    oa: float                 # organic / aqueous volume ratio [-]
    stages: int
    efficiency: float
    mode: str
    metal: str


def sx_units(fs) -> list[str]:
    """Names of the flowsheet's ``solvent_extraction`` units, in file order."""
    return [name for name, unit in fs.units.items() if unit.type_name == SX_TYPE]


def sx_unit(fs, name: str | None):
    """The ``solvent_extraction`` unit called ``name`` (or the only one when ``name`` is
    None); a :class:`~flowsheet.errors.SchemaError` located in the file otherwise."""
    choices = sx_units(fs)
    listed = ", ".join(choices) if choices else "none in this file"
    if not choices:
        raise SchemaError(f"the flowsheet has no {SX_TYPE} unit to draw",
                          location=Location(file=fs.path))
    if name is None:
        if len(choices) == 1:
            return fs.units[choices[0]]
        raise SchemaError(f"name the solvent_extraction unit to draw (the file has "
                          f"{len(choices) or 'no'} such units)",
                          location=Location(file=fs.path, key="--unit"),
                          hint=f"--unit one of: {listed}")
    if name not in fs.units:
        hint = did_you_mean(name, choices or fs.units)
        raise SchemaError(f"no unit '{name}' in the flowsheet",
                          location=Location(file=fs.path, unit=name, key="--unit"),
                          hint=hint or f"solvent_extraction units: {listed}")
    unit = fs.units[name]
    if unit.type_name != SX_TYPE:
        where = (fs.positions.location(("units", name), unit=name, key="type")
                 if fs.positions is not None else Location(file=fs.path, unit=name))
        raise SchemaError(f"unit '{name}' is a {unit.type_name}, not a {SX_TYPE}: it has "
                          "no McCabe-Thiele diagram", location=where,
                          hint=f"--unit one of: {listed}")
    return unit


def sx_operating_point(results, name: str) -> OperatingPoint:
    """The isotherm, end concentrations and O/A of SX unit ``name`` at ``results``.

    The phase volumes, the feed concentrations and the isotherm are computed as the unit
    computes them (:mod:`units.hydro.solvent_extraction`) from its converged inlets; the
    aqueous leaving the last stage is the unit's reported ``aqueous_out_gpl``.
    """
    fs = results.flowsheet
    unit = sx_unit(fs, name)
    inlets = [results.port_stream(unit.name, port) for port in ("aqueous", "organic")]
    flows = Stream.mix(inlets).flows
    org = unit.organic_mask
    a = float(np.sum(flows[~org] * unit.litres[~org]))
    o = float(np.sum(flows[org] * unit.litres[org]))
    if not (a > 0 and o > 0):
        raise SchemaError(f"unit '{unit.name}' has no {'organic' if a > 0 else 'aqueous'} "
                          "volume at the solution: there is no operating line to draw",
                          location=Location(file=fs.path, unit=unit.name))
    salt, cpx = unit.index["salt"], unit.index["complex"]
    x_feed = 1000.0 * flows[salt] * unit.metal_fraction[salt] / a
    y_in = 1000.0 * flows[cpx] * unit.metal_fraction[cpx] / o
    report = results.units[unit.name]
    p = unit.params
    return OperatingPoint(unit._isotherm(flows, x_feed, a, o), float(x_feed),
                          float(report["aqueous_out_gpl"]), float(y_in), o / a, p.stages,
                          float(p.efficiency), p.mode, unit.metal)


#: End-point labels: (feed end, raffinate end) of extraction and of stripping.
def sx_mccabe_thiele(results, name: str, path: str | os.PathLike) -> Staircase:
    """Draw the McCabe-Thiele diagram of SX unit ``name`` at ``results`` to ``path``
    (png, svg or pdf by suffix, written atomically); returns the stepped-off stages.

    Drawn by :func:`units.hydro.mccabe_thiele.mccabe_thiele_plot` with the unit's mode,
    so the end points carry the streams of that mode (PLS and raffinate in extraction,
    lean and rich electrolyte in stripping).
    """
    pt = sx_operating_point(results, name)
    what = "extraction" if pt.mode == "extract" else "stripping"
    label = f"{results.flowsheet.name}: '{name}'".replace("{", "{{").replace("}", "}}")
    title = (f"{label}, {what}\n{{stages:.2f}} stages stepped off ({pt.stages} in the "
             f"unit, efficiency {100 * pt.efficiency:g} %), O/A = {{oa:.3g}}")
    return mccabe_thiele_plot(pt.isotherm, pt.x_feed, pt.x_out, pt.y_in, pt.oa, path,
                              efficiency=pt.efficiency, metal=pt.metal, title=title,
                              mode=pt.mode)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the arguments of ``flowsheet mccabe`` to ``parser``."""
    parser.add_argument("file", help="the flowsheet YAML (it is solved)")
    parser.add_argument("--unit", help="the solvent_extraction unit to draw (needed when "
                                       "the file has more than one)")
    parser.add_argument("-o", "--output", default="mccabe_thiele.png",
                        help="the figure: .png, .svg or .pdf (default: mccabe_thiele.png)")
    parser.add_argument("--results", help="results.json (or its folder) of an earlier "
                                          "'flowsheet run' of this file, drawn instead of "
                                          "solving again")


def command(args: argparse.Namespace) -> int:
    """Run ``flowsheet mccabe``: solve (or read ``--results``), draw, print the operating
    figures; returns 0."""
    import flowsheet
    from flowsheet.exports import write_files
    from flowsheet.saved import solved

    fs = flowsheet.load(args.file)
    unit = sx_unit(fs, args.unit)                 # a bad name fails before the solve
    out = Path(args.output)
    if out.suffix.lower() not in (".png", ".svg", ".pdf"):
        raise SchemaError(f"cannot draw to '{out.name}': give a .png, .svg or .pdf file",
                          location=Location(key="--output"))
    results = solved(fs, getattr(args, "results", None))
    drawn: dict = {}

    def draw(path: Path) -> None:
        drawn["steps"] = sx_mccabe_thiele(results, unit.name, path)

    paths = write_files(out.parent if str(out.parent) else ".", {out.name: draw})
    pt = sx_operating_point(results, unit.name)
    print(f"unit '{unit.name}' ({pt.mode}): aqueous {pt.x_feed:.4g} -> {pt.x_out:.4g} g/L "
          f"{pt.metal}, organic in {pt.y_in:.4g} g/L, O/A {pt.oa:.4g}, "
          f"{drawn['steps'].stages:.3f} stages stepped off ({pt.stages} in the unit)")
    print("wrote " + ", ".join(str(p) for p in paths))
    return 0
