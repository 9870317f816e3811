"""Tests of cccd_sim (the virtual chip, issuer, faults, hostile modes)."""
