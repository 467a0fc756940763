"""Comminution: size-energy laws, breakage and selection, mills and crushers."""

__all__: list[str] = []
