"""Five-point alignment to the 112x112 crop the recogniser was trained on.

SFace, like ArcFace, was trained on faces warped so that the eyes, nose tip and mouth corners
land on fixed points of a 112x112 image (the template of the InsightFace/ArcFace training
pipeline, which OpenCV's ``FaceRecognizerSF.alignCrop`` also uses). A similarity transform
(rotation, uniform scale, translation; no shear) is fitted to the detector's five landmarks
with ``cv2.estimateAffinePartial2D``: a face is tilted back upright and scaled, never
distorted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

#: Output side in pixels, SFace's input size.
CROP_SIDE = 112
#: Where the right eye, left eye, nose tip, right and left mouth corners go (x, y), in the
#: order YuNet gives its landmarks (the subject's right eye first, as seen on the left).
ARCFACE_112: tuple[tuple[float, float], ...] = (
    (38.2946, 51.6963),
    (73.5318, 51.5014),
    (56.0252, 71.7366),
    (41.5493, 92.3655),
    (70.7299, 92.2041),
)


def align(image: NDArray[np.uint8], landmarks: NDArray[np.float32]) -> NDArray[np.uint8] | None:
    """The 112x112 BGR crop for ``landmarks`` (5x2, image coordinates), or None when no
    similarity transform fits them (degenerate points)."""
    import cv2
    import numpy as np

    template = np.array(ARCFACE_112, dtype=np.float32)
    matrix: Any
    matrix, _inliers = cv2.estimateAffinePartial2D(
        landmarks.astype(np.float32), template, method=cv2.LMEDS
    )
    if matrix is None or not np.all(np.isfinite(matrix)):
        return None
    crop = cv2.warpAffine(
        image, matrix, (CROP_SIDE, CROP_SIDE), flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT, borderValue=(0, 0, 0),
    )
    return np.asarray(crop, dtype=np.uint8)
