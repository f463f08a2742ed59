"""Crafted workbooks for the bad-input suite: tiny files that would unpack to huge sheets."""

import functools
import io
import zipfile

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
