"""The pymrtd side of ``bench/peer.py``: run by the interpreter of pymrtd's own virtual
environment (pymrtd pins ``cryptography==42.0.4``), never imported by the project.

Reads a JSON job on standard input: ``{"iterations": N, "samples": [{"name", "files":
{name: path}, "csca": path}]}``; prints ``{name: {"ms": median, "steps": [...]} | {"error":
"..."}}``. Timed per document, as ``bench/peer.py`` times ours: EF.SOD parse, the signature
over the signed attributes with the DSC the SOD carries, the DSC's signature under its CSCA
(pymrtd's ``Certificate.verify``), and every data group's hash. The CSCA is loaded once,
outside the timing (trust loading is excluded on both sides).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any


def _document(pymrtd_ef: Any, raw_sod: bytes, dgs: list[bytes], csca: Any) -> list[str]:
    steps = []
    sod = pymrtd_ef.SOD.load(raw_sod)
    steps.append("sod_parse")
    signer = sod.signers[0]
    dsc = sod.getDscCertificate(signer)
    sod.verify(signer, dsc)
    steps.append("signed_attributes_signature")
    if csca is not None:
        dsc.verify(csca)
        steps.append("dsc_signature")
    for data in dgs:
        group = pymrtd_ef.DataGroup.load(data)
        if not sod.ldsSecurityObject.contains(group):
            raise ValueError(f"DG hash mismatch for {group.number}")
    steps.append("dg_hashes")
    return steps


def main() -> int:
    job = json.load(sys.stdin)
    try:
        from pymrtd import ef  # type: ignore[import-not-found]
        from pymrtd.pki import x509  # type: ignore[import-not-found]
    except ImportError as exc:
        print(json.dumps({"_error": f"pymrtd is not importable: {exc}"}))
        return 0
    out: dict[str, Any] = {}
    for sample in job["samples"]:
        files = {name: Path(path).read_bytes() for name, path in sample["files"].items()}
        raw_sod = files["EF.SOD"]
        dgs = [data for name, data in sorted(files.items()) if name.startswith("DG")]
        try:
            csca = x509.CscaCertificate.load(Path(sample["csca"]).read_bytes())
        except Exception as exc:  # a CSCA pymrtd refuses: DSC signature not timed
            csca = None
            note = f"CSCA refused by pymrtd ({type(exc).__name__}); DSC signature not timed"
        else:
            note = ""
        try:
            steps = _document(ef, raw_sod, dgs, csca)
            times = []
            for _ in range(job["iterations"]):
                start = time.perf_counter()
                _document(ef, raw_sod, dgs, csca)
                times.append(time.perf_counter() - start)
        except Exception as exc:
            out[sample["name"]] = {"error": f"{type(exc).__name__}: {exc}"[:200]}
            continue
        out[sample["name"]] = {"ms": statistics.median(times) * 1000, "steps": steps,
                               "note": note}
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
