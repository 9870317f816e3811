"""Tests of cccd_reader.agent."""
