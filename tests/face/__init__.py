"""Tests of cccd_reader.face (the face check) and `cccd face-match`."""
