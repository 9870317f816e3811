"""Files holding personal data: 0600, never through a symlink, replaced only when asked; one
implementation for the CLI's reports, the app's exports and the lodging workbooks."""

from __future__ import annotations

from pathlib import Path

import pytest

from cccd_reader.errors import OutputError
from cccd_reader.private_files import write_private


def test_write_private(tmp_path: Path) -> None:
    target = tmp_path / "a.xlsx"
    write_private(target, b"one")
    assert target.stat().st_mode & 0o777 == 0o600
    with pytest.raises(OutputError, match="exists"):
        write_private(target, b"two")
    target.chmod(0o644)
    write_private(target, b"two", force=True)
    assert target.read_bytes() == b"two" and target.stat().st_mode & 0o777 == 0o600
    victim = tmp_path / "victim"
    victim.write_bytes(b"keep")
    link = tmp_path / "link.xlsx"
    link.symlink_to(victim)
    for force in (False, True):
        with pytest.raises(OutputError, match="symbolic link"):
            write_private(link, b"evil", force=force)
    assert victim.read_bytes() == b"keep"


def test_text_is_utf8_and_bad_paths_are_output_errors(tmp_path: Path) -> None:
    target = write_private(tmp_path / "r.html", "Nguyễn Thị Ngọc Ánh")
    assert target.read_bytes() == "Nguyễn Thị Ngọc Ánh".encode()
    for bad in (tmp_path / "missing-dir" / "x", tmp_path):
        with pytest.raises(OutputError) as info:
            write_private(bad, b"x", force=True)
        assert info.value.params["path"] == str(bad)
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "nowhere")
    with pytest.raises(OutputError, match="symbolic link"):
        write_private(dangling, b"x", force=True)
    assert not (tmp_path / "nowhere").exists()


def test_a_fifo_or_device_at_the_path_is_refused_without_blocking(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(OutputError):
        write_private(fifo, b"x", force=True)  # no reader: would block forever without NONBLOCK
    with pytest.raises(OutputError, match="not a regular file"):
        write_private("/dev/null", b"x", force=True)
