"""cccd-desktop: the counter app for reading and verifying CCCD cards and eMRTDs.

The package holds no protocol logic: it drives :mod:`cccd_reader.service` from worker threads
and renders what comes back, so the app and the ``cccd`` command always agree on a card.
"""

__version__ = "0.1.0"
