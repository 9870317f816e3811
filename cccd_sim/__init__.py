"""cccd_sim: the virtual chip and everything that builds cards, beside the library.

It depends on :mod:`cccd_reader` (it speaks the same APDUs, writes the same files) and the
library never imports it: only the CLI's ``--sim``/``simulate``/``demo``, the desktop app's
demo mode, the benchmarks and the tests do. Keeping it apart keeps the code that *makes*
signatures, keys and forged documents out of the code that *checks* them.

    >>> import cccd_sim, cccd_reader
    >>> from cccd_reader.samples import sample_path
    >>> record = cccd_reader.read(cccd_sim.open_sim(sample_path("passport-utopia-td3")),
    ...                           mrz="P<UTOERIKSSON<<ANNA<MARIA")  # doctest: +SKIP

Modules: ``chip`` (the virtual eMRTD: SELECT/READ BINARY, BAC, secure messaging), ``pace_chip``
and ``auth_chip`` (PACE, Active and Chip Authentication on the chip side), ``cards`` (a chip
configured from a dump and its card profile), ``transport`` (in-process transports on a
virtual chip), ``vpcd`` and ``pcscd`` (the bridge into the real PC/SC stack), ``faults`` and
``hostile`` (a chip that fails or attacks on request), ``simulate`` (``cccd simulate``),
``issuer`` and ``pki`` (the synthetic issuer and its test PKI), ``builders`` (SOD, security
infos, MRZ lines, signatures: what only an issuer needs), ``bends`` (real documents' bends
and forgeries), ``trust_lists`` (master lists and CRLs at scale).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import os

    from cccd_reader.dump import CardDump
    from cccd_reader.iso7816.transport import InProcessTransport


def open_sim(source: str | os.PathLike[str] | CardDump) -> InProcessTransport:
    """A freshly powered virtual chip serving a dump (a path or a loaded :class:`CardDump`),
    in process: demo mode, tests, an integrator's own tests without a reader."""
    from cccd_sim.transport import sim_transport

    return sim_transport(source)


__all__ = ["open_sim"]
