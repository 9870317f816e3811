"""Tests of cccd_reader.qr."""
