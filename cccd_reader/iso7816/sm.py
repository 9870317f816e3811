"""Secure messaging of ICAO 9303 Part 11 §9.8 (ISO 7816-4 SM with DO'85/'87, '97, '99, '8E).

Both directions live here because the terminal and the virtual chip must agree bit for bit:
:meth:`SecureMessaging.protect_command` / :meth:`unprotect_response` are the terminal's half,
:meth:`unprotect_command` / :meth:`protect_response` the chip's. Ciphers:

* 3DES (BAC, PACE-3DES): two-key 3DES-CBC with a zero IV, MAC = ISO/IEC 9797-1 MAC algorithm 3
  (retail MAC) with DES, 8-byte SSC.
* AES (PACE, CA): AES-CBC with IV = E(KSenc, SSC), MAC = AES-CMAC truncated to 8 bytes,
  16-byte SSC (ICAO 9303 Part 11 §9.8.6.3 and BSI TR-03110-3 §F).

Primitives come from pycryptodome; only the MAC and SM framing, which are modes rather than
primitives, are composed here.
"""

from __future__ import annotations

import hmac
from abc import ABC, abstractmethod
from typing import Literal

from Crypto.Cipher import AES, DES, DES3
from Crypto.Hash import CMAC

from cccd_reader.errors import SecureMessagingError, TLVError
from cccd_reader.iso7816 import tlv
from cccd_reader.iso7816.apdu import CommandAPDU, ResponseAPDU

CipherName = Literal["3DES", "AES"]

#: SW returned by a chip that detects an SM error (ISO 7816-4): missing or incorrect SM DOs.
SW_SM_MISSING = 0x6987
SW_SM_INCORRECT = 0x6988


def pad(data: bytes, block: int) -> bytes:
    """ISO/IEC 9797-1 padding method 2."""
    data += b"\x80"
    return data + b"\x00" * (-len(data) % block)


def unpad(data: bytes) -> bytes:
    stripped = data.rstrip(b"\x00")
    if not stripped or stripped[-1] != 0x80:
        raise SecureMessagingError("bad ISO 9797-1 padding in decrypted data")
    return stripped[:-1]


class SMCipher(ABC):
    """Encryption and MAC of one SM session; ``ssc`` is passed in as bytes of the cipher's width."""

    name: CipherName
    block_size: int

    @abstractmethod
    def encrypt(self, padded: bytes, ssc: bytes) -> bytes: ...

    @abstractmethod
    def decrypt(self, data: bytes, ssc: bytes) -> bytes: ...

    @abstractmethod
    def mac(self, padded: bytes) -> bytes:
        """8-byte MAC over already padded data."""


class TripleDESCipher(SMCipher):
    name: CipherName = "3DES"
    block_size = 8

    def __init__(self, ks_enc: bytes, ks_mac: bytes) -> None:
        if len(ks_enc) != 16 or len(ks_mac) != 16:
            raise ValueError("3DES SM keys are 16 bytes")
        self._k_enc = DES3.adjust_key_parity(ks_enc)
        self._ka, self._kb = ks_mac[:8], ks_mac[8:]

    def encrypt(self, padded: bytes, ssc: bytes) -> bytes:
        return DES3.new(self._k_enc, DES3.MODE_CBC, iv=bytes(8)).encrypt(padded)

    def decrypt(self, data: bytes, ssc: bytes) -> bytes:
        if len(data) % 8:
            raise SecureMessagingError("encrypted data is not a whole number of blocks")
        return DES3.new(self._k_enc, DES3.MODE_CBC, iv=bytes(8)).decrypt(data)

    def mac(self, padded: bytes) -> bytes:
        return retail_mac(self._ka, self._kb, padded)


def retail_mac(ka: bytes, kb: bytes, padded: bytes) -> bytes:
    """ISO/IEC 9797-1 MAC algorithm 3 with DES (Ka over the chain, then D(Kb), E(Ka) at the end)."""
    h = DES.new(ka, DES.MODE_CBC, iv=bytes(8)).encrypt(padded)[-8:]
    h = DES.new(kb, DES.MODE_ECB).decrypt(h)
    return DES.new(ka, DES.MODE_ECB).encrypt(h)


class AESCipher(SMCipher):
    name: CipherName = "AES"
    block_size = 16

    def __init__(self, ks_enc: bytes, ks_mac: bytes) -> None:
        if len(ks_enc) not in (16, 24, 32) or len(ks_mac) != len(ks_enc):
            raise ValueError("AES SM keys are 16, 24 or 32 bytes")
        self._k_enc = ks_enc
        self._k_mac = ks_mac
        self._ecb = AES.new(ks_enc, AES.MODE_ECB)

    def _iv(self, ssc: bytes) -> bytes:
        return self._ecb.encrypt(ssc)

    def encrypt(self, padded: bytes, ssc: bytes) -> bytes:
        return AES.new(self._k_enc, AES.MODE_CBC, iv=self._iv(ssc)).encrypt(padded)

    def decrypt(self, data: bytes, ssc: bytes) -> bytes:
        if len(data) % 16:
            raise SecureMessagingError("encrypted data is not a whole number of blocks")
        return AES.new(self._k_enc, AES.MODE_CBC, iv=self._iv(ssc)).decrypt(data)

    def mac(self, padded: bytes) -> bytes:
        return CMAC.new(self._k_mac, msg=padded, ciphermod=AES).digest()[:8]


def make_cipher(name: CipherName, ks_enc: bytes, ks_mac: bytes) -> SMCipher:
    if name == "3DES":
        return TripleDESCipher(ks_enc, ks_mac)
    if name == "AES":
        return AESCipher(ks_enc, ks_mac)
    raise ValueError(f"unknown SM cipher {name!r}")


def _le_bytes(le: int, extended: bool) -> bytes:
    if extended:
        return (le & 0xFFFF).to_bytes(2, "big")
    return bytes([le & 0xFF])


class SecureMessaging:
    """One SM session: keys plus the send sequence counter, advanced on every message."""

    def __init__(self, cipher: SMCipher, ssc: int) -> None:
        self.cipher = cipher
        self._ssc = ssc
        self._width = cipher.block_size

    @classmethod
    def from_keys(
        cls, name: CipherName, ks_enc: bytes, ks_mac: bytes, ssc: bytes | int = 0
    ) -> SecureMessaging:
        start = int.from_bytes(ssc, "big") if isinstance(ssc, bytes) else ssc
        return cls(make_cipher(name, ks_enc, ks_mac), start)

    @property
    def ssc(self) -> bytes:
        return self._ssc.to_bytes(self._width, "big")

    def _next_ssc(self) -> bytes:
        self._ssc = (self._ssc + 1) % (1 << (8 * self._width))
        return self.ssc

    def _mac_input(self, ssc: bytes, body: bytes) -> bytes:
        return pad(ssc + body, self.cipher.block_size)

    # ----- terminal side -----

    def protect_command(self, cmd: CommandAPDU) -> CommandAPDU:
        bs = self.cipher.block_size
        ssc = self._next_ssc()
        cla = cmd.cla | 0x0C
        header = pad(bytes((cla, cmd.ins, cmd.p1, cmd.p2)), bs)
        do87 = b""
        if cmd.data:
            enc = self.cipher.encrypt(pad(cmd.data, bs), ssc)
            if cmd.ins & 1:
                do87 = tlv.encode(0x85, enc)
            else:
                do87 = tlv.encode(0x87, b"\x01" + enc)
        do97 = b""
        extended = cmd.extended
        if cmd.le is not None:
            do97 = tlv.encode(0x97, _le_bytes(cmd.le, cmd.le > 256 or extended))
        mac = self.cipher.mac(self._mac_input(ssc, header + do87 + do97))
        body = do87 + do97 + tlv.encode(0x8E, mac)
        le = 65536 if (extended or len(body) > 255) else 256
        return CommandAPDU(cla, cmd.ins, cmd.p1, cmd.p2, body, le, force_extended=le > 256)

    def unprotect_response(self, resp: ResponseAPDU) -> ResponseAPDU:
        ssc = self._next_ssc()
        if not resp.data:
            # A chip that detects an SM error answers in plain and ends the session.
            if resp.sw in (SW_SM_MISSING, SW_SM_INCORRECT):
                raise SecureMessagingError(
                    f"the chip rejected our secure messaging ({resp.sw:04X}); session ended"
                )
            if resp.ok:
                raise SecureMessagingError("success status without secure messaging objects")
            return resp  # plain error status: carries no data, nothing to authenticate
        try:
            objs = tlv.decode_all(resp.data)
        except TLVError as exc:
            raise SecureMessagingError(f"malformed SM response: {exc}") from exc
        tags = [o.tag for o in objs]
        if not tags or tags[-1] != 0x8E or tags.count(0x8E) != 1:
            raise SecureMessagingError("SM response without a trailing MAC (DO'8E)")
        enc_obj = None
        do99 = None
        mac_body = b""
        for o in objs[:-1]:
            if o.tag in (0x85, 0x87) and enc_obj is None and do99 is None:
                enc_obj = o
            elif o.tag == 0x99 and do99 is None:
                do99 = o
            else:
                raise SecureMessagingError(f"unexpected object {o.tag:X} in SM response")
            mac_body += o.encode()
        if do99 is None or len(do99.value) != 2:
            raise SecureMessagingError("SM response without a valid status object (DO'99)")
        expected = self.cipher.mac(self._mac_input(ssc, mac_body))
        if not hmac.compare_digest(expected, objs[-1].value):
            raise SecureMessagingError("MAC of the chip's response does not verify")
        sw = int.from_bytes(do99.value, "big")
        if sw != resp.sw:
            raise SecureMessagingError(
                f"protected status {sw:04X} differs from the plain status {resp.sw:04X}"
            )
        data = b""
        if enc_obj is not None:
            data = self._decrypt_obj(enc_obj, ssc)
        return ResponseAPDU(data, sw)

    def _decrypt_obj(self, obj: tlv.TLV, ssc: bytes) -> bytes:
        if obj.tag == 0x87:
            if not obj.value or obj.value[0] != 0x01:
                raise SecureMessagingError("DO'87 without padding-content indicator 01")
            return unpad(self.cipher.decrypt(obj.value[1:], ssc))
        return unpad(self.cipher.decrypt(obj.value, ssc))

    # ----- chip side -----

    def unprotect_command(self, cmd: CommandAPDU) -> CommandAPDU:
        """Verify and decrypt a protected command; raise SecureMessagingError on any defect."""
        ssc = self._next_ssc()
        if cmd.cla & 0x0C != 0x0C:
            raise SecureMessagingError("command is not protected")
        try:
            objs = tlv.decode_all(cmd.data)
        except TLVError as exc:
            raise SecureMessagingError(f"malformed SM command: {exc}") from exc
        if not objs or objs[-1].tag != 0x8E:
            raise SecureMessagingError("SM command without MAC")
        enc_obj = None
        do97 = None
        body = b""
        for o in objs[:-1]:
            if o.tag in (0x85, 0x87) and enc_obj is None and do97 is None:
                enc_obj = o
            elif o.tag == 0x97 and do97 is None:
                do97 = o
            else:
                raise SecureMessagingError(f"unexpected object {o.tag:X} in SM command")
            body += o.encode()
        header = pad(bytes((cmd.cla, cmd.ins, cmd.p1, cmd.p2)), self.cipher.block_size)
        expected = self.cipher.mac(self._mac_input(ssc, header + body))
        if not hmac.compare_digest(expected, objs[-1].value):
            raise SecureMessagingError("command MAC does not verify")
        data = self._decrypt_obj(enc_obj, ssc) if enc_obj is not None else b""
        le: int | None = None
        if do97 is not None:
            if len(do97.value) not in (1, 2):
                raise SecureMessagingError("DO'97 must hold 1 or 2 bytes")
            raw_le = int.from_bytes(do97.value, "big")
            le = raw_le or (256 if len(do97.value) == 1 else 65536)
        return CommandAPDU(cmd.cla & ~0x0C & 0xFF, cmd.ins, cmd.p1, cmd.p2, data, le,
                           force_extended=bool(do97 is not None and len(do97.value) == 2))

    def protect_response(self, resp: ResponseAPDU, *, odd_ins: bool = False) -> ResponseAPDU:
        ssc = self._next_ssc()
        body = b""
        if resp.data:
            enc = self.cipher.encrypt(pad(resp.data, self.cipher.block_size), ssc)
            body += tlv.encode(0x85, enc) if odd_ins else tlv.encode(0x87, b"\x01" + enc)
        body += tlv.encode(0x99, resp.sw.to_bytes(2, "big"))
        mac = self.cipher.mac(self._mac_input(ssc, body))
        return ResponseAPDU(body + tlv.encode(0x8E, mac), resp.sw)
