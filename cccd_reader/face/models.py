"""The two vendored face models, checked by SHA-256 and handed to OpenCV from memory.

Nothing is downloaded, ever: the files ship inside the package (``model_files/``, with their
licence notices in ``NOTICE.md``). Each file is read once, its digest compared with the one
pinned here, and the *same bytes* given to OpenCV, so a file swapped between the check and the
load cannot slip through.

Why OpenCV 5 and ``readNetFromONNX``: the block-quantised (``int8bq``) files do not load on
OpenCV 4.10, and on OpenCV 5's new DNN engine ``cv2.FaceRecognizerSF`` fails on them ("empty
name can only be used to set input if there is just one input"); a plain DNN net whose input
is named ``data`` (SFace's input) runs them. The detector goes through ``cv2.FaceDetectorYN``,
which works on both.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from typing import Any

from cccd_reader.face.errors import FaceModelError

#: The input blob name of the SFace graph.
SFACE_INPUT = "data"
#: OpenCV's major version these files need (see module doc).
OPENCV_MAJOR = 5


@dataclass(frozen=True)
class ModelFile:
    """One vendored model: what it is, its file in ``model_files/`` and its pinned digest."""

    role: str
    name: str
    filename: str
    sha256: str
    licence: str

    def to_json(self) -> dict[str, str]:
        return {"name": self.name, "file": self.filename, "sha256": self.sha256,
                "licence": self.licence}


DETECTOR = ModelFile(
    role="detector",
    name="YuNet 2023mar (int8 block-quantised)",
    filename="face_detection_yunet_2023mar_int8bq.onnx",
    sha256="49f000ec501fef24739071fc7e68267d32209045b6822c0c72dce1da25726f10",
    licence="MIT",
)
RECOGNIZER = ModelFile(
    role="recognizer",
    name="SFace 2021dec (int8 block-quantised)",
    filename="face_recognition_sface_2021dec_int8bq.onnx",
    sha256="fb143eea07838aa532d1c95df5f69899974ea0140e1fba05e94204be13ed74ee",
    licence="Apache-2.0",
)
MODELS: tuple[ModelFile, ...] = (DETECTOR, RECOGNIZER)


def verified_bytes(model: ModelFile) -> bytes:
    """The model file's bytes, after its SHA-256 matched the pinned one."""
    try:
        data = resources.files("cccd_reader.face").joinpath("model_files").joinpath(model.filename)
        content = data.read_bytes()
    except OSError as exc:
        raise FaceModelError(
            f"the {model.role} model {model.filename} is missing from the installation "
            f"({exc.strerror or exc}); reinstall cccd-reader"
        ) from None
    digest = hashlib.sha256(content).hexdigest()
    if digest != model.sha256:
        raise FaceModelError(
            f"the {model.role} model {model.filename} is altered (SHA-256 {digest[:16]}…, "
            f"expected {model.sha256[:16]}…); reinstall cccd-reader",
            params={"file": model.filename},
        )
    return content


def opencv() -> Any:
    """The ``cv2`` module, if it is OpenCV 5 or later."""
    try:
        import cv2
    except ImportError:
        raise FaceModelError(
            "the face check needs OpenCV 5: pip install 'cccd-reader[face]'"
        ) from None
    major = int(str(cv2.__version__).split(".", 1)[0])
    if major < OPENCV_MAJOR:
        raise FaceModelError(
            f"the face check needs OpenCV {OPENCV_MAJOR} or later, this is {cv2.__version__}: "
            "pip install 'cccd-reader[face]'"
        )
    return cv2


@contextmanager
def quiet_opencv(cv2: Any) -> Iterator[None]:
    """Silence OpenCV's own logging for a call: its decoders print ERROR lines about a hostile
    image on stderr, where the CLI promises one line of its own. (The level is process-wide;
    restored afterwards.)"""
    logging = cv2.utils.logging
    level = logging.getLogLevel()
    logging.setLogLevel(logging.LOG_LEVEL_SILENT)
    try:
        yield
    finally:
        logging.setLogLevel(level)


class Engine:
    """The loaded detector and recogniser. One call at a time (OpenCV nets are not
    re-entrant): :meth:`lock` guards every use; load once with :func:`load_engine`."""

    def __init__(self, detector: Any, recognizer: Any, load_seconds: float) -> None:
        self.detector = detector
        self.recognizer = recognizer
        self.load_seconds = load_seconds
        self.lock = threading.Lock()


def _load() -> Engine:
    cv2 = opencv()
    import numpy as np

    start = time.perf_counter()
    detector_bytes = np.frombuffer(verified_bytes(DETECTOR), dtype=np.uint8)
    recognizer_bytes = np.frombuffer(verified_bytes(RECOGNIZER), dtype=np.uint8)
    try:
        # OpenCV 5 warns on stderr that its new engine ignores the target the detector sets.
        with quiet_opencv(cv2):
            detector = cv2.FaceDetectorYN.create(
                "onnx", detector_bytes, np.zeros(0, dtype=np.uint8), (320, 320), 0.5, 0.3, 50
            )
            recognizer = cv2.dnn.readNetFromONNX(recognizer_bytes)
    except cv2.error as exc:
        raise FaceModelError(f"OpenCV {cv2.__version__} cannot load the face models: "
                             f"{str(exc).strip().splitlines()[-1][:200]}") from None
    if recognizer.empty():
        raise FaceModelError("OpenCV loaded an empty recogniser network")
    return Engine(detector, recognizer, time.perf_counter() - start)


_engine: Engine | None = None
_engine_lock = threading.Lock()


def load_engine() -> Engine:
    """The process's engine, loaded on first use (about 0.1 s; see bench/face.py)."""
    global _engine
    with _engine_lock:
        if _engine is None:
            _engine = _load()
        return _engine
