"""The terminal's source of randomness, as one type.

Every protocol step that draws random bytes (BAC's RND.IFD and K.IFD, PACE's ephemeral keys,
the Active Authentication challenge, Chip Authentication's key pair) takes an ``rng``
argument of this type, ``os.urandom`` by default. Injecting a seeded one
(:func:`cccd_reader.iso7816.transcript.seeded_rng`) is what lets a recorded session replay
byte for byte; the virtual chip takes the same type for its own side.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeAlias

#: ``rng(n)`` returns ``n`` random bytes.
Rng: TypeAlias = Callable[[int], bytes]

__all__ = ["Rng"]
