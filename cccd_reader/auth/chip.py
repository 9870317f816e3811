"""Chip Authentication version 1 (ICAO 9303 Part 11 §6.2, BSI TR-03110): a key no clone has.

The terminal agrees a key (ECDH or DH) between a fresh ephemeral key pair and the chip's static
key from DG14, and restarts secure messaging with keys derived from it (SSC 0). Only a chip that
holds the static private key can continue the session, so the evidence is the first protected
exchange *after* the switch: :func:`perform_chip_authentication` re-reads the first bytes of a
file already read (EF.COM) under the new keys and compares them.

Two command flows, chosen by the cipher of the protocol (§6.2.4):

* 3DES: MSE:Set KAT (``00 22 41 A6``) with DO'91 the ephemeral public key and DO'84 the key ID;
* AES: MSE:Set AT (``00 22 41 A4``) with DO'80 the protocol OID and DO'84 the key ID, then
  GENERAL AUTHENTICATE (``00 86 00 00``) with ``7C { 80 ephemeral public key }``.

DG14 may list several keys (each with a keyId) and several ChipAuthenticationInfos; a
ChipAuthenticationInfo names its key by keyId, and a chip that lists only key infos implies
version 1 with 3DES for each (§9.2.5). A PACE-CAM run (§4.4.3.5) proves the same thing, and
:func:`verify_pace_cam_result` turns it into the same kind of result.

Group arithmetic, point validation and the shared-secret encodings are those of PACE
(:class:`~cccd_reader.access.pace.PaceGroup`), so both protocols and both sides of each agree.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from asn1crypto import core, keys

from cccd_reader import oids
from cccd_reader.access import ecc, pace
from cccd_reader.access.kdf import session_keys
from cccd_reader.access.pace import DHGroup, PaceError, PaceGroup, PaceResult
from cccd_reader.auth.active import AuthResult
from cccd_reader.errors import (
    ASN1_ERRORS,
    CardError,
    CccdError,
    ProtocolNotSupportedError,
    SecureMessagingError,
)
from cccd_reader.iso7816 import tlv
from cccd_reader.iso7816.apdu import CommandAPDU, describe_sw
from cccd_reader.iso7816.sm import SecureMessaging
from cccd_reader.iso7816.transport import ApduChannel
from cccd_reader.lds.files import FILES
from cccd_reader.lds.security_infos import (
    ID_CA_DH,
    ID_CA_ECDH,
    ID_PK_DH,
    ID_PK_ECDH,
    ID_STANDARDIZED_DOMAIN_PARAMETERS,
    ChipAuthenticationInfo,
    ChipAuthenticationPublicKeyInfo,
    SecurityInfo,
)
from cccd_reader.pki import curves
from cccd_reader.rng import Rng

KeyAgreement = Literal["DH", "ECDH"]
CipherName = Literal["3DES", "AES"]

INS_MSE = 0x22
INS_GENERAL_AUTHENTICATE = 0x86
P1P2_SET_KAT = (0x41, 0xA6)
P1P2_SET_AT_CA = (0x41, 0xA4)
TAG_EPHEMERAL_KAT = 0x91
TAG_KEY_ID = 0x84
TAG_OID = 0x80
TAG_EPHEMERAL_GA = 0x80

#: Below this a DH group protects nothing (and would make the SM keys guessable).
MIN_DH_BITS = 1024


class ChipAuthenticationError(CccdError):
    """DG14's Chip Authentication data is malformed or inconsistent."""


class ChipAuthenticationUnsupported(ChipAuthenticationError):
    """DG14 asks for a key type, group or protocol this reader cannot run."""


@dataclass(frozen=True, slots=True)
class CAAlgorithm:
    """What one id-CA-* protocol OID selects (ICAO 9303-11 §9.2.5)."""

    oid: str
    name: str
    key_agreement: KeyAgreement
    cipher: CipherName
    key_bits: int

    @property
    def cipher_label(self) -> str:
        return "3DES" if self.cipher == "3DES" else f"AES-{self.key_bits}"


def _ca_table() -> dict[str, CAAlgorithm]:
    suites: list[tuple[int, CipherName, int, str]] = [
        (1, "3DES", 112, "3DES-CBC-CBC"),
        (2, "AES", 128, "AES-CBC-CMAC-128"),
        (3, "AES", 192, "AES-CBC-CMAC-192"),
        (4, "AES", 256, "AES-CBC-CMAC-256"),
    ]
    table: dict[str, CAAlgorithm] = {}
    for base, ka in ((ID_CA_DH, "DH"), (ID_CA_ECDH, "ECDH")):
        for arc, cipher, bits, suffix in suites:
            oid = f"{base}.{arc}"
            table[oid] = CAAlgorithm(oid, f"id-CA-{ka}-{suffix}", ka, cipher, bits)  # type: ignore[arg-type]
    return table


#: id-CA-DH-3DES-CBC-CBC ... id-CA-ECDH-AES-CBC-CMAC-256.
CA_ALGORITHMS: dict[str, CAAlgorithm] = _ca_table()


def default_algorithm(key_agreement: KeyAgreement) -> CAAlgorithm:
    """The protocol a chip that lists only its key implies: version 1 with 3DES (§9.2.5)."""
    base = ID_CA_DH if key_agreement == "DH" else ID_CA_ECDH
    return CA_ALGORITHMS[f"{base}.1"]


# --- the chip's static key ---------------------------------------------------------------------


@dataclass(frozen=True)
class ChipKey:
    """A static Chip Authentication public key from DG14, decoded and validated."""

    key_id: int | None
    key_agreement: KeyAgreement
    group: PaceGroup[Any]
    public: Any
    description: str


def _curve_for(crypto_curve_name: str) -> ecc.Curve:
    for curve in ecc.STANDARD_CURVES.values():
        if curve.crypto is not None and curve.crypto.name == crypto_curve_name:
            return curve
    raise ChipAuthenticationUnsupported(f"chip authentication on {crypto_curve_name} is not "
                                        "supported")


def _dh_public_value(raw: bytes) -> bytes:
    """DH public keys are a DER INTEGER inside the BIT STRING; some issuers put the bare value."""
    try:
        value = core.Integer.load(raw, strict=True).native
        if isinstance(value, int) and value > 0:
            return pace.unsigned_integer(value)
    except ValueError:
        pass
    return raw


def chip_key(info: ChipAuthenticationPublicKeyInfo) -> ChipKey:
    """Decode DG14's ChipAuthenticationPublicKeyInfo into a group and a validated element.

    Accepted encodings: an X9.62 EC key (named or explicit curve, matched against the known
    curves), an X9.42 DH key (p, g, q), or ``standardizedDomainParameters`` with the
    ICAO 9303-11 Table 12 ID.
    """
    try:
        oid = info.algorithm_oid
        params = info.algorithm_parameters
        raw = info.public_key
    except CccdError as exc:
        raise ChipAuthenticationError(f"chip authentication key is malformed: {exc}") from None
    domain: pace.Domain
    try:
        if oid == oids.EC_PUBLIC_KEY:
            key = curves.load_ec_public_key(info.subject_public_key_info)
            domain = _curve_for(key.curve.name)
        elif oid == oids.DH_PUBLIC_NUMBER:
            if params is None:
                raise ChipAuthenticationError("DH chip authentication key without parameters")
            dh = keys.DomainParameters.load(params, strict=True)
            q = dh["q"].native
            domain = DHGroup("DH group from DG14", int(dh["p"].native), int(dh["g"].native),
                             int(q))
            raw = _dh_public_value(raw)
        elif oid == ID_STANDARDIZED_DOMAIN_PARAMETERS:
            if params is None:
                raise ChipAuthenticationError("standardized domain parameters without an ID")
            domain = pace.standard_domain(int(core.Integer.load(params, strict=True).native))
            if isinstance(domain, DHGroup):
                raw = _dh_public_value(raw)
        else:
            raise ChipAuthenticationUnsupported(f"chip authentication key of type {oid}")
    except (curves.UnsupportedCurveError, ProtocolNotSupportedError) as exc:
        raise ChipAuthenticationUnsupported(str(exc)) from None
    except curves.CurveParameterError as exc:
        raise ChipAuthenticationError(f"chip authentication key is malformed: {exc}") from None
    except ASN1_ERRORS as exc:
        raise ChipAuthenticationError(f"chip authentication key is malformed: {exc}") from None
    if isinstance(domain, DHGroup) and domain.p.bit_length() < MIN_DH_BITS:
        raise ChipAuthenticationUnsupported(
            f"DH group of {domain.p.bit_length()} bits is too weak to rely on"
        )
    group = pace.make_group(domain)
    try:
        public = group.decode(raw)
    except PaceError as exc:
        raise ChipAuthenticationError(f"DG14 chip authentication key: {exc}") from None
    expected = "DH" if isinstance(domain, DHGroup) else "ECDH"
    if info.protocol != (ID_PK_DH if expected == "DH" else ID_PK_ECDH):
        raise ChipAuthenticationError(
            f"DG14 announces a {info.protocol} key but holds a {expected} key"
        )
    bits = domain.p.bit_length()
    name = "DH" if isinstance(domain, DHGroup) else domain.name
    return ChipKey(info.key_id, expected, group, public, f"{name} ({bits}-bit)")  # type: ignore[arg-type]


# --- choosing what to run ----------------------------------------------------------------------


@dataclass(frozen=True)
class CAChoice:
    algorithm: CAAlgorithm
    key: ChipKey
    #: Whether DO'84 must name the key (DG14 lists several keys, or the key has an ID).
    send_key_id: bool


def _rank(choice: CAChoice) -> tuple[int, int]:
    alg = choice.algorithm
    return (int(alg.key_agreement == "ECDH"), 0 if alg.cipher == "3DES" else alg.key_bits)


def choose_chip_authentication(infos: Iterable[SecurityInfo]) -> CAChoice:
    """The strongest (protocol, key) pair DG14 offers that this reader can run.

    A ChipAuthenticationInfo with a keyId uses the key with that keyId; without one it needs
    the only key of its kind. Without any ChipAuthenticationInfo, each key implies 3DES.
    Raises ChipAuthenticationUnsupported when nothing can run, ChipAuthenticationError when
    DG14 is inconsistent (a keyId that names no key).
    """
    items = list(infos)
    key_infos = [i for i in items if isinstance(i, ChipAuthenticationPublicKeyInfo)]
    ca_infos = [i for i in items if isinstance(i, ChipAuthenticationInfo)]
    if not key_infos:
        raise ChipAuthenticationError("DG14 announces Chip Authentication but holds no key")
    decoded: list[ChipKey] = []
    problems: list[str] = []
    for info in key_infos:
        try:
            decoded.append(chip_key(info))
        except ChipAuthenticationUnsupported as exc:
            problems.append(str(exc))
    send_key_id = len(key_infos) > 1
    choices: list[CAChoice] = []
    if not ca_infos:
        choices = [CAChoice(default_algorithm(k.key_agreement), k, send_key_id or
                            k.key_id is not None) for k in decoded]
    for ca_info in ca_infos:
        algorithm = CA_ALGORITHMS.get(ca_info.protocol)
        if algorithm is None or ca_info.version != 1:
            problems.append(f"{ca_info.protocol} version {ca_info.version} is not supported")
            continue
        if ca_info.key_id is not None:
            if not any(k.key_id == ca_info.key_id for k in key_infos):
                raise ChipAuthenticationError(
                    f"DG14's ChipAuthenticationInfo names key {ca_info.key_id}, which DG14 lacks"
                )
            candidates = [k for k in decoded if k.key_id == ca_info.key_id]
        else:
            candidates = [k for k in decoded if k.key_agreement == algorithm.key_agreement]
            if len([k for k in key_infos if _kind(k) == algorithm.key_agreement]) > 1:
                problems.append(f"{algorithm.name} without keyId is ambiguous: several keys")
                continue
        for key in candidates:
            if key.key_agreement != algorithm.key_agreement:
                raise ChipAuthenticationError(
                    f"{algorithm.name} names key {key.key_id}, a {key.key_agreement} key"
                )
            choices.append(CAChoice(algorithm, key, send_key_id or key.key_id is not None))
    if not choices:
        raise ChipAuthenticationUnsupported(
            "none of DG14's chip authentication options can be run here"
            + (f" ({'; '.join(problems)})" if problems else "")
        )
    return max(choices, key=_rank)


def _kind(info: ChipAuthenticationPublicKeyInfo) -> KeyAgreement:
    return "DH" if info.protocol == ID_PK_DH else "ECDH"


# --- shared by the terminal and the chip -------------------------------------------------------


def session_from_secret(algorithm: CAAlgorithm, secret: bytes) -> SecureMessaging:
    """The new secure-messaging session: KS_enc, KS_mac = KDF(K, 1), KDF(K, 2), SSC 0."""
    bits = 128 if algorithm.cipher == "3DES" else algorithm.key_bits
    ks_enc, ks_mac = session_keys(secret, cipher=algorithm.cipher, key_bits=bits)
    return SecureMessaging.from_keys(algorithm.cipher, ks_enc, ks_mac, 0)


def key_id_object(key_id: int | None) -> bytes:
    return b"" if key_id is None else tlv.encode(TAG_KEY_ID, pace.unsigned_integer(key_id))


def mse_set_kat(public_wire: bytes, key_id: int | None) -> CommandAPDU:
    data = tlv.encode(TAG_EPHEMERAL_KAT, public_wire) + key_id_object(key_id)
    return CommandAPDU(0x00, INS_MSE, *P1P2_SET_KAT, data)


def mse_set_at(oid: str, key_id: int | None) -> CommandAPDU:
    data = tlv.encode(TAG_OID, pace.oid_contents(oid)) + key_id_object(key_id)
    return CommandAPDU(0x00, INS_MSE, *P1P2_SET_AT_CA, data)


def general_authenticate(public_wire: bytes) -> CommandAPDU:
    data = tlv.encode(0x7C, tlv.encode(TAG_EPHEMERAL_GA, public_wire))
    return CommandAPDU(0x00, INS_GENERAL_AUTHENTICATE, 0x00, 0x00, data, le=256)


# --- the terminal ------------------------------------------------------------------------------

_CLONE = ("the chip cannot continue secure messaging under the keys agreed with DG14's chip "
          "authentication key: it does not hold that private key")


def _prove(channel: ApduChannel, proof: tuple[int, bytes], use_sfi: bool = True) -> str | None:
    """Re-read the first bytes of a known file under the new keys; None if they match."""
    fid, expected = proof
    want = min(len(expected), 16)
    # One READ BINARY by short EF identifier saves the SELECT; its answer already verified
    # under the new MAC key. A chip without SFI support refuses it (correctly MACed), and we
    # select the file instead, so a genuine chip is never taken for a clone over this.
    sfi = next(
        (i.sfi for i in FILES.values() if i.fid == fid and i.in_application and i.sfi), None
    )
    if sfi is not None and use_sfi:
        resp = channel.send(CommandAPDU(0x00, 0xB0, 0x80 | sfi, 0x00, le=want))
        if resp.ok:
            if resp.data != expected[:want]:
                return f"file {fid:04X} reads differently under the new keys"
            return None
    resp = channel.send(CommandAPDU(0x00, 0xA4, 0x02, 0x0C, fid.to_bytes(2, "big")))
    if not resp.ok:
        return f"SELECT {fid:04X} under the new keys failed: {describe_sw(resp.sw)}"
    resp = channel.send(CommandAPDU(0x00, 0xB0, 0x00, 0x00, le=want))
    if not resp.ok or resp.data != expected[:want]:
        return f"file {fid:04X} reads differently under the new keys ({describe_sw(resp.sw)})"
    return None


def perform_chip_authentication(
    channel: ApduChannel,
    infos: Sequence[SecurityInfo],
    *,
    proof: tuple[int, bytes],
    rng: Rng = os.urandom,
    use_sfi: bool = True,
) -> AuthResult:
    """Run Chip Authentication v1 on an open SM session and prove the new keys.

    ``use_sfi=False`` when the read already found the chip refuses short-EF reads.

    ``infos`` are DG14's SecurityInfos; ``proof`` is (FID, bytes already read from it), re-read
    under the new keys. On success the new session is installed on ``channel``. A chip that
    refuses or cannot continue is ``fail``; a DG14 this reader cannot use is ``unsupported``;
    a card that leaves the field raises TransportError, as anywhere in a read. After ``fail``
    the session is gone.
    """
    try:
        choice = choose_chip_authentication(infos)
    except ChipAuthenticationUnsupported as exc:
        return AuthResult("CA", "unsupported", str(exc))
    except ChipAuthenticationError as exc:
        return AuthResult("CA", "fail", str(exc))
    algorithm, key = choice.algorithm, choice.key
    key_id = key.key_id if choice.send_key_id else None
    label = f"{algorithm.name} with {key.description}" + (
        f", key {key.key_id}" if key.key_id is not None else ""
    )
    group = key.group
    private = group.random_private(rng)
    public_wire = group.encode(group.standard_public_key(private))
    try:
        secret = group.shared_secret(private, key.public)
    except PaceError as exc:
        return AuthResult("CA", "fail", f"key agreement with DG14's key failed: {exc}")
    try:
        if algorithm.cipher == "3DES":
            resp = channel.send(mse_set_kat(public_wire, key_id))
            step = "MSE:Set KAT"
        else:
            resp = channel.send(mse_set_at(algorithm.oid, key_id))
            step = "MSE:Set AT"
            if resp.ok:
                resp = channel.send(general_authenticate(public_wire))
                step = "GENERAL AUTHENTICATE"
        if not resp.ok:
            return AuthResult(
                "CA", "fail", f"the chip refused {step} for {label} ({describe_sw(resp.sw)}) "
                "although DG14 announces it",
            )
        channel.sm = session_from_secret(algorithm, secret)
        problem = _prove(channel, proof, use_sfi)
    except SecureMessagingError as exc:
        return AuthResult("CA", "fail", f"{_CLONE} ({label}; {exc})")
    except CardError as exc:
        return AuthResult("CA", "fail", f"chip authentication failed: {exc}")
    if problem is not None:
        return AuthResult("CA", "fail", f"{problem}; {_CLONE}")
    return AuthResult(
        "CA", "pass", f"{label}: the chip continued secure messaging ({algorithm.cipher_label}) "
        "under keys agreed with DG14's chip authentication key",
    )


def verify_pace_cam_result(
    result: PaceResult,
    infos: Sequence[SecurityInfo],
    card_security_infos: Sequence[SecurityInfo] = (),
) -> AuthResult:
    """PACE-CAM as chip authentication: the CAM data must match one of the chip's ECDH keys,
    from DG14 or else from EF.CardSecurity (``AuthResult.key_file`` says which, so the
    verdict can require that file's own proof)."""
    for source, candidates in (("DG14", infos), ("EF.CardSecurity", card_security_infos)):
        keys_ = [i for i in candidates if isinstance(i, ChipAuthenticationPublicKeyInfo)
                 and i.protocol == ID_PK_ECDH]
        if not keys_:
            continue
        for info in keys_:
            if pace.verify_cam(result, info):
                which = f" (key {info.key_id})" if info.key_id is not None else ""
                return AuthResult(
                    "PACE-CAM", "pass", f"PACE-CAM chip authentication data matches "
                    f"{source}'s chip authentication key{which} on {result.domain_name}",
                    key_file=source,
                )
        return AuthResult(
            "PACE-CAM", "fail", f"PACE-CAM chip authentication data does not match {source}'s "
            "chip authentication key: the chip does not hold that private key",
            key_file=source,
        )
    # no proof either way, and no accusation of a chip that may well be genuine
    return AuthResult(
        "PACE-CAM", "unsupported", "PACE-CAM was run but neither DG14 nor EF.CardSecurity "
        "holds an ECDH chip authentication key to check it against",
    )
