"""Exports: the only way card data reaches the disk, and only after staff choose a file.

The save dialog is a plain callable so tests (and kiosk deployments with a fixed folder) can
replace it; nothing in here writes anywhere without a path that came from that callable.
"""

from __future__ import annotations

import datetime
import html
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QMarginsF, QSizeF, QUrl
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPdfWriter, QTextDocument
from PySide6.QtWidgets import QFileDialog, QWidget

from cccd_desktop import labels
from cccd_desktop.labels import QT_TRANSLATE_NOOP
from cccd_desktop.resultview import record_fields

#: (parent, caption, suggested file name, filter) -> chosen path, or "" when cancelled.
SaveDialog = Callable[[QWidget | None, str, str, str], str]


def qt_save_dialog(parent: QWidget | None, caption: str, suggested: str, filters: str) -> str:
    path, _ = QFileDialog.getSaveFileName(parent, caption, suggested, filters)
    return str(path)


def _private_file(target: Path) -> int:
    """Create (or truncate) ``target`` with mode 0600, never through a symlink, and return its
    descriptor: an export is personal data."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(target, flags, 0o600)
    os.fchmod(fd, 0o600)
    return fd


def write_json(record: Any, path: str | Path, *, without_access_data: bool = False) -> Path:
    """The record as JSON, 0600. ``without_access_data`` leaves out the MRZ and the numbers
    (:mod:`cccd_reader.redact`): what could open the chip again or find the person by number."""
    from cccd_reader.redact import without_access_data as redact

    target = Path(path)
    doc = record.to_json()
    if without_access_data:
        doc = redact(doc)
    text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    with os.fdopen(_private_file(target), "w", encoding="utf-8") as fh:
        fh.write(text)
    return target


_HEADING = QT_TRANSLATE_NOOP("Export", "Chip read report")
_PRINTED = QT_TRANSLATE_NOOP("Export", "Printed %1 by cccd-desktop")
_CHECKS = QT_TRANSLATE_NOOP("Export", "Checks")


def _tr(text: str) -> str:
    return QCoreApplication.translate("Export", text)


def report_html(
    record: Any, *, with_photo: bool, demo_note: str = "", font_pt: float = 10
) -> str:
    """One page: verdict, photo, fields, checks. Kept compact so it never spills to page 2."""
    ver = record.verification
    verdict = ver.verdict if ver is not None else "unverified"
    title, _ = labels.verdict_texts(verdict)
    colour = labels.VERDICT_COLOURS.get(verdict, "#444")
    rows = "".join(
        f"<tr><td style='color:#555;padding-right:12px'>{html.escape(labels.field_label(k))}"
        f"</td><td><b>{html.escape(labels.lifetime_text() if v == labels.LIFETIME else v)}"
        "</b></td></tr>"
        for k, v in record_fields(record)
    )
    checks = "".join(
        f"<tr><td>{html.escape(labels.check_label(c.name))}</td>"
        f"<td style='color:{labels.STATUS_COLOURS.get(c.status, '#000')}'>"
        f"{html.escape(labels.status_label(c.status))}</td></tr>"
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


def write_pdf(record: Any, path: str | Path, image: QImage | None, demo_note: str = "") -> Path:
    target = Path(path)
    os.close(_private_file(target))  # QPdfWriter truncates it and keeps the mode
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
