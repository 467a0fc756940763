"""Countercurrent washing against the closed-form soluble loss of ideal CCD.

SysCAD documentation, "Counter Current Decantation": with ideal mixing, wash ratio WR
(wash liquor / underflow liquor) and clean wash water, the fraction of the soluble left
in the final underflow after n stages is (WR - 1) / (WR^(n+1) - 1); WR = 2, n = 3 gives
1/15 = 6.67 %.
"""

import pytest

import flowsheet


def ccd_text(stages: int, wash_ratio: float) -> str:
    under = 60.0                        # t/h of liquor in every underflow (and the feed)
    wash = wash_ratio * under
    keep = under / (under + wash)       # fraction of a mixer's liquor to the underflow
    units = ["  slurry: {type: feed, flows: {gangue: 100, water: 60, copper_sulfate: 1e-6}}",
             f"  wash: {{type: feed, flows: {{water: {wash!r}}}}}",
             "  pls: {type: product}", "  residue: {type: product}"]
    streams = ["  - {from: slurry, to: mix1}", f"  - {{from: wash, to: mix{stages}}}",
               "  - {from: thick1.overflow, to: pls}",
               f"  - {{from: thick{stages}.underflow, to: residue}}"]
    for k in range(1, stages + 1):
        units.append(f"  mix{k}: {{type: mixer}}")
        units.append(f"  thick{k}: {{type: separator, outlets: [underflow, overflow], "
                     f"split: {{gangue: 1, water: {keep!r}, copper_sulfate: {keep!r}}}}}")
        streams.append(f"  - {{from: mix{k}, to: thick{k}}}")
        if k < stages:
            streams.append(f"  - {{from: thick{k}.underflow, to: mix{k + 1}}}")
            streams.append(f"  - {{from: thick{k + 1}.overflow, to: mix{k}}}")
    return ("flowsheet: ccd\nspecies: [{name: water}, {name: copper_sulfate}, "
            "{name: gangue, formula: SiO2, phase: solid}]\nunits:\n" + "\n".join(units)
            + "\nstreams:\n" + "\n".join(streams) + "\n")


def test_published_case():
    """WR = 2, n = 3: 6.67 % of the soluble copper stays in the washed residue."""
    res = flowsheet.loads(ccd_text(3, 2.0)).solve()
    lost = res.value("residue.in.flows.copper_sulfate") / 1e-6
    assert lost == pytest.approx(1 / 15, rel=1e-9)


@pytest.mark.parametrize("stages", [1, 2, 5, 10])
@pytest.mark.parametrize("wash_ratio", [1.5, 2.0, 3.0])
def test_closed_form(stages, wash_ratio):
    """Any number of stages and wash ratio: the sparse solve equals the closed form."""
    res = flowsheet.loads(ccd_text(stages, wash_ratio)).solve()
    lost = res.value("residue.in.flows.copper_sulfate") / 1e-6
    expected = (wash_ratio - 1) / (wash_ratio ** (stages + 1) - 1)
    assert lost == pytest.approx(expected, rel=1e-9)
