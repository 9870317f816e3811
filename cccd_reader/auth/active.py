"""Active Authentication (ICAO 9303 Part 11 §6.1): does the chip hold DG15's private key?

A copy of the data groups is trivial to make; a copy of the chip's AA private key is not. The
terminal sends a fresh random challenge in INTERNAL AUTHENTICATE and checks the signature with
the DG15 public key:

* RSA keys sign with ISO/IEC 9796-2 digital signature scheme 1 (message recovery): the chip
  picks a nonce M1, signs M = M1 || challenge, and the trailer of the recovered representative
  names the hash (``BC``: the implicit hash, SHA-1 for ICAO; ``xx CC``: the ISO/IEC 10118-3
  hash identifier xx).
* EC keys sign the challenge with ECDSA; the hash (and plain r||s or DER form) comes from the
  ActiveAuthenticationInfo in DG14, never from the chip's answer.

Everything here trusts DG15 and DG14 only as far as passive authentication proves them, which
happens later: :mod:`cccd_reader.verify` downgrades a result whose key files did not pass their
hash check. The pure functions (:func:`iso9796_2_recover`, :func:`verify_active_authentication`)
serve the terminal and the vector tests; the chip's side, signing a challenge, is the
simulator's (``cccd_sim.aa_signer``). RSA and ECDSA primitives are ``cryptography``'s (the raw RSA
operation is the modular exponentiation with the key's own numbers); only the ISO 9796-2
encoding, which no library offers, is composed here.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from asn1crypto import core
from Crypto.Hash import RIPEMD160
from cryptography.hazmat.primitives.asymmetric import rsa

from cccd_reader.checks import Status
from cccd_reader.errors import CardError, CccdError, SecureMessagingError
from cccd_reader.iso7816 import tlv
from cccd_reader.iso7816.apdu import CommandAPDU, describe_sw
from cccd_reader.iso7816.transport import ApduChannel
from cccd_reader.lds.security_infos import ActiveAuthenticationInfo, SecurityInfo
from cccd_reader.pki import signatures
from cccd_reader.rng import Rng

INS_INTERNAL_AUTHENTICATE = 0x88
CHALLENGE_LENGTH = 8

#: ISO/IEC 10118-3 hash-function identifiers, as they appear in an explicit ``xx CC`` trailer.
HASH_IDENTIFIERS: dict[int, str] = {
    0x31: "ripemd160",
    0x33: "sha1",
    0x34: "sha256",
    0x35: "sha512",
    0x36: "sha384",
    0x38: "sha224",
}
TRAILER_IMPLICIT = 0xBC
TRAILER_EXPLICIT = 0xCC


class ISO9796Error(CccdError):
    """An ISO/IEC 9796-2 representative is malformed or its hash does not match."""


@dataclass(frozen=True)
class AuthResult:
    """Outcome of one chip-genuineness protocol, worded for a counter clerk and a log.

    ``fail`` means the chip was asked and answered wrongly (or refused a protocol it
    advertises): evidence of a clone. ``unsupported``: this reader cannot check the key or
    algorithm. ``skipped``: the check did not run.
    """

    protocol: str
    status: Status
    detail: str
    #: The file the key came from (``"DG14"``, ``"DG15"``, ``"EF.CardSecurity"``), when known.
    key_file: str | None = None
    #: Active Authentication: the challenge sent and the chip's answer, kept so an evidence
    #: package can let a server check the signature again (None when nothing was exchanged).
    challenge: bytes | None = field(default=None, repr=False)
    signature: bytes | None = field(default=None, repr=False)


# --- hashes ------------------------------------------------------------------------------------


def hash_digest(name: str, data: bytes) -> bytes:
    """H(data) for the hashes ISO/IEC 9796-2 names (the verifier here, the chip's signer too)."""
    if name == "ripemd160":  # OpenSSL 3 hides it in the legacy provider; pycryptodome has it
        return bytes(RIPEMD160.new(data).digest())
    return hashlib.new(name, data).digest()


def digest_size(name: str) -> int:
    """Length of :func:`hash_digest`'s output, without hashing anything."""
    return 20 if name == "ripemd160" else hashlib.new(name).digest_size


# --- ISO/IEC 9796-2 digital signature scheme 1 -------------------------------------------------


@dataclass(frozen=True)
class Recovered:
    """What an ISO/IEC 9796-2 scheme 1 signature opens to."""

    m1: bytes
    digest: bytes
    hash_name: str
    #: True when the signer announced a non-recoverable part M2 (the ``more data`` bit).
    partial: bool
    explicit_trailer: bool


def representative_length(n: int) -> int:
    """Bytes of an ISO/IEC 9796-2 representative (and signature) for modulus ``n``."""
    return (n.bit_length() + 7) // 8


def iso9796_2_recover(
    public_key: rsa.RSAPublicKey, signature: bytes, *, implicit_hash: str = "sha1"
) -> Recovered:
    """Open a scheme 1 signature: M1, the hash it carries and which hash that is.

    ``implicit_hash`` is what a ``BC`` trailer means (SHA-1 in ICAO 9303; the ISO standard
    leaves it to the application). Raises ISO9796Error on anything malformed.
    """
    numbers = public_key.public_numbers()
    n, e = numbers.n, numbers.e
    length = representative_length(n)
    if len(signature) > length:
        raise ISO9796Error(f"signature of {len(signature)} bytes for a {length}-byte modulus")
    s = int.from_bytes(signature, "big")
    if not 0 < s < n:
        raise ISO9796Error("signature is not a number between 0 and the modulus")
    j_int = pow(s, e, n)
    if j_int & 0x0F != 0x0C:
        j_int = n - j_int  # the signer sent n - (J^d mod n)
    if j_int & 0x0F != 0x0C or j_int >= 1 << (8 * length):
        raise ISO9796Error("recovered representative does not end in a 9796-2 trailer")
    j = j_int.to_bytes(length, "big")
    if j[-1] == TRAILER_IMPLICIT:
        hash_name, tlen, explicit = implicit_hash, 1, False
    elif j[-1] == TRAILER_EXPLICIT:
        if j[-2] not in HASH_IDENTIFIERS:
            raise ISO9796Error(f"trailer names unknown hash identifier {j[-2]:02X}")
        hash_name, tlen, explicit = HASH_IDENTIFIERS[j[-2]], 2, True
    else:
        raise ISO9796Error(f"trailer {j[-1]:02X} is neither BC nor xxCC")
    if j[0] & 0xC0 != 0x40:
        raise ISO9796Error("representative does not start with the 01 header bits")
    partial = bool(j[0] & 0x20)
    if j[0] & 0x1F == 0x0A:
        start = 1
    elif j[0] & 0x1F == 0x0B:
        end_of_padding = 1
        while end_of_padding < length and j[end_of_padding] == 0xBB:
            end_of_padding += 1
        if end_of_padding >= length or j[end_of_padding] != 0xBA:
            raise ISO9796Error("padding of the representative does not end in BA")
        start = end_of_padding + 1
    else:
        raise ISO9796Error(f"header byte {j[0]:02X} is not a scheme 1 header")
    hlen = digest_size(hash_name)
    digest_at = length - tlen - hlen
    if digest_at < start:
        raise ISO9796Error("representative too short for its hash")
    return Recovered(
        m1=j[start:digest_at],
        digest=j[digest_at : length - tlen],
        hash_name=hash_name,
        partial=partial,
        explicit_trailer=explicit,
    )


def iso9796_2_verify(
    public_key: rsa.RSAPublicKey, signature: bytes, m2: bytes, *, implicit_hash: str = "sha1"
) -> Recovered:
    """Recover M1 and check H(M1 || M2); raise ISO9796Error unless it matches."""
    rec = iso9796_2_recover(public_key, signature, implicit_hash=implicit_hash)
    if m2 and not rec.partial:
        raise ISO9796Error("signature announces full recovery, yet M2 must be signed too")
    if not hmac.compare_digest(hash_digest(rec.hash_name, rec.m1 + m2), rec.digest):
        raise ISO9796Error(f"{rec.hash_name} of M1 || challenge does not match the signature")
    return rec


# --- both key types ----------------------------------------------------------------------------


def _algorithm_identifier(oid: str) -> bytes:
    return tlv.encode(0x30, bytes(core.ObjectIdentifier(oid).dump()))


def aa_info(infos: Sequence[SecurityInfo]) -> ActiveAuthenticationInfo | None:
    return next((i for i in infos if isinstance(i, ActiveAuthenticationInfo)), None)


def verify_active_authentication(
    dg15_spki: bytes,
    challenge: bytes,
    signature: bytes,
    info: ActiveAuthenticationInfo | None = None,
) -> AuthResult:
    """Check a chip's answer to ``challenge`` against the DG15 key (pure; no I/O)."""
    try:
        key, description = signatures.load_public_key(dg15_spki)
    except signatures.AlgorithmUnsupported as exc:
        return AuthResult("AA", "unsupported", f"DG15 key cannot be used: {exc}")
    except signatures.KeyInvalid as exc:
        return AuthResult("AA", "fail", f"DG15 key is malformed: {exc}")
    if isinstance(key, rsa.RSAPublicKey):
        try:
            rec = iso9796_2_verify(key, signature, challenge)
        except ISO9796Error as exc:
            return AuthResult(
                "AA", "fail", f"the chip's ISO 9796-2 signature does not verify with the "
                f"DG15 key ({description}): {exc}; it does not hold DG15's private key",
            )
        return AuthResult(
            "AA", "pass", f"ISO 9796-2 scheme 1 signature with {rec.hash_name} over a fresh "
            f"challenge verifies with the DG15 key ({description})",
        )
    if info is None:
        return AuthResult(
            "AA", "unsupported", f"DG15 holds an {description} key but DG14 has no "
            "ActiveAuthenticationInfo naming the signature algorithm",
        )
    try:
        verified = signatures.verify_signature(
            key, _algorithm_identifier(info.signature_algorithm), challenge, signature
        )
    except signatures.AlgorithmUnsupported as exc:
        return AuthResult("AA", "unsupported", f"ECDSA active authentication: {exc}")
    except signatures.SignatureError as exc:
        return AuthResult(
            "AA", "fail", f"the chip's ECDSA signature over a fresh challenge does not verify "
            f"with the DG15 key ({description}): {exc}; it does not hold DG15's private key",
        )
    return AuthResult(
        "AA", "pass", f"{verified.scheme} signature ({verified.ecdsa_format}) over a fresh "
        f"challenge verifies with the DG15 key ({description})",
    )




# --- the terminal ------------------------------------------------------------------------------


def _expected_length(dg15_spki: bytes) -> int:
    """Le for INTERNAL AUTHENTICATE: the modulus length (RSA) or room for a DER ECDSA pair."""
    try:
        key, _ = signatures.load_public_key(dg15_spki)
    except signatures.SignatureError:
        return 256
    if isinstance(key, rsa.RSAPublicKey):
        return max(256, (key.key_size + 7) // 8)
    return 256


def perform_active_authentication(
    channel: ApduChannel,
    dg15: bytes,
    infos: Sequence[SecurityInfo] = (),
    *,
    rng: Rng = os.urandom,
    challenge: bytes | None = None,
) -> AuthResult:
    """Challenge the chip over the open secure-messaging session and check its signature.

    ``dg15`` is the whole DG15 as read, ``infos`` DG14's SecurityInfos (for ECDSA's algorithm).
    ``challenge``: the 8 bytes a caller chose (a bank's server, so that the signature proves
    the chip answered *its* question, now); by default a fresh random one from ``rng``. The
    result carries the challenge and the chip's signature.
    Never raises for a chip that answers wrongly or refuses: that is the result ``fail``. A lost
    card raises (TransportError) like at any other step of a read: nothing was learnt about the
    chip, and the caller's retry on the next tap must not look like a finished check.
    """
    try:
        from cccd_reader.lds.dg15 import parse_dg15

        spki = parse_dg15(dg15).spki
    except CccdError as exc:
        return AuthResult("AA", "fail", f"DG15 cannot be parsed: {exc}")
    if challenge is None:
        challenge = rng(CHALLENGE_LENGTH)
        if len(challenge) != CHALLENGE_LENGTH:
            raise ValueError("random generator returned the wrong number of bytes")
    answer = internal_authenticate(channel, spki, challenge)
    if isinstance(answer, AuthResult):
        return answer
    result = verify_active_authentication(spki, challenge, answer, aa_info(infos))
    return replace(result, challenge=bytes(challenge), signature=answer)


def internal_authenticate(
    channel: ApduChannel, dg15_spki: bytes, challenge: bytes
) -> bytes | AuthResult:
    """Send INTERNAL AUTHENTICATE with ``challenge``: the chip's signature, or the ``fail``
    result saying how the chip refused. The terminal's fresh challenge (above), a bank
    server's challenge carried into an evidence package, and a caller's own challenge
    (:mod:`cccd_reader.active_auth`, for a backend that verifies the answer itself) all go
    through here. A lost card raises, as at any other step."""
    if len(challenge) != CHALLENGE_LENGTH:
        raise ValueError(f"an Active Authentication challenge is {CHALLENGE_LENGTH} bytes")
    cmd = CommandAPDU(0x00, INS_INTERNAL_AUTHENTICATE, 0x00, 0x00, challenge,
                      le=_expected_length(dg15_spki))
    try:
        resp = channel.send(cmd)
    except SecureMessagingError as exc:
        return AuthResult("AA", "fail", f"secure messaging broke at INTERNAL AUTHENTICATE: {exc}")
    except CardError as exc:
        return AuthResult("AA", "fail", f"INTERNAL AUTHENTICATE failed: {exc}")
    if not resp.ok:
        return AuthResult(
            "AA", "fail", f"the chip refused INTERNAL AUTHENTICATE ({describe_sw(resp.sw)}) "
            "although DG15 announces Active Authentication",
        )
    if not resp.data:
        return AuthResult("AA", "fail", "the chip answered INTERNAL AUTHENTICATE without data")
    return bytes(resp.data)
