"""``python -m cccd_reader.conformance``: print the catalogue table of docs/qa-guide.md."""

from cccd_reader.conformance.catalogue import catalogue_markdown

print(catalogue_markdown(), end="")
