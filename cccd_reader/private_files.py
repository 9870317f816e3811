"""Files that hold personal data, written for the owner's eyes only (Law 91/2025).

Reports, exports, transcripts and lodging workbooks all name a card holder. Each is written
0600, never through a symbolic link (a link planted at the path is refused, even when replacing
is allowed), and an existing file is replaced only when the caller says so. A bad path is an
:class:`~cccd_reader.errors.OutputError` naming it, never a traceback. One implementation for
the CLI, the app and the library; dump directories (:mod:`cccd_reader.dump`) add a directory
descriptor on top and keep their own.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from cccd_reader.errors import OutputError

#: O_NONBLOCK: a FIFO planted at the path fails at once (ENXIO) instead of blocking the writer.
_FLAGS = (os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK
          | getattr(os, "O_CLOEXEC", 0))


def write_private(path: str | os.PathLike[str], data: bytes | str, *, force: bool = False) -> Path:
    """Write ``data`` 0600, never through a symbolic link; an existing file only with ``force``.

    The file is created exclusively when ``force`` is off, and opened with ``O_NOFOLLOW`` in
    both cases, so a link planted at the path is refused, not followed (even with ``force``).
    Text is written as UTF-8.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    target = Path(path)
    if target.is_symlink():
        raise OutputError(f"{target} is a symbolic link: refusing to write through it",
                          params={"path": str(target)})
    flags = _FLAGS | (os.O_TRUNC if force else os.O_EXCL)
    try:
        fd = os.open(target, flags, 0o600)
    except FileExistsError:
        raise OutputError(f"{target} exists: choose another directory, or --force to replace it",
                          params={"path": str(target)}) from None
    except OSError as exc:
        what = ("is a symbolic link: refusing to write through it" if exc.errno == errno.ELOOP
                else f"cannot be written: {exc.strerror}")
        raise OutputError(f"{target} {what}", params={"path": str(target)}) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # a device or FIFO planted at the path
            raise OutputError(f"{target} is not a regular file", params={"path": str(target)})
        os.fchmod(fd, 0o600)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror}",
                          params={"path": str(target)}) from None
    finally:
        os.close(fd)
    return target
