"""The written workbooks against the shipped templates (the portal's reference workbooks),
cell by cell, and part by part in the zip: what the portal gave us is still there."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from typing import Any

import openpyxl
import pytest
from lxml import etree

from cccd_reader.errors import OutputError
from cccd_reader.lodging import FOREIGN, VIETNAM
from cccd_reader.lodging.catalogue import Workbook
from cccd_reader.lodging.workbook import MAIN, clean_text, render


def _vn_row(i: int, books: Mapping[str, Workbook]) -> dict[str, str]:
    vn = books[VIETNAM]
    wards = vn.list("ward").entries
    ward = wards[(i * 97) % len(wards)]
    province = vn.list("province").get(ward.parent)
    assert province is not None
    return {
        "full_name": f"NGUYỄN VĂN {i}", "date_of_birth": "01/02/1990",
        "sex": vn.list("sex").entries[i % 2].display,
        "nationality": vn.list("nationality").get("VNM").display,  # type: ignore[union-attr]
        "document_type": vn.list("document_type").get("1").display,  # type: ignore[union-attr]
        "document_number": f"{i:012d}", "residence_kind": "1 - Thường trú",
        "province": province.display, "ward": ward.display,
        "address_detail": ("=HYPERLINK(\"http://x\")", "+84 1", "-5", "@SUM(A1)")[i % 4],
        "arrival": "01/12/2026", "departure": "03/12/2026", "room": "007",
        "reason": "20 - Mục đích khác", "reason_text": "khám bệnh",
    }


def _kbtt_row(i: int) -> dict[str, str]:
    return {
        "full_name": f"MUSTERMANN ERIKA {i}", "date_of_birth": "12/08/1964",
        "birth_precision": "D - Ngày", "sex": "F - Nữ", "nationality": "D - Germany",
        "document_number": "00C01X00T", "room": "=1+1", "arrival": "01/12/2026",
        "departure": "03/12/2026", "checkout": "03/12/2026", "permitted_until": "30/12/2026",
    }


def _open(data: bytes) -> Any:
    return openpyxl.load_workbook(io.BytesIO(data))


def _values(sheet: Any) -> dict[str, Any]:
    return {c.coordinate: c.value for row in sheet.iter_rows() for c in row
            if c.value is not None}


@pytest.mark.parametrize("key,count", [(VIETNAM, 3), (VIETNAM, 200), (FOREIGN, 5),
                                       (FOREIGN, 700)])
def test_round_trip_cell_by_cell(books: Mapping[str, Workbook], key: str, count: int) -> None:
    book = books[key]
    layout = book.layout
    rows = [_vn_row(i, books) if key == VIETNAM else _kbtt_row(i) for i in range(count)]
    out = _open(render(book, rows))
    ref = openpyxl.load_workbook(layout.template)
    assert out.sheetnames == ref.sheetnames
    # every list sheet, cell by cell
    for name in ref.sheetnames:
        if name != layout.sheet:
            assert _values(out[name]) == _values(ref[name]), name
    sheet, ref_sheet = out[layout.sheet], ref[layout.sheet]
    # headers, hint and sample rows unchanged (values and types)
    for r in range(1, layout.first_row):
        for c in range(1, len(layout.columns) + 1):
            got, want = sheet.cell(r, c), ref_sheet.cell(r, c)
            assert (got.value, got.data_type) == (want.value, want.data_type), (r, c)
    # the guests, in order, every text cell a string, never a formula
    for i, row in enumerate(rows):
        r = layout.first_row + i
        assert sheet.cell(r, 1).value == layout.index_start + i
        for column in layout.columns[1:]:
            cell = sheet[f"{column.letter}{r}"]
            want = row.get(column.field) or None
            assert cell.value == want, (r, column.field)
            if want is not None:
                assert cell.data_type == "s", (r, column.field)
            if column.list is not None and want is not None:
                assert want in book.list(column.list).displays()
    # nothing after the guests
    after = layout.first_row + count
    assert all(sheet.cell(after, c).value is None for c in range(1, len(layout.columns) + 1))
    # the workbook's defined names (the VN sheet's drop-down lists) survive
    assert set(out.defined_names) == set(ref.defined_names)
    assert [str(v.sqref) for v in sheet.data_validations.dataValidation] == \
        [str(v.sqref) for v in ref_sheet.data_validations.dataValidation]
    if layout.table:
        table = sheet.tables[layout.table]
        last = max(layout.first_row + count - 1, 653)
        assert table.ref == f"A2:L{last}"
        assert table.autoFilter.ref == table.ref
        assert [c.name for c in table.tableColumns] == \
            [c.name for c in ref_sheet.tables[layout.table].tableColumns]


def test_leading_zeros_and_formula_text_stay_text(books: Mapping[str, Workbook]) -> None:
    rows = [_vn_row(i, books) for i in range(4)]
    data = render(books[VIETNAM], rows)
    sheet = _open(data)[books[VIETNAM].layout.sheet]
    assert sheet["H5"].value == "000000000000"
    assert [sheet[f"M{r}"].value for r in range(5, 9)] == [
        "=HYPERLINK(\"http://x\")", "+84 1", "-5", "@SUM(A1)"]
    # no formula element, no apostrophe: the raw XML holds shared strings only
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
        strings = z.read("xl/sharedStrings.xml").decode()
    assert "<f>" not in xml and "<f " not in xml
    assert "'=HYPERLINK" not in strings
    assert '<t>=HYPERLINK("http://x")</t>' in strings


def test_vietnamese_workbook_changes_two_parts(books: Mapping[str, Workbook]) -> None:
    book = books[VIETNAM]
    data = render(book, [_vn_row(i, books) for i in range(3)])
    with zipfile.ZipFile(book.layout.template) as a, zipfile.ZipFile(io.BytesIO(data)) as b:
        assert a.namelist() == b.namelist()
        changed = {n for n in a.namelist() if a.read(n) != b.read(n)}
    assert changed == {"xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"}


def test_every_other_part_is_byte_identical(books: Mapping[str, Workbook]) -> None:
    """What openpyxl would drop (measured below) is kept: only the sheet, the shared strings
    and the table change."""
    book = books[FOREIGN]
    data = render(book, [_kbtt_row(i) for i in range(700)])
    with zipfile.ZipFile(book.layout.template) as a, zipfile.ZipFile(io.BytesIO(data)) as b:
        assert a.namelist() == b.namelist()
        changed = {n for n in a.namelist() if a.read(n) != b.read(n)}
        assert changed == {"xl/worksheets/sheet2.xml", "xl/sharedStrings.xml",
                           "xl/tables/table1.xml"}
        old = a.read("xl/worksheets/sheet2.xml").decode()
        new = b.read("xl/worksheets/sheet2.xml").decode()
    assert old.startswith('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>')
    assert new.startswith('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>')

    def ext(xml: str) -> bytes:
        root = etree.fromstring(xml.encode())
        found = root.find(f"{{{MAIN}}}extLst")
        assert found is not None
        canonical: bytes = etree.tostring(found, method="c14n")
        return canonical

    # the four x14 validations (nationality, sex, precision), the same XML in canonical form
    assert ext(old) == ext(new) and ext(new).count(b"<x14:dataValidation ") == 4
    for kept in ("<dataConsolidate/>", "<phoneticPr", 'mc:Ignorable="x14ac xr xr2 xr3"'):
        assert kept in new


def test_what_openpyxl_alone_would_lose(books: Mapping[str, Workbook]) -> None:
    """Why the writer patches the template instead of saving with openpyxl: a plain
    load/save round trip drops KBTT's extension validations and its custom XML part."""
    template = books[FOREIGN].layout.template
    buf = io.BytesIO()
    openpyxl.load_workbook(template).save(buf)
    with zipfile.ZipFile(buf) as z:
        names = set(z.namelist())
        sheet = z.read("xl/worksheets/sheet2.xml").decode()
    assert "customXml/item1.xml" not in names
    assert "x14:dataValidation" not in sheet


def test_clean_text_bounds() -> None:
    assert clean_text("A\x00B\x1fC\tD") == "ABC\tD"
    with pytest.raises(OutputError):
        clean_text("x" * 40000)


def test_bench_writes_200_guests() -> None:
    """bench/lodging.py runs and its figures add up (no timing threshold: machines differ)."""
    import json
    import subprocess
    import sys

    from tests.conftest import REPO

    proc = subprocess.run([sys.executable, str(REPO / "bench" / "lodging.py"), "--json"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["guests"] == 200 and sum(doc["rows"].values()) == 200
    assert doc["total_ms"] == pytest.approx(doc["rows_ms"] + doc["write_ms"], abs=0.2)
    assert doc["cold_total_ms"] >= doc["total_ms"] > 0
