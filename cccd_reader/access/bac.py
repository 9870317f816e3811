"""Basic Access Control (ICAO 9303 Part 11 §4.3): the terminal, as pure functions.

The terminal half (:func:`perform_bac`) drives GET CHALLENGE / MUTUAL AUTHENTICATE over an
:class:`~cccd_reader.iso7816.transport.ApduChannel`; the cryptographic steps are separate pure
functions so they can be checked against the worked example of Appendix D and reused by the
virtual chip, whose half (``cccd_sim.chip.chip_mutual_authenticate``) lives with it.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass

from Crypto.Cipher import DES3

from cccd_reader.access.kdf import kdf, session_keys
from cccd_reader.errors import AccessDeniedError, CardError, ProtocolNotSupportedError
from cccd_reader.iso7816.apdu import CommandAPDU, describe_sw
from cccd_reader.iso7816.sm import SecureMessaging, pad, retail_mac
from cccd_reader.iso7816.transport import ApduChannel
from cccd_reader.rng import Rng

#: Status words with which chips refuse BAC as a protocol (PACE-only chips): 6A88 is the
#: ICAO-recommended answer, some chips say 6D00 (INS not supported) or 6985.
_BAC_UNSUPPORTED = {0x6A88, 0x6D00, 0x6985, 0x6A81}
#: Status words meaning "wrong key" at MUTUAL AUTHENTICATE.
_BAC_DENIED = {0x6300, 0x6982}


def key_seed(mrz_information: str) -> bytes:
    """Kseed: the first 16 bytes of SHA-1 over the MRZ information (Part 11 §9.7.2)."""
    return hashlib.sha1(mrz_information.encode("ascii")).digest()[:16]


def document_keys(mrz_information: str) -> tuple[bytes, bytes]:
    """(Kenc, Kmac) of the document, derived from the printed MRZ."""
    return session_keys(key_seed(mrz_information), cipher="3DES")


def cbc_encrypt(key: bytes, data: bytes) -> bytes:
    """3DES-CBC with a zero IV: how both sides encrypt their MUTUAL AUTHENTICATE cryptograms."""
    return DES3.new(key, DES3.MODE_CBC, iv=bytes(8)).encrypt(data)


def cbc_decrypt(key: bytes, data: bytes) -> bytes:
    """Inverse of :func:`cbc_encrypt`."""
    return DES3.new(key, DES3.MODE_CBC, iv=bytes(8)).decrypt(data)


def cryptogram_mac(kmac: bytes, data: bytes) -> bytes:
    """The retail MAC over a padded cryptogram (M_IFD, M_IC)."""
    return retail_mac(kmac[:8], kmac[8:], pad(data, 8))


def terminal_cryptogram(
    rnd_ic: bytes, rnd_ifd: bytes, k_ifd: bytes, kenc: bytes, kmac: bytes
) -> bytes:
    """E_IFD || M_IFD, the 40-byte MUTUAL AUTHENTICATE command data."""
    e_ifd = cbc_encrypt(kenc, rnd_ifd + rnd_ic + k_ifd)
    return e_ifd + cryptogram_mac(kmac, e_ifd)


@dataclass(frozen=True)
class SessionKeys:
    ks_enc: bytes
    ks_mac: bytes
    ssc: bytes


def derive_session_keys(
    k_ifd: bytes, k_ic: bytes, rnd_ic: bytes, rnd_ifd: bytes
) -> SessionKeys:
    """KS_enc, KS_mac and the SSC from both sides' key halves and challenges (§9.7.4)."""
    seed = bytes(a ^ b for a, b in zip(k_ifd, k_ic, strict=True))
    return SessionKeys(
        kdf(seed, 1, cipher="3DES"), kdf(seed, 2, cipher="3DES"), rnd_ic[4:] + rnd_ifd[4:]
    )


def terminal_finish(
    response: bytes, rnd_ic: bytes, rnd_ifd: bytes, k_ifd: bytes, kenc: bytes, kmac: bytes
) -> SessionKeys:
    """Check the chip's E_IC || M_IC and derive the session keys.

    Raises AccessDeniedError when the chip's cryptogram does not authenticate: either the chip
    is not the one the MRZ belongs to, or the response was altered.
    """
    if len(response) != 40:
        raise AccessDeniedError(
            f"BAC: chip answered {len(response)} bytes instead of 40", password_type="MRZ"
        )
    e_ic, m_ic = response[:32], response[32:]
    if not hmac.compare_digest(cryptogram_mac(kmac, e_ic), m_ic):
        raise AccessDeniedError("BAC: the chip's answer does not verify", password_type="MRZ")
    plain = cbc_decrypt(kenc, e_ic)
    if plain[:8] != rnd_ic or plain[8:16] != rnd_ifd:
        raise AccessDeniedError("BAC: the chip did not return our challenge", password_type="MRZ")
    return derive_session_keys(k_ifd, plain[16:], rnd_ic, rnd_ifd)


@dataclass(frozen=True)
class BacResult:
    sm: SecureMessaging
    protocol: str = "BAC"
    cipher: str = "3DES"
    password: str = "MRZ"


def perform_bac(
    channel: ApduChannel, mrz_information: str, *, rng: Rng = os.urandom
) -> BacResult:
    """Run BAC and install secure messaging on ``channel``.

    There is no retry on a refused key: chips may count failures, and a wrong MRZ will not
    become right by trying again.
    """
    channel.sm = None
    kenc, kmac = document_keys(mrz_information)
    resp = channel.send_plain(CommandAPDU(0x00, 0x84, 0x00, 0x00, le=8))
    if resp.sw in _BAC_UNSUPPORTED:
        raise ProtocolNotSupportedError(
            f"the chip refuses BAC ({describe_sw(resp.sw)}): it is PACE-only; "
            "open it with PACE (CAN or MRZ)"
        )
    if not resp.ok or len(resp.data) != 8:
        raise CardError(f"GET CHALLENGE failed: {describe_sw(resp.sw)}", sw=resp.sw)
    rnd_ic = resp.data
    rnd_ifd, k_ifd = rng(8), rng(16)
    data = terminal_cryptogram(rnd_ic, rnd_ifd, k_ifd, kenc, kmac)
    resp = channel.send_plain(CommandAPDU(0x00, 0x82, 0x00, 0x00, data, le=40))
    if resp.sw in _BAC_DENIED:
        raise AccessDeniedError(
            "access denied: check document number / birth / expiry", password_type="MRZ"
        )
    if resp.sw in _BAC_UNSUPPORTED:
        raise ProtocolNotSupportedError(
            f"the chip refuses BAC ({describe_sw(resp.sw)}): it is PACE-only"
        )
    if not resp.ok:
        raise CardError(f"MUTUAL AUTHENTICATE failed: {describe_sw(resp.sw)}", sw=resp.sw)
    keys = terminal_finish(resp.data, rnd_ic, rnd_ifd, k_ifd, kenc, kmac)
    sm = SecureMessaging.from_keys("3DES", keys.ks_enc, keys.ks_mac, keys.ssc)
    channel.sm = sm
    return BacResult(sm)
