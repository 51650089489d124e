"""Uploads that would exhaust a server: each kind of file is read in a process of its own,
whose peak memory and time are measured, and refused with a message, nothing kept.

The bounds asserted (200 MB, 5 s) are what the reader may cost at worst, not timings of
ordinary files: a reader that inflated the file, or believed its declared dimensions,
takes gigabytes or minutes."""

import io
import json
import subprocess
import sys
import textwrap
import zipfile

import pytest

from kmtracker.lib.waiting import scaled
from tests.activities.imports import xlsx_bytes

MAX_PEAK_MB = 200
MAX_SECONDS = 5.0

_MEASURE = textwrap.dedent(
    """
    import json, resource, sys, time
    import django
    django.setup()
    from kmtracker.lib.tables import ImportFileError, read_table
    content = open(sys.argv[1], "rb").read()
    start = time.monotonic()
    try:
        read_table(content)
        message = None
    except ImportFileError as error:
        message = str(error)
    seconds = time.monotonic() - start
    # ru_maxrss keeps the parent's peak across fork and exec (a busy test worker's);
    # VmHWM is this program's own.
    status = open("/proc/self/status").read() if sys.platform == "linux" else ""
    lines = [line for line in status.splitlines() if line.startswith("VmHWM:")]
    if lines:
        peak_mb = int(lines[0].split()[1]) / 1024
    else:
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"message": message, "seconds": seconds, "peak_mb": peak_mb}))
    """
)


def measured(tmp_path, content):
    """Read `content` in a new process: its message, seconds and peak memory in MB."""
    path = tmp_path / "upload"
    path.write_bytes(content)
    result = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(path)],
        capture_output=True,
        text=True,
        timeout=scaled(40),
        env={
            "DJANGO_SETTINGS_MODULE": "kmtracker.settings",
            "DEBUG": "1",
            "SECRET_KEY": "x",
            "PATH": "/usr/bin:/bin",
        },
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def _stored(entries):
    """A zip of (name, bytes or a generator of chunks to deflate)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            if isinstance(data, bytes):
                archive.writestr(name, data)
            else:
                with archive.open(name, "w", force_zip64=True) as member:
                    for chunk in data:
                        member.write(chunk)
    return buffer.getvalue()


def _workbook_parts(sheet_xml, shared_strings=None):
    """The parts of a plain workbook from openpyxl, with its sheet (and strings) replaced."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes(["name"], [["Ada"]])))
    parts = {name: source.read(name) for name in source.namelist()}
    parts["xl/worksheets/sheet1.xml"] = sheet_xml
    if shared_strings is not None:
        parts.pop("xl/sharedStrings.xml", None)
        return list(parts.items()) + [("xl/sharedStrings.xml", shared_strings)]
    return list(parts.items())


def shared_strings_bomb(gigabytes=1.2):
    """An XLSX of about a megabyte whose shared strings inflate to `gigabytes`."""
    chunk = b"<si><t>" + b"A" * (1024 * 1024 - 16) + b"</t></si>"

    def strings():
        yield b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        for _ in range(int(gigabytes * 1024)):
            yield chunk
        yield b"</sst>"

    sheet = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>'
    )
    return _stored(_workbook_parts(sheet, strings()))


def whole_sheet_declared():
    """A tiny XLSX whose sheet says it spans A1:XFD1048576, with cells at both corners."""
    sheet = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<dimension ref="A1:XFD1048576"/><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c></row>'
        b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    return _stored(_workbook_parts(sheet))


FILES = {
    "xlsx whose shared strings inflate to 1.2 GB": (shared_strings_bomb, "inflate"),
    "xlsx declaring A1:XFD1048576": (whole_sheet_declared, "lines"),
    "csv of 100,000 heading columns": (
        lambda: b",".join(b"c%d" % n for n in range(100_000)) + b"\nx\n",
        "columns",
    ),
    "csv of 5 MB of blank lines": (lambda: b"name\n" + b"\n" * (5 * 1024 * 1024 - 10), "lines"),
}


@pytest.mark.parametrize("kind", list(FILES))
def test_a_file_that_would_exhaust_the_server_is_refused_within_bounds(tmp_path, kind):
    build, said = FILES[kind]
    content = build()

    result = measured(tmp_path, content)

    assert result["message"] and said in result["message"], result
    assert result["peak_mb"] < MAX_PEAK_MB, result
    assert result["seconds"] < MAX_SECONDS, result


def test_the_files_are_small():
    assert len(shared_strings_bomb()) < 1.5 * 1024 * 1024
    assert len(whole_sheet_declared()) < 8 * 1024
