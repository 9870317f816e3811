"""cccd_sim: the virtual chip and everything that builds cards, beside the library.

It depends on :mod:`cccd_reader` (it speaks the same APDUs, writes the same files) and the
library never imports it: only the CLI's ``--sim``/``simulate``/``demo``, the desktop app's
demo mode, the benchmarks and the tests do. Keeping it apart keeps the code that *makes*
signatures, keys and forged documents out of the code that *checks* them.

    >>> import cccd_reader, cccd_sim
    >>> from cccd_reader.samples import sample_path
    >>> sample = sample_path("passport-utopia-td3")
    >>> key = cccd_reader.AccessKey.from_mrz(cccd_reader.open_dump(sample).access.mrz or "")
    >>> cccd_reader.read(cccd_sim.open_sim(sample), key).mrz.document_number
    'L898902C3'

Modules: ``chip`` (the virtual eMRTD: SELECT/READ BINARY, BAC, secure messaging), ``pace_chip``
and ``auth_chip`` (PACE, Active and Chip Authentication on the chip side), ``cards`` (a chip
configured from a dump and its card profile), ``transport`` (in-process transports on a
virtual chip), ``agent`` (the local agent's backend on a virtual chip), ``vpcd`` and ``pcscd``
(the bridge into the real PC/SC stack), ``faults`` and ``hostile`` (a chip that fails or
attacks on request), ``simulate`` (``cccd simulate``), ``issuer`` and ``pki`` (the synthetic
issuer and its test PKI), ``sod_builder``, ``aa_signer``, ``security_infos_builder`` and
``mrz_builder`` (what only an issuer builds), ``bends`` (real documents' bends and
forgeries), ``trust_lists`` (master lists and CRLs at scale), ``linkmodel`` (the ISO 14443-4
cost model the benchmarks charge exchanges with).
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
