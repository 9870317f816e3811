"""One exception hierarchy for the whole toolkit.

Integrators catch :class:`CccdError` (or one of its branches) and show ``str(exc)`` to the user:
every message is meant to be actionable without a traceback. Messages never contain personal
data, keys or MRZ text, because they end up in logs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

#: What asn1crypto (and int/str conversions on its output) raise on malformed input. It parses
#: lazily and reports a defect with whatever exception the failing layer raises, so these are
#: caught only around the parsing of untrusted bytes, where each means "malformed input".
ASN1_ERRORS = (
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    AttributeError,
    OverflowError,
    RecursionError,
    NotImplementedError,
)


class CccdError(Exception):
    """Base class of every error raised on purpose by cccd_reader.

    ``code`` is stable (a class attribute, snake_case) and ``params`` holds the values a
    message template needs (never personal data), so the CLI, the app and integrators can
    render the error in their own language instead of parsing the English ``str(exc)``.
    """

    code: ClassVar[str] = "error"

    def __init__(self, *args: object, params: Mapping[str, str] | None = None) -> None:
        super().__init__(*args)
        self.params: dict[str, str] = dict(params or {})


# --- parsing of untrusted bytes and text -------------------------------------------------------


class ParseError(CccdError):
    """Input (card response, dump, QR, MRZ, certificate) is malformed or out of bounds."""

    code: ClassVar[str] = "parse"


class TLVError(ParseError):
    """A BER-TLV structure is malformed, too long, or nested too deeply."""

    code: ClassVar[str] = "tlv"


class MRZError(ParseError):
    """An MRZ is malformed or one of its check digits is wrong.

    ``field`` names the offending field (e.g. ``"document_number"``) so callers can highlight it.
    """

    code: ClassVar[str] = "mrz"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class DumpError(ParseError):
    """A card dump directory is not a valid ``cccd-dump/1``."""

    code: ClassVar[str] = "dump"


class LDSError(ParseError):
    """A data group or EF.COM / EF.SOD could not be parsed."""

    code: ClassVar[str] = "lds"


class OutputError(CccdError):
    """A result could not be written where asked (a dump directory, a report, an export):
    not a directory, not empty, a symlink, no permission, disk full."""

    code: ClassVar[str] = "output"


# --- talking to the card ---------------------------------------------------------------------


class TransportError(CccdError):
    """The reader or the link to the card failed."""

    code: ClassVar[str] = "transport"


class ReaderNotFoundError(TransportError):
    """No PC/SC reader (or not the one asked for) is attached."""

    code: ClassVar[str] = "reader_not_found"


class CardRemovedError(TransportError):
    """The card left the field (or never was there) while we needed it."""

    code: ClassVar[str] = "card_removed"


class AmbiguousReaderError(ReaderNotFoundError):
    """A reader name matches several attached readers; ``params["matches"]`` lists them.

    Picking the first match could take a contact (SAM/ICC) slot of a dual reader, so the caller
    must say which one: pass the full name (or a longer part of it).
    """

    code: ClassVar[str] = "reader_ambiguous"

    def __init__(self, name: str, matches: list[str]) -> None:
        super().__init__(
            f"{name!r} matches {len(matches)} readers: " + "; ".join(matches)
            + " (give the full name)",
            params={"name": name, "matches": "; ".join(matches)},
        )
        self.matches = list(matches)


class NoCardError(TransportError):
    """No card is in the reader's field (yet): tap one, or wait with ``wait_for_card``.

    Distinct from :class:`CardRemovedError` (a card that was there and left mid-read).
    """

    code: ClassVar[str] = "no_card"


class TransportTimeoutError(TransportError):
    """The card did not answer in time."""

    code: ClassVar[str] = "timeout"


class CardError(CccdError):
    """The card answered with an error status word where success was required."""

    code: ClassVar[str] = "card_status"

    def __init__(self, message: str, *, sw: int | None = None) -> None:
        super().__init__(message)
        self.sw = sw


class FileNotFoundOnCardError(CardError):
    """The card has no such file (6A82)."""

    code: ClassVar[str] = "file_not_found"


class SecurityStatusNotSatisfiedError(CardError):
    """The file needs an access right we do not have (6982), e.g. DG3 without terminal auth."""

    code: ClassVar[str] = "security_status"


class SecureMessagingError(CccdError):
    """A secure-messaging response failed its MAC, or is malformed: the session is dead."""

    code: ClassVar[str] = "secure_messaging"


class AccessError(CccdError):
    """Access control (BAC or PACE) failed."""

    code: ClassVar[str] = "access"


class AccessDeniedError(AccessError):
    """The chip refused the access key: the typed data does not match the card."""

    code: ClassVar[str] = "access_denied"

    def __init__(self, message: str, *, password_type: str | None = None) -> None:
        super().__init__(message)
        self.password_type = password_type


class ProtocolNotSupportedError(AccessError):
    """The chip does not offer the access protocol we would need (e.g. BAC on a PACE-only chip)."""

    code: ClassVar[str] = "protocol_not_supported"


class ReadIncompleteError(CccdError):
    """A read stopped part-way; nothing partial is ever presented as a complete read."""

    code: ClassVar[str] = "read_incomplete"
