"""The stream: species mass flows, temperature and the mineral-by-size matrix of its solids.

A :class:`Stream` is a value: units build new ones and never change an inlet. Flows are in
t/h, one entry per species of the flowsheet's :class:`~flowsheet.species.SpeciesTable`;
temperature in degC. When the flowsheet has a size grid, ``psd`` holds one row of
retained mass fractions per *solid* species (``table.solid_index``) over the grid's
classes, so each mineral has its own distribution.

>>> from flowsheet.species import SpeciesTable
>>> t = SpeciesTable.from_declarations([{"name": "water"}, {"name": "quartz"}])
>>> s = Stream(t, [30.0, 70.0])
>>> s.total, s.solids, s.percent_solids
(100.0, 70.0, 70.0)
>>> (s + s).total
200.0
"""

from __future__ import annotations

import numpy as np

from flowsheet.errors import SchemaError, did_you_mean
from flowsheet.species import SpeciesTable

__all__ = ["Stream", "STREAM_PROPERTIES"]

#: Scalar properties a design spec or a report may name on a stream.
STREAM_PROPERTIES = ("total", "solids", "liquids", "percent_solids", "temperature",
                     "volumetric_flow", "p80", "p50", "pulp_density")


class Stream:
    """Species mass flows [t/h], temperature [degC] and mineral-by-size matrix."""

    __slots__ = ("table", "grid", "flows", "temperature", "psd")

    def __init__(self, table: SpeciesTable, flows, temperature: float = 25.0,
                 psd: np.ndarray | None = None, grid=None) -> None:
        self.table = table
        self.grid = grid
        self.flows = np.asarray(flows, dtype=float)
        self.temperature = float(temperature)
        self.psd = psd

    # -- construction -------------------------------------------------------------------
    @classmethod
    def empty(cls, table: SpeciesTable, grid=None, temperature: float = 25.0) -> Stream:
        """A stream with no flow (and an all-zero size matrix when there is a grid)."""
        psd = None
        if grid is not None:
            psd = np.zeros((len(table.solid_index), grid.n_classes))
        return cls(table, np.zeros(len(table)), temperature, psd, grid)

    def copy_with(self, flows=None, temperature=None, psd=None) -> Stream:
        """A new stream sharing what is not given."""
        return Stream(self.table, self.flows if flows is None else flows,
                      self.temperature if temperature is None else temperature,
                      self.psd if psd is None else psd, self.grid)

    def scaled(self, factors) -> Stream:
        """Each species' flow multiplied by ``factors`` (scalar or per species).

        A split that does not depend on size keeps every mineral's distribution.
        """
        return Stream(self.table, self.flows * factors, self.temperature, self.psd, self.grid)

    def __add__(self, other: Stream) -> Stream:
        return Stream.mix((self, other))

    @staticmethod
    def mix(streams) -> Stream:
        """Mix streams: flows add; temperature is the heat-capacity-flow weighted mean;
        each mineral's distribution is the mass-weighted mean of its distributions."""
        streams = list(streams)
        first = streams[0]
        if len(streams) == 1:
            return first
        table = first.table
        flows = np.sum([s.flows for s in streams], axis=0)
        cp = table.heat_capacities()
        weights = np.array([float(s.flows @ cp) for s in streams])
        wsum = weights.sum()
        if wsum > 0:
            temperature = float(np.dot(weights, [s.temperature for s in streams]) / wsum)
        else:
            temperature = first.temperature
        psd = None
        if first.psd is not None:
            idx = table.solid_index
            mass = np.array([s.flows[idx] for s in streams])            # (k, n_solid)
            stacked = np.array([s.psd for s in streams])                 # (k, n_solid, n)
            total = mass.sum(axis=0)
            with np.errstate(invalid="ignore", divide="ignore"):
                psd = np.einsum("ks,ksn->sn", mass, stacked) / total[:, None]
            psd[total <= 0] = 0.0
        return Stream(table, flows, temperature, psd, first.grid)

    # -- derived properties ----------------------------------------------------------------
    @property
    def total(self) -> float:
        """Total mass flow [t/h]."""
        return float(self.flows.sum())

    @property
    def solids(self) -> float:
        """Mass flow of solid species [t/h]."""
        return float(self.flows[self.table.solid_mask].sum())

    @property
    def liquids(self) -> float:
        """Mass flow of everything that is not a solid particle [t/h]."""
        return self.total - self.solids

    @property
    def percent_solids(self) -> float:
        """Solids as % of the total mass (NaN for an empty stream)."""
        total = self.total
        return 100.0 * self.solids / total if total > 0 else float("nan")

    @property
    def element_flows(self) -> dict[str, float]:
        """Mass flow of each element [t/h]."""
        v = self.flows @ self.table.element_fractions
        return dict(zip(self.table.elements, map(float, v), strict=True))

    @property
    def assays(self) -> dict[str, float]:
        """Element assays of the whole stream [% by mass]."""
        total = self.total
        return {e: (100.0 * v / total if total > 0 else float("nan"))
                for e, v in self.element_flows.items()}

    @property
    def volumetric_flow(self) -> float:
        """Volume flow [m3/h] of the condensed species with a known density.

        Gases and species without a density are left out (t/h / (kg/m3) * 1000).
        """
        dens = self.table.densities
        ok = ~np.isnan(dens) & (np.array(self.table.phases) != "gas")
        return float(np.sum(self.flows[ok] * 1000.0 / dens[ok]))

    @property
    def pulp_density(self) -> float:
        """Mass of the condensed part over its volume [kg/m3] (NaN if unknown)."""
        vol = self.volumetric_flow
        dens = self.table.densities
        ok = ~np.isnan(dens) & (np.array(self.table.phases) != "gas")
        mass = float(self.flows[ok].sum())
        return 1000.0 * mass / vol if vol > 0 else float("nan")

    def size_distribution(self, species: str | None = None) -> np.ndarray | None:
        """Retained mass fractions per size class of all solids or of one species."""
        if self.psd is None:
            return None
        idx = self.table.solid_index
        if species is not None:
            pos = self.table.position(species)
            row = int(np.searchsorted(idx, pos))
            if row >= len(idx) or idx[row] != pos:
                raise SchemaError(f"species '{species}' is not a solid")
            return self.psd[row].copy()
        mass = self.flows[idx]
        total = mass.sum()
        if total <= 0:
            return np.zeros(self.psd.shape[1])
        return mass @ self.psd / total

    @property
    def size_matrix(self) -> np.ndarray | None:
        """Mass flow [t/h] of each solid species (rows) in each size class (columns)."""
        if self.psd is None:
            return None
        return self.flows[self.table.solid_index, None] * self.psd

    def percentile(self, percent: float, species: str | None = None) -> float:
        """Size [um] at which ``percent`` % of the solids (or of one species) pass."""
        from flowsheet.sizes import percentile_size

        dist = self.size_distribution(species)
        if dist is None:
            return float("nan")
        return float(percentile_size(self.grid, dist, percent))

    @property
    def p80(self) -> float:
        """80 % passing size of all solids [um] (NaN without a size grid)."""
        return self.percentile(80.0)

    @property
    def p50(self) -> float:
        """50 % passing size of all solids [um]."""
        return self.percentile(50.0)

    def get(self, path: str) -> float:
        """A scalar named by ``path``: a property (``total``, ``p80``...), a species flow
        (``water`` or ``flows.water``), an element flow (``elements.Cu``), an element assay
        (``assay.Cu``, %), or a percentile of one species (``p80.quartz``).

        >>> from flowsheet.species import SpeciesTable
        >>> t = SpeciesTable.from_declarations([{"name": "water"}, {"name": "quartz"}])
        >>> Stream(t, [30.0, 70.0]).get("flows.quartz")
        70.0
        """
        head, _, rest = path.partition(".")
        if not rest:
            if head in STREAM_PROPERTIES:
                return float(getattr(self, head))
            if head in self.table.index:
                return float(self.flows[self.table.index[head]])
        elif head == "flows":
            return float(self.flows[self.table.position(rest)])
        elif head == "elements":
            return self.element_flows.get(rest, 0.0)
        elif head == "assay":
            return self.assays.get(rest, 0.0)
        elif head in ("p80", "p50"):
            return self.percentile(float(head[1:]), rest)
        choices = list(STREAM_PROPERTIES) + list(self.table.names) + [
            "flows.<species>", "elements.<element>", "assay.<element>", "p80.<species>"]
        raise SchemaError(f"unknown stream quantity '{path}'", hint=did_you_mean(path, choices))

    def as_dict(self) -> dict:
        """Flows by species and the derived quantities, for tables and JSON."""
        out: dict = {"flows": dict(zip(self.table.names, map(float, self.flows), strict=True)),
                     "total": self.total, "solids": self.solids,
                     "percent_solids": self.percent_solids, "temperature": self.temperature,
                     "volumetric_flow": self.volumetric_flow, "assays": self.assays}
        if self.psd is not None:
            out["p80"] = self.p80
        return out

    def __repr__(self) -> str:
        nz = {n: round(float(v), 6) for n, v in zip(self.table.names, self.flows, strict=True)
              if v}
        return f"Stream({nz}, T={self.temperature:g} degC)"

    def __eq__(self, other: object) -> bool:  # pragma: no cover - convenience
        return isinstance(other, Stream) and np.array_equal(self.flows, other.flows)

    __hash__ = None  # type: ignore[assignment]

