"""Passive authentication beside the Python peer, pymrtd (issue 32), for every sample in one
run.

Columns, in milliseconds per document (median of each round's median, rounds interleaved
with the peer's so both see the same machine load):

* ``ours l4l``: like for like, the steps pymrtd does and nothing more: EF.SOD parse, the
  signature over the signed attributes with the DSC the SOD carries, the DSC's signature under
  its CSCA, every data group's hash. Trust loading is excluded on both sides. What is kept
  per Document Signer (its parsed form, its key, its CSCA's signature over it: facts of its
  bytes alone) is warm, as for every card after the first of a DSC; nothing of the document
  itself is kept.
* ``ours 1st``: the same, every cache emptied before each document (the first card of a DSC).
* ``full``: ``cccd verify`` in process (``CardRecord.build`` without the photo decode: every
  check, validity, country, CRL, the record's data groups).
* ``asn1 ref``: the same steps written directly on asn1crypto (lazily) and ``cryptography``,
  as a Python peer built on them does: a floor for such a peer, not pymrtd.
* ``pymrtd``: pymrtd 0.6.5 in its own virtual environment (``--pymrtd PYTHON``, or
  ``$PYMRTD_PYTHON``; it pins ``cryptography==42.0.4``), run by ``bench/peer_pymrtd.py``;
  ``ratio`` = pymrtd / ours l4l (goal >= 2).

    python bench/peer.py [--quick] [--json] [--pymrtd PATH/TO/python]
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from asn1crypto import cms  # noqa: E402
from asn1crypto import x509 as asn1_x509  # noqa: E402
from cryptography.hazmat.primitives import serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa  # noqa: E402

from cccd_reader import dump as dumpmod  # noqa: E402
from cccd_reader import oids, signer_cache  # noqa: E402
from cccd_reader.iso7816 import tlv  # noqa: E402
from cccd_reader.lds import sod as sodmod  # noqa: E402
from cccd_reader.pki.signatures import verify_signature  # noqa: E402
from cccd_reader.pki.trust import Cert, TrustStore, check_issued_by  # noqa: E402
from cccd_reader.pki.trust import certs as trust_certs  # noqa: E402
from cccd_reader.record import CardRecord  # noqa: E402

SAMPLES = ROOT / "samples"
PKI = SAMPLES / "pki"
PEER_SCRIPT = Path(__file__).resolve().parent / "peer_pymrtd.py"


def _dgs(files: dict[str, bytes]) -> list[tuple[int, bytes]]:
    return [(int(name[2:]), data) for name, data in sorted(files.items())
            if name.startswith("DG")]


def ours_like_for_like(files: dict[str, bytes], csca: Cert) -> None:
    """pymrtd's steps with the library's own functions; raises if anything does not verify."""
    sod = sodmod.parse_sod(files["EF.SOD"])
    signer = sod.signer
    expected = hashlib.new(signer.digest_algorithm, sod.econtent).digest()
    if signer.message_digest is None or not hmac.compare_digest(signer.message_digest,
                                                                expected):
        raise ValueError("messageDigest")
    dsc = next(c for c in (Cert.load(der) for der in sod.certificates)
               if (c.ski == signer.subject_key_identifier if signer.sid_kind == "ski"
                   else c.serial == signer.serial_number))
    kept = signer_cache.signer_key(dsc.spki_der)
    verify_signature(kept[0] if kept else dsc.spki_der, signer.signature_algorithm_der,
                     signer.signed_bytes, signer.signature,
                     digest_algorithm=signer.digest_algorithm,
                     key_description=kept[1] if kept else None)
    problems = check_issued_by(dsc, csca)
    if problems:
        raise ValueError("; ".join(problems))
    for number, data in _dgs(files):
        if hashlib.new(sod.hash_algorithm, data).digest() != sod.dg_hashes[number]:
            raise ValueError(f"DG{number}")


def forget_everything() -> None:
    """Every cache the verification keeps between documents (a first document of a DSC)."""
    trust_certs._memo.clear()  # the benchmark measures the cold path on purpose
    sodmod._check_name_preparation.cache_clear()
    signer_cache.clear()


def _asn1_verify(spki: bytes, algorithm: Any, signature: bytes, data: bytes) -> None:
    key = serialization.load_der_public_key(spki)
    digest = oids.HASH_ALGORITHMS[algorithm.hash_algo]()
    if isinstance(key, ec.EllipticCurvePublicKey):
        key.verify(signature, data, ec.ECDSA(digest))
    elif isinstance(key, rsa.RSAPublicKey):
        key.verify(signature, data, padding.PKCS1v15(), digest)
    else:
        raise ValueError(f"no {type(key).__name__} in an ICAO PKI")


def asn1_reference(files: dict[str, bytes], csca_der: bytes) -> None:
    """The same steps on asn1crypto, parsed lazily as a library built on it does."""
    signed = cms.ContentInfo.load(tlv.decode(files["EF.SOD"]).value)["content"]
    signer = signed["signer_infos"][0]
    encap = signed["encap_content_info"]["content"]
    attrs = signer["signed_attrs"]
    digest = next(a["values"][0].native for a in attrs if a["type"].native == "message_digest")
    algorithm = signer["digest_algorithm"]["algorithm"].native
    if digest != hashlib.new(algorithm, encap.contents).digest():
        raise ValueError("messageDigest")
    dsc = signed["certificates"][0].chosen
    _asn1_verify(dsc.public_key.dump(), signer["signature_algorithm"],
                 signer["signature"].native, b"\x31" + attrs.dump()[1:])
    csca = asn1_x509.Certificate.load(csca_der)
    _asn1_verify(csca.public_key.dump(), dsc["signature_algorithm"],
                 dsc["signature_value"].native, dsc["tbs_certificate"].dump())
    lso = encap.parsed
    hash_name = lso["hash_algorithm"]["algorithm"].native
    hashes = {e["data_group_number"].native: e["data_group_hash_value"].native
              for e in lso["data_group_hash_values"]}
    for number, data in _dgs(files):
        if hashlib.new(hash_name, data).digest() != hashes[number]:
            raise ValueError(f"DG{number}")


def _median_ms(fn: Callable[[], object], iterations: int) -> float:
    times = []
    for _ in range(iterations):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def _columns(files: dict[str, bytes], csca: Cert, csca_der: bytes, trust: TrustStore
             ) -> dict[str, Callable[[], object]]:
    def ours() -> None:
        ours_like_for_like(files, csca)

    def ours_first() -> None:
        forget_everything()
        ours_like_for_like(files, csca)

    def full() -> None:
        CardRecord.build(files, trust=trust, decode_photo=False)

    def reference() -> None:
        asn1_reference(files, csca_der)

    return {"ours": ours, "ours_first": ours_first, "full": full, "asn1_ref": reference}


def _samples() -> list[Path]:
    return sorted(p.parent for p in SAMPLES.glob(f"*/{dumpmod.CARD_JSON}"))


def _csca_for(files: dict[str, bytes]) -> Path:
    sod = sodmod.parse_sod(files["EF.SOD"])
    dsc = Cert.load(sod.certificates[0])
    for path in sorted(PKI.glob("csca-*.der")):
        if not check_issued_by(dsc, Cert.load(path.read_bytes())):
            return path
    raise SystemExit(f"no CSCA of samples/pki issued {dsc.describe()}")


def _peer(python: str | None, jobs: list[dict[str, Any]], iterations: int) -> dict[str, Any]:
    if not python:
        return {"_error": "pymrtd not given (--pymrtd PYTHON or $PYMRTD_PYTHON)"}
    try:
        proc = subprocess.run([python, str(PEER_SCRIPT)], capture_output=True, text=True,
                              input=json.dumps({"iterations": iterations, "samples": jobs}),
                              timeout=600, check=False)
    except OSError as exc:
        return {"_error": f"cannot run {python}: {exc.strerror}"}
    if proc.returncode != 0:
        return {"_error": (proc.stderr.strip().splitlines() or ["failed"])[-1][:200]}
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def run(quick: bool, python: str | None) -> dict[str, Any]:
    iterations, rounds = (20, 1) if quick else (200, 5)
    trust = TrustStore()
    for path in sorted(PKI.glob("csca-*.der")) + sorted(PKI.glob("csca-*.crl")):
        trust.add_path(path)
    cases = []
    for directory in _samples():
        files = dict(dumpmod.load(directory).files)
        csca_path = _csca_for(files)
        cases.append((directory.name, files, csca_path, Cert.load(csca_path.read_bytes())))
    jobs = [{"name": name,
             "files": {n: str(SAMPLES / name / n) for n in files},
             "csca": str(csca)} for name, files, csca, _ in cases]
    per: dict[str, dict[str, list[float]]] = {name: {} for name, *_ in cases}
    peer_notes: dict[str, str] = {}
    for _ in range(rounds):
        peer = _peer(python, jobs, iterations)
        for name, files, csca_path, csca in cases:
            row = per[name]
            got = peer.get(name) or {"error": peer.get("_error", "no result")}
            if "ms" in got:
                row.setdefault("pymrtd", []).append(got["ms"])
                peer_notes[name] = got.get("note", "")
            else:
                peer_notes[name] = got["error"]
            csca_der = csca_path.read_bytes()
            for column, fn in _columns(files, csca, csca_der, trust).items():
                fn()  # once first: what is kept per DSC is warm, as after a first card
                row.setdefault(column, []).append(_median_ms(fn, iterations))
    out: dict[str, Any] = {}
    for name, row in per.items():
        result: dict[str, Any] = {k: round(statistics.median(v), 3) for k, v in row.items()}
        if "pymrtd" in result:
            result["ratio"] = round(result["pymrtd"] / result["ours"], 2)
        else:
            result["pymrtd_error"] = peer_notes.get(name, "")
        if peer_notes.get(name) and "pymrtd" in result:
            result["pymrtd_note"] = peer_notes[name]
        result["ratio_asn1_ref"] = round(result["asn1_ref"] / result["ours"], 2)
        out[name] = result
    out["_machine"] = {"cpus": os.cpu_count(), "python": sys.version.split()[0],
                       "iterations": iterations, "rounds": rounds}
    return out


def print_table(out: dict[str, Any]) -> None:
    head = (f"{'sample (ms per document)':42}{'ours l4l':>9}{'ours 1st':>9}{'full':>8}"
            f"{'asn1 ref':>9}{'pymrtd':>8}{'ratio':>7}")
    print(head)
    errors = []
    for name, row in out.items():
        if name.startswith("_"):
            continue
        peer = f"{row['pymrtd']:>8.3f}{row['ratio']:>6.2f}x" if "pymrtd" in row else (
            f"{'n/a':>8}{'':>7}")
        print(f"{name:42}{row['ours']:>9.3f}{row['ours_first']:>9.3f}{row['full']:>8.3f}"
              f"{row['asn1_ref']:>9.3f}{peer}")
        if "pymrtd_error" in row:
            errors.append(row["pymrtd_error"])
    for error in dict.fromkeys(errors):
        print(f"pymrtd: {error}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--pymrtd", metavar="PYTHON", default=os.environ.get("PYMRTD_PYTHON"),
                        help="the python of a virtual environment with pymrtd 0.6.5")
    args = parser.parse_args()
    out = run(args.quick, args.pymrtd)
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        print_table(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
