"""Screen partition: Gaudin's probability of passage, trials, and the efficiency curve.

The probability of passage is checked against Gaudin's formula p = (1 - d/h)^2 as printed
by the Society of Powder Technology, Japan (Powderpedia, "probability of particles
passage"); no published table of partition against trials could be read, so the trial law is
checked by its defining properties. The wire-diameter form is the same area ratio over a
whole mesh cell, checked by its open-area limit.
"""

import numpy as np
import pytest

from flowsheet.errors import SchemaError
from units.classification.efficiency import whiten_efficiency
from units.classification.screens import (
    SCREEN_RANGES,
    screen_efficiency_curve,
    screen_partition,
    screen_passage_probability,
)


def test_gaudin_probability_of_passage():
    """Gaudin (1939), p = (1 - d/h)^2: a sphere of half the aperture passes one trial in
    four, one of 0.9 aperture one in a hundred, a fine one always (thin wire)."""
    p = screen_passage_probability([0.0, 0.5, 0.9], 1.0)
    assert p.tolist() == pytest.approx([1.0, 0.25, 0.01], abs=1e-15)
    h = np.array([0.075, 1.0, 12.5])
    assert np.allclose(screen_passage_probability(0.3 * h, h), 0.49, rtol=1e-14)


def test_particles_as_large_as_the_aperture_never_pass():
    """p = 0 for d >= h (the squared formula would rise again above 2h), and p falls with d."""
    d = np.linspace(0.0, 3.0, 301)
    p = screen_passage_probability(d, 1.0, wire=0.2)
    assert np.all(p[d >= 1.0] == 0.0)
    assert np.all(np.diff(p[d < 1.0]) < 0.0)


def test_wire_diameter_gives_the_open_area_limit():
    """Over a mesh cell of pitch h + w a vanishing particle passes with the open-area
    fraction (h / (h + w))^2: a quarter when the wire is as thick as the aperture; larger
    particles scale from Gaudin's thin-wire value by the same factor."""
    assert float(screen_passage_probability(0.0, 1.0, wire=1.0)) == 0.25
    d = np.array([0.1, 0.4, 0.8])
    thin = screen_passage_probability(d, 2.0)
    wired = screen_passage_probability(d, 2.0, wire=0.5)
    assert np.allclose(wired, thin * (2.0 / 2.5) ** 2, rtol=1e-14)


def test_partition_after_n_trials():
    """A particle stays on the deck only if it fails every independent trial: oversize
    (1 - p)^n, so no trials retain everything, trials compose by multiplication, and the
    undersize is 1 - (1 - p)^n (Gaudin 1939)."""
    d = np.array([0.0, 0.2, 0.5, 0.9, 1.0, 1.5])
    assert np.all(screen_partition(d, 1.0, trials=0) == 1.0)
    ten = screen_partition(d, 1.0, trials=10, wire=0.1)
    assert np.allclose(ten, screen_partition(d, 1.0, 4, 0.1) * screen_partition(d, 1.0, 6, 0.1),
                       rtol=1e-14)
    p = screen_passage_probability(d, 1.0, wire=0.1)
    assert np.allclose(1.0 - ten, 1.0 - (1.0 - p) ** 10, rtol=1e-14)
    assert float(screen_partition(0.5, 1.0, 10)) == pytest.approx(0.75 ** 10, rel=1e-14)
    assert np.all(ten[d >= 1.0] == 1.0)


def test_more_trials_send_more_to_the_undersize():
    """For every size below the aperture the oversize fraction falls with the number of
    trials and tends to 0; it is 1 at and above the aperture whatever the trials."""
    d = np.array([[0.3], [0.7], [0.95], [1.0]])
    e = screen_partition(d, 1.0, trials=np.array([1.0, 10.0, 100.0, 1e4]))
    assert e.shape == (4, 4)
    assert np.all(np.diff(e[:3], axis=1) < 0.0)
    assert e[0, -1] == 0.0 and np.all(e[3] == 1.0)


def test_efficiency_curve_is_whitens_curve():
    """The efficiency-curve model of a screen (Napier-Munn et al. 1996): half of the cut size
    to each product exactly (definition of d50), monotonic, and the Whiten function."""
    d = np.geomspace(100.0, 100000.0, 50)
    e = screen_efficiency_curve(d, 9000.0, 8.0)
    assert float(screen_efficiency_curve(9000.0, 9000.0, 8.0)) == 0.5
    assert np.all(np.diff(e) >= 0.0)
    assert np.array_equal(e, whiten_efficiency(d, 9000.0, 8.0))


@pytest.mark.parametrize("call, name", [
    (lambda: screen_passage_probability(-1.0, 1.0), "d"),
    (lambda: screen_passage_probability(0.5, 0.0), "aperture"),
    (lambda: screen_passage_probability(0.5, 1.0, wire=-0.1), "wire"),
    (lambda: screen_partition(0.5, 1.0, trials=-1.0), "trials"),
    (lambda: screen_efficiency_curve(1.0, 0.0, 3.0), "d50"),
    (lambda: screen_efficiency_curve(1.0, 1.0, 0.0), "alpha"),
])
def test_out_of_range_arguments_name_themselves(call, name):
    """A value outside SCREEN_RANGES raises SchemaError naming the argument and its range."""
    with pytest.raises(SchemaError, match=rf"^{name} must be in ") as info:
        call()
    assert str(SCREEN_RANGES[name]) in str(info.value)
