"""One named check and one status: how every layer reports what it tried to prove.

Passive authentication (:mod:`cccd_reader.verify`), the clone-detection protocols of the read
flow, the QR cross-check and the record's DG1-vs-DG13 comparison all report outcomes of the same
shape: a name, a status and a detail, with a stable reason code and parameters for those that
reach a verdict, and the compared values for a comparison. One type in the bottom layer, so no
layer has to reach upward (or keep a copy) to speak about a check.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

#: What a check found: ``pass`` proven, ``fail`` disproven, ``skipped`` not attempted (or not
#: applicable), ``unsupported`` could not be decided by this toolkit (an algorithm, a curve).
Status = Literal["pass", "fail", "skipped", "unsupported"]
STATUSES: tuple[Status, ...] = get_args(Status)


@dataclass(frozen=True, slots=True)
class Check:
    """One named outcome; the verdict (:func:`cccd_reader.verify.verdict_for`) reads a list."""

    name: str
    status: Status
    detail: str
    #: False only for checks that do not apply in the chosen trust model (pinned DSC) or for
    #: EAC-protected data groups that were not read; they never make a verdict ``genuine``.
    required: bool = True
    #: Stable reason code (``"<check>.<reason>"``, e.g. ``"dsc_chain.no_anchor"``) and the
    #: values its message template needs, so the CLI, the app and integrators can say the
    #: reason in their own language; ``detail`` is the English rendering. An empty code
    #: becomes ``"<check>.<status>"`` (the check's family without its ``:DGn`` suffix).
    code: str = ""
    params: Mapping[str, str] = field(default_factory=dict)
    #: For a comparison (the record's DG1-vs-DG13 consistency): what was compared, by source.
    values: Mapping[str, str | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.code:
            object.__setattr__(self, "code", f"{self.name.split(':', 1)[0]}.{self.status}")

    def to_json(self) -> dict[str, Any]:
        """A verification check as the record's ``verification.checks`` lists it."""
        return {
            "name": self.name,
            "status": self.status,
            "detail": self.detail,
            "required": self.required,
            "code": self.code,
            "params": dict(self.params),
        }


#: The record's name for its DG1-vs-DG13 comparisons (``CardRecord.consistency``): the same
#: :class:`Check`, with ``values`` filled in; they say whether the two data groups agree, and
#: the verdict takes them into account as a whole.
ConsistencyCheck = Check
