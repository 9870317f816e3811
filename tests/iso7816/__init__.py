"""Tests of cccd_reader.iso7816."""
