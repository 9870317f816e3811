"""cccd-reader: read and verify Vietnamese CCCD cards and ICAO 9303 eMRTDs.

The names here (``__all__``) are the supported surface for integrators; modules below them may
change between versions. Start with :func:`read` (one read, from a reader, a virtual chip or a
dump), :func:`wait_for_card` (block until a card is tapped) and :class:`CardService` (the
counter loop with events). Guides: docs/quickstart.md and docs/integrator-guide.md.

Errors: everything raised on purpose is a :class:`CccdError` with a stable ``code`` and
``params``. Its branches are importable from here too (``cccd_reader.AccessDeniedError``...):
``ParseError`` (``TLVError``, ``MRZError``, ``DumpError``, ``LDSError``), ``TransportError``
(``ReaderNotFoundError``, ``AmbiguousReaderError``, ``NoCardError``, ``CardRemovedError``,
``TransportTimeoutError``), ``CardError`` (``FileNotFoundOnCardError``,
``SecurityStatusNotSatisfiedError``), ``SecureMessagingError``, ``AccessError``
(``AccessDeniedError``, ``ProtocolNotSupportedError``), ``ReadIncompleteError``,
``TrustError``. They are left out of ``__all__`` only to keep ``help(cccd_reader)`` short.

The error hierarchy is imported eagerly (it is tiny and every caller needs it); everything
else is loaded on first use, so ``import cccd_reader`` stays cheap and submodules can import
each other without a cycle through this file.

    >>> import cccd_reader
    >>> record = cccd_reader.read("samples/passport-utopia-td3")   # a dump: offline
    >>> record.mrz.document_number if record.mrz else None
    'L898902C3'
"""

from __future__ import annotations

import importlib
import os
from typing import TYPE_CHECKING, Any

from cccd_reader.errors import AccessDeniedError as AccessDeniedError
from cccd_reader.errors import AccessError as AccessError
from cccd_reader.errors import AmbiguousReaderError as AmbiguousReaderError
from cccd_reader.errors import CardError as CardError
from cccd_reader.errors import CardRemovedError as CardRemovedError
from cccd_reader.errors import CccdError
from cccd_reader.errors import DumpError as DumpError
from cccd_reader.errors import FileNotFoundOnCardError as FileNotFoundOnCardError
from cccd_reader.errors import LDSError as LDSError
from cccd_reader.errors import MRZError as MRZError
from cccd_reader.errors import NoCardError as NoCardError
from cccd_reader.errors import ParseError as ParseError
from cccd_reader.errors import ProtocolNotSupportedError as ProtocolNotSupportedError
from cccd_reader.errors import ReaderNotFoundError as ReaderNotFoundError
from cccd_reader.errors import ReadIncompleteError as ReadIncompleteError
from cccd_reader.errors import SecureMessagingError as SecureMessagingError
from cccd_reader.errors import (
    SecurityStatusNotSatisfiedError as SecurityStatusNotSatisfiedError,
)
from cccd_reader.errors import TLVError as TLVError
from cccd_reader.errors import TransportError as TransportError
from cccd_reader.errors import TransportTimeoutError as TransportTimeoutError

if TYPE_CHECKING:
    from cccd_reader.access.key import AccessKey
    from cccd_reader.active_auth import ActiveAuthAnswer, active_authenticate
    from cccd_reader.checks import Check, ConsistencyCheck
    from cccd_reader.dump import CardDump
    from cccd_reader.iso7816.pcsc import PcscTransport
    from cccd_reader.iso7816.transport import InProcessTransport, Transport
    from cccd_reader.mrz import MRZ
    from cccd_reader.pki.trust import TrustError as TrustError
    from cccd_reader.pki.trust import TrustStore
    from cccd_reader.read_flow import ReadResult
    from cccd_reader.record import CardRecord, FileError, Holder, Photo
    from cccd_reader.service import CardPresentEvent as CardPresentEvent
    from cccd_reader.service import CardRemovedEvent as CardRemovedEvent
    from cccd_reader.service import (
        CardService,
        EventKind,
        ReaderEvent,
        ReaderMonitor,
        ReadOutcome,
        ReadProgress,
        TrustLike,
        read_with_recovery,
    )
    from cccd_reader.service import ErrorEvent as ErrorEvent
    from cccd_reader.service import ReaderAddedEvent as ReaderAddedEvent
    from cccd_reader.service import ReaderRemovedEvent as ReaderRemovedEvent
    from cccd_reader.service import ReadProgressEvent as ReadProgressEvent
    from cccd_reader.service import RecordReadyEvent as RecordReadyEvent
    from cccd_reader.session import AccessInfo
    from cccd_reader.verify import Verdict, Verification



def _distribution_version() -> str:
    """The installed distribution's version: pyproject.toml's ``version`` is its one source."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("cccd-reader")
    except PackageNotFoundError:  # a source tree put on sys.path without being installed
        return "0+unknown"


if TYPE_CHECKING:
    __version__: str  # computed on first access (importlib.metadata costs ~20 ms to import)

__all__ = [
    "MRZ",
    "AccessInfo",
    "AccessKey",
    "ActiveAuthAnswer",
    "CardDump",
    "CardRecord",
    "CardService",
    "CccdError",
    "Check",
    "ConsistencyCheck",
    "EventKind",
    "FileError",
    "Holder",
    "InProcessTransport",
    "PcscTransport",
    "Photo",
    "ReadOutcome",
    "ReadProgress",
    "ReadResult",
    "ReaderEvent",
    "ReaderMonitor",
    "Transport",
    "TrustLike",
    "TrustStore",
    "Verdict",
    "Verification",
    "__version__",
    "active_authenticate",
    "load_trust",
    "open_dump",
    "open_reader",
    "read",
    "read_with_recovery",
    "wait_for_card",
]

#: Lazily exported name -> the module that defines it.
_LAZY = {
    "MRZ": "cccd_reader.mrz",
    "AccessInfo": "cccd_reader.session",
    "AccessKey": "cccd_reader.access.key",
    "CardDump": "cccd_reader.dump",
    "CardRecord": "cccd_reader.record",
    "CardService": "cccd_reader.service",
    "RecordReadyEvent": "cccd_reader.service",
    "ReaderRemovedEvent": "cccd_reader.service",
    "ReaderAddedEvent": "cccd_reader.service",
    "ReadProgressEvent": "cccd_reader.service",
    "ErrorEvent": "cccd_reader.service",
    "CardRemovedEvent": "cccd_reader.service",
    "CardPresentEvent": "cccd_reader.service",
    "Check": "cccd_reader.checks",
    "ConsistencyCheck": "cccd_reader.checks",
    "EventKind": "cccd_reader.service",
    "FileError": "cccd_reader.record",
    "Holder": "cccd_reader.record",
    "InProcessTransport": "cccd_reader.iso7816.transport",
    "PcscTransport": "cccd_reader.iso7816.pcsc",
    "Photo": "cccd_reader.record",
    "ReadOutcome": "cccd_reader.service",
    "ReadProgress": "cccd_reader.service",
    "ReadResult": "cccd_reader.read_flow",
    "ReaderEvent": "cccd_reader.service",
    "ReaderMonitor": "cccd_reader.service",
    "Transport": "cccd_reader.iso7816.transport",
    "TrustError": "cccd_reader.pki.trust",
    "TrustLike": "cccd_reader.service",
    "TrustStore": "cccd_reader.pki.trust",
    "Verdict": "cccd_reader.verify",
    "Verification": "cccd_reader.verify",
    "read_with_recovery": "cccd_reader.service",
    "ActiveAuthAnswer": "cccd_reader.active_auth",
    "active_authenticate": "cccd_reader.active_auth",
}


def __getattr__(name: str) -> Any:
    if name == "__version__":
        globals()[name] = _distribution_version()
        return globals()[name]
    if name == "open_sim":  # moved with the virtual chip, which the library never imports
        raise AttributeError("cccd_reader.open_sim moved to cccd_sim.open_sim: the virtual "
                             "chip is its own package (import cccd_sim)")
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'cccd_reader' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__) | set(_LAZY))


PathLike = str | os.PathLike[str]


def open_reader(name: str) -> PcscTransport:
    """The card on a PC/SC reader, with the APDU limits the reader's profile knows.

    ``name`` is the reader's full PC/SC name or a case-insensitive part of it that matches
    one reader only (several: :class:`AmbiguousReaderError`, naming them). Profiles come from
    ``cccd_reader/data/readers/*.toml`` (package data), matched on the name; an unknown reader
    gets short APDUs. Raises :class:`ReaderNotFoundError` (no such reader), :class:`NoCardError`
    (empty reader: see :func:`wait_for_card`), :class:`TransportError` (PC/SC not running).
    Use it in a ``with`` block, or let :func:`read` close it.
    """
    from cccd_reader.readers import open_transport

    return open_transport(name)


def wait_for_card(reader: str, timeout: float | None = None) -> PcscTransport:
    """Block until a card is on ``reader`` (named as for :func:`open_reader`), then open it.

    Waits in PC/SC (``SCardGetStatusChange``), not by polling; a card already there returns at
    once. ``timeout`` in seconds (None: no limit); when it runs out, :class:`NoCardError`.
    """
    from cccd_reader.readers import wait_for_card as wait

    return wait(reader, timeout)


def open_dump(path: PathLike) -> CardDump:
    """A ``cccd-dump/1`` directory; :class:`DumpError` says what is wrong with a bad one."""
    from cccd_reader.dump import load

    return load(path)


def load_trust(*paths: PathLike, include_default: bool = False) -> TrustStore:
    """Trust anchors from files or directories (CSCA/DSC certificates, master lists, CRLs).

    ``include_default`` also reads ``~/.config/cccd-reader/trust``, as the ``cccd`` command
    does; library callers get only what they name, so a test never depends on a home directory.
    """
    from cccd_reader.pki.trust import TrustStore

    return TrustStore.from_paths(paths, include_default=include_default)


def read(
    source: Transport | CardDump | PathLike,
    key: AccessKey | None = None,
    *,
    trust: TrustLike = None,
) -> CardRecord:
    """The card's record with its passive-authentication verdict, from a chip or a dump.

    ``source`` is a transport (:func:`open_reader`; ``cccd_sim.open_sim`` for a virtual chip):
    the chip is opened with ``key`` and read, and the transport is closed afterwards. Or it is
    a dump (a :class:`CardDump` or its directory): the files are checked offline and ``key``
    is not used. ``trust`` is a :class:`TrustStore` or paths for :func:`load_trust`; without
    it the verdict is at best ``unverified``.
    """
    from cccd_reader.dump import CardDump, load
    from cccd_reader.record import CardRecord
    from cccd_reader.service import resolve_trust

    store = resolve_trust(trust)
    if isinstance(source, str | os.PathLike):
        source = load(source)
    if isinstance(source, CardDump):
        return CardRecord.build(source.files, trust=store)
    if key is None:
        raise AccessError(
            "reading a chip needs an access key: AccessKey.from_mrz(...), "
            "AccessKey.from_can(...) or AccessKey.from_personal_number(...)"
        )
    from cccd_reader.service import read_and_verify

    return read_and_verify(source, key, trust=store).record
