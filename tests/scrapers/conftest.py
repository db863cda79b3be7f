"""Fixtures for the scraper tests: frozen sites over loopback, a fault server, fast sessions, file builders."""
from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest

from fzzf.loopback import SiteServer
from tests.support.faults import FaultServer
from fzzf.scrapers.session import PoliteSession

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
FAST = dict(min_interval=0.0, connect_timeout=0.5, read_timeout=0.3, retries=2, backoff_factor=0.01,
            backoff_max=0.05, retry_after_cap=0.05, max_bytes=100_000, max_fetch_seconds=5.0)


@pytest.fixture
def fixtures_dir() -> Path:
    """tests/fixtures."""
    return FIXTURES


@pytest.fixture
def serve():
    """Start a SiteServer over a fixture folder; all are stopped at teardown."""
    started: list[SiteServer] = []

    def start(name: str) -> SiteServer:
        server = SiteServer(FIXTURES / name).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def session():
    """A PoliteSession with small timeouts and backoff so fault tests stay fast."""
    made = PoliteSession(**FAST)
    yield made
    made.close()


@pytest.fixture
def faults():
    """A fault server whose /redirect-off points at a second, distinct loopback server."""
    other = FaultServer().start()
    server = FaultServer(redirect_target=other.base_url + "/ok").start()
    server.other = other
    yield server
    server.stop()
    other.stop()


@pytest.fixture
def make_pdf():
    """Builder of a one-page PDF whose text layer holds `lines` (CJK via a ToUnicode CMap); [] gives a scan."""
    return build_pdf


@pytest.fixture
def make_docx():
    """Builder of a minimal DOCX (zip + word/document.xml) with one paragraph per line."""
    return build_docx


@pytest.fixture
def make_doc():
    """Builder of a minimal OLE compound file holding a WordDocument stream of UTF-16LE text."""
    return build_doc


def build_pdf(lines: list[str]) -> bytes:
    chars = sorted({c for line in lines for c in line})
    code = {c: i + 1 for i, c in enumerate(chars)}
    ops = ["BT /F1 12 Tf 50 800 Td 16 TL"]
    for line in lines:
        hexed = "".join(f"{code[c]:04X}" for c in line)
        ops.append(f"<{hexed}> Tj T*")
    ops.append("ET")
    content = ("\n".join(ops) if lines else "0 0 m 200 200 l S").encode()
    entries = [f"<{code[c]:04X}> <{ord(c):04X}>" for c in chars]
    blocks = []
    for i in range(0, len(entries), 100):
        chunk = entries[i:i + 100]
        blocks.append(f"{len(chunk)} beginbfchar\n" + "\n".join(chunk) + "\nendbfchar")
    cmap = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
            "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
            + "\n".join(blocks) + "\nendcmap CMapName currentdict /CMap defineresource pop end end").encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        _stream(content),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /Identity-H "
        b"/DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>",
        _stream(cmap),
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def _stream(data: bytes) -> bytes:
    return f"<< /Length {len(data)} >>\nstream\n".encode() + data + b"\nendstream"


def build_docx(lines: list[str]) -> bytes:
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    paras = "".join(f"<w:p><w:r><w:t xml:space=\"preserve\">{line}</w:t></w:r></w:p>" for line in lines)
    document = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{ns}"><w:body>{paras}</w:body></w:document>'
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        archive.writestr("word/document.xml", document)
    return out.getvalue()


def build_doc(lines: list[str]) -> bytes:
    """Version-3 compound file: sector 0 FAT, sector 1 directory, then the WordDocument stream."""
    sector = 512
    # Word keeps a binary header (the FIB) before the text; any bytes do for this reader.
    stream = b"\xec\xa5\xc1\x00" + b"\x00" * 0x3FC + "\r".join(lines).encode("utf-16-le") + "\r".encode("utf-16-le")
    stream = stream.ljust(4096, b"\x00")
    n = -(-len(stream) // sector)
    fat = [0xFFFFFFFD, 0xFFFFFFFE] + [3 + i for i in range(n - 1)] + [0xFFFFFFFE]
    fat += [0xFFFFFFFF] * (sector // 4 - len(fat))
    header = bytearray(512)
    header[0:8] = bytes.fromhex("D0CF11E0A1B11AE1")
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 0x2C, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0, 0)
    difat = [0] + [0xFFFFFFFF] * 108
    struct.pack_into("<109I", header, 0x4C, *difat)
    directory = _dir_entry("Root Entry", 5, 0xFFFFFFFE, 0, child=1) + _dir_entry("WordDocument", 2, 2, len(stream))
    directory += b"\x00" * (sector - len(directory))
    return bytes(header) + struct.pack(f"<{sector // 4}I", *fat) + directory + stream.ljust(n * sector, b"\x00")


def _dir_entry(name: str, kind: int, start: int, size: int, child: int = 0xFFFFFFFF) -> bytes:
    entry = bytearray(128)
    raw = (name + "\x00").encode("utf-16-le")
    entry[0:len(raw)] = raw
    struct.pack_into("<HBB", entry, 64, len(raw), kind, 1)
    struct.pack_into("<III", entry, 68, 0xFFFFFFFF, 0xFFFFFFFF, child)
    struct.pack_into("<II", entry, 116, start, size)
    return bytes(entry)
