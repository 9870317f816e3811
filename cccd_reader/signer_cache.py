"""What stays true of a Document Signer from one document to the next (issue 32).

A counter, or a QA batch, verifies card after card signed by the same few DSCs. Some facts
about a DSC depend only on its bytes: its parsed form, the names it carries, whether its CSCA's
signature over it verifies (:mod:`cccd_reader.pki.trust` keeps those by DER), and its public
key, kept here. They are computed once and kept, bounded, keyed by the certificate's own bytes,
so a changed byte is another entry and nothing learnt from one trust store leaks into a
decision against another: which CSCA anchors the DSC is still asked of the current store for
every document, and validity and revocation are decided per document, at its signing time
and against today's CRLs.
"""

from __future__ import annotations

import functools

from cccd_reader.pki.signatures import SIGNATURE_ERRORS, PublicKey, load_public_key

__all__ = ["MAX_SIGNERS", "clear", "signer_key"]

#: Document signers whose keys are kept: far more than a country issues in a key period.
MAX_SIGNERS = 256


@functools.lru_cache(maxsize=MAX_SIGNERS)
def _load(spki_der: bytes) -> tuple[PublicKey, str] | None:
    try:
        return load_public_key(spki_der)
    except SIGNATURE_ERRORS:
        # A curve the backend lacks (the project's own arithmetic verifies it) or a key
        # that cannot be loaded: the caller verifies from the bytes, with the full story.
        return None


def signer_key(spki_der: bytes) -> tuple[PublicKey, str] | None:
    """The loaded key of a SubjectPublicKeyInfo and :func:`load_public_key`'s description
    of it, or None when it must be verified from its bytes (then nothing is kept)."""
    return _load(bytes(spki_der))


def clear() -> None:
    """Forget every kept key (benchmarks measuring a first document use it)."""
    _load.cache_clear()
