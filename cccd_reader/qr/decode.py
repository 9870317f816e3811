"""Find and decode the card's QR code in an image file, an OpenCV frame or a live camera.

Why the raw bytes matter: the card's QR is byte mode, UTF-8, **without** an ECI marker. A
decoder that turns bytes into text itself must guess the charset, and zbar guesses Shift-JIS
first (zbar ``qrdectxt.c``; pyzbar #14, #95, #155): "Đặng Hữu Phước" comes out as
"ﾄ雪ｺｷng H盻ｯu Phﾆｰ盻嫩". That guess cannot be undone reliably, so every decoder here hands us the
bytes and we decode them ourselves, strictly as UTF-8, then NFC (:func:`payload_text`).

What we found per decoder (measured in ``tests/qr/test_qr_images.py``; numbers in the report):

* **zbar** (through pyzbar's ctypes bindings, pyzbar 0.1.9 itself does not expose this):
  zbar ≥ 0.23.1 has the ``ZBAR_CFG_BINARY`` option ("qrcode.binary"), which makes it return
  the QR's bytes unconverted. We resolve the option by name with ``zbar_parse_config`` (value 4
  on libzbar 0.23.92) rather than hard-coding it; a libzbar without it is treated as
  unavailable instead of trusted, because its text may already be mis-decoded.
* **OpenCV** ``QRCodeDetector.detectAndDecodeBytes`` (OpenCV ≥ 4.9) returns bytes; older
  versions only have ``detectAndDecode``, whose text we re-encode as UTF-8. Caveat measured
  on OpenCV 5.0: valid UTF-8 comes back byte for byte, but a payload that is *not* UTF-8
  comes back transcoded (``b"Nguy\xe1n"`` -> ``b"Nguy\xc3\xa1n"``, i.e. read as Latin-1),
  so OpenCV alone cannot tell us a payload was not UTF-8. That is why it is not first, and
  why a non-UTF-8 answer from zbar or zxing-cpp ends the search with an error.
* **zxing-cpp** returns ``Barcode.bytes``, the raw payload.

Chain order is zbar, OpenCV, zxing-cpp (first answer wins). Images are bounded before any
decode: at most :data:`MAX_FILE_BYTES` read, dimensions read from the file header and refused
above :data:`MAX_PIXELS`, so a crafted PNG cannot make OpenCV allocate gigabytes. Time is
bounded by a deadline checked between decoders and image variants: a single C call cannot be
interrupted, so no decoder ever gets more than :data:`WORK_SIDE` pixels a side (large images are
downscaled, then tiled) and a call whose measured cost would overrun the deadline is not
started.
"""

from __future__ import annotations

import os
import struct
import time
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from cccd_reader.image_headers import jpeg_size, png_size
from cccd_reader.qr.errors import (
    QRDecoderUnavailableError,
    QRImageError,
    QRNotFoundError,
    QRPayloadError,
)

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    Gray = NDArray[np.uint8]

__all__ = [
    "DEFAULT_CHAIN",
    "MAX_FILE_BYTES",
    "MAX_PIXELS",
    "QRResult",
    "available_decoders",
    "decode_image",
    "payload_text",
    "scan_camera",
]

#: Refuse images above 40 megapixels: a phone photo is 12-50 MP, but a QR needs far fewer,
#: and decoding cost (memory and time) grows with pixels.
MAX_PIXELS = 40_000_000
#: Refuse files above this size before reading them fully.
MAX_FILE_BYTES = 64 * 1024 * 1024
#: Longest side we hand to the decoders; larger images are also tried downscaled first.
WORK_SIDE = 1600
DEFAULT_CHAIN: tuple[str, ...] = ("zbar", "opencv", "zxing")
DEFAULT_TIMEOUT = 5.0


@dataclass(frozen=True)
class QRResult:
    """One decoded QR: ``text`` is strict UTF-8 + NFC of ``raw``."""

    text: str
    raw: bytes
    decoder: str
    #: Which image variant succeeded ("original", "downscaled", "stretched", ...).
    variant: str
    elapsed_ms: float

    def __repr__(self) -> str:  # the payload is personal data: keep it out of logs
        return (
            f"QRResult(decoder={self.decoder!r}, variant={self.variant!r}, "
            f"bytes={len(self.raw)}, elapsed_ms={self.elapsed_ms:.1f})"
        )


def payload_text(raw: bytes) -> str:
    """Strict UTF-8 then NFC: a wrong guess must fail loudly, never become a wrong name."""
    data = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    try:
        text = data.decode("utf-8", errors="strict")
    except UnicodeDecodeError as exc:
        raise QRPayloadError(
            f"QR payload is not UTF-8 (invalid byte at offset {exc.start} of {len(data)})"
        ) from None
    return unicodedata.normalize("NFC", text)


# --- decoders ----------------------------------------------------------------------------------


class _Decoder(Protocol):
    name: str

    def available(self) -> bool: ...

    def decode(self, gray: Gray) -> list[bytes]: ...


class _Zbar:
    """zbar through pyzbar's ctypes wrapper, with the binary option set (see module doc)."""

    name = "zbar"
    _QRCODE = 64  # ZBAR_QRCODE

    def __init__(self) -> None:
        self._binary: tuple[int, int] | None = None
        self._checked = False
        self._w: Any = None

    def _load(self) -> bool:
        if self._checked:
            return self._binary is not None
        self._checked = True
        try:
            import ctypes

            from pyzbar import wrapper
        except (ImportError, OSError):  # no pyzbar, or no libzbar
            return False
        sym, cfg, val = ctypes.c_int(), ctypes.c_int(), ctypes.c_int()
        status = wrapper.zbar_parse_config(
            b"qrcode.binary=1", ctypes.byref(sym), ctypes.byref(cfg), ctypes.byref(val)
        )
        if status != 0 or sym.value != self._QRCODE:
            return False  # libzbar older than 0.23.1: its text could be mis-decoded
        self._binary = (cfg.value, val.value)
        self._w = wrapper
        return True

    def available(self) -> bool:
        return self._load()

    def decode(self, gray: Gray) -> list[bytes]:
        if not self._load() or self._binary is None:
            return []
        import ctypes

        w = self._w
        height, width = gray.shape[:2]
        pixels = ctypes.c_char_p(gray.tobytes())  # kept alive until the scan is done
        scanner = w.zbar_image_scanner_create()
        try:
            w.zbar_image_scanner_set_config(scanner, 0, w.ZBarConfig.CFG_ENABLE, 0)
            w.zbar_image_scanner_set_config(scanner, self._QRCODE, w.ZBarConfig.CFG_ENABLE, 1)
            w.zbar_image_scanner_set_config(scanner, self._QRCODE, *self._binary)
            image = w.zbar_image_create()
            try:
                w.zbar_image_set_format(image, int.from_bytes(b"Y800", "little"))
                w.zbar_image_set_size(image, width, height)
                w.zbar_image_set_data(
                    image, ctypes.cast(pixels, ctypes.c_void_p), width * height, None
                )
                if w.zbar_scan_image(scanner, image) <= 0:
                    return []
                found: list[bytes] = []
                symbol = w.zbar_image_first_symbol(image)
                while symbol:
                    length = w.zbar_symbol_get_data_length(symbol)
                    found.append(ctypes.string_at(w.zbar_symbol_get_data(symbol), length))
                    symbol = w.zbar_symbol_next(symbol)
                return found
            finally:
                w.zbar_image_destroy(image)
        finally:
            w.zbar_image_scanner_destroy(scanner)


class _OpenCV:
    name = "opencv"

    def __init__(self) -> None:
        self._detector: Any = None

    def available(self) -> bool:
        try:
            import cv2
        except ImportError:
            return False
        return hasattr(cv2, "QRCodeDetector")

    def decode(self, gray: Gray) -> list[bytes]:
        import cv2

        if self._detector is None:
            self._detector = cv2.QRCodeDetector()
        try:
            if hasattr(self._detector, "detectAndDecodeBytes"):
                data = self._detector.detectAndDecodeBytes(gray)[0]
                return [bytes(data)] if data else []
            text = self._detector.detectAndDecode(gray)[0]
        except cv2.error:
            return []
        return [text.encode("utf-8")] if text else []


class _Zxing:
    name = "zxing"

    def available(self) -> bool:
        try:
            import zxingcpp  # noqa: F401
        except ImportError:
            return False
        return True

    def decode(self, gray: Gray) -> list[bytes]:
        import zxingcpp

        qr_only: Any = zxingcpp.BarcodeFormat.QRCode
        results = zxingcpp.read_barcodes(gray, formats=qr_only)
        return [bytes(r.bytes) for r in results if r.valid and r.bytes]


_DECODERS: dict[str, _Decoder] = {d.name: d for d in (_Zbar(), _OpenCV(), _Zxing())}


def available_decoders() -> list[str]:
    """Decoder names usable here, in default chain order."""
    return [name for name in DEFAULT_CHAIN if _DECODERS[name].available()]


def _chain(names: Sequence[str] | None) -> list[_Decoder]:
    wanted = list(names) if names is not None else list(DEFAULT_CHAIN)
    unknown = [n for n in wanted if n not in _DECODERS]
    if unknown:
        raise QRDecoderUnavailableError(f"unknown QR decoder(s): {', '.join(unknown)}")
    chain = [_DECODERS[n] for n in wanted if _DECODERS[n].available()]
    if not chain:
        raise QRDecoderUnavailableError(
            "no QR decoder available (install cccd-reader[qr]: pyzbar with libzbar >= 0.23.1,"
            " opencv-python-headless or zxing-cpp)"
        )
    return chain


# --- images ------------------------------------------------------------------------------------


def _header_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) from the file header, read before decoding so bombs are refused cheaply."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return png_size(data)
    if data.startswith(b"\xff\xd8"):
        return jpeg_size(data)
    if data.startswith(b"BM") and len(data) >= 26:
        w, h = struct.unpack("<ii", data[18:26])
        return abs(int(w)), abs(int(h))
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP" and len(data) >= 30:
        chunk = data[12:16]
        if chunk == b"VP8 ":
            w, h = struct.unpack("<HH", data[26:30])
            return int(w) & 0x3FFF, int(h) & 0x3FFF
        if chunk == b"VP8L":
            bits = int.from_bytes(data[21:25], "little")
            return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
        if chunk == b"VP8X":
            width = int.from_bytes(data[24:27], "little") + 1
            return width, int.from_bytes(data[27:30], "little") + 1
    return None


def _check_pixels(width: int, height: int) -> None:
    if width <= 0 or height <= 0:
        raise QRImageError("image has no pixels")
    if width * height > MAX_PIXELS:
        raise QRImageError(
            f"image is {width}x{height} ({width * height / 1e6:.0f} MP); the limit is"
            f" {MAX_PIXELS / 1e6:.0f} MP: crop or scale it down"
        )


def load_image(source: str | os.PathLike[str] | bytes) -> Gray:
    """A grayscale frame from a file path or encoded image bytes (PNG, JPEG, BMP, WebP)."""
    import cv2
    import numpy as np

    if isinstance(source, bytes):
        data = source
        label = "image data"
    else:
        path = Path(source)
        label = path.name
        try:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                raise QRImageError(f"{label} is {size} bytes; the limit is {MAX_FILE_BYTES}")
            data = path.read_bytes()
        except OSError as exc:
            raise QRImageError(f"cannot read {label}: {exc.strerror or exc}") from None
    if len(data) > MAX_FILE_BYTES:
        raise QRImageError(f"{label} is {len(data)} bytes; the limit is {MAX_FILE_BYTES}")
    dims = _header_size(data)
    if dims is None:
        raise QRImageError(f"{label} is not a PNG, JPEG, BMP or WebP image (or is truncated)")
    _check_pixels(*dims)
    image = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_GRAYSCALE)
    if image is None:
        raise QRImageError(f"{label} could not be decoded as an image")
    _check_pixels(image.shape[1], image.shape[0])
    return np.ascontiguousarray(image, dtype=np.uint8)


def _to_gray(frame: Any) -> Gray:
    import cv2
    import numpy as np

    if not isinstance(frame, np.ndarray):
        raise QRImageError("a frame must be a numpy array")
    if frame.ndim not in (2, 3) or frame.size == 0:
        raise QRImageError(f"a frame must be HxW or HxWxC, not shape {frame.shape}")
    _check_pixels(frame.shape[1], frame.shape[0])
    if frame.dtype != np.uint8:
        if frame.dtype == np.uint16:
            frame = (frame >> 8).astype(np.uint8)
        else:
            raise QRImageError(f"a frame must be 8-bit, not {frame.dtype}")
    if frame.ndim == 3:
        channels = frame.shape[2]
        if channels == 1:
            frame = frame[:, :, 0]
        elif channels == 3:
            frame = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
        elif channels == 4:
            frame = cv2.cvtColor(frame, cv2.COLOR_BGRA2GRAY)
        else:
            raise QRImageError(f"a frame must have 1, 3 or 4 channels, not {channels}")
    return np.ascontiguousarray(frame, dtype=np.uint8)


def _tiles(gray: Gray) -> Iterator[tuple[str, Gray]]:
    """Overlapping tiles of at most WORK_SIDE x WORK_SIDE pixels, at half scale first (when
    that is still larger than WORK_SIDE) then at full scale, centre tiles first.

    No decoder ever gets a whole large image: one OpenCV call on a 36-megapixel noise image
    takes 18 s and cannot be interrupted, while a tile's call is bounded and the deadline is
    checked between tiles. A QR too small to survive the downscale is still whole in a tile
    (the overlap is a quarter of a tile)."""
    import cv2
    import numpy as np

    step = WORK_SIDE * 3 // 4
    height, width = gray.shape[:2]
    levels: list[tuple[str, Any]] = []
    if max(height, width) // 2 > WORK_SIDE:
        levels.append(("tile-half", cv2.resize(gray, None, fx=0.5, fy=0.5,
                                               interpolation=cv2.INTER_AREA)))
    levels.append(("tile", gray))
    for label, image in levels:
        h, w = image.shape[:2]
        ys = list(range(0, max(1, h - WORK_SIDE + step), step))
        xs = list(range(0, max(1, w - WORK_SIDE + step), step))
        origins = [(y, x) for y in ys for x in xs]
        cy, cx = h / 2, w / 2
        half = WORK_SIDE / 2
        origins.sort(key=lambda o: (o[0] + half - cy) ** 2 + (o[1] + half - cx) ** 2)
        for y, x in origins:
            tile = image[y : y + WORK_SIDE, x : x + WORK_SIDE]
            yield f"{label}@{x},{y}", np.ascontiguousarray(tile)


def _variants(gray: Gray) -> Iterator[tuple[str, Gray]]:
    """Image variants in order of cost and likelihood; produced lazily so a hit stops early.

    Images larger than WORK_SIDE are decoded downscaled (and its enhanced variants), then in
    tiles (:func:`_tiles`), never whole."""
    import cv2

    height, width = gray.shape[:2]
    side = max(height, width)
    base: Any = gray
    large = side > WORK_SIDE
    if large:
        scale = WORK_SIDE / side
        base = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        yield "downscaled", base
    else:
        yield "original", gray
    # Low contrast and glare: stretch the histogram locally, then binarise adaptively.
    clahe = cv2.createCLAHE(clipLimit=3.0, tileGridSize=(8, 8))
    yield "equalized", clahe.apply(base)
    small = max(base.shape[:2]) < 900
    if small:  # QR small in the frame: give the finder patterns more pixels
        yield "upscaled", cv2.resize(base, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
    blurred = cv2.GaussianBlur(base, (0, 0), 1.0)
    sharp = cv2.addWeighted(base, 1.8, blurred, -0.8, 0)
    yield "sharpened", sharp
    block = max(15, (min(base.shape[:2]) // 20) | 1)
    yield (
        "binarized",
        cv2.adaptiveThreshold(
            blurred, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, block, 5
        ),
    )
    if large:
        yield from _tiles(gray)


def _decode_gray(
    gray: Gray,
    chain: Sequence[_Decoder],
    deadline: float,
    start: float,
    skipped: list[str] | None = None,
) -> QRResult | None:
    """The first QR found, or None; ``skipped`` collects the calls left out for time."""
    # Seconds per pixel each decoder has needed so far in this call: a call that would not
    # end before the deadline is not started, so the budget holds rather than overshooting
    # by one (uninterruptible) call.
    cost: dict[str, float] = {}
    for variant, image in _variants(gray):
        pixels = float(image.shape[0] * image.shape[1])
        for decoder in chain:
            now = time.monotonic()
            if now + cost.get(decoder.name, 0.0) * pixels > deadline:
                if skipped is not None:
                    skipped.append(decoder.name)
                if now > deadline:
                    return None
                continue  # a cheaper decoder may still fit
            found = decoder.decode(image)
            spent = time.monotonic() - now
            cost[decoder.name] = max(cost.get(decoder.name, 0.0), spent / pixels)
            for raw in found:
                # Not UTF-8 is final: QR error correction makes a misread unlikely, and a
                # later OpenCV attempt would only hand back its own transcoding (module doc).
                text = payload_text(raw)
                elapsed = (time.monotonic() - start) * 1000
                return QRResult(text, raw, decoder.name, variant, elapsed)
    return None


def decode_image(
    source: str | os.PathLike[str] | bytes | Any,
    *,
    decoders: Sequence[str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> QRResult:
    """Decode the first QR in ``source`` (a path, encoded image bytes, or a numpy frame).

    ``decoders`` picks and orders decoders by name (default :data:`DEFAULT_CHAIN`, those
    installed). Raises :class:`QRNotFoundError` when nothing is found within ``timeout``
    seconds, :class:`QRImageError` for unusable images, :class:`QRPayloadError` when a QR is
    found but is not UTF-8.
    """
    start = time.monotonic()
    chain = _chain(decoders)
    if isinstance(source, str | os.PathLike | bytes):
        gray = load_image(source)
    else:
        gray = _to_gray(source)
    skipped: list[str] = []
    result = _decode_gray(gray, chain, start + timeout, start, skipped)
    if result is None:
        limit = " (time limit reached)" if skipped else ""
        raise QRNotFoundError(f"no QR code found by {', '.join(d.name for d in chain)}{limit}")
    return result


class _Capture(Protocol):
    def isOpened(self) -> bool: ...  # OpenCV's name

    def read(self) -> tuple[bool, Any]: ...

    def release(self) -> None: ...


def scan_camera(
    source: int | str = 0,
    *,
    max_frames: int = 300,
    timeout: float = 30.0,
    decoders: Sequence[str] | None = None,
    frame_timeout: float = 0.5,
    open_capture: Callable[[int | str], _Capture] | None = None,
) -> Iterator[QRResult]:
    """Yield each new QR payload seen by a camera (``cv2.VideoCapture`` index or URL).

    Bounded by ``max_frames`` and ``timeout`` (seconds, wall clock); the same payload is not
    yielded twice in a row. Stop early by leaving the loop: the camera is released either way.
    Each frame gets at most ``frame_timeout`` seconds of decoding so the stream stays live.
    """
    chain = _chain(decoders)
    if open_capture is None:
        import cv2

        def open_capture(src: int | str) -> _Capture:
            capture: _Capture = cv2.VideoCapture(src)
            return capture

    capture = open_capture(source)
    try:
        if not capture.isOpened():
            raise QRImageError(f"cannot open camera {source!r}")
        start = time.monotonic()
        last: bytes | None = None
        failures = 0
        for _ in range(max_frames):
            if time.monotonic() - start > timeout:
                return
            ok, frame = capture.read()
            if not ok or frame is None:
                failures += 1
                if failures >= 10:  # camera unplugged or stream ended
                    return
                continue
            failures = 0
            frame_start = time.monotonic()
            try:
                result = _decode_gray(
                    _to_gray(frame), chain, frame_start + frame_timeout, frame_start
                )
            except QRPayloadError:
                continue  # a partly read code in motion: wait for a clean frame
            if result is not None and result.raw != last:
                last = result.raw
                yield result
    finally:
        capture.release()
