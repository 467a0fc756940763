"""Generic units: feed, product, mixer, splitter, separator, stoichiometric reactor."""

__all__: list[str] = []
