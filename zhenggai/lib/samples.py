"""Real sample files for tests: the smallest valid PDF, PNG, Word package and legacy compound
file, so that checks which parse files (not just their first bytes) are tested on real ones.
Nothing here is used outside tests."""

import io
import struct
import zipfile

ENDOFCHAIN, FREESECT, FATSECT, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
SECTOR = 512
# Streams this long live in the regular sectors, so no mini stream is needed.
STREAM_BYTES = 4096


def pdf(text: str = "") -> bytes:
    """A one-page PDF (with `text` as a comment-free content stream, if any)."""
    stream = f"BT /F1 12 Tf 20 100 Td ({text}) Tj ET".encode("latin-1") if text else b""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R"
        b" /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >>"
        b" >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (2, 2), "white").save(out, "PNG")
    return out.getvalue()


def docx(extra: dict | None = None) -> bytes:
    """A Word package as python-docx writes it, with `extra` parts added."""
    from docx import Document

    out = io.BytesIO()
    Document().save(out)
    if not extra:
        return out.getvalue()
    with zipfile.ZipFile(out, "a") as archive:
        for name, data in extra.items():
            archive.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def compound_file(*streams: str) -> bytes:
    """A legacy Office compound file (CFB version 3) holding the named streams."""
    first_data = 2  # sector 0 holds the FAT, sector 1 the directory
    per_stream = STREAM_BYTES // SECTOR
    fat = [FATSECT, ENDOFCHAIN]
    for n in range(len(streams)):
        start = first_data + n * per_stream
        fat += [start + k + 1 for k in range(per_stream - 1)] + [ENDOFCHAIN]
    assert len(fat) <= SECTOR // 4, "too many streams for one FAT sector"
    fat += [FREESECT] * (SECTOR // 4 - len(fat))
    # Entry i + 1 is stream i; siblings are chained to the right in the directory's order
    # (shorter names first), below the root.
    ordered = sorted(range(len(streams)), key=lambda i: (len(streams[i]), streams[i].upper()))
    right_of = {a: b + 1 for a, b in zip(ordered, ordered[1:], strict=False)}
    entries = [_entry("Root Entry", 5, child=ordered[0] + 1 if streams else NOSTREAM)]
    for index, name in enumerate(streams):
        start = first_data + index * per_stream
        right = right_of.get(index, NOSTREAM)
        entries.append(_entry(name, 2, right=right, start=start, size=STREAM_BYTES))
    directory = b"".join(entries)
    directory += _entry("", 0) * (SECTOR // 128 - len(entries))
    assert len(directory) == SECTOR, "too many streams for one directory sector"
    header = b"".join(
        [
            bytes.fromhex("D0CF11E0A1B11AE1"),
            b"\0" * 16,
            struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6),
            b"\0" * 6,
            struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, ENDOFCHAIN, 0, ENDOFCHAIN, 0),
            struct.pack("<I", 0) + struct.pack("<I", FREESECT) * 108,
        ]
    )
    data = b"".join(name.encode("utf-16-le").ljust(STREAM_BYTES, b"\0") for name in streams)
    return header + struct.pack(f"<{SECTOR // 4}I", *fat) + directory + data


def _entry(name, kind, *, child=NOSTREAM, right=NOSTREAM, start=ENDOFCHAIN, size=0) -> bytes:
    encoded = (name + "\0").encode("utf-16-le") if name else b""
    return b"".join(
        [
            encoded.ljust(64, b"\0"),
            struct.pack("<HBB", len(encoded), kind, 1),
            struct.pack("<III", NOSTREAM, right, child),
            b"\0" * 16 + b"\0" * 4 + b"\0" * 16,
            struct.pack("<IQ", start if kind else 0, size),
        ]
    )
