"""Untrusted workbooks are read in a separate process with hard limits; the web worker only waits.

`read_workbook(data, fmt, file_name)` starts `parse_child.py` in a clean interpreter, hands it the
upload on stdin and reads back one marshal blob. The child limits itself before it reads a byte
(RLIMIT_AS address space, RLIMIT_CPU seconds, no files); the parent adds a wall-clock deadline
(a child that sleeps or blocks uses no CPU) and a cap on what it accepts back. A crash, a limit
reached or a deadline passed becomes one Vietnamese message (limits.refusal_message); the child
cannot take the worker with it.

Settings (see the engine's README): NTM_PARSE_MEMORY_MB, NTM_PARSE_CPU_SECONDS,
NTM_PARSE_WALL_SECONDS, NTM_PARSE_OUTPUT_MB, and the extent limits the child checks
(NTM_MAX_SHEET_CELLS, NTM_MAX_SHEET_COLUMNS, NTM_MAX_IMPORT_ROWS, NTM_MAX_SHEET_XML_BYTES,
NTM_MAX_SHARED_STRINGS_BYTES, NTM_MAX_STRING_CHARS, NTM_MAX_STYLES, NTM_MAX_MERGED_RANGES).
"""

from __future__ import annotations

import json
import marshal
import os
import selectors
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from . import parse_child
from .errors import WorkbookError

CHILD = str(Path(parse_child.__file__).resolve())
_stats = threading.local()


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def memory_limit_bytes() -> int:
    return _setting("NTM_PARSE_MEMORY_MB", 2048) * 1024 * 1024


def cpu_limit_seconds() -> int:
    return _setting("NTM_PARSE_CPU_SECONDS", 60)


def wall_limit_seconds() -> float:
    return float(_setting("NTM_PARSE_WALL_SECONDS", 90))


def job_limits() -> dict:
    return {
        "max_cells": _setting("NTM_MAX_SHEET_CELLS", 6_000_000),
        "max_columns": _setting("NTM_MAX_SHEET_COLUMNS", 1024),
        "max_rows": _setting("NTM_MAX_IMPORT_ROWS", 500_000),
        "max_part_bytes": _setting("NTM_MAX_SHEET_XML_BYTES", 400 * 1024 * 1024),
        "max_shared_strings_bytes": _setting("NTM_MAX_SHARED_STRINGS_BYTES", 64 * 1024 * 1024),
        "max_string_chars": _setting("NTM_MAX_STRING_CHARS", 32_767),
        "max_styles": _setting("NTM_MAX_STYLES", 100_000),
        "max_merged": _setting("NTM_MAX_MERGED_RANGES", 100_000),
        "max_output_bytes": _setting("NTM_PARSE_OUTPUT_MB", 512) * 1024 * 1024,
    }


@dataclass
class ChildRun:
    """What the last child of this thread cost (for the reliability table and the benchmark)."""

    wall_seconds: float = 0.0
    cpu_seconds: float = 0.0
    max_rss_kib: int = 0
    exit_status: int = 0
    output_bytes: int = 0
    # The child's own peak (VmHWM), which it reports as it ends; None when it was killed or crashed first.
    peak_kib: int | None = None


def last_run() -> ChildRun | None:
    return getattr(_stats, "run", None)


def run_child(data: bytes, fmt: str, *, extra_args: tuple = ()):
    """("ok", sheets) or ("refused", code, params) from a child process; never raises for the file's sake."""
    limits = job_limits()
    job = {
        "format": fmt,
        "memory_bytes": memory_limit_bytes(),
        "cpu_seconds": cpu_limit_seconds(),
        "limits": limits,
    }
    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-I", CHILD, json.dumps(job), *extra_args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        close_fds=True,
    )
    out_cap = limits["max_output_bytes"] + 1024
    timed_out = overflow = False
    try:
        out, err, timed_out, overflow = _exchange(proc, data, out_cap, started + wall_limit_seconds())
    finally:
        if timed_out or overflow:
            proc.kill()
        _pid, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
    _stats.run = ChildRun(
        wall_seconds=time.monotonic() - started,
        cpu_seconds=usage.ru_utime + usage.ru_stime,
        max_rss_kib=usage.ru_maxrss,
        exit_status=proc.returncode,
        output_bytes=len(out),
        peak_kib=_reported_peak(err),
    )
    if timed_out:
        return ("refused", "time", {"limit": int(wall_limit_seconds())})
    if overflow:
        return ("refused", "output", {"limit": limits["max_output_bytes"]})
    code = proc.returncode
    if code < 0:
        sig = -code
        if sig == signal.SIGXCPU or (sig == signal.SIGKILL and _stats.run.cpu_seconds >= cpu_limit_seconds() - 0.5):
            return ("refused", "cpu", {"limit": cpu_limit_seconds()})
        if b"memory allocation" in err or b"MemoryError" in err or sig == signal.SIGABRT:
            return ("refused", "memory", {"limit": memory_limit_bytes() // (1024 * 1024)})
        return ("refused", "crash", {"signal": sig})
    if code != 0:
        if b"MemoryError" in err or b"memory allocation" in err:
            return ("refused", "memory", {"limit": memory_limit_bytes() // (1024 * 1024)})
        return ("refused", "crash", {"status": code})
    try:
        result = marshal.loads(out)
    except (EOFError, ValueError, TypeError):
        return ("refused", "crash", {"status": code})
    if not isinstance(result, tuple) or not result or result[0] not in ("ok", "refused"):
        return ("refused", "crash", {"status": code})
    return result


def _reported_peak(err: bytes) -> int | None:
    mark = parse_child.PEAK_MARK.encode()
    at = err.rfind(mark)
    if at < 0:
        return None
    digits = err[at + len(mark) :].split(b"\n", 1)[0].strip()
    return int(digits) if digits.isdigit() else None


def _exchange(proc, data, out_cap, deadline):
    """Write the upload, read the answer (at most `out_cap` bytes) and stderr, until the deadline."""
    out, err = bytearray(), bytearray()
    sel = selectors.DefaultSelector()
    view = memoryview(data)
    pos = 0
    for stream in (proc.stdin, proc.stdout, proc.stderr):
        os.set_blocking(stream.fileno(), False)
    if data:
        sel.register(proc.stdin, selectors.EVENT_WRITE)
    else:
        proc.stdin.close()
    sel.register(proc.stdout, selectors.EVENT_READ)
    sel.register(proc.stderr, selectors.EVENT_READ)
    try:
        while sel.get_map():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return bytes(out), bytes(err), True, False
            for key, _events in sel.select(remaining):
                stream = key.fileobj
                if stream is proc.stdin:
                    try:
                        pos += os.write(stream.fileno(), view[pos : pos + 65536])
                    except BrokenPipeError:
                        pos = len(data)
                    if pos >= len(data):
                        sel.unregister(stream)
                        stream.close()
                    continue
                chunk = os.read(stream.fileno(), 1 << 20)
                if not chunk:
                    sel.unregister(stream)
                    continue
                if stream is proc.stdout:
                    out += chunk
                    if len(out) > out_cap:
                        return bytes(out[:0]), bytes(err), False, True
                elif len(err) < 65536:
                    err += chunk
    finally:
        sel.close()
    return bytes(out), bytes(err), False, False


def read_workbook(data: bytes, fmt: str, file_name: str = ""):
    """The visible worksheets of an .xlsx/.xls/.ods, read by a limited child; WorkbookError otherwise."""
    from .limits import refusal_message
    from .reader import Sheet

    result = run_child(data, fmt)
    if result[0] == "refused":
        raise WorkbookError(refusal_message(result[1], result[2], file_name))
    sheets = []
    for name, rows, first_row, first_col, merged, special in result[1]:
        for i in special:
            rows[i] = [parse_child.unpack(v) if type(v) is tuple else v for v in rows[i]]
        sheets.append(Sheet(name=name, rows=rows, first_row=first_row, first_col=first_col, merged=merged))
    return sheets
