"""``cccd face-match``: the chip's portrait against a live picture, in three bands.

``--chip`` is a dump (its DG2 portrait, after passive authentication with the usual trust
options) or an image file; ``--live`` an image file (JPEG, JPEG 2000 or PNG). A dump whose
verdict is ``not_genuine`` is refused: a forged chip carrying the impostor's own photo is the
main attack on a face check. An ``unverified`` dump is compared and its verdict printed beside
the band.

Exit codes: 0 a band was given (whichever), 6 refused (the quality gate on either side, or a
chip proven not genuine), 5 an image or dump that is unreadable, over the caps or hostile,
2 usage, 1 anything else (models that cannot run included). JSON (``--json``): ``score``,
``band``, ``thresholds``, ``model``, ``quality``, ``chip_verdict`` when a dump was given;
a refusal has ``score`` and ``band`` null and ``refused`` = ``{"code", "side", "params"}``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_REFUSED = 0, 6

#: How the CLI says a band and a refusal, Vietnamese first (the app has the same words in
#: its catalogue, apps/desktop/cccd_desktop/face_labels.py).
BAND_WORDS: dict[str, str] = {
    "likely_same": "Có khả năng cùng một người / likely the same person",
    "check_by_eye": "Cần nhân viên tự so sánh / check by eye",
    "likely_different": "Có khả năng khác người / likely different people",
}
REFUSAL_WORDS: dict[str, str] = {
    "no_face": "không thấy khuôn mặt / no face found",
    "multiple_faces": "có nhiều hơn một khuôn mặt / more than one face",
    "face_too_small": "khuôn mặt quá nhỏ / face too small",
    "face_turned": "khuôn mặt quay nghiêng quá nhiều / face turned too far",
    "face_blurred": "ảnh bị mờ / picture too blurred",
    "chip_not_genuine": "chip không xác thực, không so sánh ảnh / chip not genuine: "
                        "the portrait is not compared",
}
SIDE_WORDS = {"chip": "ảnh trong chip / chip portrait", "live": "ảnh chụp / live picture"}
DISCLAIMER = ("Chỉ hỗ trợ nhân viên, không phải xác thực sinh trắc học; không kiểm tra người "
              "thật (liveness). / An aid to the clerk, not biometric authentication; no "
              "liveness check.")


def cmd_face_match(args: argparse.Namespace, trust_store: Callable[..., Any]) -> int:
    from cccd_reader import dump as dumpmod
    from cccd_reader.face import images
    from cccd_reader.face.match import FaceMatch, compare, models_json, thresholds_json
    from cccd_reader.face.portrait import (
        ChipPortrait,
        portrait_from_dump,
        refusal_for_verdict,
    )

    chip_path = Path(args.chip)
    if chip_path.is_dir():
        card = dumpmod.load(chip_path)
        trust = trust_store(args.trust, include_default=not args.no_default_trust,
                            require_crl=args.require_crl)
        portrait = portrait_from_dump(card.files, trust)
    else:
        portrait = ChipPortrait(images.read_file(chip_path, "chip"), None)
    live = images.read_file(args.live, "live")

    refusal = refusal_for_verdict(portrait.verdict)
    if refusal is not None:
        result = FaceMatch(None, None, {}, refusal)
    else:
        result = compare(portrait.image, live)
    doc = result.to_json()
    if refusal is not None:  # nothing was examined: say what would have been used all the same
        doc["thresholds"], doc["model"] = thresholds_json(), models_json()
    if portrait.verdict is not None:
        doc["chip_verdict"] = portrait.verdict
    if args.json:
        json.dump(doc, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        _print_human(doc)
    return EXIT_REFUSED if result.refused is not None else EXIT_OK


def _print_human(doc: dict[str, Any]) -> None:
    refused = doc.get("refused")
    if refused:
        print(f"Từ chối / Refused ({SIDE_WORDS[refused['side']]}): "
              f"{REFUSAL_WORDS.get(refused['code'], refused['code'])}")
    else:
        limits = doc["thresholds"]
        print(f"Kết quả / Result: {BAND_WORDS[doc['band']]}")
        print(f"  Điểm / Score {doc['score']:.3f} (likely same ≥ {limits['likely_same']}, "
              f"likely different < {limits['likely_different_below']})")
    if "chip_verdict" in doc:
        print(f"  Chip: {doc['chip_verdict']}")
    print(f"  {DISCLAIMER}")


def register(sub: Any, *, add_trust_args: Callable[[argparse.ArgumentParser], None],
             trust_store: Callable[..., Any]) -> None:
    """Add ``cccd face-match``; the CLI hands over its trust options and trust-store loader."""
    p = sub.add_parser(
        "face-match",
        help="compare the chip's portrait with a live picture (an aid, not biometric "
             "authentication)",
        description="Compare a chip portrait (a dump's DG2, or an image) with a live picture. "
                    "Exit 0 with a band, 6 refused, 5 unreadable image. " + DISCLAIMER,
    )
    p.add_argument("--chip", required=True, metavar="DUMP_OR_IMAGE",
                   help="a cccd-dump/1 directory (its portrait, verified) or an image file")
    p.add_argument("--live", required=True, metavar="IMAGE",
                   help="the picture of the person (JPEG, JPEG 2000 or PNG)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    add_trust_args(p)

    def run(args: argparse.Namespace) -> int:
        return cmd_face_match(args, trust_store)

    p.set_defaults(func=run)

