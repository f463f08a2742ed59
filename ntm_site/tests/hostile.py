"""Crafted workbooks for the bad-input suite: tiny files that would unpack to huge sheets."""

import functools
import io
import struct
import zipfile

from .cfb import compound_file

_CT = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    b'<Override PartName="/xl/sharedStrings.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)
_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    b'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WB = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    b'<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WB_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    b'worksheet" Target="worksheets/sheet1.xml"/>'
    b'<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    b'sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)
_MAIN = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def xlsx_parts(sheet_rows, shared=()):
    """An .xlsx whose sheet1 holds the byte strings of `sheet_rows` and whose shared strings hold `shared`."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WB)
        z.writestr("xl/_rels/workbook.xml.rels", _WB_RELS)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet ' + _MAIN + b"><sheetData>")
            for part in sheet_rows:
                f.write(part)
            f.write(b"</sheetData></worksheet>")
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as f:
            f.write(b'<?xml version="1.0" encoding="UTF-8"?><sst ' + _MAIN + b">")
            for part in shared:
                f.write(part)
            f.write(b"</sst>")
    return buf.getvalue()


@functools.cache
def zip_bomb():
    """A sheet part that inflates to 1 GB (a comment of 'A's)."""
    filler = b"<!--" + b"A" * 10_000_000 + b"-->"
    return xlsx_parts([b'<row r="1"><c r="A1"><v>1</v></c></row>', *([filler] * 100)])


def far_corner():
    """Two values: A1 and XFD1048576, the last cell Excel has."""
    return xlsx_parts([b'<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'])


def million_columns_without_references(rows=60):
    """Rows of 16,384 values whose cells carry no reference (each takes the next column)."""
    row = b"<row>" + b"<c><v>1</v></c>" * 16384 + b"</row>"
    return xlsx_parts([row] * rows)


def prefixed_wide_sheet():
    """The same with a namespace prefix on every element, as some tools write."""
    declared = b'<x:row xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    row = declared + b"<x:c><x:v>1</x:v></x:c>" * 5000 + b"</x:row>"
    return xlsx_parts([row] * 10)


def huge_shared_strings(count=120_000):
    """A shared-strings table of 120 MB (one kilobyte each) behind a one-cell sheet."""
    item = b"<si><t>" + b"x" * 1000 + b"</t></si>"
    return xlsx_parts([b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>'], [item] * count)


def ods_repeated(rows, cols):
    """An OpenDocument sheet of one value repeated over rows x columns by its repeat attributes."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Sheet1">'
        f'<table:table-row table:number-rows-repeated="{rows}">'
        f'<table:table-cell table:number-columns-repeated="{cols}" office:value-type="float" office:value="1">'
        "<text:p>1</text:p></table:table-cell></table:table-row></table:table>"
        "</office:spreadsheet></office:body></office:document-content>"
    ).encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", b"application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


# --- compound files (.xls, encrypted .xlsx), built with tests/cfb.py -------------------------


def _record(kind: int, data: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def _short_string(text: str) -> bytes:
    """BIFF8 ShortXLUnicodeString: length, a flag (1: two bytes a character), the characters."""
    return struct.pack("<BB", len(text), 1) + text.encode("utf-16-le")


def xls(rows, *, dimensions=None) -> bytes:
    """An Excel 97–2003 workbook (BIFF8) of one sheet: `rows` of text and numbers, as Excel writes the records.

    `dimensions` = (rows, columns) is what the sheet's DIMENSIONS record claims, whatever the cells are.
    """
    texts = sorted({v for row in rows for v in row if isinstance(v, str)})
    index = {t: i for i, t in enumerate(texts)}
    sst = struct.pack("<II", len(texts), len(texts)) + b"".join(
        struct.pack("<HB", len(t), 1) + t.encode("utf-16-le") for t in texts
    )
    xf = struct.pack("<HHHBBBBIIH", 0, 0, 0xFFF5, 0x20, 0, 0, 0, 0, 0, 0x20C0)  # the style XF every cell uses
    cells = []
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, str):
                cells.append(_record(0x00FD, struct.pack("<HHHI", r, c, 0, index[value])))  # LABELSST
            elif value is not None:
                cells.append(_record(0x0203, struct.pack("<HHHd", r, c, 0, float(value))))  # NUMBER
    claimed_rows, claimed_cols = dimensions or (len(rows), max((len(r) for r in rows), default=0))
    sheet = (
        _record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0x0DBB, 0x07CC, 0x41, 0x06))  # BOF: worksheet
        + _record(0x0200, struct.pack("<IIHHH", 0, claimed_rows, 0, claimed_cols, 0))  # DIMENSIONS
        + b"".join(cells)
        + _record(0x000A)  # EOF
    )
    head = _record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0x41, 0x06))  # BOF: globals
    head += _record(0x0042, struct.pack("<H", 1200))  # CODEPAGE: UTF-16
    head += b"".join(_record(0x00E0, xf) for _ in range(16))  # XF records (Excel writes at least 16)
    name = _short_string("Sheet1")
    tail = _record(0x00FC, sst) + _record(0x000A)
    offset = len(head) + 4 + 6 + len(name) + len(tail)  # where the sheet's BOF starts
    globals_ = head + _record(0x0085, struct.pack("<IBB", offset, 0, 0) + name) + tail
    return compound_file({"Workbook": globals_ + sheet})


def encrypted_xlsx() -> bytes:
    """An .xlsx as Excel saves it with a password (agile encryption): a compound file, not a zip."""
    descriptor = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
        b'<encryption xmlns="http://schemas.microsoft.com/office/2006/encryption" '
        b'xmlns:p="http://schemas.microsoft.com/office/2006/keyEncryptor/password">'
        b'<keyData saltSize="16" blockSize="16" keyBits="256" hashSize="64" cipherAlgorithm="AES" '
        b'cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" saltValue="AAAAAAAAAAAAAAAAAAAAAA=="/>'
        b'<keyEncryptors><keyEncryptor uri="http://schemas.microsoft.com/office/2006/keyEncryptor/password">'
        b'<p:encryptedKey spinCount="100000" saltSize="16" blockSize="16" keyBits="256" hashSize="64" '
        b'cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" '
        b'saltValue="AAAAAAAAAAAAAAAAAAAAAA==" encryptedVerifierHashInput="AAAAAAAAAAAAAAAAAAAAAA==" '
        b'encryptedVerifierHashValue="AAAAAAAAAAAAAAAAAAAAAA==" encryptedKeyValue="AAAAAAAAAAAAAAAAAAAAAA=="/>'
        b"</keyEncryptor></keyEncryptors></encryption>"
    )
    info = struct.pack("<HHI", 4, 4, 0x40) + descriptor
    package = struct.pack("<Q", 8192) + bytes((i * 97 + 13) % 256 for i in range(8192))
    return compound_file({"EncryptionInfo": info, "EncryptedPackage": package})
