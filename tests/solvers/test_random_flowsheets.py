"""Balance closure as a property over random flowsheets.

Hypothesis builds flowsheets of feeds, mixers, splitters and separators: chains, recycles
back to any earlier mixer (so recycles nest and overlap) and countercurrent washing
trains. Every one must close its total-mass and element balances below 1e-9 (relative),
and the sparse solve and the tear iteration must agree.
"""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import flowsheet

SPECIES = ["water", "quartz", "copper_sulfate", "dodecane"]


@st.composite
def flowsheets(draw) -> str:
    species = SPECIES[:draw(st.integers(2, 4))]
    fraction = st.floats(0.05, 0.95)
    # a unit sends at least a fifth of each species forward: tear iteration (Newton on a
    # finite-difference Jacobian) is meant for plants, not for a species circulating
    # millions of times its feed -- those are left to the sparse solve
    forward = st.floats(0.2, 0.95)
    flow = st.floats(0.1, 500.0)
    units: list[str] = []
    streams: list[str] = []
    mixers: list[str] = []
    counter = {"n": 0}

    def name(prefix: str) -> str:
        counter["n"] += 1
        return f"{prefix}{counter['n']}"

    def feed() -> str:
        f = name("f")
        flows = ", ".join(f"{s}: {draw(flow):.6g}" for s in species)
        units.append(f"  {f}: {{type: feed, flows: {{{flows}}}}}")
        return f

    def mixer(*sources: str) -> str:
        m = name("m")
        units.append(f"  {m}: {{type: mixer}}")
        for src in sources:
            streams.append(f"  - {{from: {src}, to: {m}}}")
        mixers.append(m)
        return m

    def sink(src: str) -> None:
        p = name("p")
        units.append(f"  {p}: {{type: product}}")
        streams.append(f"  - {{from: {src}, to: {p}}}")

    current = mixer(feed())
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["separator", "splitter", "mix", "train"]))
        if op == "separator":
            s = name("s")
            split = ", ".join(f"{sp}: {draw(forward):.6g}" for sp in species)
            units.append(f"  {s}: {{type: separator, outlets: [a, b], split: {{{split}}}}}")
            streams.append(f"  - {{from: {current}, to: {s}}}")
            back = draw(st.sampled_from(mixers + ["product"]))
            if back == "product":
                sink(f"{s}.b")
            else:
                streams.append(f"  - {{from: {s}.b, to: {back}}}")
            current = f"{s}.a"
        elif op == "splitter":
            s = name("k")
            x = draw(forward)
            units.append(f"  {s}: {{type: splitter, fractions: {{a: {x:.6g}, b: {1 - x:.6g}}}}}")
            # the two fractions printed with 6 digits must still sum to 1
            units[-1] = units[-1].replace(f"b: {1 - x:.6g}", f"b: {1 - float(f'{x:.6g}')!r}")
            streams.append(f"  - {{from: {current}, to: {s}}}")
            back = draw(st.sampled_from(mixers + ["product"]))
            if back == "product":
                sink(f"{s}.b")
            else:
                streams.append(f"  - {{from: {s}.b, to: {back}}}")
            current = f"{s}.a"
        elif op == "mix":
            current = mixer(current, feed())
        else:  # countercurrent train: stage k mixes underflow k-1 and overflow k+1
            n = draw(st.integers(2, 5))
            keep = ", ".join(f"{sp}: {draw(fraction):.6g}" for sp in species)
            stage_mixers = [mixer() for _ in range(n)]
            seps = []
            for m in stage_mixers:
                t = name("t")
                units.append(f"  {t}: {{type: separator, outlets: [under, over], "
                             f"split: {{{keep}}}}}")
                streams.append(f"  - {{from: {m}, to: {t}}}")
                seps.append(t)
            streams.append(f"  - {{from: {current}, to: {stage_mixers[0]}}}")
            streams.append(f"  - {{from: {feed()}, to: {stage_mixers[-1]}}}")
            for k in range(n):
                if k + 1 < n:
                    streams.append(f"  - {{from: {seps[k]}.under, to: {stage_mixers[k + 1]}}}")
                    streams.append(f"  - {{from: {seps[k + 1]}.over, to: {stage_mixers[k]}}}")
            sink(f"{seps[0]}.over")
            current = f"{seps[-1]}.under"
    sink(current)
    decl = ", ".join(f"{{name: {s}}}" for s in species)
    return ("flowsheet: random\n"
            f"species: [{decl}]\n"
            "units:\n" + "\n".join(units) + "\nstreams:\n" + "\n".join(streams) + "\n")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(flowsheets())
def test_random_flowsheets_close_and_agree(text):
    """Sparse solve and Newton tear iteration agree; both close below 1e-9."""
    fs = flowsheet.loads(text, "random.yaml")
    exact = fs.solve()
    assert exact.closure.worst < 1e-9
    torn = fs.solve(linear=False, method="newton")
    assert torn.closure.worst < 1e-9
    scale = 1e-9 * exact.flows.sum(axis=0) + 1e-12
    assert np.all(np.abs(torn.flows - exact.flows) <= 1e-6 * np.abs(exact.flows) + scale)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(flowsheets())
def test_random_flowsheets_broyden(text):
    """Broyden's method reaches the same answer on the same flowsheets."""
    fs = flowsheet.loads(text, "random.yaml")
    exact = fs.solve()
    torn = fs.solve(linear=False, method="broyden", max_iterations=2000)
    assert torn.closure.worst < 1e-9
    scale = 1e-9 * exact.flows.sum(axis=0) + 1e-12
    assert np.all(np.abs(torn.flows - exact.flows) <= 1e-6 * np.abs(exact.flows) + scale)
