"""leaflet: one structured source, every accessible format, every language."""

__version__ = "0.1.0"
