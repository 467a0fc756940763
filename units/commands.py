"""The commands the unit library adds to the ``flowsheet`` command line.

Read through the ``flowsheet.commands`` entry point: command name -> (module, one-line
help). A module is imported only when its command runs, so this table stays light.

>>> sorted(COMMANDS)
['blocks', 'calc', 'calibrate', 'mccabe', 'smelt']
"""

__all__ = ["COMMANDS"]

COMMANDS: dict[str, tuple[str, str]] = {
    "blocks": ("units.comminution.blocks_cli",
               "run a block model through the flowsheet's sabc_circuit unit"),
    "calibrate": ("units.comminution.calibrate_cli",
                  "fit the SABC models to monthly plant throughput and rank them"),
    "smelt": ("units.pyro.ore_to_matte",
              "ore-to-matte calculator: each ore and the blend through a smelting preset"),
    "mccabe": ("units.hydro.sx_plot",
               "McCabe-Thiele diagram of a solvent_extraction unit of a solved flowsheet"),
    "calc": ("units.hydro.calculators.cli",
             "auxiliary calculators: demercurisation, gold_cyanidation, carbon_elution, "
             "carbon_reactivation"),
}
