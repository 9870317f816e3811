"""Refresh the Vietnamese catalogue after UI strings change, then compile it.

Run from anywhere: ``.venv/bin/python apps/desktop/update_translations.py``. lupdate keeps
existing translations and marks new strings unfinished; translate those in the .ts (Qt
Linguist: ``pyside6-linguist``) and run this again so the committed .qm matches the .ts.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PACKAGE = HERE / "cccd_desktop"
TS = PACKAGE / "translations" / "cccd_desktop_vi.ts"
#: Qt's own strings in Vietnamese (Qt ships no qtbase_vi): hand-kept, only compiled here.
QT_TS = PACKAGE / "translations" / "qtbase_vi.ts"


def _tool(name: str) -> str:
    local = Path(sys.executable).with_name(name)
    found = str(local) if local.exists() else shutil.which(name)
    if not found:
        raise SystemExit(f"{name} not found (install PySide6)")
    return found


def main() -> int:
    sources = sorted(str(p) for p in PACKAGE.glob("*.py"))
    subprocess.run([_tool("pyside6-lupdate"), *sources, "-no-obsolete", "-locations",
                    "relative", "-target-language", "vi_VN", "-ts", str(TS)], check=True)
    for ts in (TS, QT_TS):
        subprocess.run([_tool("pyside6-lrelease"), str(ts), "-qm", str(ts.with_suffix(".qm"))],
                       check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
