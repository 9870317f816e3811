"""cccd-reader: read and verify Vietnamese CCCD cards and ICAO 9303 eMRTDs."""

__version__ = "0.1.0"
