"""Refining: Faraday's law, electrorefining and electrowinning cell houses, fire refining."""

__all__: list[str] = []
