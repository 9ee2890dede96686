"""The package version: every output records it (``resettle.store.provenance``)."""

__version__ = "0.1.0"
