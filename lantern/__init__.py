"""Lantern: spot child sexual exploitation early, record it securely, connect the signs."""

__version__ = "0.1.0"

__all__ = ["__version__"]
