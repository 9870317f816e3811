"""cccd-desktop: the counter app for reading and verifying CCCD cards and eMRTDs.

The package holds no protocol logic: it drives :mod:`cccd_reader.service` from worker threads
and renders what comes back, so the app and the ``cccd`` command always agree on a card.
"""

from typing import Any


def __getattr__(name: str) -> Any:
    """``__version__`` is the distribution's (pyproject.toml is the one version source)."""
    if name == "__version__":
        import cccd_reader

        return cccd_reader.__version__
    raise AttributeError(f"module 'cccd_desktop' has no attribute {name!r}")
