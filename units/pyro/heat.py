r"""Heat balance of a furnace from its inlet and outlet streams.

With every stream at its own temperature and the enthalpies of :mod:`units.pyro.thermo`
(25 degC reference), the first law for a steady furnace reads

.. math:: \underbrace{\sum_{in} \dot n_j\,(H_j(T) - H_j^{298})}_{\text{heat in}}
          + \underbrace{\sum_{in} \dot n_j \Delta_f H_j - \sum_{out} \dot n_j \Delta_f H_j}
          _{\text{heat released by reactions at 25 degC}}
          = \underbrace{\sum_{out} \dot n_j\,(H_j(T) - H_j^{298})}_{\text{heat out}}
          + \text{losses} + \text{surplus}

A positive surplus is heat to spare -- the operation is **autogenous** -- and is taken up by
a cold **coolant** (scrap, revert, cold concentrate) charged at 25 degC and leaving at the
furnace temperature; a deficit is covered by a **fuel** burnt completely (C to CO2, H to
H2O, S to SO2) with air or enriched air, its products leaving at the off-gas temperature.
Both rates are closed-form (the balance is linear in them). Losses (shell, water jackets)
are a fraction of the heat released by the reactions plus a fixed power.

Flows are in t/h and powers in kW: a species of molar mass :math:`M` [g/mol] flowing at
:math:`m` [t/h] carries :math:`m H / (3.6 M)` kW for a molar enthalpy :math:`H` [J/mol].

>>> from flowsheet.species import SpeciesTable
>>> from flowsheet.stream import Stream
>>> t = SpeciesTable.from_declarations([{"name": "troilite"}, {"name": "oxygen"},
...     {"name": "wustite"}, {"name": "sulfur_dioxide"}])
>>> m = t.molar_masses
>>> feed = Stream(t, [2, 3, 0, 0] * m)                 # 2000 kmol/h FeS, 3000 kmol/h O2
>>> out = Stream(t, [0, 0, 2, 2] * m)                  # all at 25 degC
>>> hb = heat_balance([feed], [out])
>>> round(hb.reaction_kw * 3.6 / 1000, 1)              # kJ per mol of reaction
937.6
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from flowsheet.elements import molar_mass, parse_formula
from flowsheet.errors import SchemaError, SpeciesError
from flowsheet.stream import Stream
from units.pyro import thermo

__all__ = ["HeatBalance", "heat_balance", "stream_enthalpies", "mixture_sensible_heat",
           "fuel_net_heat", "adiabatic_temperature"]

#: J/mol x (t/h) / (g/mol) -> kW.
_KW = 1.0 / 3.6


@dataclass(frozen=True)
class HeatBalance:
    """Heat balance of a furnace [kW]; ``surplus_kw`` > 0 is heat to spare.

    ``coolant_t_h`` is the rate of coolant that takes up a surplus, ``fuel_t_h`` the rate
    of fuel that covers a deficit (each 0 when not needed or not given).
    """

    heat_in_kw: float
    reaction_kw: float
    heat_out_kw: float
    loss_kw: float
    surplus_kw: float
    autogenous: bool
    coolant_t_h: float = 0.0
    fuel_t_h: float = 0.0

    def report(self) -> dict[str, Any]:
        """The figures as a flat report (``heat_`` prefixed keys)."""
        return {f"heat_{k}" if not k.startswith(("coolant", "fuel", "autogenous")) else k: v
                for k, v in asdict(self).items()}


def _streams(streams: Stream | Sequence[Stream]) -> list[Stream]:
    return [streams] if isinstance(streams, Stream) else list(streams)


def stream_enthalpies(stream: Stream) -> tuple[float, float]:
    """(formation, sensible) enthalpy flows of a stream [kW], at its temperature.

    Species without flow are skipped; a flowing species without data raises
    :class:`~flowsheet.errors.SpeciesError` naming it.
    """
    table = stream.table
    formation = sensible = 0.0
    for i in np.flatnonzero(stream.flows > 0):
        species = table.species[i]
        try:
            hf = thermo.enthalpy_of_formation(species)
            hs = thermo.sensible_enthalpy(species, stream.temperature)
        except SpeciesError as err:
            raise SpeciesError(f"species '{species.name}': {err.message}",
                               hint=err.hint) from None
        rate = stream.flows[i] * _KW / species.molar_mass
        formation += float(rate * hf)
        sensible += float(rate * hs)
    return formation, sensible


def _composition(mixture: Mapping[str, float], what: str) -> dict[str, float]:
    total = sum(mixture.values())
    if not mixture or total <= 0 or any(v < 0 for v in mixture.values()):
        raise SchemaError(f"{what}: give positive mass fractions of one or more species")
    for species in mixture:
        thermo.lookup(species)
    return {s: v / total for s, v in mixture.items()}


def mixture_sensible_heat(mixture: Mapping[str, float], t_celsius: float) -> float:
    """Heat [kWh/t, i.e. kW per t/h] to take a mixture from 25 degC to ``t_celsius``.

    ``mixture`` maps formulas (``"Cu"``, ``"Cu2S(l)"``) to mass fractions. Copper scrap
    melted to 1200 degC takes 204 kWh/t (46.7 kJ/mol):

    >>> round(mixture_sensible_heat({"Cu": 1.0}, 1200.0))
    204
    """
    comp = _composition(mixture, "mixture")
    return sum(x * thermo.sensible_enthalpy(s, t_celsius) * _KW
               / molar_mass(thermo.species_spec(s)[0]) for s, x in comp.items())


def fuel_net_heat(fuel: Mapping[str, float], offgas_temperature: float,
                  oxygen_fraction: float = 0.21, heating_value: float | None = None) -> float:
    """Heat a fuel leaves in the furnace [kWh per t of fuel] when burnt completely.

    C burns to CO2, H to H2O (gas), S to SO2, with the stoichiometric oxidant of
    ``oxygen_fraction`` O2 by volume (the rest N2), all charged at 25 degC; the products and
    the nitrogen leave at ``offgas_temperature`` [degC]. The heat of combustion comes from the
    formation enthalpies, or from ``heating_value`` [kJ/kg, lower heating value] if given.

    Methane (LHV 50.0 MJ/kg = 13.9 MWh/t) burnt with air, off-gas at 1250 degC:

    >>> round(fuel_net_heat({"CH4": 1.0}, 1250.0))
    5990
    """
    if not 0.0 < oxygen_fraction <= 1.0:
        raise SchemaError(f"oxygen fraction {oxygen_fraction:g} must be in (0, 1]")
    comp = _composition(fuel, "fuel")
    moles: dict[str, float] = {"CO2": 0.0, "H2O(g)": 0.0, "SO2": 0.0, "N2": 0.0}
    o2 = release = 0.0
    for species, x in comp.items():
        formula = thermo.species_spec(species)[0]
        n = x * 1e6 / molar_mass(formula)                       # mol per t of fuel
        atoms = parse_formula(formula)
        extra = set(atoms) - {"C", "H", "S", "O", "N"}
        if extra:
            raise SchemaError(f"fuel species {formula} holds {', '.join(sorted(extra))}: only "
                              "C, H, S, O and N burn here")
        moles["CO2"] += n * atoms.get("C", 0.0)
        moles["H2O(g)"] += n * atoms.get("H", 0.0) / 2
        moles["SO2"] += n * atoms.get("S", 0.0)
        moles["N2"] += n * atoms.get("N", 0.0) / 2
        o2 += n * (atoms.get("C", 0.0) + atoms.get("H", 0.0) / 4 + atoms.get("S", 0.0)
                   - atoms.get("O", 0.0) / 2)
        release += n * thermo.molar_enthalpy(species, 25.0)
    moles["N2"] += o2 * (1.0 - oxygen_fraction) / oxygen_fraction
    release -= sum(n * thermo.enthalpy_of_formation(s) for s, n in moles.items())
    if heating_value is not None:
        release = heating_value * 1e6                          # J per t
    carried = sum(n * thermo.sensible_enthalpy(s, offgas_temperature) for s, n in moles.items())
    return (release - carried) / 3.6e6


def heat_balance(inlets: Stream | Sequence[Stream], outlets: Stream | Sequence[Stream],
                 loss_fraction: float = 0.0, loss_kw: float = 0.0,
                 coolant: Mapping[str, float] | None = None,
                 coolant_temperature: float | None = None,
                 fuel: Mapping[str, float] | None = None, fuel_oxygen_fraction: float = 0.21,
                 fuel_heating_value: float | None = None,
                 offgas_temperature: float | None = None) -> HeatBalance:
    """Heat balance of a furnace over its streams (see the module notes).

    Parameters
    ----------
    inlets, outlets : Stream or sequence of Stream
        Flows [t/h], each at its own temperature [degC].
    loss_fraction : float
        Heat lost as a fraction of the heat released by the reactions [-].
    loss_kw : float
        A further fixed loss [kW].
    coolant : mapping, optional
        Formula -> mass fraction of a coolant charged at 25 degC (``{"Cu": 1}`` for scrap).
    coolant_temperature : float, optional
        Temperature at which the coolant leaves [degC]; default the hottest outlet.
    fuel : mapping, optional
        Formula -> mass fraction of a fuel (``{"CH4": 1}``, ``{"C": 0.85, "SiO2": ...}`` is
        refused: give the burning part only), see :func:`fuel_net_heat`.
    fuel_oxygen_fraction, fuel_heating_value, offgas_temperature
        Passed to :func:`fuel_net_heat`; the off-gas leaves by default at the hottest outlet's
        temperature.

    Returns
    -------
    HeatBalance
    """
    if not 0.0 <= loss_fraction < 1.0:
        raise SchemaError(f"loss fraction {loss_fraction:g} must be in [0, 1)")
    if loss_kw < 0:
        raise SchemaError(f"heat loss {loss_kw:g} kW must not be negative")
    if coolant is not None:
        _composition(coolant, "coolant")
    if fuel is not None:
        _composition(fuel, "fuel")
    ins, outs = _streams(inlets), _streams(outlets)
    f_in = s_in = f_out = s_out = 0.0
    for s in ins:
        f, h = stream_enthalpies(s)
        f_in, s_in = f_in + f, s_in + h
    for s in outs:
        f, h = stream_enthalpies(s)
        f_out, s_out = f_out + f, s_out + h
    reaction = f_in - f_out
    loss = loss_fraction * max(reaction, 0.0) + loss_kw
    surplus = s_in + reaction - s_out - loss
    hot = [s.temperature for s in outs if s.total > 0] or [25.0]
    coolant_t = fuel_t = 0.0
    if coolant is not None and surplus > 0:
        q = mixture_sensible_heat(coolant, max(hot) if coolant_temperature is None
                                  else coolant_temperature)
        coolant_t = surplus / q
    if fuel is not None and surplus < 0:
        q = fuel_net_heat(fuel, max(hot) if offgas_temperature is None else offgas_temperature,
                          fuel_oxygen_fraction, fuel_heating_value)
        # the fuel's own combustion is heat released too, and loses the same fraction
        q -= loss_fraction * fuel_net_heat(fuel, 25.0, fuel_oxygen_fraction, fuel_heating_value)
        if q <= 0:
            raise SchemaError("the fuel cannot heat its own products to the off-gas temperature",
                              hint="enrich the oxidant in oxygen or lower the temperature")
        fuel_t = -surplus / q
    return HeatBalance(s_in, reaction, s_out, loss, surplus, surplus >= 0.0, coolant_t, fuel_t)


def adiabatic_temperature(inlets: Stream | Sequence[Stream], products: Stream,
                          loss_kw: float = 0.0) -> float:
    """Temperature [degC] at which ``products`` carry all the enthalpy of the inlets.

    Solves :math:`\\sum_{out} \\dot n_j H_j(T) = \\sum_{in} \\dot n_j H_j(T_j) - Q_{loss}` for
    :math:`T` by Brent's method between -50 and 2500 degC (the temperature of ``products`` is
    ignored). No dissociation: products are as given.

    Methane burnt with the stoichiometric air (Turns, An Introduction to Combustion, 3rd ed.,
    2012, Example 2.5: 2318 K with constant heat capacities at 1200 K):

    >>> from flowsheet.species import SpeciesTable
    >>> t = SpeciesTable.from_declarations([{"name": "methane"}, {"name": "oxygen"},
    ...     {"name": "nitrogen"}, {"name": "carbon_dioxide"}, {"name": "steam"}])
    >>> air = Stream(t, [16.04, 2 * 32.00, 2 * 3.76 * 28.01, 0, 0])
    >>> flue = Stream(t, [0, 0, 2 * 3.76 * 28.01, 44.01, 2 * 18.02])
    >>> round(adiabatic_temperature(air, flue) + 273.15)
    2328
    """
    ins = _streams(inlets)
    target = sum(sum(stream_enthalpies(s)) for s in ins) - loss_kw

    def gap(t: float) -> float:
        return sum(stream_enthalpies(products.copy_with(temperature=t))) - target

    lo, hi = thermo.T_RANGE_C
    if gap(lo) > 0 or gap(hi) < 0:
        raise SchemaError("no adiabatic temperature between "
                          f"{lo:g} and {hi:g} degC for these products")
    from scipy.optimize import brentq

    return float(brentq(gap, lo, hi, xtol=1e-6))
