"""Stoichiometric reactor: reactions written as equations, each with the fractional
conversion of a key species.

YAML::

    roaster: {type: stoichiometric_reactor, mode: parallel, temperature: 650 degC,
              reactions: [{equation: "2 ZnS + 3 O2 -> 2 ZnO + 2 SO2", key: ZnS,
                           conversion: 0.98}]}

In ``parallel`` mode (the default) every extent is computed from the inlet; in ``series``
mode each reaction acts on the product of the one before. With
:math:`\\xi_r = X_r\\, n_{k,in} / |\\nu_{k,r}|` [kmol/h] the outlet mass flow of species j
is :math:`m_j = m_{j,in} + \\sum_r \\nu_{j,r} M_j \\xi_r`, linear in the inlet, so the
reactor exposes its transfer matrix. Each equation is checked for element balance when
the flowsheet loads. While a recycle is being converged a co-reactant may run short
(the recycle that brings it is not yet full): the extents are then scaled down to what is
available, and the report says so; if the converged solution is still short, the solve
fails with a message naming the species (:meth:`verify`).
Solid products take the size distribution of a solid key reactant (pseudomorphic
replacement); products of a non-solid key go to the finest size class (precipitate).

>>> from flowsheet.species import SpeciesTable
>>> from flowsheet.stream import Stream
>>> from flowsheet.unit import Context
>>> t = SpeciesTable.from_declarations([{"name": "sphalerite"}, {"name": "oxygen"},
...     {"name": "zincite"}, {"name": "sulfur_dioxide"}])
>>> r = StoichiometricReactor.from_config("roaster", {"reactions": [
...     {"equation": "2 ZnS + 3 O2 -> 2 ZnO + 2 SO2", "key": "sphalerite",
...      "conversion": 1.0}]}, Context(t))
>>> out, rep = r.run({"in": [Stream(t, [97.46, 60.0, 0.0, 0.0])]})
>>> [round(float(v), 2) for v in out["out"].flows]
[0.0, 11.99, 81.4, 64.07]
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from flowsheet.errors import FormulaError, Location, SchemaError, UnitRunError
from flowsheet.reactions import parse_equation
from flowsheet.unit import Outcome, Params, Unit
from units.generic.splitter import GENERIC_RANGES, Fraction
from units.registry import register

__all__ = ["StoichiometricReactor"]


class Reaction(Params):
    equation: str
    key: str
    conversion: Fraction = GENERIC_RANGES.fraction.field(description="conversion of the "
                                                         "key species")


class ReactorParams(Params):
    reactions: list[Reaction]
    mode: Literal["parallel", "series"] = "parallel"
    temperature: GENERIC_RANGES.temperature.type() | None = GENERIC_RANGES.temperature.field(
        None, "outlet temperature; default the inlet's")


@register("stoichiometric_reactor")
class StoichiometricReactor(Unit):
    """Fixed-conversion reactions; linear in its inlet."""

    Params = ReactorParams
    #: ``extent_<r>``: the molar extent of reaction r [Mmol/h = t/h over g/mol].
    report_units = {"extent_*": "Mmol/h", "limited_available": "t/h", "limited_needed": "t/h"}

    def setup(self) -> None:
        table = self.context.table
        n = len(table)
        mm = table.molar_masses
        self.nu, self.keys, self.columns, matrices = [], [], [], []
        shared: dict[int, float] = {}
        for r, reaction in enumerate(self.params.reactions):
            try:
                nu = parse_equation(reaction.equation, table)
            except FormulaError as err:
                raise err.located(key=f"reactions.{r}.equation") from None
            k = self._species(reaction.key, r)
            if nu[k] >= 0:
                raise SchemaError(f"key '{reaction.key}' is not a reactant of "
                                  f"'{reaction.equation}'",
                                  location=Location(key=f"reactions.{r}.key"))
            shared[k] = shared.get(k, 0.0) + reaction.conversion
            # mass change of j per t/h of key entering: nu_j M_j X / (M_k |nu_k|)
            col = nu * mm * reaction.conversion / (mm[k] * -nu[k])
            col = np.where(nu != 0, col, 0.0)
            self.columns.append(col)
            m = np.eye(n)
            m[:, k] += col
            matrices.append(m)
            self.nu.append(nu)
            self.keys.append(k)
        if self.params.mode == "parallel":
            for k, total in shared.items():
                if total > 1.0 + 1e-12:
                    raise SchemaError(
                        f"conversions of '{table.names[k]}' add up to {total:g} > 1 in "
                        "parallel reactions", location=Location(key="reactions"),
                        hint="use mode: series, or lower the conversions")
            self.matrix = np.eye(n) + sum(m - np.eye(n) for m in matrices)
        else:
            self.matrix = np.eye(n)
            for m in matrices:
                self.matrix = m @ self.matrix

    def _species(self, name: str, r: int) -> int:
        try:
            return self.context.table.find(name)
        except SchemaError as err:
            raise err.located(key=f"reactions.{r}.key") from None

    def _run(self, inlets) -> Outcome:
        feed = inlets["in"]
        flows, limited, short = self._react(feed.flows)
        psd = self._psd(feed, flows)
        temperature = self.params.temperature
        out = feed.copy_with(flows=flows, psd=psd,
                             temperature=feed.temperature if temperature is None
                             else temperature)
        mm = self.context.table.molar_masses
        report: dict = {"limited": limited, "limited_available": short[0],
                        "limited_needed": short[1]}
        for r, (nu, k) in enumerate(zip(self.nu, self.keys, strict=True)):
            report[f"extent_{r}"] = float(
                self.params.reactions[r].conversion * feed.flows[k] / mm[k] / -nu[k])
        return {"out": out}, report

    def _react(self, flows: np.ndarray) -> tuple[np.ndarray, str, tuple[float, float]]:
        """Outlet flows; extents scaled down where a reactant runs short: its name, and
        the first short reactant's flow available and needed [t/h] (zeros when none)."""
        limited, amounts = "", (0.0, 0.0)
        if self.params.mode == "parallel":
            groups = [list(zip(self.columns, self.keys, strict=True))]
        else:
            groups = [[pair] for pair in zip(self.columns, self.keys, strict=True)]
        current = flows
        for group in groups:
            delta = sum(col * current[k] for col, k in group)
            out = current + delta
            short = out < -1e-12 * max(float(current.sum()), 1e-300)
            if short.any():
                ratios = current[short] / -delta[short]
                worst = int(np.argmin(ratios))
                j = int(np.flatnonzero(short)[worst])
                if not limited:
                    amounts = (float(current[j]), float(-delta[j]))
                limited = limited or self.context.table.names[j]
                out = current + float(ratios[worst]) * delta
            current = np.maximum(out, 0.0)
        return current, limited, amounts

    def verify(self, report: dict) -> None:
        """Fail when the converged inlet cannot supply the reactions."""
        if report.get("limited"):
            have, need = report["limited_available"], report["limited_needed"]
            raise UnitRunError(
                f"not enough {report['limited']} enters: {have:.4g} t/h, the reactions at "
                f"the stated conversions take {need:.4g} t/h", location=Location(
                    unit=self.name, key="reactions"),
                hint=f"supply {need - have:.4g} t/h more {report['limited']} or lower the "
                "conversion")

    def _psd(self, feed, flows):
        if feed.psd is None:
            return None
        table = self.context.table
        solid = list(table.solid_index)
        psd = feed.psd.copy()
        gained = flows - feed.flows
        for nu, k in zip(self.nu, self.keys, strict=True):
            for j in np.flatnonzero(nu > 0):
                if j not in solid or gained[j] <= 0:
                    continue
                row = solid.index(j)
                if k in solid:
                    source = feed.psd[solid.index(k)]
                else:
                    source = np.zeros(psd.shape[1])
                    source[-1] = 1.0
                kept = feed.flows[j]
                psd[row] = (kept * feed.psd[row] + gained[j] * source) / (kept + gained[j])
        return psd

    def transfer(self):
        return {"out": self.matrix}

    def outlet_temperature(self):
        return self.params.temperature
