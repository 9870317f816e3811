"""``cccd lodging``: files, exit codes, the --json shape, 0600, symlinks, --force."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from cccd_reader.cli import main
from tests.conftest import SAMPLES

DUMPS = [str(SAMPLES / n) for n in ("vn-cccd-2021-nguyen-thi-ngoc-anh",
                                    "vn-cancuoc-2024-dang-huu-phuoc", "passport-utopia-td3")]
DATES = ["--arrival", "2026-12-01", "--departure", "2026-12-03"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_shape_and_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_dir = tmp_path / "out"
    code, out, err = run(capsys, "lodging", *DUMPS, "--out", str(out_dir), *DATES,
                         "--room", "0205", "--reason", "1", "--checkout", "2026-12-03",
                         "--permitted-until", "2026-12-30", "--json")
    assert code == 0, err  # flagged cells do not fail the command
    doc: dict[str, Any] = json.loads(out)
    assert set(doc) == {"files", "flags"}
    vn, kbtt = out_dir / "luu-tru-viet-nam.xlsx", out_dir / "khai-bao-tam-tru.xlsx"
    assert doc["files"] == [{"path": str(vn), "workbook": "vietnam", "rows": 2},
                            {"path": str(kbtt), "workbook": "foreign", "rows": 1}]
    for path in (vn, kbtt):
        assert path.stat().st_mode & 0o777 == 0o600
    assert doc["flags"], "the samples have a split ward, a 2024 card, an unknown nationality"
    for flag in doc["flags"]:
        assert set(flag) == {"file", "row", "column", "header", "code", "candidates"}
    by_code = {f["code"]: f for f in doc["flags"]}
    residence = by_code["residence_kind_choice"]
    assert (residence["file"], residence["row"], residence["column"]) == (str(vn), 6, "J")
    assert residence["header"] == "NƠI CƯ TRÚ HIỆN NAY"
    nationality = by_code["nationality_not_in_list"]
    assert (nationality["file"], nationality["row"], nationality["column"]) == (str(kbtt), 4, "F")
    # the flagged cells are empty in the file, the others filled
    sheet = openpyxl.load_workbook(io.BytesIO(vn.read_bytes()))["DS_KHACH_VIET_NAM_LUU_TRU"]
    assert sheet["J6"].value is None and sheet["F6"].value == "8 - Thẻ Căn Cước"
    assert sheet["B5"].value == "NGUYỄN THỊ NGỌC ÁNH" and sheet["P5"].value == "0205"


def test_only_the_workbook_with_guests_is_written(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "lodging", DUMPS[2], "--out", str(tmp_path), *DATES)
    assert code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["khai-bao-tam-tru.xlsx"]
    assert "khai-bao-tam-tru.xlsx: 1 guest(s)" in out
    assert "MÃ QUỐC TỊCH" in out  # the flag, with the column's header


def test_existing_files_need_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "luu-tru-viet-nam.xlsx").write_bytes(b"mine")
    code, _, err = run(capsys, "lodging", *DUMPS, "--out", str(tmp_path), *DATES)
    assert code == 1 and "--force" in err
    assert (tmp_path / "luu-tru-viet-nam.xlsx").read_bytes() == b"mine"
    assert not (tmp_path / "khai-bao-tam-tru.xlsx").exists()  # nothing half-written
    code, _, err = run(capsys, "lodging", *DUMPS, "--out", str(tmp_path), *DATES, "--force")
    assert code == 0, err
    assert (tmp_path / "luu-tru-viet-nam.xlsx").read_bytes()[:2] == b"PK"


def test_never_through_a_symlink(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    victim = tmp_path / "victim"
    victim.write_bytes(b"keep")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (out_dir / "khai-bao-tam-tru.xlsx").symlink_to(victim)
    for extra in ([], ["--force"]):
        code, _, err = run(capsys, "lodging", DUMPS[2], "--out", str(out_dir), *DATES, *extra)
        assert code == 1 and "symbolic link" in err
    assert victim.read_bytes() == b"keep"
    linked_dir = tmp_path / "linked"
    linked_dir.symlink_to(out_dir)
    code, _, err = run(capsys, "lodging", DUMPS[2], "--out", str(linked_dir), *DATES)
    assert code == 1 and "symbolic link" in err


@pytest.mark.parametrize("argv", [
    ["--arrival", "2026-13-01", "--departure", "2026-12-03"],
    ["--arrival", "2026-12-05", "--departure", "2026-12-03"],
    [*DATES, "--reason", "99"],
    [*DATES, "--reason", "20"],
    [*DATES, "--checkout", "2026-11-30"],
    [*DATES, "--room", "x" * 300],
    ["--departure", "2026-12-03"],
])
def test_bad_usage_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                           argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exc:  # argparse's own errors
        code, _, _ = run(capsys, "lodging", DUMPS[0], "--out", str(tmp_path), *argv)
        raise SystemExit(code)
    assert exc.value.code == 2
    assert not list(tmp_path.iterdir())


def test_unreadable_dumps_exit_5(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    garbage = tmp_path / "garbage"
    garbage.mkdir()
    (garbage / "card.json").write_text("{not json")
    out_dir = tmp_path / "out"
    for dump in (str(tmp_path / "absent"), str(garbage)):
        code, _, err = run(capsys, "lodging", DUMPS[0], dump, "--out", str(out_dir), *DATES)
        assert code == 5, err
        assert err.startswith("error:") and "Traceback" not in err
    assert not out_dir.exists()


def test_reason_other_with_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "lodging", DUMPS[0], "--out", str(tmp_path), *DATES,
                       "--reason", "20", "--reason-text", "=khám bệnh")
    assert code == 0, err
    sheet = openpyxl.load_workbook(tmp_path / "luu-tru-viet-nam.xlsx").active
    assert sheet["Q5"].value == "20 - Mục đích khác"
    assert sheet["R5"].value == "=khám bệnh" and sheet["R5"].data_type == "s"
