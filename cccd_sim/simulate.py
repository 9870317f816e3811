"""The card ``cccd simulate`` puts into a vpcd reader: a dump's chip with the options integrators
need to test their own software against misbehaving cards and limited readers.

Everything here wraps the existing virtual chips (:mod:`cccd_sim.chip`,
:mod:`cccd_sim.hostile`): the card profile and ``--clone`` pick the chip's
:class:`~cccd_sim.chip.ChipConfig`, ``--hostile`` swaps in a
:class:`~cccd_sim.hostile.HostileChip`, and :class:`SimulatedCard` adds the reader limits
and the scheduled faults on top. APDUs are counted from the last power-on (1 = the first command
after pcscd powers the card up); each fault fires once per ``cccd simulate`` run, so an
integrator's retry after a reset meets a healthy card, as after a second tap at a counter.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, replace

from cccd_reader.dump import CardDump
from cccd_reader.errors import ParseError, TransportTimeoutError
from cccd_reader.iso7816.efreader import sm_plain_capacity
from cccd_reader.profiles import card_profiles
from cccd_sim.cards import chip_config, chip_for_dump, config_for
from cccd_sim.chip import EXTENDED_MODES, ChipConfig
from cccd_sim.hostile import HOSTILE_MODES, HostileChip, HostileMode
from cccd_sim.vpcd import SimCard

#: Smallest response cap that still carries a secure-messaging answer with some data.
MIN_RESPONSE = 64
#: AES is the larger SM block, so its capacity is safe for 3DES sessions too.
_SM_BLOCK = 16


class SimulateOptionError(ParseError):
    """A ``cccd simulate`` option is out of range or names something unknown."""

    code = "simulate_option"


@dataclass(frozen=True)
class SimulateOptions:
    """What ``cccd simulate`` can change; the defaults give the dump's own well-behaved chip."""

    #: Card profile (``cccd_reader/data/cards``) instead of the one in card.json.
    profile: str | None = None
    #: A reader that carries short APDUs only: extended-length commands get 6700.
    short_apdus: bool = False
    #: Most bytes (data + SW, secure messaging included) of one READ BINARY answer.
    max_response: int | None = None
    remove_at: int | None = None
    silent_at: int | None = None
    #: How long a silent card keeps the client waiting before it leaves the field.
    silent_seconds: float = 3.0
    slow_ms: float = 0.0
    corrupt_at: int | None = None
    #: Copy the files but not the AA / CA private keys (a clone).
    clone: bool = False
    hostile: HostileMode | None = None
    #: The file the file-content hostile modes attack.
    target: str = "DG2"
    #: How the chip treats extended length, as other manufacturers' chips do
    #: (:data:`~cccd_sim.chip.EXTENDED_MODES`); None: the card profile's own.
    extended: str | None = None

    def validate(self) -> None:
        if self.profile is not None and self.profile not in card_profiles():
            known = ", ".join(sorted(card_profiles()))
            raise SimulateOptionError(f"unknown card profile {self.profile!r} (known: {known})")
        if self.hostile is not None and self.hostile not in HOSTILE_MODES:
            raise SimulateOptionError(
                f"unknown hostile mode {self.hostile!r} (known: {', '.join(HOSTILE_MODES)})"
            )
        for label, value in (("--remove-at", self.remove_at), ("--silent-at", self.silent_at),
                             ("--corrupt-at", self.corrupt_at)):
            if value is not None and value < 1:
                raise SimulateOptionError(f"{label} counts APDUs from 1")
        if self.max_response is not None and not MIN_RESPONSE <= self.max_response <= 65538:
            raise SimulateOptionError(
                f"--max-response must be between {MIN_RESPONSE} and 65538 bytes"
            )
        if self.extended is not None and self.extended not in EXTENDED_MODES:
            raise SimulateOptionError(
                f"unknown extended-length mode {self.extended!r} "
                f"(known: {', '.join(EXTENDED_MODES)})"
            )
        if not 0 <= self.silent_seconds <= 600:
            raise SimulateOptionError("--silent-seconds is 0 to 600")
        if not 0 <= self.slow_ms <= 60_000:
            raise SimulateOptionError("--slow is 0 to 60000 milliseconds")


def chip_config_for(card: CardDump, options: SimulateOptions) -> ChipConfig:
    """The chip behaviour: the profile's, with the reader limits and a clone's keys applied."""
    if options.profile is not None:
        config = chip_config(card_profiles()[options.profile])
    else:
        config = config_for(card.profile)
    if options.extended is not None:
        takes, announce, refusal = EXTENDED_MODES[options.extended]
        config = replace(config, extended_length=takes, extended_announce=announce,
                         extended_refusal=refusal)
    if options.short_apdus:
        config = replace(config, extended_length=False)
    if options.max_response is not None:
        plain = sm_plain_capacity(options.max_response - 2, _SM_BLOCK)
        config = replace(config, max_read=max(1, min(config.max_read, plain)))
    if options.clone:
        config = replace(config, clone=True)
    return config


class SimulatedCard:
    """A virtual chip with scheduled faults, in the shape the vpcd bridge serves
    (:class:`~cccd_sim.vpcd.SimCard`).

    * remove at N: APDU N gets no answer and the card leaves the field (``removed`` is set;
      the bridge closes its connection, which PC/SC clients see as a removed card);
    * silent at N: APDU N gets no answer for ``silent_seconds``, then the card leaves the
      field, as a reader does with a mute card. (An empty answer cannot be used: vpcd waits
      for a real one, so the client's transmit would block forever.) A hostile chip that
      answers nothing (``--hostile silent``) is served the same way;
    * corrupt at N: one bit of answer N is flipped (under secure messaging: a bad MAC);
    * slow: every answer is delayed by that many milliseconds;
    * a chip that goes mute on an extended-length command (``--extended unknown-silent``) is
      silent for ``silent_seconds`` too, then the reader reports it lost; it has not left the
      field, so it is back at once (:meth:`rejoin`), freshly powered, as a reader's
      timeout leaves a real chip.
    """

    def __init__(self, card: CardDump, options: SimulateOptions | None = None) -> None:
        self.options = options or SimulateOptions()
        self.options.validate()
        config = chip_config_for(card, self.options)
        if self.options.hostile is not None:
            self.chip: SimCard = HostileChip(
                card, self.options.hostile, target=self.options.target,
                config=config,
            )
        else:
            self.chip = chip_for_dump(card, config)
        self.config = config
        #: APDUs since the last power-on.
        self.count = 0
        self.removed = threading.Event()
        self._fired: set[str] = set()
        #: The last silence was the chip's own (not a removal): it is still in the field.
        self._still_in_field = False

    @property
    def atr(self) -> bytes:
        return self.chip.atr

    def reset(self) -> None:
        self.chip.reset()
        self.count = 0

    def rejoin(self) -> bool:
        """After the bridge reported the card lost: True when it is in fact still in the
        field (a mute chip, not a removal); it is then powered anew and answers again."""
        if not self._still_in_field:
            return False
        self._still_in_field = False
        self.removed.clear()
        self.reset()
        return True

    def _due(self, kind: str, at: int | None) -> bool:
        if at is None or at != self.count or kind in self._fired:
            return False
        self._fired.add(kind)
        return True

    def _mute(self) -> bytes:
        """No answer: the client waits, then the reader reports the card gone."""
        time.sleep(self.options.silent_seconds)
        self.removed.set()
        return b""

    def process(self, apdu: bytes) -> bytes:
        if self.removed.is_set():
            return b""
        self.count += 1
        if self.options.slow_ms:
            time.sleep(self.options.slow_ms / 1000)
        if self._due("remove", self.options.remove_at):
            self.removed.set()
            self.chip.reset()
            return b""
        if self._due("silent", self.options.silent_at):
            return self._mute()
        try:
            response = self.chip.process(apdu)
        except TransportTimeoutError:
            self._still_in_field = True
            return self._mute()
        if not response:
            return self._mute()
        if self._due("corrupt", self.options.corrupt_at) and response:
            flipped = bytearray(response)
            flipped[len(flipped) // 2 - 1 if len(flipped) > 2 else -1] ^= 0x01
            response = bytes(flipped)
        return response
