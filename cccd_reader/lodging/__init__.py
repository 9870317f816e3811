"""Lodging declarations in the police portal's own workbooks (thông báo lưu trú / KBTT).

A lodging establishment (hotel, guest house, a clinic for its inpatients) declares each guest
by uploading the portal's Excel workbook: Vietnamese citizens in one
(``luu-tru-viet-nam.xlsx``), foreigners in the other (``khai-bao-tam-tru.xlsx``). This package
turns reads into rows of those workbooks (:mod:`.guest`), matches addresses to the portal's
province and ward codes (:mod:`.address`), and writes the workbooks from the shipped
templates (:mod:`.workbook`), whose code lists it reads (:mod:`.catalogue`). Cells it cannot
fill with certainty stay empty and are reported as flags (:mod:`.flags`).

Needs the ``lodging`` extra (openpyxl, lxml, vietnamadminunits).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cccd_reader.errors import OutputError
from cccd_reader.lodging.catalogue import FOREIGN, VIETNAM, WORKBOOKS, Workbook, load
from cccd_reader.lodging.flags import Flag
from cccd_reader.lodging.guest import GuestRow, LodgingInputError, Stay, guest_row
from cccd_reader.lodging.workbook import render
from cccd_reader.private_files import write_private

__all__ = [
    "FOREIGN", "VIETNAM", "ExportResult", "Flag", "GuestRow", "LodgingInputError",
    "RowFlag", "Stay", "WrittenFile", "export", "guest_row", "load", "render_guests",
]


@dataclass(frozen=True)
class WrittenFile:
    path: Path
    workbook: str
    rows: int


@dataclass(frozen=True)
class RowFlag:
    """A flag placed in its file: sheet row number, column letter and header."""

    file: Path
    row: int
    column: str
    header: str
    flag: Flag

    def to_json(self) -> dict[str, Any]:
        return {"file": str(self.file), "row": self.row, "column": self.column,
                "header": self.header, "code": self.flag.code,
                "candidates": list(self.flag.candidates)}


@dataclass(frozen=True)
class ExportResult:
    files: tuple[WrittenFile, ...]
    flags: tuple[RowFlag, ...]

    def to_json(self) -> dict[str, Any]:
        return {"files": [{"path": str(f.path), "workbook": f.workbook, "rows": f.rows}
                          for f in self.files],
                "flags": [f.to_json() for f in self.flags]}


def render_guests(guests: Sequence[GuestRow],
                  books: Mapping[str, Workbook] | None = None) -> dict[str, bytes]:
    """The workbook bytes per workbook key, for the workbooks that have guests."""
    books = books or load()
    out: dict[str, bytes] = {}
    for key in WORKBOOKS:
        rows = [g.values for g in guests if g.workbook == key]
        if rows:
            out[key] = render(books[key], rows)
    return out


def export(guests: Sequence[GuestRow], out_dir: str | os.PathLike[str], *,
           force: bool = False, books: Mapping[str, Workbook] | None = None) -> ExportResult:
    """Write the workbooks that have guests into ``out_dir`` (0600, never through a symlink,
    an existing file only with ``force``). Nothing is written when either file is refused."""
    books = books or load()
    root = Path(out_dir)
    if root.is_symlink() or (root.exists() and not root.is_dir()):
        raise OutputError(f"{root} is not a directory (or is a symbolic link)",
                          params={"path": str(root)})
    blobs = render_guests(guests, books)
    targets = {key: root / books[key].layout.output for key in blobs}
    for path in targets.values():
        if path.is_symlink():
            raise OutputError(f"{path} is a symbolic link: refusing to write through it",
                              params={"path": str(path)})
        if path.exists() and not force:
            raise OutputError(f"{path} exists: choose another directory, or --force to "
                              "replace it", params={"path": str(path)})
    try:
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create {root}: {exc.strerror}",
                          params={"path": str(root)}) from None
    files: list[WrittenFile] = []
    flags: list[RowFlag] = []
    for key, data in blobs.items():
        path = write_private(targets[key], data, force=force)
        book = books[key]
        mine = [g for g in guests if g.workbook == key]
        files.append(WrittenFile(path, key, len(mine)))
        for i, guest in enumerate(mine):
            for flag in guest.flags:
                column = book.layout.column(flag.field)
                letter = column.letter if column is not None else ""
                flags.append(RowFlag(path, book.layout.first_row + i, letter,
                                     book.headers.get(letter, ""), flag))
    return ExportResult(tuple(files), tuple(flags))
