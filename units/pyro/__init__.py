"""Pyrometallurgy: smelting furnaces with technology presets, converters, heat balances."""

__all__: list[str] = []
