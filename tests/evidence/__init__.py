"""Tests of cccd_reader.evidence (evidence packages for a bank's server)."""
