"""Atomic saves: links written through, only regular files replaced, no temporary file left behind."""

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.export.atomic import SaveTargetError, atomic_path, remove_stale_temporaries, write_text

ROOT = Path(__file__).resolve().parents[3]


def temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_a_symlink_is_written_through_and_stays_a_link(tmp_path):
    (tmp_path / "real.txt").write_text("old")
    os.symlink("real.txt", tmp_path / "link.txt")
    write_text(tmp_path / "link.txt", "new")
    assert (tmp_path / "link.txt").is_symlink() and (tmp_path / "real.txt").read_text() == "new"


@pytest.mark.parametrize("make", ["folder", "fifo", "device"])
def test_only_regular_files_are_replaced(tmp_path, make):
    target = tmp_path / "target"
    if make == "folder":
        target.mkdir()
    elif make == "fifo":
        os.mkfifo(target)
    else:
        os.symlink("/dev/null", target)
    with pytest.raises(SaveTargetError, match="only a regular file"):
        write_text(target, "x")
    assert temporaries(tmp_path) == []
    if make == "folder":
        assert target.is_dir()
    elif make == "fifo":
        assert stat.S_ISFIFO(os.lstat(target).st_mode)
    else:
        assert target.is_symlink() and os.readlink(target) == "/dev/null"


def test_a_failed_save_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "s.txt"
    target.write_text("old")
    os.chmod(target, 0o640)
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_text("half")
            raise RuntimeError("disk full")
    assert target.read_text() == "old" and temporaries(tmp_path) == []
    write_text(target, "new")
    assert target.read_text() == "new" and (target.stat().st_mode & 0o777) == 0o640  # permissions kept


def test_a_killed_save_is_cleaned_up_by_the_next_one_but_a_running_one_is_not(tmp_path):
    code = ("import sys, time; sys.path.insert(0, sys.argv[1]); from core.export.atomic import atomic_path\n"
            "with atomic_path(sys.argv[2]) as t:\n"
            "    open(t, 'w').write('partial'); print('writing', flush=True); time.sleep(60)\n")
    target = tmp_path / "k.txt"
    proc = subprocess.Popen([sys.executable, "-c", code, str(ROOT), str(target)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "writing"
        assert len(temporaries(tmp_path)) == 1
        write_text(target, "other")  # a save while another process is still writing: its file stays
        assert len(temporaries(tmp_path)) == 1 and target.read_text() == "other"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert len(temporaries(tmp_path)) == 1  # kill -9 leaves it behind...
    write_text(target, "final")
    assert temporaries(tmp_path) == [] and target.read_text() == "final"  # ...and the next save removes it


def test_old_style_leftovers_are_removed_once_stale(tmp_path):
    old = tmp_path / ".k.txt.abcd1234.tmp"
    old.write_text("left by an older version")
    assert remove_stale_temporaries(tmp_path, "k.txt") == []  # fresh: could still be in use
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    assert remove_stale_temporaries(tmp_path, "k.txt") == [old]
