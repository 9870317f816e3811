"""Tests of cccd_reader.pki."""
