"""The commands the twin adds to the ``flowsheet`` command line, read through the
``flowsheet.commands`` entry point: command name -> (module, one-line help).

>>> sorted(COMMANDS)
['track']
"""

__all__ = ["COMMANDS"]

COMMANDS: dict[str, tuple[str, str]] = {
    "track": ("twin.track_cli",
              "day-by-day extraction, metal balance and cumulative recovery of a campaign"),
}
