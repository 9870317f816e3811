"""Tests of cccd_reader.lds."""
