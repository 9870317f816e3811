"""This session's reads, in memory only (off by default; Settings turns it on).

A counter serving a queue sometimes needs the customer before last again. The history holds
what the screen showed (fields and verdict, never the photo or the key), lives in the window's
memory, is emptied when the setting is turned off and when the window closes, and is never
written anywhere.
"""

from __future__ import annotations

import datetime
import html
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from cccd_desktop import labels
from cccd_desktop.resultview import record_fields

#: Enough for a morning's queue; the oldest go first.
MAX_ENTRIES = 50


@dataclass(frozen=True)
class Entry:
    when: datetime.datetime
    kind: str
    verdict: str
    fields: tuple[tuple[str, str], ...]

    def value(self, key: str) -> str:
        return next((v for k, v in self.fields if k == key), "")


class History:
    def __init__(self) -> None:
        self._entries: list[Entry] = []
        self.enabled = False

    def __len__(self) -> int:
        return len(self._entries)

    def entries(self) -> list[Entry]:
        return list(self._entries)

    def add(self, record: object, kind: str, *, enabled: bool | None = None) -> None:
        on = self.enabled if enabled is None else enabled
        if not on:
            return
        ver = getattr(record, "verification", None)
        self._entries.append(Entry(
            when=datetime.datetime.now(), kind=kind,
            verdict=ver.verdict if ver is not None else "unverified",
            fields=tuple(record_fields(record))))
        del self._entries[:-MAX_ENTRIES]

    def clear(self) -> None:
        self._entries.clear()


class HistoryDialog(QDialog):
    def __init__(self, history: History, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("This session's reads"))
        self.resize(820, 520)
        self._entries = history.entries()[::-1]  # newest first
        self.list = QListWidget()
        for e in self._entries:
            symbol = labels.VERDICT_SYMBOLS.get(e.verdict, "")
            self.list.addItem(f"{e.when:%H:%M}  {symbol}  {e.value('full_name')}")  # plain text
        self.detail = QTextBrowser()
        self.list.currentRowChanged.connect(self._show)
        note = QLabel(self.tr("Kept in memory only; cleared when the program closes."))
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        if close is not None:
            close.setText(self.tr("Close"))
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.list, 1)
        row.addWidget(self.detail, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(row, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)
        if self._entries:
            self.list.setCurrentRow(0)

    def _show(self, row: int) -> None:
        if not 0 <= row < len(self._entries):
            self.detail.clear()
            return
        e = self._entries[row]
        title, _ = labels.verdict_texts(e.verdict)
        lines = [f"<p><b>{labels.VERDICT_SYMBOLS.get(e.verdict, '')} {html.escape(title)}</b> — "
                 f"{e.when:%d/%m/%Y %H:%M}</p><table>"]
        for key, value in e.fields:
            shown = labels.lifetime_text() if value == labels.LIFETIME else value
            lines.append(f"<tr><td style='color:#555;padding-right:10px'>"
                         f"{html.escape(labels.field_label(key, e.kind))}</td>"
                         f"<td>{html.escape(shown)}</td></tr>")
        lines.append("</table>")
        self.detail.setHtml("".join(lines))
