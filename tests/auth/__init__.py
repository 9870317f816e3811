"""Tests of cccd_reader.auth."""
