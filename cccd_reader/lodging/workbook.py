"""Fill the portal's workbook: a copy of the shipped template with the guests' rows added.

Why the file is patched rather than saved by openpyxl: openpyxl rebuilds every part of a
workbook it saves, and on the KBTT template it drops the sheet's four extension (x14) data
validations (the drop-down lists of nationality, sex and birth-date precision, which point at
the ``Lookup`` sheet), the Power Query ``customXml`` part, the ``mc:Ignorable`` revision data
and the ``dataConsolidate``/``phoneticPr`` elements (measured in ``tests/lodging``). So this
module copies every part of the template byte for byte and edits only three: the sheet's
XML (the new rows, its ``dimension``), the shared-string table (the new texts appended) and,
in KBTT, ``Table1``'s range when the guests run past it. The output keeps the template's
sheets, headers, hint and sample rows, lists, defined names, validations (plain and x14),
styles and custom XML.

Every cell written is a shared string (``t="s"``) except STT, a number like the template's:
a document number keeps its leading zeros and a value starting with ``=``, ``+``, ``-`` or
``@`` stays text (no formula is ever created, and no apostrophe is added). lxml keeps the
namespace prefixes that ``mc:Ignorable`` names, which the standard library's ElementTree
would rename.
"""

from __future__ import annotations

import bisect
import io
import posixpath
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cccd_reader.errors import OutputError
from cccd_reader.lodging.catalogue import Layout, LodgingDataError, Workbook, column_index

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_M = f"{{{MAIN}}}"

#: Excel's limit on a cell's text.
MAX_CELL_CHARS = 32767
#: XML 1.0 forbids these; a card or an argument carrying one loses it rather than breaking the file.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_REF = re.compile(r"^([A-Z]+)(\d+):([A-Z]+)(\d+)$")

#: Row values: field name → text (a coded field holds the list's whole "code - label").
Row = Mapping[str, str]


def _etree() -> Any:
    try:
        from lxml import etree
    except ImportError as exc:  # pragma: no cover - the lodging extra pulls it in
        raise LodgingDataError(
            "lodging workbooks need lxml (pip install 'cccd-reader[lodging]')") from exc
    return etree


#: The declaration Excel writes (lxml's own uses single quotes).
_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'


def _xml(element: Any) -> bytes:
    body: bytes = _etree().tostring(element, encoding="UTF-8", xml_declaration=False)
    return _DECLARATION + body


def clean_text(value: str) -> str:
    """What a cell may hold: no character XML cannot carry; too long is an error."""
    text = _NOT_XML.sub("", value)
    if len(text) > MAX_CELL_CHARS:
        raise OutputError(f"a cell would hold {len(text)} characters (Excel's limit is "
                          f"{MAX_CELL_CHARS})", params={"limit": str(MAX_CELL_CHARS)})
    return text


@dataclass
class _Parts:
    """The part names the writer edits, found through the package's relationships."""

    sheet: str
    shared_strings: str
    table: str | None


def _rels(zin: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id → (type, absolute part name) of ``part``."""
    etree = _etree()
    folder, name = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", name + ".rels")
    try:
        root = etree.fromstring(zin.read(rels_name))
    except KeyError:
        return {}
    out: dict[str, tuple[str, str]] = {}
    for rel in root.iter(f"{{{PKG_REL}}}Relationship"):
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join(folder, target))
        out[rel.get("Id", "")] = (rel.get("Type", ""), path)
    return out


def _find_parts(zin: zipfile.ZipFile, layout: Layout) -> _Parts:
    etree = _etree()
    book = etree.fromstring(zin.read("xl/workbook.xml"))
    rels = _rels(zin, "xl/workbook.xml")
    sheet_id = next((s.get(f"{{{DOC_REL}}}id") for s in book.iter(f"{_M}sheet")
                     if s.get("name") == layout.sheet), None)
    if sheet_id is None or sheet_id not in rels:
        raise LodgingDataError(f"{layout.template.name}: no sheet {layout.sheet!r}")
    sheet = rels[sheet_id][1]
    sst = next((p for t, p in rels.values() if t.endswith("/sharedStrings")), None)
    if sst is None:
        raise LodgingDataError(f"{layout.template.name}: no shared-string table")
    table = None
    if layout.table:
        for kind, path in _rels(zin, sheet).values():
            if kind.endswith("/table") and etree.fromstring(zin.read(path)).get(
                    "name") == layout.table:
                table = path
        if table is None:
            raise LodgingDataError(f"{layout.template.name}: no table {layout.table!r}")
    return _Parts(sheet, sst, table)


class _SharedStrings:
    """The template's shared strings, with new texts appended (never duplicated)."""

    def __init__(self, data: bytes) -> None:
        etree = _etree()
        self.etree = etree
        self.root = etree.fromstring(data)
        self.index: dict[str, int] = {}
        items = self.root.findall(f"{_M}si")
        for i, si in enumerate(items):
            t = si.find(f"{_M}t")
            if t is not None and len(si) == 1:
                self.index.setdefault(t.text or "", i)
        self.size = len(items)
        self.refs = 0

    def add(self, text: str) -> int:
        self.refs += 1
        found = self.index.get(text)
        if found is not None:
            return found
        si = self.etree.SubElement(self.root, f"{_M}si")
        t = self.etree.SubElement(si, f"{_M}t")
        t.text = text
        if text != text.strip() or "\n" in text:
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        self.index[text] = self.size
        self.size += 1
        return self.size - 1

    def to_bytes(self) -> bytes:
        self.root.set("uniqueCount", str(self.size))
        count = int(self.root.get("count", str(self.size)) or 0) + self.refs
        self.root.set("count", str(count))
        return _xml(self.root)


def _grow_ref(ref: str, last_col: str, last_row: int) -> str:
    match = _REF.match(ref)
    if match is None:
        return ref
    col = match[3] if column_index(match[3]) >= column_index(last_col) else last_col
    return f"{match[1]}{match[2]}:{col}{max(int(match[4]), last_row)}"


def _check_coded(workbook: Workbook, rows: Sequence[Row]) -> None:
    """A coded cell holds an entry of its list, or nothing: a wrong code is a bug here."""
    for column in workbook.layout.columns:
        if column.list is None:
            continue
        allowed = workbook.list(column.list).displays()
        for row in rows:
            value = row.get(column.field, "")
            if value and value not in allowed:
                raise LodgingDataError(
                    f"column {column.letter} ({column.field}) is not in the list "
                    f"{column.list!r}")


def render(workbook: Workbook, rows: Sequence[Row]) -> bytes:
    """The template with ``rows`` from its first data row on, as ``.xlsx`` bytes."""
    layout = workbook.layout
    _check_coded(workbook, rows)
    etree = _etree()
    with zipfile.ZipFile(layout.template) as zin:
        parts = _find_parts(zin, layout)
        strings = _SharedStrings(zin.read(parts.shared_strings))
        sheet = etree.fromstring(zin.read(parts.sheet))
        data = sheet.find(f"{_M}sheetData")
        if data is None:
            raise LodgingDataError(f"{layout.template.name}: sheet without data")
        existing = {int(r.get("r")): r for r in data.findall(f"{_M}row")}
        numbers = sorted(existing)
        styles: dict[str, str] = {}
        if layout.style_row in existing:
            for c in existing[layout.style_row].findall(f"{_M}c"):
                letters = re.sub(r"\d+", "", c.get("r", ""))
                if c.get("s"):
                    styles[letters] = str(c.get("s"))
        last_col = layout.columns[-1].letter
        spans = f"1:{len(layout.columns)}"
        last_row = layout.first_row - 1
        for i, values in enumerate(rows):
            r = layout.first_row + i
            last_row = r
            row = existing.get(r)
            if row is None:
                row = etree.Element(f"{_M}row", r=str(r), spans=spans)
                pos = bisect.bisect(numbers, r)
                if pos < len(numbers):
                    existing[numbers[pos]].addprevious(row)
                else:
                    data.append(row)
                numbers.insert(pos, r)
                existing[r] = row
            cells = {c.get("r"): c for c in row.findall(f"{_M}c")}
            for k in list(row):
                row.remove(k)
            for column in layout.columns:
                ref = f"{column.letter}{r}"
                cell = cells.get(ref)
                if cell is None:
                    cell = etree.Element(f"{_M}c", r=ref)
                    if column.letter in styles:
                        cell.set("s", styles[column.letter])
                for child in list(cell):
                    cell.remove(child)
                cell.attrib.pop("t", None)
                if column.field == "index":
                    etree.SubElement(cell, f"{_M}v").text = str(layout.index_start + i)
                else:
                    text = clean_text(values.get(column.field, ""))
                    if text:
                        cell.set("t", "s")
                        etree.SubElement(cell, f"{_M}v").text = str(strings.add(text))
                row.append(cell)
            for ref, cell in cells.items():  # cells past the layout's columns stay as they were
                if ref and column_index(re.sub(r"\d+", "", ref)) > len(layout.columns):
                    row.append(cell)
        dim = sheet.find(f"{_M}dimension")
        if dim is not None and rows:
            dim.set("ref", _grow_ref(dim.get("ref", f"A1:{last_col}1"), last_col, last_row))
        replaced = {
            parts.sheet: _xml(sheet),
            parts.shared_strings: strings.to_bytes(),
        }
        if parts.table is not None and rows:
            table = etree.fromstring(zin.read(parts.table))
            table.set("ref", _grow_ref(table.get("ref", ""), last_col, last_row))
            auto = table.find(f"{_M}autoFilter")
            if auto is not None:
                auto.set("ref", table.get("ref"))
            replaced[parts.table] = _xml(table)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in zin.infolist():
                body = replaced.get(info.filename)
                zout.writestr(info, body if body is not None else zin.read(info.filename),
                              compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


