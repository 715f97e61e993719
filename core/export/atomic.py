"""Atomic writes: a temporary file beside the target, flushed to disk, then one rename.

What a save promises:

* the previous file survives any interruption (an exception, ``kill -9``, a
  power cut after the rename's folder entry is on disk): the new content is
  written to a temporary file in the target's folder, ``fsync``-ed, renamed
  over the target in one step, and the folder is ``fsync``-ed;
* the temporary file is removed when the save fails, and one left behind by
  a killed save is removed by the next save of that name (a temporary file's
  name carries the process id of its writer, so one whose writer still runs
  is never taken for a leftover);
* a symbolic link is written *through*: the file it points to is replaced and
  the link stays a link;
* only a regular file (or a new name) is ever replaced: a folder, a device
  such as ``/dev/full``, a FIFO or a socket is refused with
  :class:`SaveTargetError`, never swapped for a regular file.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from core.safeio.files import describe_mode

#: A leftover whose writer cannot be told (older Propscope names, no process ids) counts as abandoned after this.
STALE_AFTER_SECONDS = 600


class SaveTargetError(OSError):
    """The path cannot be saved to: it is a folder, a device, a FIFO, a socket, or a link loop."""


def resolve_target(target: str | Path) -> Path:
    """The regular file (or new name) a save to ``target`` replaces: symbolic links followed.

    Raises :class:`SaveTargetError` for anything that is not a regular file.
    """
    target = Path(target)
    real = Path(os.path.realpath(target))
    try:
        st = os.stat(real)
    except FileNotFoundError:
        return real
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise SaveTargetError(f"{target}: the symbolic links loop; nothing was saved.") from None
        raise
    if not stat.S_ISREG(st.st_mode):
        raise SaveTargetError(f"{target} is {describe_mode(st.st_mode)}; only a regular file (or a new file name) "
                              "can be saved to. Nothing was saved.")
    return real


@contextmanager
def atomic_path(target: str | Path, durable: bool = True) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces ``target`` in one step.

    A crash or an exception half-way leaves ``target`` as it was (or absent)
    and no temporary file behind. See the module's docstring for links,
    non-regular targets and leftovers. ``durable=False`` skips the ``fsync``
    calls (files that are made again in a moment if a power cut eats them:
    the dozens of files of a lecture pack, where syncing each cost a fifth
    of the time); the replacement is still one rename.
    """
    real = resolve_target(target)
    folder = real.parent
    folder.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(folder, real.name)
    fd, tmp = tempfile.mkstemp(prefix=f".{real.name}.{os.getpid()}-", suffix=".tmp", dir=folder)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        if durable:
            _fsync_file(tmp_path)
        os.chmod(tmp_path, _mode_for(real))
        resolve_target(real)  # still a regular file (or absent) right before the rename
        os.replace(tmp_path, real)
        if durable:
            _fsync_folder(folder)
    finally:
        try:
            if tmp_path.exists():
                tmp_path.unlink()
        finally:
            os.close(fd)


def remove_stale_temporaries(folder: Path, name: str) -> list[Path]:
    """Remove ``.NAME.*.tmp`` files in ``folder`` whose writer is gone; returns those removed."""
    removed = []
    prefix = f".{name}."
    try:
        candidates = [p for p in folder.iterdir() if p.name.startswith(prefix) and p.name.endswith(".tmp")]
    except OSError:
        return removed
    for path in candidates:
        try:
            if _abandoned(path, path.name[len(prefix):-len(".tmp")]):
                path.unlink()
                removed.append(path)
        except OSError:
            continue  # gone already, or not ours to remove: never a reason to fail this save
    return removed


def _abandoned(path: Path, middle: str) -> bool:
    st = os.lstat(path)
    if not stat.S_ISREG(st.st_mode):
        return False
    pid_text, dash, _ = middle.partition("-")
    if dash and pid_text.isdigit() and os.name == "posix":  # (signal 0 means Ctrl+C on Windows)
        return not _alive(int(pid_text))
    return time.time() - st.st_mtime > STALE_AFTER_SECONDS


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError, OverflowError):
        return True  # exists (another user's), or cannot tell: leave it
    return True


def _mode_for(real: Path) -> int:
    """An existing file keeps its permissions; a new one gets what a plain ``open`` would give it."""
    try:
        return stat.S_IMODE(os.stat(real).st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); a folder cannot be opened for this on Windows."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems refuse fsync on folders; the rename is still atomic
    finally:
        os.close(fd)


def write_text(target: str | Path, text: str, durable: bool = True) -> Path:
    with atomic_path(target, durable) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(target)
