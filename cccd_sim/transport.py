"""In-process transports on a virtual chip: what ``--sim``, demo mode and tests read from."""

from __future__ import annotations

import os

from cccd_reader import dump as dumpmod
from cccd_reader.dump import CardDump
from cccd_reader.iso7816.transport import InProcessTransport
from cccd_sim.cards import chip_for_dump


def sim_transport(source: str | os.PathLike[str] | CardDump) -> InProcessTransport:
    """A freshly powered virtual chip serving ``source`` (a dump or its path), in process.

    Each call powers a new chip, as a new tap would: no session state survives from one
    transport to the next.
    """
    card = source if isinstance(source, CardDump) else dumpmod.load(source)
    chip = chip_for_dump(card)
    return InProcessTransport(chip.process, extended=chip.config.extended_length, atr=chip.atr)
