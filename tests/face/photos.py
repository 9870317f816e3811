"""The credited test photographs (photos/CREDITS.md) and the degraded copies tests derive.

A chip portrait is small (240x320 on Vietnamese cards), often grey, often JPEG 2000, and
compressed hard; the degradations below make such a portrait from a good photograph, in
memory. Nothing here depends on a score: the helpers only make images.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from cccd_reader.dump import CardDump

PHOTOS = Path(__file__).resolve().parent / "photos"
#: Photo name -> who it shows (the CREDITS table): the same letter is the same person.
PEOPLE: dict[str, str] = {
    "person_a_1": "A", "person_a_2": "A",
    "person_b_1": "B", "person_b_2": "B",
    "impostor_1": "C", "impostor_2": "D",
}
SAME_PAIRS = [(x, y) for x in PEOPLE for y in PEOPLE if x != y and PEOPLE[x] == PEOPLE[y]]
DIFFERENT_PAIRS = [(x, y) for x in PEOPLE for y in PEOPLE if PEOPLE[x] != PEOPLE[y]]


def photo(name: str) -> bytes:
    return (PHOTOS / f"{name}.jpg").read_bytes()


def pixels(name: str) -> Any:
    image = cv2.imdecode(np.frombuffer(photo(name), np.uint8), cv2.IMREAD_COLOR)
    assert image is not None
    return image


def _encode(ext: str, image: Any, params: list[int] | None = None) -> bytes:
    ok, buf = cv2.imencode(ext, image, params or [])
    assert ok, ext
    return bytes(buf.tobytes())


def portrait_240x320(image: Any) -> Any:
    """Scaled to cover 240x320 and centre-cropped, as a card portrait is framed."""
    height, width = image.shape[:2]
    scale = max(240 / width, 320 / height)
    scaled = cv2.resize(image, (round(width * scale), round(height * scale)),
                        interpolation=cv2.INTER_AREA)
    top = (scaled.shape[0] - 320) // 2
    left = (scaled.shape[1] - 240) // 2
    return np.ascontiguousarray(scaled[top:top + 320, left:left + 240])


def grey(image: Any) -> Any:
    return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)


def _variant_grey(name: str) -> bytes:
    return _encode(".jpg", grey(pixels(name)), [cv2.IMWRITE_JPEG_QUALITY, 85])


def _variant_small(name: str) -> bytes:
    return _encode(".jpg", portrait_240x320(pixels(name)), [cv2.IMWRITE_JPEG_QUALITY, 75])


def _variant_jp2(name: str) -> bytes:
    """240x320 grey JPEG 2000 at 50:1, about the size of a chip portrait (~3 KB)."""
    return _encode(".jp2", grey(portrait_240x320(pixels(name))),
                   [cv2.IMWRITE_JPEG2000_COMPRESSION_X1000, 50])


def _variant_recompressed(name: str) -> bytes:
    once = _encode(".jpg", pixels(name), [cv2.IMWRITE_JPEG_QUALITY, 30])
    decoded = cv2.imdecode(np.frombuffer(once, np.uint8), cv2.IMREAD_COLOR)
    return _encode(".jpg", decoded, [cv2.IMWRITE_JPEG_QUALITY, 30])


#: Degraded copies of a photograph, as encoded bytes (what a chip or a file would hold).
VARIANTS: dict[str, Callable[[str], bytes]] = {
    "original": photo,
    "grey": _variant_grey,
    "240x320": _variant_small,
    "jpeg2000": _variant_jp2,
    "recompressed": _variant_recompressed,
}


def dump_with_portrait(portrait: bytes, *, fmt: str = "jpeg", sign: bool = True) -> CardDump:
    """The 2021 sample card with ``portrait`` as its DG2, re-signed by the sample's own
    Document Signer (so it verifies with samples/pki), or left with the old SOD
    (``sign=False``: a DG2 hash mismatch, a chip proven not genuine)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    from cccd_reader import dump
    from cccd_sim.issuer import encode_dg2, facial_record
    from cccd_sim.sod_builder import build_sod, hash_data_groups
    from tests.conftest import SAMPLES

    sample = dump.load(SAMPLES / "vn-cccd-2021-nguyen-thi-ngoc-anh")
    files = dict(sample.files)
    files["DG2"] = encode_dg2(facial_record(portrait, fmt=fmt,  # type: ignore[arg-type]
                                            sex="F", hair_colour=1))
    if sign:
        pki = SAMPLES / "pki"
        key: Any = serialization.load_pem_private_key(
            (pki / "dsc-vn-2021.key.pem").read_bytes(), None)
        cert = x509.load_der_x509_certificate((pki / "dsc-vn-2021.der").read_bytes())
        import datetime

        files["EF.SOD"] = build_sod(
            hash_data_groups(files), private_key=key, certificate=cert,
            signature="ecdsa-sha256",
            signing_time=datetime.datetime(2021, 4, 10, 2, 30, tzinfo=datetime.UTC))
    return CardDump(files=files, access=sample.access, profile=sample.profile,
                    note="test: a credited photo as DG2", secrets=dict(sample.secrets))
