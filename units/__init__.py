"""The unit library: the Unit base class, the registry, and one sub-package per domain.

Units are looked up by their YAML ``type:`` name through :mod:`units.registry`.
"""

__all__: list[str] = []
