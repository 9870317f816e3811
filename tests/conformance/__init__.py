"""Tests of cccd_reader.conformance."""
