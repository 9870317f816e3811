"""Tests of cccd_reader.access."""
