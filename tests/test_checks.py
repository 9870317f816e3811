"""The one Check type: its default reason code, its JSON, and the record's consistency view."""

from __future__ import annotations

import cccd_reader
from cccd_reader.checks import STATUSES, Check, ConsistencyCheck


def test_statuses() -> None:
    assert STATUSES == ("pass", "fail", "skipped", "unsupported")


def test_default_code_is_family_dot_status() -> None:
    assert Check("dg_hash:DG2", "fail", "x").code == "dg_hash.fail"
    assert Check("dsc_chain", "skipped", "x", code="dsc_chain.no_anchor").code == (
        "dsc_chain.no_anchor")


def test_verification_json_keeps_its_keys_and_leaves_out_compared_values() -> None:
    check = Check("crl", "pass", "ok", False, "crl.current", {"n": "1"}, {"dg1": "a"})
    assert check.to_json() == {"name": "crl", "status": "pass", "detail": "ok",
                               "required": False, "code": "crl.current", "params": {"n": "1"}}


def test_consistency_check_is_the_same_type_with_values() -> None:
    assert ConsistencyCheck is Check
    assert cccd_reader.ConsistencyCheck is cccd_reader.Check is Check
    item = ConsistencyCheck("sex", "pass", "same sex", values={"dg1": "M", "dg13": "Nam"})
    assert item.values == {"dg1": "M", "dg13": "Nam"} and item.required
