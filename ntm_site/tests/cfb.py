"""A minimal writer of OLE compound files (MS-CFB version 3), for test files built in code.

An .xls is a compound file holding a "Workbook" stream; an encrypted .xlsx is a compound file
holding "EncryptionInfo" and "EncryptedPackage". Streams under 4,096 bytes live in the mini
stream, as the format requires; every stream sits in the root storage.
"""

from __future__ import annotations

import struct

SECTOR = 512
MINI = 64
CUTOFF = 4096
FREE, END, FATSECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
NOSTREAM = 0xFFFFFFFF


def _sectors(size: int, unit: int) -> int:
    return (size + unit - 1) // unit


def _entry(name: str, kind: int, start: int, size: int, child=NOSTREAM, right=NOSTREAM) -> bytes:
    encoded = (name + "\0").encode("utf-16-le")
    return (
        encoded.ljust(64, b"\0")
        + struct.pack("<HBB", len(encoded), kind, 1)  # black: a chain of right siblings is a valid tree
        + struct.pack("<III", NOSTREAM, right, child)
        + b"\0" * 16  # CLSID
        + struct.pack("<I", 0)  # state bits
        + b"\0" * 16  # creation and modification times
        + struct.pack("<IQ", start, size)
    )


def compound_file(streams: dict[str, bytes]) -> bytes:
    """The bytes of a compound file holding `streams` (name -> content) in its root storage."""
    # Siblings ordered as the format compares names: shorter first, then by upper case.
    names = sorted(streams, key=lambda n: (len(n), n.upper()))
    small = [n for n in names if len(streams[n]) < CUTOFF]
    large = [n for n in names if len(streams[n]) >= CUTOFF]
    mini_stream, mini_fat, mini_start = b"", [], {}
    for name in small:
        data = streams[name]
        count = max(1, _sectors(len(data), MINI))
        first = len(mini_fat)
        mini_start[name] = first
        mini_fat += [first + i + 1 for i in range(count - 1)] + [END]
        mini_stream += data.ljust(count * MINI, b"\0")
    dir_sectors = _sectors((1 + len(names)) * 128, SECTOR)
    minifat_sectors = _sectors(len(mini_fat) * 4, SECTOR) if mini_fat else 0
    ministream_sectors = _sectors(len(mini_stream), SECTOR)
    large_sectors = [max(1, _sectors(len(streams[n]), SECTOR)) for n in large]
    body = dir_sectors + minifat_sectors + ministream_sectors + sum(large_sectors)
    fat_sectors = 1
    while fat_sectors * (SECTOR // 4) < fat_sectors + body:
        fat_sectors += 1
    fat = [FATSECT] * fat_sectors
    sector_data = []

    def chain(data: bytes, count: int, pad: bytes = b"\0") -> int:
        first = len(fat)
        fat.extend([first + i + 1 for i in range(count - 1)] + [END])
        sector_data.append(data.ljust(count * SECTOR, pad))
        return first

    directory_start = len(fat)
    fat.extend([directory_start + i + 1 for i in range(dir_sectors - 1)] + [END])
    sector_data.append(None)  # the directory, written once the start sectors are known
    minifat = b"".join(struct.pack("<I", v) for v in mini_fat)
    minifat_start = chain(minifat, minifat_sectors, b"\xff") if mini_fat else END
    ministream_start = chain(mini_stream, ministream_sectors) if mini_stream else END
    large_start = {name: chain(streams[name], count) for name, count in zip(large, large_sectors, strict=True)}
    entries = [
        _entry("Root Entry", 5, ministream_start, len(mini_stream), child=1 if names else NOSTREAM),
    ]
    for index, name in enumerate(names, start=1):
        start = mini_start[name] if name in mini_start else large_start[name]
        right = index + 1 if index < len(names) else NOSTREAM
        entries.append(_entry(name, 2, start, len(streams[name]), right=right))
    directory = b"".join(entries).ljust(dir_sectors * SECTOR, b"\0")
    sector_data[0] = directory
    fat.extend([FREE] * (fat_sectors * (SECTOR // 4) - len(fat)))
    difat = list(range(fat_sectors)) + [FREE] * (109 - fat_sectors)
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<IIIIIIIII", 0, fat_sectors, directory_start, 0, CUTOFF, minifat_start, minifat_sectors, END, 0)
        + b"".join(struct.pack("<I", v) for v in difat)
    )
    fat_bytes = b"".join(struct.pack("<I", v) for v in fat)
    return header + fat_bytes + b"".join(sector_data)
