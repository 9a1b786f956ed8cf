"""Files that hold personal data, written private from their first byte.

A file is created with mode 0600 (never world-readable, not even while it is being written or
when the disk fills up halfway) and removed again when it cannot be written whole.
"""

from __future__ import annotations

import errno
import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

#: The errors of a full disk or an exhausted quota.
_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


class StorageFull(OSError):
    """The server's storage could not take the file; nothing of it was kept."""

    message = ("Ruang penyimpanan server penuh; berkas tidak disimpan dan tidak ada data yang "
               "berubah. Hubungi admin sistem.")

    def __str__(self) -> str:
        return self.message


def write_private(path: Path, chunks: Iterable[bytes]) -> str:
    """Write ``chunks`` to a new file ``path`` (mode 0600 from the start); returns its SHA-256.

    On any error the partial file is removed; a full disk raises :class:`StorageFull`.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                digest.update(chunk)
                out.write(chunk)
    except BaseException as exc:
        path.unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.errno in _FULL:
            raise StorageFull(exc.errno, os.strerror(exc.errno)) from exc
        raise
    return digest.hexdigest()
