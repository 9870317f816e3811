"""Lodging workbooks: 200 guests from reads to the portal's two files, timed.

``python bench/lodging.py [--guests N] [--json]``. The guests are the synthetic samples'
records (two Vietnamese cards, a 2024 card, a passport) repeated; each is turned into a row
(address matching included) and both workbooks are written to a temporary directory. Figures:

* ``load_ms``: first use in a process: reading the code lists from the two templates and
  importing the address tables (paid once per process; the app and ``cccd lodging`` pay it);
* ``rows_ms``: the N reads → rows (address matching, codes);
* ``write_ms``: rendering and writing both workbooks (0600);
* ``total_ms``: rows + write, the clerk's "export" for N guests once the lists are loaded;
* ``cold_total_ms``: the same including ``load_ms``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
import tempfile
import time
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

SAMPLES = ("vn-cccd-2021-nguyen-thi-ngoc-anh", "vn-cancuoc-2024-dang-huu-phuoc",
           "vn-cccd-2021-le-thi-thu-huong-lifetime", "passport-utopia-td3")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guests", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore", message="Data Validation extension")

    from cccd_reader import dump as dumpmod
    from cccd_reader.lodging import Stay, export, guest_row, load
    from cccd_reader.lodging.address import match_address
    from cccd_reader.record import CardRecord

    records = [CardRecord.from_files(dumpmod.load(REPO / "samples" / n).files,
                                     decode_photo=False) for n in SAMPLES]
    t0 = time.perf_counter()
    books = load()
    vn = books["vietnam"]
    match_address("Phường Sài Gòn, TP. Hồ Chí Minh", vn.list("province"), vn.list("ward"))
    t1 = time.perf_counter()
    stay = Stay(arrival=datetime.date(2026, 12, 1), departure=datetime.date(2026, 12, 3),
                room="0205", reason="1")
    guests = [guest_row(records[i % len(records)], stay, books)
              for i in range(args.guests)]
    t2 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        result = export(guests, tmp, books=books)
        t3 = time.perf_counter()
        sizes = {f.workbook: Path(f.path).stat().st_size for f in result.files}
    doc = {
        "guests": args.guests,
        "rows": {f.workbook: f.rows for f in result.files},
        "flags": len(result.flags),
        "bytes": sizes,
        "load_ms": round((t1 - t0) * 1000, 1),
        "rows_ms": round((t2 - t1) * 1000, 1),
        "write_ms": round((t3 - t2) * 1000, 1),
        "total_ms": round((t3 - t1) * 1000, 1),
        "cold_total_ms": round((t3 - t0) * 1000, 1),
    }
    if args.json:
        print(json.dumps(doc))
    else:
        for key, value in doc.items():
            print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
