"""Read one named stream out of an OLE compound file (old .doc/.wps) without external tools."""
from __future__ import annotations

import struct

SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
END_OF_CHAIN = 0xFFFFFFFE
FREE = 0xFFFFFFFF
SPECIAL = 0xFFFFFFFA  # values at or above this are markers, not sector numbers
HEADER_DIFAT = 109
DIR_ENTRY = 128
STREAM = 2
ROOT = 5


class CfbError(ValueError):
    """The bytes are not a compound file this reader can follow."""


def read_stream(data: bytes, name: str) -> bytes:
    """The bytes of the stream called `name` (case-insensitive), wherever it sits in the file."""
    if not data.startswith(SIGNATURE) or len(data) < 512:
        raise CfbError("not an OLE compound file")
    sector_size = 1 << struct.unpack_from("<H", data, 0x1E)[0]
    mini_size = 1 << struct.unpack_from("<H", data, 0x20)[0]
    first_dir, = struct.unpack_from("<I", data, 0x30)
    cutoff, first_minifat, _n_minifat, first_difat, n_difat = struct.unpack_from("<IIIII", data, 0x38)
    reader = _Reader(data, sector_size)
    fat = reader.fat(list(struct.unpack_from(f"<{HEADER_DIFAT}I", data, 0x4C)), first_difat, n_difat)
    directory = reader.chain_bytes(first_dir, fat)
    entries = [directory[i:i + DIR_ENTRY] for i in range(0, len(directory) - DIR_ENTRY + 1, DIR_ENTRY)]
    root = entries[0] if entries else b""
    for entry in entries:
        name_len, kind = struct.unpack_from("<HB", entry, 64)
        entry_name = entry[: max(0, name_len - 2)].decode("utf-16-le", errors="replace")
        if kind != STREAM or entry_name.lower() != name.lower():
            continue
        start, size = struct.unpack_from("<II", entry, 116)
        if size >= cutoff:
            return reader.chain_bytes(start, fat)[:size]
        mini_stream = reader.chain_bytes(struct.unpack_from("<I", root, 116)[0], fat)
        minifat = _ints(reader.chain_bytes(first_minifat, fat)) if first_minifat < SPECIAL else []
        out = bytearray()
        for sector in _chain(start, minifat):
            out += mini_stream[sector * mini_size:(sector + 1) * mini_size]
        return bytes(out[:size])
    raise CfbError(f"no stream named {name!r}")


class _Reader:
    def __init__(self, data: bytes, sector_size: int) -> None:
        self.data, self.size = data, sector_size

    def sector(self, number: int) -> bytes:
        start = (number + 1) * self.size
        if start + self.size > len(self.data) + self.size:  # the last sector may be short
            raise CfbError(f"sector {number} beyond end of file")
        return self.data[start:start + self.size]

    def fat(self, header_difat: list[int], next_difat: int, count: int) -> list[int]:
        fat_sectors = [s for s in header_difat if s < SPECIAL]
        per = self.size // 4 - 1
        for _ in range(count):
            if next_difat >= SPECIAL:
                break
            values = _ints(self.sector(next_difat))
            fat_sectors += [s for s in values[:per] if s < SPECIAL]
            next_difat = values[per]
        fat: list[int] = []
        for number in fat_sectors:
            fat += _ints(self.sector(number))
        return fat

    def chain_bytes(self, start: int, fat: list[int]) -> bytes:
        return b"".join(self.sector(s) for s in _chain(start, fat))


def _chain(start: int, table: list[int]) -> list[int]:
    sectors, seen = [], set()
    current = start
    while current < SPECIAL:
        if current in seen or current >= len(table):
            raise CfbError(f"broken sector chain at {current}")
        seen.add(current)
        sectors.append(current)
        current = table[current]
    return sectors


def _ints(raw: bytes) -> list[int]:
    return list(struct.unpack(f"<{len(raw) // 4}I", raw[: len(raw) // 4 * 4]))
