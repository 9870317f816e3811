"""cccd-reader: read and verify Vietnamese CCCD cards and ICAO 9303 eMRTDs.

The names here are the supported surface for integrators; modules below them may change
between versions. The error hierarchy is imported eagerly (it is tiny and every caller needs
it); everything else is loaded on first use, so ``import cccd_reader`` stays cheap for a
process that only wants, say, the exceptions, and submodules can import each other without a
cycle through this file.

    >>> import cccd_reader
    >>> record = cccd_reader.read("samples/passport-utopia-td3")   # a dump: offline
    >>> record.document.document_number
    'L898902C3'
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from cccd_reader.errors import (
    AccessDeniedError,
    AccessError,
    CardError,
    CardRemovedError,
    CccdError,
    DumpError,
    FileNotFoundOnCardError,
    LDSError,
    MRZError,
    ParseError,
    ProtocolNotSupportedError,
    ReaderNotFoundError,
    ReadIncompleteError,
    SecureMessagingError,
    SecurityStatusNotSatisfiedError,
    TLVError,
    TransportError,
    TransportTimeoutError,
)

if TYPE_CHECKING:
    from cccd_reader.dump import CardDump
    from cccd_reader.iso7816.transport import Transport
    from cccd_reader.pki.trust import TrustError, TrustStore
    from cccd_reader.reader import AccessKey
    from cccd_reader.record import CardRecord
    from cccd_reader.service import CardService, ReaderEvent, ReadOutcome
    from cccd_reader.verify import Verification

__version__ = "0.1.0"

__all__ = [
    "AccessDeniedError",
    "AccessError",
    "AccessKey",
    "CardDump",
    "CardError",
    "CardRecord",
    "CardRemovedError",
    "CardService",
    "CccdError",
    "DumpError",
    "FileNotFoundOnCardError",
    "LDSError",
    "MRZError",
    "ParseError",
    "ProtocolNotSupportedError",
    "ReadIncompleteError",
    "ReadOutcome",
    "ReaderEvent",
    "ReaderNotFoundError",
    "SecureMessagingError",
    "SecurityStatusNotSatisfiedError",
    "TLVError",
    "Transport",
    "TransportError",
    "TransportTimeoutError",
    "TrustError",
    "TrustStore",
    "Verification",
    "__version__",
    "load_trust",
    "open_dump",
    "open_reader",
    "open_sim",
    "read",
]

#: Lazily exported name -> the module that defines it.
_LAZY = {
    "AccessKey": "cccd_reader.reader",
    "CardDump": "cccd_reader.dump",
    "CardRecord": "cccd_reader.record",
    "CardService": "cccd_reader.service",
    "ReadOutcome": "cccd_reader.service",
    "ReaderEvent": "cccd_reader.service",
    "Transport": "cccd_reader.iso7816.transport",
    "TrustError": "cccd_reader.pki.trust",
    "TrustStore": "cccd_reader.pki.trust",
    "Verification": "cccd_reader.verify",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'cccd_reader' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


PathLike = str | os.PathLike[str]


def open_reader(name: str) -> Transport:
    """A PC/SC reader by name, with the APDU limits its profile knows (unknown: short APDUs).

    Raises :class:`ReaderNotFoundError` when no such reader is attached.
    """
    from cccd_reader.service import open_transport

    return open_transport(name)


def open_dump(path: PathLike) -> CardDump:
    """A ``cccd-dump/1`` directory; :class:`DumpError` says what is wrong with a bad one."""
    from cccd_reader.dump import load

    return load(path)


def open_sim(path: PathLike) -> Transport:
    """A virtual chip serving the dump at ``path``, in process: tests and demos without a card."""
    from cccd_reader.service import sim_transport

    return sim_transport(path)


def load_trust(*paths: PathLike, include_default: bool = False) -> TrustStore:
    """Trust anchors from files or directories (CSCA/DSC certificates, master lists, CRLs).

    ``include_default`` also reads ``~/.config/cccd-reader/trust``, as the ``cccd`` command
    does; library callers get only what they name, so a test never depends on a home directory.
    """
    from cccd_reader.pki.trust import TrustStore

    return TrustStore.from_paths(paths, include_default=include_default)


def _trust(trust: TrustStore | PathLike | Iterable[PathLike] | None) -> TrustStore | None:
    if trust is None:
        return None
    from cccd_reader.pki.trust import TrustStore

    if isinstance(trust, TrustStore):
        return trust
    if isinstance(trust, str | os.PathLike):
        return load_trust(trust)
    return load_trust(*trust)


def read(
    source: Transport | CardDump | PathLike,
    key: AccessKey | None = None,
    *,
    trust: TrustStore | PathLike | Iterable[PathLike] | None = None,
) -> CardRecord:
    """The card's record with its passive-authentication verdict, from a chip or a dump.

    ``source`` is a transport (:func:`open_reader`, :func:`open_sim`): the chip is opened with
    ``key`` and read, and the transport is closed afterwards. Or it is a dump (a
    :class:`CardDump` or its directory): the files are checked offline and ``key`` is not used.
    ``trust`` is a :class:`TrustStore` or paths for :func:`load_trust`; without it the verdict
    is at best ``unverified``.
    """
    from cccd_reader.dump import CardDump, load
    from cccd_reader.record import CardRecord

    store = _trust(trust)
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
