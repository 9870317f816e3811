"""Active Authentication with the caller's own challenge, on the card in the reader.

A read (:mod:`cccd_reader.read_flow`) already runs Active Authentication with a fresh random
challenge of its own. Some backends want more: a challenge *they* chose, and the chip's raw
signature, so that they can verify it themselves against DG15 (a hospital system that keeps
the signature as evidence of the visit, a bank that checks it on its server). This module opens
a session with the access key, reads DG15 (and DG14 for an ECDSA key's algorithm), sends
INTERNAL AUTHENTICATE with the given 8 bytes and returns the signature with our own check of
it. The card is opened again (the key that opened it for the read): the secure-messaging
session of a finished read is not kept open between requests.

``expected_dg15`` binds the answer to one tap: a backend that read a card passes that read's
DG15, and a different card put in the reader since (whose DG15 differs) is refused as
:class:`~cccd_reader.errors.CardRemovedError` instead of answering for the wrong person.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cccd_reader.auth.active import (
    CHALLENGE_LENGTH,
    AuthResult,
    aa_info,
    internal_authenticate,
    verify_active_authentication,
)
from cccd_reader.errors import (
    CardRemovedError,
    FileNotFoundOnCardError,
    LDSError,
    SecurityStatusNotSatisfiedError,
)
from cccd_reader.iso7816.efreader import ReadLimits
from cccd_reader.iso7816.transport import Transport
from cccd_reader.readers import limits_for
from cccd_reader.session import Session, open_session, read_ef

if TYPE_CHECKING:
    from cccd_reader.access.key import AccessKey
    from cccd_reader.lds.security_infos import SecurityInfo

__all__ = ["CHALLENGE_LENGTH", "ActiveAuthAnswer", "active_authenticate"]

_NOT_THIS_CARD = "the card in the reader is not the card that was read"


@dataclass(frozen=True)
class ActiveAuthAnswer:
    """The chip's answer to one challenge.

    ``signature`` is None when the chip has no DG15 or refused (``result`` says which);
    ``result`` is our check of the signature against the DG15 read in the same session
    (``pass``, ``fail``, ``unsupported``, ``skipped``). DG15 is trusted only as far as passive
    authentication of the same card proves it: a caller that did not verify the read's SOD has
    a signature that verifies with *a* key, not with the issuer's.
    """

    challenge: bytes
    signature: bytes | None
    result: AuthResult
    dg15: bytes | None = field(default=None, repr=False)


def active_authenticate(
    transport: Transport,
    key: AccessKey,
    challenge: bytes,
    *,
    expected_dg15: bytes | None = None,
    limits: ReadLimits | None = None,
    close: bool = True,
) -> ActiveAuthAnswer:
    """Open the chip with ``key`` and sign ``challenge`` (exactly 8 bytes) with its AA key.

    Raises what opening a session raises (a refused key, a lost card) and
    :class:`~cccd_reader.errors.CardRemovedError` when ``expected_dg15`` is given and the
    card's DG15 is another one. A chip that answers wrongly is never an exception: it is the
    result ``fail``.
    """
    if len(challenge) != CHALLENGE_LENGTH:
        raise ValueError(f"an Active Authentication challenge is {CHALLENGE_LENGTH} bytes")
    try:
        session = open_session(transport, key, limits=limits or limits_for(transport))
        try:
            dg15 = read_ef(session.file_reader, "DG15", None)
        except (FileNotFoundOnCardError, SecurityStatusNotSatisfiedError):
            if expected_dg15 is not None:
                raise CardRemovedError(_NOT_THIS_CARD) from None
            return ActiveAuthAnswer(challenge, None, AuthResult(
                "AA", "skipped", "the chip has no DG15: it does not offer Active Authentication"))
        if expected_dg15 is not None and not hmac.compare_digest(dg15, expected_dg15):
            raise CardRemovedError(_NOT_THIS_CARD)
        from cccd_reader.lds.dg15 import parse_dg15

        try:
            spki = parse_dg15(dg15).spki
        except LDSError as exc:
            return ActiveAuthAnswer(challenge, None,
                                    AuthResult("AA", "fail", f"DG15 cannot be parsed: {exc}"), dg15)
        answer = internal_authenticate(session.channel, spki, challenge)
        if isinstance(answer, AuthResult):
            return ActiveAuthAnswer(challenge, None, answer, dg15)
        infos: tuple[SecurityInfo, ...] = ()
        if not _is_rsa(spki):
            infos = _dg14_infos(session)
        return ActiveAuthAnswer(
            challenge, answer, verify_active_authentication(spki, challenge, answer,
                                                            aa_info(infos)), dg15)
    finally:
        if close:
            transport.close()


def _is_rsa(spki: bytes) -> bool:
    from cccd_reader.pki import signatures

    try:
        key, _ = signatures.load_public_key(spki)
    except signatures.SignatureError:
        return False
    from cryptography.hazmat.primitives.asymmetric import rsa

    return isinstance(key, rsa.RSAPublicKey)


def _dg14_infos(session: Session) -> tuple[SecurityInfo, ...]:
    """DG14's SecurityInfos (an ECDSA key's algorithm is named there); empty when absent."""
    from cccd_reader.lds.dg14 import parse_dg14

    try:
        return tuple(parse_dg14(read_ef(session.file_reader, "DG14", None)).infos)
    except (FileNotFoundOnCardError, SecurityStatusNotSatisfiedError, LDSError):
        return ()
