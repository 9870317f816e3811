"""Opening the card on a PC/SC reader (the device), with the limits its profile knows.

The one place a transport is made from a reader's name: the CLI, the desktop app, the local
agent and the package API (:func:`cccd_reader.open_reader`) all come here, so a reader gets the
same APDU limits whoever opens it (``cccd read --reader`` once built its own transport and
ignored the profiles the app applied). Also here: which reader to use when none is named,
waiting for a tap, and telling a dual reader's contactless slot from its contact slot.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from cccd_reader.errors import ReaderNotFoundError
from cccd_reader.iso7816.efreader import ReadLimits
from cccd_reader.iso7816.transport import Transport

if TYPE_CHECKING:
    from cccd_reader.iso7816.pcsc import PcscTransport

#: What the CLI says when no reader was named and none holds a card.
NO_CARD_ANYWHERE = (
    "no card on any PC/SC reader; tap a card, pass --reader, or try --sim DUMP / cccd demo"
)


def open_transport(reader_name: str, *, extended: bool | None = None) -> PcscTransport:
    """PC/SC transport whose limits come from the reader's profile (unknown: short APDUs).

    The profile is looked up by the reader's resolved full name, so a short name given by the
    caller still finds the right limits. ``extended`` overrides the profile's extended-length
    answer (the demo knows what its virtual chip carries); the message size still comes from
    the profile.
    """
    from cccd_reader.iso7816.pcsc import PcscTransport, list_readers, resolve_reader
    from cccd_reader.profiles import reader_profile

    names = list_readers()
    name = resolve_reader(reader_name, names)
    profile = reader_profile(name)
    if extended is None:
        extended = profile.extended_apdu
    transport = PcscTransport(name, extended=extended, readers=names)
    transport.max_response = profile.max_response_data
    return transport


def open_card_reader(reader_name: str | None) -> PcscTransport:
    """The named reader, or else the first reader holding a card (the CLI without
    ``--reader``); :class:`ReaderNotFoundError` when no reader holds one."""
    from cccd_reader.iso7816.pcsc import reader_status

    if reader_name:
        return open_transport(reader_name)
    with_card = [r for r in reader_status() if r.card_present]
    if not with_card:
        raise ReaderNotFoundError(NO_CARD_ANYWHERE)
    return open_transport(with_card[0].name)


def wait_for_card(
    reader_name: str, timeout: float | None = None, *, extended: bool | None = None
) -> PcscTransport:
    """Block until a card is on ``reader_name`` (a unique part of its name will do), then open
    it as :func:`open_transport` does.

    Waits in PC/SC (``SCardGetStatusChange``), not by polling; a card already there returns at
    once. ``timeout`` in seconds (None: no limit); when it runs out,
    :class:`~cccd_reader.errors.NoCardError`.
    """
    from cccd_reader.iso7816.pcsc import wait_for_card as wait

    return open_transport(wait(reader_name, timeout), extended=extended)


def limits_for(transport: Transport) -> ReadLimits:
    """Read sizes for this transport: extended only when it says so, within its message size."""
    return ReadLimits(
        extended=bool(transport.supports_extended),
        max_response=int(getattr(transport, "max_response", 65536)),
    )


# Slots of dual-interface readers, by their PC/SC names (CCID readers list: one interface per
# slot). Strong markers first: ACS names its slots "PICC" (contactless) and "SAM"/"ICC"
# (contact), even where the model name itself carries "CL" ("ACR1252 1S CL Reader [... SAM]");
# HID OMNIKEY 5x22 and Identiv call the contactless slot "...CL..." or "Contactless".
_STRONG_CONTACTLESS = re.compile(r"PICC|contactless|Virtual PCD", re.I)
_CONTACT = re.compile(r"\bSAM\b|\bICC\b|\bcontact\b", re.I)
_WEAK_CONTACTLESS = re.compile(r"\bCL\b|\d{4}\s?CL|NFC|\bRF\b", re.I)


def is_contactless(reader_name: str) -> bool:
    """Best guess whether a PC/SC reader slot is the contactless interface."""
    if _STRONG_CONTACTLESS.search(reader_name):
        return True
    if _CONTACT.search(reader_name):
        return False
    if _WEAK_CONTACTLESS.search(reader_name):
        return True
    from cccd_reader.profiles import reader_profile

    profile = reader_profile(reader_name)
    return profile.interface != "contact" and not profile.is_contact_slot(reader_name)
