"""Exports: the only way card data reaches the disk, and only after staff choose a file.

The save dialog is a plain callable so tests (and kiosk deployments with a fixed folder) can
replace it; nothing in here writes anywhere without a path that came from that callable.
"""

from __future__ import annotations

import csv
import datetime
import html
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from PySide6.QtCore import QCoreApplication, QMarginsF, QSizeF, QUrl
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPdfWriter, QTextDocument
from PySide6.QtWidgets import QFileDialog, QWidget

from cccd_desktop import labels
from cccd_desktop.labels import QT_TRANSLATE_NOOP
from cccd_desktop.resultview import record_fields
from cccd_reader.errors import CccdError, OutputError
from cccd_reader.private_files import write_private

#: (parent, caption, suggested file name, filter) -> chosen path, or "" when cancelled.
SaveDialog = Callable[[QWidget | None, str, str, str], str]


def qt_save_dialog(parent: QWidget | None, caption: str, suggested: str, filters: str) -> str:
    # Qt's own dialog, not the platform's: Qt ships no Vietnamese catalogue, so its labels
    # come from our catalogue (translations/qtbase_vi.ts) in Vietnamese mode
    path, _ = QFileDialog.getSaveFileName(parent, caption, suggested, filters,
                                          options=QFileDialog.Option.DontUseNativeDialog)
    return str(path)


class ExportError(CccdError):
    """An export could not be written (a symlink in the way)."""

    code: ClassVar[str] = "export"


def _write_private(path: str | Path, data: bytes) -> Path:
    """Write a file readable by its owner only (0600), never through a symlink; the save
    dialog has already asked before replacing one."""
    try:
        return write_private(path, data, force=True)
    except OutputError as exc:
        raise ExportError(str(exc), params=exc.params) from None


def restrict(path: Path) -> None:
    """0600 for files written by Qt (PDF) too: card data is for the owner's eyes only."""
    if path.exists() and not path.is_symlink():
        path.chmod(0o600)


def write_json(record: Any, path: str | Path, *, without_access_data: bool = False) -> Path:
    """The record as JSON, 0600. ``without_access_data`` leaves out the MRZ and the numbers
    (:mod:`cccd_reader.redact`): what could open the chip again or find the person by number."""
    from cccd_reader.redact import without_access_data as redact

    doc = record.to_json()
    if without_access_data:
        doc = redact(doc)
    text = json.dumps(doc, ensure_ascii=False, indent=2)
    return _write_private(path, (text + "\n").encode("utf-8"))


#: "Copy all" and the spreadsheet exports: the order of the hospital and hotel registration
#: forms (name, birth, sex, ID number, then nationality and addresses). A field the document
#: lacks stays an empty cell, so columns line up when pasted row after row.
COPY_ALL_ORDER: tuple[str, ...] = (
    "full_name", "date_of_birth", "sex", "personal_number", "document_number",
    "old_id_number", "nationality", "ethnicity", "religion", "place_of_origin",
    "place_of_residence", "date_of_issue", "date_of_expiry",
)


def shown_values(record: Any) -> dict[str, str]:
    """Every field as the screen shows it (dates dd/mm/yyyy, codes in words)."""
    return {k: labels.lifetime_text() if v == labels.LIFETIME else v
            for k, v in record_fields(record)}


def copy_all_text(record: Any) -> str:
    values = shown_values(record)
    return "\t".join(values.get(k, "").replace("\t", " ") for k in COPY_ALL_ORDER)


def _table(record: Any) -> tuple[list[str], list[str]]:
    kind = labels.document_kind(record)
    values = shown_values(record)
    keys = ["document_kind", *COPY_ALL_ORDER]
    return [labels.field_label(k, kind) for k in keys], [values.get(k, "") for k in keys]


def _csv_bytes(header: list[str], row: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerow([_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: Excel then reads UTF-8


def _cell(value: str) -> str:
    """No formula injection: a value starting like a formula is kept as text."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def write_csv(record: Any, path: str | Path) -> Path:
    header, row = _table(record)
    return _write_private(path, _csv_bytes(header, row))


def _xlsx_bytes(header: list[str], row: list[str], title: str) -> bytes:
    try:
        from openpyxl import Workbook
    except ImportError as exc:
        raise ExportError("Excel export needs openpyxl (pip install 'cccd-reader[desktop]')") \
            from exc
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append(header)
    cells = [_cell(v) for v in row]
    sheet.append(cells)
    for column, value in enumerate(cells, start=1):  # keep numbers with leading zeros
        sheet.cell(row=2, column=column).number_format = "@"
        sheet.cell(row=2, column=column).value = value
    for i, text in enumerate(header, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=i).column_letter].width = max(
            12, min(45, len(text) + 4))
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def write_xlsx(record: Any, path: str | Path) -> Path:
    header, row = _table(record)
    return _write_private(path, _xlsx_bytes(header, row, "cccd"))


_HEADING = QT_TRANSLATE_NOOP("Export", "Chip read report")
_PRINTED = QT_TRANSLATE_NOOP("Export", "Printed %1 by cccd-desktop")
_CHECKS = QT_TRANSLATE_NOOP("Export", "Checks")


def _tr(text: str) -> str:
    return QCoreApplication.translate("Export", text)



def _status_text(check: Any) -> str:
    """A check's status; a check that does not count and was not run is a note."""
    return labels.note_label() if labels.is_note(check) else labels.status_label(check.status)

def report_html(
    record: Any, *, with_photo: bool, demo_note: str = "", font_pt: float = 10
) -> str:
    """One page: verdict, photo, fields, checks. Kept compact so it never spills to page 2."""
    ver = record.verification
    verdict = ver.verdict if ver is not None else "unverified"
    title, _ = labels.verdict_texts(verdict)
    colour = labels.VERDICT_COLOURS.get(verdict, "#444")
    kind = labels.document_kind(record)
    rows = "".join(
        f"<tr><td style='color:#555;padding-right:12px'>"
        f"{html.escape(labels.field_label(k, kind))}"
        f"</td><td><b>{html.escape(labels.lifetime_text() if v == labels.LIFETIME else v)}"
        "</b></td></tr>"
        for k, v in record_fields(record)
    )
    checks = "".join(
        f"<tr><td>{html.escape(labels.check_label(c.name))}</td>"
        f"<td style='color:{labels.STATUS_COLOURS.get(c.status, '#000')}'>"
        f"{html.escape(_status_text(c))}</td>"
        f"<td style='color:#555'>{html.escape(labels.reason_for(c))}"
        "</td></tr>"
        for c in (ver.checks if ver is not None else [])
    )
    photo = "<img src='photo:portrait' width='150'>" if with_photo else ""
    now = datetime.datetime.now().strftime("%d/%m/%Y %H:%M")
    heading = html.escape(_tr(_HEADING))
    printed = html.escape(_tr(_PRINTED).replace("%1", now))
    checks_title = html.escape(_tr(_CHECKS))
    note = f"<p style='color:#8a5a00'>{html.escape(demo_note)}</p>" if demo_note else ""
    symbol = labels.VERDICT_SYMBOLS.get(verdict, "")
    return (
        f"<html><body style='font-family:sans-serif;font-size:{font_pt}pt'>"
        f"<h2>{heading}</h2>{note}"
        f"<p style='background:{colour};color:white;font-size:16pt;padding:6px'>"
        f"<b>{symbol} {html.escape(title)}</b></p>"
        f"<table><tr><td valign='top'>{photo}</td><td valign='top'>"
        f"<table cellspacing='3'>{rows}</table></td></tr></table>"
        f"<h3>{checks_title}</h3><table cellspacing='2'>{checks}</table>"
        f"<p style='color:#777;font-size:8pt'>{printed}</p></body></html>"
    )


def print_record(record: Any, printer: Any, image: QImage | None, demo_note: str = "") -> None:
    """The same one-page report as the PDF, on a printer staff chose."""
    doc = QTextDocument()
    if image is not None:
        doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl("photo:portrait"), image)
    doc.setHtml(report_html(record, with_photo=image is not None, demo_note=demo_note))
    doc.print_(printer)


def write_pdf(record: Any, path: str | Path, image: QImage | None, demo_note: str = "") -> Path:
    target = Path(path)
    if target.is_symlink():
        raise ExportError(f"{target.name} is a symbolic link: not written")
    _write_private(target, b"")  # created 0600; QPdfWriter truncates it and keeps the mode
    writer = QPdfWriter(str(target))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter)
    # At 96 dpi QTextDocument's point sizes and pixel widths mean what they mean on screen;
    # the portrait is still embedded at its native resolution.
    writer.setResolution(96)
    writer.setTitle(_tr(_HEADING))
    doc = QTextDocument()
    if image is not None:
        doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl("photo:portrait"), image)
    rect = writer.pageLayout().paintRectPixels(writer.resolution())
    doc.setPageSize(QSizeF(rect.width(), rect.height()))
    # Shrink until it fits one page: a long address must not push the checks onto page 2.
    for size in (10.0, 9.0, 8.0, 7.0, 6.0):
        doc.setHtml(report_html(record, with_photo=image is not None, demo_note=demo_note,
                                font_pt=size))
        if doc.pageCount() <= 1:
            break
    doc.print_(writer)
    return target
