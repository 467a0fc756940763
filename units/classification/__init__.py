"""Classification: hydrocyclone and screen partition curves, and the Plitt cyclone model."""

__all__: list[str] = []
