"""Issue 15 #7: an XLSX that unpacks far beyond its size (a zip bomb), or an oversized CSV, is
refused by the shared reader before anything opens it."""

from __future__ import annotations

import io
import zipfile

import pytest
import xlsxwriter

from jamsos.core.importing.reader import UnreadableFile, read_grid
from tests.factories import HEADER, PEOPLE, import_rows


def xlsx(rows: list[list[str]]) -> bytes:
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = book.add_worksheet()
    for r, row in enumerate(rows):
        ws.write_row(r, 0, row)
    book.close()
    return buf.getvalue()


def bomb(extra: int, *, name: str = "xl/worksheets/sheet2.xml", members: int = 1) -> bytes:
    """A valid workbook plus ``members`` highly compressible members of ``extra`` bytes."""
    base = xlsx([HEADER.split(";"), PEOPLE[0].split(";")])
    buf = io.BytesIO(base)
    with zipfile.ZipFile(buf, "a", compression=zipfile.ZIP_DEFLATED) as z:
        for i in range(members):
            z.writestr(f"{name}{i}" if members > 1 else name, b"\0" * extra)
    return buf.getvalue()


@pytest.fixture
def caps(settings):
    settings.JAMSOS_MAX_IMPORT_UNPACKED_BYTES = 8 * 1024 * 1024
    settings.JAMSOS_MAX_XLSX_RATIO = 100
    settings.JAMSOS_MAX_XLSX_MEMBERS = 200
    return settings


def test_a_normal_workbook_is_read(caps):
    header, grid, _e, _d = read_grid(xlsx([HEADER.split(";"), PEOPLE[0].split(";")]), "a.xlsx")
    assert header[0] == "NIK" and grid.height == 1


def test_a_workbook_that_unpacks_beyond_the_cap_is_refused(caps):
    data = bomb(9 * 1024 * 1024)
    assert len(data) < 100_000
    with pytest.raises(UnreadableFile, match="terlalu besar setelah dibuka"):
        read_grid(data, "bom.xlsx")


def test_a_workbook_packed_too_tightly_is_refused(caps):
    with pytest.raises(UnreadableFile, match="dimampatkan tidak wajar"):
        read_grid(bomb(4 * 1024 * 1024), "bom.xlsx")


def test_a_workbook_with_too_many_members_is_refused(caps):
    with pytest.raises(UnreadableFile, match="terlalu banyak bagian"):
        read_grid(bomb(10, members=300, name="xl/media/x"), "bom.xlsx")


def test_a_damaged_zip_is_refused_cleanly(caps):
    with pytest.raises(UnreadableFile, match="rusak"):
        read_grid(b"PK\x03\x04" + b"\x01" * 200, "rusak.xlsx")


def test_a_csv_beyond_the_cap_is_refused(caps):
    caps.JAMSOS_MAX_IMPORT_UNPACKED_BYTES = 1000
    data = "\n".join([HEADER, *PEOPLE * 20]).encode()
    with pytest.raises(UnreadableFile, match="terlalu besar"):
        read_grid(data, "a.csv")


@pytest.mark.django_db
def test_the_worker_import_refuses_a_bomb_and_reads_the_next_file(caps):
    from jamsos.registry.services import import_workers

    with pytest.raises(UnreadableFile, match="terlalu besar setelah dibuka"):
        import_workers(bomb(9 * 1024 * 1024), "bom.xlsx")
    import_rows(*PEOPLE)  # the reader still works for the next file
