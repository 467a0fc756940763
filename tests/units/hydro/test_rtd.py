"""The conversion of a leach train in one broadcast call: equal, bit for bit, to one
segregated-flow integral per tank (the plain definition of train_conversion)."""

from __future__ import annotations

import numpy as np
import pytest

from units.hydro.rtd import segregated_conversion, train_conversion

RNG = np.random.default_rng(11)


def _per_tank(tau, tank_time, tanks, control):
    """The plain form: after tank k the solids' age is Erlang(k) of mean k t1."""
    one = np.asarray(tank_time, dtype=float)
    return np.stack([np.asarray(segregated_conversion(tau, k * one, k, control))
                     for k in range(1, tanks + 1)], axis=-1)


@pytest.mark.parametrize("control", ["film", "diffusion", "reaction", "mixed"])
@pytest.mark.parametrize("shape", [(), (9,), (2, 3)])
@pytest.mark.parametrize("tanks", [1, 4, 7])
def test_train_in_one_call_is_the_per_tank_integral_exactly(control, shape, tanks):
    """Every tank of the train evaluated at once gives exactly the numbers of one
    segregated_conversion per tank, for one or many size classes, one tank time or one
    per class, and every control (mixed with a mapping of taus)."""
    if control == "mixed":
        tau = {"film": RNG.uniform(0.1, 4.0, shape), "diffusion": RNG.uniform(0.0, 20.0, shape),
               "reaction": RNG.uniform(0.5, 8.0, shape)}
    else:
        tau = RNG.uniform(0.05, 40.0, shape)
    for tank_time in (RNG.uniform(0.1, 10.0), RNG.uniform(0.1, 10.0, shape)):
        fast = train_conversion(tau, tank_time, tanks, control)
        plain = _per_tank(tau, tank_time, tanks, control)
        assert fast.shape == plain.shape == np.broadcast_shapes(shape, np.shape(tank_time)) \
            + (tanks,)
        assert np.array_equal(fast, plain)


def test_train_checks_its_inputs_as_before():
    """Bad tanks, times, taus and controls still raise ValueError."""
    for args in [(1.0, 1.0, 0, "film"), (1.0, 0.0, 2, "film"), (0.0, 1.0, 2, "film"),
                 (1.0, 1.0, 2, "plug"), (1.0, 1.0, 2, "mixed")]:
        with pytest.raises(ValueError):
            train_conversion(*args)
