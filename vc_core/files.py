"""Data files only their owner can read: folders 0700, files 0600.

The services keep secrets and personal data on disk (the issuer's SQLite
database, the landlord's key and checks, a wallet's folder). These helpers
create such a folder or file for the owner alone, and tighten one that an
older version created with the process's default permissions. On systems
without POSIX permissions (Windows) the mode is ignored.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

__all__ = ["private_directory", "private_file"]

_DIRECTORY_MODE = 0o700
_FILE_MODE = 0o600


def private_directory(path: Path) -> Path:
    """Create ``path`` (and missing parents) as a folder for the owner only; return it.

    An existing folder that group or others may use is narrowed to 0700.
    """
    path.mkdir(mode=_DIRECTORY_MODE, parents=True, exist_ok=True)
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        path.chmod(_DIRECTORY_MODE)
    return path


def private_file(path: Path) -> Path:
    """Create ``path`` empty for the owner only unless it exists; return it.

    An existing file that group or others may read is narrowed to 0600. Its
    folder must exist (``FileNotFoundError`` otherwise).
    """
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, _FILE_MODE))
    except FileExistsError:
        if stat.S_IMODE(path.stat().st_mode) & 0o077:
            path.chmod(_FILE_MODE)
    return path
