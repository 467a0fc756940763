"""The ore-to-matte calculator: each ore alone and the blend, through one smelting preset.

From Python, :func:`smelt_ores` takes a table of ores by assay and returns one row per ore
and one for the blend; from the command line (``flowsheet smelt ORES.csv --technology
vanyukov --matte-grade 55 -o OUT``, functions :func:`add_arguments` and :func:`command`)
the same table is written to ``OUT/smelt.csv``, ``OUT/smelt.json`` and ``OUT/smelt.xlsx``,
all or none, the units in the headers (``matte_t [t]``; :data:`OUTPUT_UNITS`) and in
``smelt.json`` under ``units``.

Input columns ``ore``, ``tonnes``, ``Cu``, ``Fe``, ``S``, ``Au``, ``Ag``, ``SiO2``, ``CaO``,
``Al2O3``, ``As`` (% by mass; Au and Ag in g/t); other columns are carried through. The
unassayed rest of each ore (100 % less the assays) is taken as inert gangue that reports
to the slag. The blend is the tonnage-weighted mean assay. All ores and the blend go
through one vectorised call of :func:`~units.pyro.charge_balance.charge_balance` (no loop
over ores); fluxes are pure silica and pure limestone unless assays are given, and the
blast carries the preset's % O2 with no excess. An ore that cannot reach the target gets
its reason in ``status``; the others are computed. For a lead or tin technology the
``matte_`` columns describe the bullion.

>>> import pandas as pd
>>> ores = pd.DataFrame({"ore": ["A", "B"], "tonnes": [60.0, 40.0], "Cu": [25.0, 20.0],
...     "Fe": [28.0, 30.0], "S": [32.0, 33.0], "Au": [2.0, 1.0], "Ag": [30.0, 50.0],
...     "SiO2": [8.0, 9.0], "CaO": [1.0, 1.0], "Al2O3": [2.0, 2.0], "As": [0.1, 0.05]})
>>> out = smelt_ores(ores, "vanyukov", matte_grade=55)
>>> out["ore"].tolist(), out["status"].tolist()
(['A', 'B', 'blend'], ['ok', 'ok', 'ok'])
>>> out["matte_Cu_pct"].round(1).tolist()
[55.0, 55.0, 55.0]
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from flowsheet.elements import mass_fractions
from flowsheet.errors import InputError, Location, SchemaError
from units.pyro.charge import blast_for_oxygen, gas_volume
from units.pyro.charge_balance import charge_balance
from units.pyro.technologies import technology

__all__ = ["ASSAY_COLUMNS", "OUTPUT_COLUMNS", "OUTPUT_UNITS", "smelt_ores", "add_arguments",
           "command"]

#: Input assay columns: % by mass, except Au and Ag in g/t.
ASSAY_COLUMNS = ("Cu", "Fe", "S", "Au", "Ag", "SiO2", "CaO", "Al2O3", "As")
#: The columns every output has (a contract); more follow them.
OUTPUT_COLUMNS = ("ore", "feed_t", "matte_t", "matte_Cu_pct", "slag_t", "slag_Cu_pct",
                  "slag_Fe_SiO2", "cu_to_matte_pct", "o2_t", "flux_t", "offgas_nm3",
                  "offgas_SO2_pct", "status")
#: Units of the output columns: tonnages in t of ore fed (the ``tonnes`` column's
#: basis), gas volumes in Nm3 (0 degC, 101.325 kPa), assays and recoveries in %.
OUTPUT_UNITS = {"slag_Fe_SiO2": "1", "*_t": "t", "*_pct": "%", "*_nm3": "Nm3"}
_GPT = ("Au", "Ag")
_OXIDES = {"SiO2": "Si", "CaO": "Ca", "Al2O3": "Al"}


def _numeric(table: pd.DataFrame, column: str) -> np.ndarray:
    values = pd.to_numeric(table[column], errors="coerce")
    bad = values.isna() | (values < 0)
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(f"row {row + 2}, column '{column}': {table[column].iloc[row]!r} is "
                         "not a number >= 0", location=Location(key=column))
    return values.to_numpy(dtype=float)


def _feed_per_tonne(assay: Mapping[str, np.ndarray]) -> tuple[dict, np.ndarray]:
    """Element mass per tonne of ore [t/t] and the unassayed (inert) rest."""
    feed = {e: assay[e] / 100.0 for e in ("Cu", "Fe", "S", "As")}
    for e in _GPT:
        feed[e] = assay[e] * 1e-6
    feed["O"] = np.zeros_like(assay["Cu"])
    for oxide, e in _OXIDES.items():
        w = mass_fractions(oxide)
        feed[e] = assay[oxide] / 100.0 * w[e]
        feed["O"] = feed["O"] + assay[oxide] / 100.0 * w["O"]
    rest = 1.0 - sum(feed.values())
    return feed, np.maximum(rest, 0.0)


def smelt_ores(table: pd.DataFrame, technology_name: str, *,
               matte_grade: float | None = None, sulfur_oxidised: float | None = None,
               silica_flux: Mapping[str, float] | None = None,
               lime_flux: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Smelt each ore of ``table`` and their blend with the preset ``technology_name``.

    Parameters
    ----------
    table : pandas.DataFrame
        The ores (columns in the module docstring).
    technology_name : str
        A key of :mod:`units.pyro.technologies`.
    matte_grade, sulfur_oxidised : float, optional
        Target matte grade [% Cu] (default the preset's) or fraction of S oxidised.
    silica_flux, lime_flux : mapping, optional
        Flux assays as element mass fractions (default pure SiO2 and pure CaCO3).

    Returns
    -------
    pandas.DataFrame
        One row per ore and a last row ``blend``: :data:`OUTPUT_COLUMNS`, then more
        compositions, then the input's other columns.

    Raises
    ------
    InputError, SchemaError
        For a missing or non-numeric column, assays summing above 100 %, an unknown
        technology or a target outside what it reaches.
    """
    tech = technology(technology_name)
    missing = [c for c in ("ore", "tonnes", *ASSAY_COLUMNS) if c not in table.columns]
    if missing:
        raise InputError(f"missing column '{missing[0]}'",
                         hint="columns: ore, tonnes, " + ", ".join(ASSAY_COLUMNS))
    if matte_grade is not None and tech.product == "matte":
        lo, hi = tech.grade
        if not lo <= matte_grade <= hi:
            raise SchemaError(f"matte grade {matte_grade:g} % Cu is outside what {tech.name} "
                              f"reaches ({lo:g}-{hi:g} % Cu)",
                              location=Location(key="matte_grade"))
    tonnes = _numeric(table, "tonnes")
    assay = {c: _numeric(table, c) for c in ASSAY_COLUMNS}
    pct = sum(assay[c] for c in ASSAY_COLUMNS if c not in _GPT) + 1e-4 * sum(
        assay[c] for c in _GPT)
    over = pct > 100.0 + 1e-9
    if over.any():
        row = int(np.flatnonzero(over)[0])
        raise InputError(f"row {row + 2} (ore '{table['ore'].iloc[row]}'): assays sum to "
                         f"{pct[row]:.6g} %, over 100 %", location=Location(key="assays"))
    total = float(tonnes.sum())
    weights = tonnes / total if total > 0 else np.full(len(tonnes), 1.0 / len(tonnes))
    assay = {c: np.append(v, weights @ v) for c, v in assay.items()}
    mass = np.append(tonnes, total)
    feed, inert = _feed_per_tonne(assay)
    mode: dict = {}
    if tech.product == "matte":
        if sulfur_oxidised is not None:
            mode["sulfur_oxidised"] = sulfur_oxidised
        else:
            mode["matte_grade"] = tech.default_grade if matte_grade is None else matte_grade
    b = charge_balance(feed, product=tech.product, metal=tech.metal,
                       slag_metal_pct=tech.slag_metal, distribution=tech.distribution,
                       fe3_fe=tech.fe3_fe, fe_sio2=tech.fe_sio2, cao_sio2=tech.cao_sio2,
                       silica_flux=silica_flux or mass_fractions("SiO2"),
                       lime_flux=lime_flux or mass_fractions("CaCO3"), inert=inert, **mode)
    blast = blast_for_oxygen(b.o2, tech.o2_pct)
    gas = gas_volume({**b.gas, "N2": b.gas.get("N2", 0.0) + blast["N2"]})
    matte, slag = b.total("product"), b.total("slag")
    with np.errstate(invalid="ignore", divide="ignore"):
        pct_of = lambda part, e, whole: 100.0 * b.element(part, e) / whole  # noqa: E731
        cols = {
            "ore": [*map(str, table["ore"]), "blend"], "feed_t": mass,
            "matte_t": matte * mass, "matte_Cu_pct": pct_of("product", tech.metal, matte),
            "slag_t": slag * mass, "slag_Cu_pct": pct_of("slag", tech.metal, slag),
            "slag_Fe_SiO2": b.element("slag", "Fe") / b.slag["SiO2"],
            "cu_to_matte_pct": 100.0 * b.element("product", tech.metal) / feed.get(
                tech.metal, np.zeros_like(mass)),
            "o2_t": b.o2 * mass, "flux_t": (b.silica_flux + b.lime_flux) * mass,
            "offgas_nm3": gas["nm3"] * mass, "offgas_SO2_pct": gas["SO2_pct"],
            "status": np.where(b.ok, "ok", b.status + " (per t of ore)"),
            "matte_Fe_pct": pct_of("product", "Fe", matte),
            "matte_S_pct": pct_of("product", "S", matte),
            "slag_SiO2_pct": 100.0 * b.slag["SiO2"] / slag,
            "slag_CaO_pct": 100.0 * b.slag["CaO"] / slag,
            "slag_FeO_pct": 100.0 * (b.slag["FeO"] + b.slag["Fe3O4"]) / slag,
            "silica_flux_t": b.silica_flux * mass, "lime_flux_t": b.lime_flux * mass,
            "blast_t": blast["blast"] * mass, "blast_nm3": blast["nm3"] * mass,
            "dust_t": b.total("dust") * mass,
            "Au_to_matte_pct": 100.0 * b.element("product", "Au") / feed["Au"],
            "Ag_to_matte_pct": 100.0 * b.element("product", "Ag") / feed["Ag"],
        }
    out = pd.DataFrame(cols)
    carried = [c for c in table.columns if c not in ("ore", "tonnes", *ASSAY_COLUMNS)]
    for c in carried:
        out[c] = [*table[c], None]
    return out


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``flowsheet smelt``."""
    from flowsheet.argtypes import number

    parser.add_argument("ores", help="CSV or Excel table of ores (ore, tonnes, assays)")
    parser.add_argument("--technology", required=True, help="smelting preset, e.g. vanyukov")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--matte-grade", type=number(above=0, at_most=100, unit="% Cu"),
                       help="target matte grade [%% Cu]")
    group.add_argument("--sulfur-oxidised", type=number(at_least=0, at_most=1),
                       help="fraction of S to SO2 [-]")
    parser.add_argument("--sheet", default=None, help="sheet of an Excel workbook")
    parser.add_argument("-o", "--output", required=True, help="folder for smelt.csv/json/xlsx")


#: Ore rows printed by ``flowsheet smelt`` before the blend (the files hold them all).
SHOWN_ROWS = 30


def command(args: argparse.Namespace) -> int:
    """Run ``flowsheet smelt``: write the three files, print a short summary.

    A table too big for a workbook (:func:`flowsheet.workbook.too_big`) is written to
    ``smelt.csv`` and ``smelt.json`` only, and the summary says so.
    """
    from flowsheet.exports import write_files
    from flowsheet.headers import unit_of, with_units, write_csv
    from flowsheet.jsontext import ONE_LINE_ABOVE, json_text
    from flowsheet.tables import read_table
    from flowsheet.workbook import too_big, write_workbook

    table = read_table(args.ores, args.sheet)
    try:
        out = smelt_ores(table, args.technology, matte_grade=args.matte_grade,
                         sulfur_oxidised=args.sulfur_oxidised)
    except (InputError, SchemaError) as err:
        raise err.located(file=str(args.ores)) from None
    records = json.loads(out.to_json(orient="records"))
    carried = set(map(str, table.columns))  # the input's own columns keep their names
    units = {c: u for c in map(str, out.columns)
             if c not in carried and (u := unit_of(c, OUTPUT_UNITS)) is not None}
    text = json_text({"technology": args.technology, "units": units, "rows": records},
                     one_line_from=2 if len(records) > ONE_LINE_ABOVE else None)
    writers = {"smelt.csv": lambda p: write_csv(out, p, units=units),
               "smelt.json": lambda p: Path(p).write_text(text, encoding="utf-8")}
    sheet = {"smelt": with_units(out, units)}
    huge = too_big(sheet)
    if huge is None:
        writers["smelt.xlsx"] = lambda p: write_workbook(p, sheet)
    paths = write_files(args.output, writers)
    shown = out[["ore", "feed_t", "matte_t", "matte_Cu_pct", "slag_Cu_pct", "status"]]
    more = len(shown) - 1 - SHOWN_ROWS
    if more > 0:
        shown = pd.concat([shown.head(SHOWN_ROWS), shown.tail(1)])
    with pd.option_context("display.width", 160, "display.max_colwidth", 70):
        lines = shown.to_string(index=False, float_format=lambda v: f"{v:,.4g}").split("\n")
    if more > 0:
        lines.insert(-1, f"... {more:,} more ores in smelt.csv")
    print("\n".join(lines))
    failed = int((out["status"] != "ok").sum())
    print(f"{len(out) - 1} ores and the blend through {args.technology}: "
          f"{len(out) - failed} computed, {failed} cannot reach the target")
    print("wrote " + ", ".join(str(p) for p in paths))
    if huge is not None:
        print(f"smelt.xlsx not written: {huge}; the table is in smelt.csv")
    return 0
