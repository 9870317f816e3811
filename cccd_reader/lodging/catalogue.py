"""The portal's two lodging workbooks as data: where to write, and every code list they hold.

Nothing here is a copy of the portal's lists: the layout (``data/lodging/layout.toml``) says
where each list lives, and the lists are read from the shipped workbooks themselves, so a new
workbook from the portal is a data change (replace the ``.xlsx``; edit the layout only if a
sheet or a column moved). Reading both workbooks' lists takes about 0.1 s; the result is cached
per template path.
"""

from __future__ import annotations

import functools
import re
import tomllib
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from cccd_reader.errors import CccdError

#: Workbook keys: Vietnamese citizens (thông báo lưu trú) and foreigners (khai báo tạm trú).
VIETNAM = "vietnam"
FOREIGN = "foreign"
WORKBOOKS = (VIETNAM, FOREIGN)

#: A coded cell: ``"<code> - <label>"``, the code being one token (``101900127``, ``VNM``, ``D``).
_CODED = re.compile(r"^(?P<code>[^\s(][^\s]*) - (?P<label>.+)$", re.DOTALL)


class LodgingDataError(CccdError):
    """The shipped workbook or its layout is not what the layout describes (a broken install or
    a portal update that moved a sheet): never raised for a guest's data."""

    code = "lodging_data"


@dataclass(frozen=True, slots=True)
class Code:
    """One entry of a code list: ``display`` is what a cell holds (``"101 - TP. Hà Nội"``)."""

    code: str
    label: str
    #: For a ward, its province's code (``"101"``); empty otherwise.
    parent: str = ""

    @property
    def display(self) -> str:
        return f"{self.code} - {self.label}"


@dataclass(frozen=True)
class CodeList:
    """A list in the workbook's order, looked up by code."""

    name: str
    entries: tuple[Code, ...]
    _by_code: dict[str, Code] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_code.update({e.code: e for e in self.entries})

    def __iter__(self) -> Iterator[Code]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, code: str) -> Code | None:
        return self._by_code.get(code)

    def displays(self) -> frozenset[str]:
        return frozenset(e.display for e in self.entries)

    def by_label(self, label: str) -> list[Code]:
        """Entries whose label is ``label`` (compared in NFC, case-insensitively)."""
        key = unicodedata.normalize("NFC", label).casefold()
        return [e for e in self.entries
                if unicodedata.normalize("NFC", e.label).casefold() == key]


@dataclass(frozen=True)
class Column:
    """One column of the sheet to fill: what goes in it, and the list it is coded from."""

    letter: str
    field: str
    list: str | None = None


@dataclass(frozen=True)
class Layout:
    """Where a workbook's guests go (from ``layout.toml``)."""

    key: str
    title: str
    template: Path
    output: str
    sheet: str
    header_row: int
    kept_rows: tuple[int, ...]
    first_row: int
    style_row: int
    index_start: int
    columns: tuple[Column, ...]
    table: str | None
    list_specs: Mapping[str, Mapping[str, Any]]
    #: The reason code that needs its text (Vietnamese workbook), "" when none.
    other_reason: str = ""

    def column(self, field_name: str) -> Column | None:
        return next((c for c in self.columns if c.field == field_name), None)


@dataclass(frozen=True)
class Workbook:
    """A layout and the code lists read from its template."""

    layout: Layout
    lists: Mapping[str, CodeList]
    #: The sheet's header row as the template writes it, by column letter.
    headers: Mapping[str, str] = field(default_factory=dict)

    def list(self, name: str) -> CodeList:
        return self.lists[name]


def column_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters: str) -> int:
    """A → 1, AA → 27."""
    value = 0
    for ch in letters.upper():
        if not "A" <= ch <= "Z":
            raise LodgingDataError(f"bad column letter {letters!r} in the lodging layout")
        value = value * 26 + ord(ch) - 64
    return value


def data_dir() -> Path:
    return Path(str(resources.files("cccd_reader") / "data" / "lodging"))


def _layouts(directory: Path) -> dict[str, Layout]:
    try:
        raw = tomllib.loads((directory / "layout.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise LodgingDataError(f"cannot read the lodging layout: {exc}") from None
    out: dict[str, Layout] = {}
    try:
        for key in WORKBOOKS:
            spec = raw[key]
            columns = tuple(
                Column(column_letter(i), str(c["field"]), c.get("list"))
                for i, c in enumerate(spec["columns"], start=1)
            )
            out[key] = Layout(
                key=key, title=str(spec["title"]), template=directory / str(spec["template"]),
                output=str(spec["output"]), sheet=str(spec["sheet"]),
                header_row=int(spec["header_row"]),
                kept_rows=tuple(int(r) for r in spec["kept_rows"]),
                first_row=int(spec["first_row"]), style_row=int(spec["style_row"]),
                index_start=int(spec.get("index_start", 1)), columns=columns,
                table=spec.get("table"), list_specs=dict(spec["lists"]),
                other_reason=str(spec.get("other_reason", "")),
            )
            for column in columns:
                if column.list is not None and column.list not in out[key].list_specs:
                    raise LodgingDataError(
                        f"lodging layout: column {column.letter} of {key} names the unknown "
                        f"list {column.list!r}")
    except (KeyError, TypeError, ValueError) as exc:
        raise LodgingDataError(f"lodging layout is incomplete: {exc!r}") from None
    return out


def _read_book(layout: Layout) -> tuple[dict[str, CodeList], dict[str, str]]:
    try:
        from openpyxl import load_workbook
    except ImportError as exc:  # pragma: no cover - the lodging extra pulls it in
        raise LodgingDataError(
            "lodging workbooks need openpyxl (pip install 'cccd-reader[lodging]')") from exc
    try:
        book = load_workbook(layout.template, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a bad file
        raise LodgingDataError(f"cannot open {layout.template.name}: {exc}") from None
    try:
        lists: dict[str, CodeList] = {}
        for name, spec in layout.list_specs.items():
            sheet = book[str(spec["sheet"])]
            col = column_index(str(spec["column"])) - 1
            parent = spec.get("parent")
            pcol = column_index(str(parent)) - 1 if parent else None
            width = max(col, pcol or 0) + 1
            entries: list[Code] = []
            seen: set[str] = set()
            for row in sheet.iter_rows(min_row=int(spec["first_row"]), max_col=width,
                                       values_only=True):
                value = row[col] if len(row) > col else None
                if not isinstance(value, str):
                    continue
                match = _CODED.match(value.strip())
                if match is None or match["code"] in seen:
                    continue
                seen.add(match["code"])
                up = "" if pcol is None or len(row) <= pcol else str(row[pcol] or "").strip()
                entries.append(Code(match["code"], match["label"].strip(), up))
            if not entries:
                raise LodgingDataError(f"{layout.template.name}: list {name!r} is empty")
            lists[name] = CodeList(name, tuple(entries))
        headers: dict[str, str] = {}
        sheet = book[layout.sheet]
        for row in sheet.iter_rows(min_row=layout.header_row, max_row=layout.header_row,
                                   max_col=len(layout.columns), values_only=True):
            for column, value in zip(layout.columns, row, strict=False):
                headers[column.letter] = str(value or "").strip()
        return lists, headers
    except KeyError as exc:
        raise LodgingDataError(f"{layout.template.name}: no sheet {exc}") from None
    finally:
        book.close()


@functools.lru_cache(maxsize=4)
def load(directory: Path | None = None) -> dict[str, Workbook]:
    """Both workbooks, their layouts and code lists (cached: call freely)."""
    root = directory or data_dir()
    out: dict[str, Workbook] = {}
    for key, layout in _layouts(root).items():
        lists, headers = _read_book(layout)
        out[key] = Workbook(layout, lists, headers)
    return out
