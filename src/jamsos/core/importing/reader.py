"""Read any CSV or XLSX file into a frame of strings, one column per known header."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
from django.conf import settings
from django.utils.translation import gettext as _

from jamsos.core.errors import DomainError, ErrorCode
from jamsos.core.numbers import file_size, megabytes

#: The file kinds an import reads.
SUFFIXES = frozenset({".csv", ".txt", ".xlsx"})
ROW = "_row"  # the row number as the spreadsheet shows it (header = 1)


class UnreadableFile(DomainError):
    """The file cannot be read at all (nothing is imported): a refusal of the ``file`` field,
    answered by the API like every :class:`~jamsos.core.errors.DomainError` (422)."""

    def __init__(self, message: str, field: str = "file") -> None:
        super().__init__(field, message, code=ErrorCode.INVALID)


def refuse_upload(upload, *, suffixes: frozenset[str] | None = SUFFIXES,
                  limit: int | None = None) -> str | None:
    """Why an uploaded file is refused before it is read into memory, or ``None``: no file,
    another kind than ``suffixes`` (the import kit's; ``None``: any kind), or larger than
    ``limit`` bytes (the import cap by default). One wording for every upload, page and API."""
    if upload is None:
        return _("Pilih berkas CSV atau XLSX.") if suffixes == SUFFIXES else _("Pilih berkas.")
    if suffixes is not None:
        suffix = Path(upload.name or "").suffix.lower()
        if suffix not in suffixes:
            return _("Jenis berkas %(s)s tidak didukung; kirim %(kinds)s.") % {
                "s": suffix or "?",
                "kinds": _("CSV atau XLSX") if suffixes == SUFFIXES
                else ", ".join(sorted(k.lstrip(".").upper() for k in suffixes))}
    cap = settings.JAMSOS_MAX_IMPORT_BYTES if limit is None else limit
    if upload.size > cap:
        return _("Berkas terlalu besar (%(size)s); batasnya %(max)s.") % {
            "size": file_size(upload.size), "max": file_size(cap)}
    return None


@dataclass
class Table:
    frame: pl.DataFrame  # ROW + one Utf8 column per recognised header
    columns: list[str]
    ignored_headers: list[str] = field(default_factory=list)
    encoding: str = ""
    delimiter: str = ""


def read_path(path: Path) -> bytes:
    """The bytes of a file an import is run on from the command line."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(_("Berkas tidak dapat dibuka: %(err)s")
                             % {"err": f"{path}: {exc.strerror}"}) from exc


def read_grid(data: bytes, filename: str) -> tuple[list[str], pl.DataFrame, str, str]:
    """Any CSV or XLSX file as (header texts, frame of text columns ``c0…cN``, encoding,
    delimiter). Shared by every import (workers, DTSEN, bank results, claims, BPJS bills).

    CSV: comma, semicolon or tab; UTF-8 with or without BOM, or Windows-1252; read by polars.
    XLSX: the first sheet, cells as the operator typed them (see :func:`cell_text`).
    Raises :class:`UnreadableFile` with a message for the operator.
    """
    if data[:4] == b"PK\x03\x04" or filename.lower().endswith((".xlsx", ".xlsm")):
        check_zip(data)
        return (*_xlsx_grid(data), "xlsx", "")
    if len(data) > settings.JAMSOS_MAX_IMPORT_UNPACKED_BYTES:
        raise UnreadableFile(_too_big())
    return _csv_grid(data)


def _too_big() -> str:
    return _("Berkas terlalu besar untuk diimpor sekaligus (batas %(cap)s); bagi menjadi "
             "beberapa berkas. Tidak ada data yang diimpor.") % {
        "cap": megabytes(settings.JAMSOS_MAX_IMPORT_UNPACKED_BYTES)}


def check_zip(data: bytes) -> None:
    """Refuse an XLSX (a zip archive) whose directory promises more than an import may unpack:
    in total (``JAMSOS_MAX_IMPORT_UNPACKED_BYTES``, which also caps a CSV, so the memory an
    import uses), per packed byte (``JAMSOS_MAX_XLSX_RATIO``) or in members
    (``JAMSOS_MAX_XLSX_MEMBERS``) — before calamine or openpyxl unpack anything."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise UnreadableFile(_("Berkas XLSX rusak atau tidak dapat dibaca.")) from exc
    if len(members) > settings.JAMSOS_MAX_XLSX_MEMBERS:
        raise UnreadableFile(_("Berkas XLSX berisi terlalu banyak bagian (%(n)d); simpan ulang "
                               "dari Excel sebagai buku kerja biasa.") % {"n": len(members)})
    unpacked = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members)
    if unpacked > settings.JAMSOS_MAX_IMPORT_UNPACKED_BYTES:
        raise UnreadableFile(
            _("Berkas XLSX terlalu besar setelah dibuka (%(size)s, batas %(cap)s); bagi menjadi "
              "beberapa berkas. Tidak ada data yang diimpor.")
            % {"size": megabytes(unpacked),
               "cap": megabytes(settings.JAMSOS_MAX_IMPORT_UNPACKED_BYTES)})
    # Small archives may be packed tightly (empty sheets); a large unpacked size must not be.
    if unpacked > 1024 * 1024 and unpacked > settings.JAMSOS_MAX_XLSX_RATIO * max(packed, 1):
        raise UnreadableFile(_("Berkas XLSX dimampatkan tidak wajar (%(r)d kali); berkas ini "
                               "tidak diimpor. Simpan ulang dari Excel.")
                             % {"r": unpacked // max(packed, 1)})


def decode_text(data: bytes) -> tuple[str, str]:
    text, encoding = _decode(data)
    if "\x00" in text:  # binary data, or UTF-16 without its byte-order mark
        raise UnreadableFile(_("Berkas berisi karakter NUL, bukan teks biasa; simpan ulang "
                               "sebagai CSV (UTF-8)."))
    return text, encoding


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
        except UnicodeDecodeError:
            pass
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode Text" (tab-separated UTF-16 with a byte-order mark).
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    else:
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            # Excel on Windows saves "CSV" as Windows-1252.
            try:
                return data.decode("cp1252"), "cp1252"
            except UnicodeDecodeError:
                pass
    raise UnreadableFile(_("Berkas bukan teks UTF-8 atau Windows-1252; simpan ulang sebagai CSV."))


def _csv_grid(data: bytes) -> tuple[list[str], pl.DataFrame, str, str]:
    text, encoding = decode_text(data)
    if not text.strip():
        raise UnreadableFile(_("Berkas kosong."))
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    if first_line.count("\t") > max(first_line.count(";"), first_line.count(",")):
        delimiter = "\t"
    header = next(csv.reader([first_line], delimiter=delimiter))
    try:
        raw = pl.read_csv(
            io.BytesIO(text.encode("utf-8") if encoding != "utf-8" else data),
            separator=delimiter,
            has_header=True,
            infer_schema=False,
            new_columns=[f"c{i}" for i in range(len(header))],
            truncate_ragged_lines=True,
            quote_char='"',
        )
    except pl.exceptions.PolarsError as exc:
        raise UnreadableFile(csv_damage(text, delimiter)) from exc
    return header, raw, encoding, delimiter


def csv_damage(text: str, delimiter: str) -> str:
    """Where a CSV file that the fast reader refused is broken (error path only)."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    try:
        for _row in reader:
            pass
    except csv.Error:
        message = _("Berkas CSV rusak mulai baris %(row)d: ada tanda kutip (\") yang tidak "
                    "ditutup; berkas mungkin terpotong. Tidak ada data yang diimpor.")
        return message % {"row": reader.line_num}
    return _("Berkas CSV rusak dan tidak dapat dibaca. Tidak ada data yang diimpor.")


def _xlsx_grid(data: bytes) -> tuple[list[str], pl.DataFrame]:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = book.get_sheet_by_index(0)
        rows = sheet.to_python(skip_empty_area=False)
    except Exception as exc:
        raise UnreadableFile(_("Berkas XLSX rusak atau tidak dapat dibaca.")) from exc
    if not rows:
        raise UnreadableFile(_("Lembar kerja pertama kosong."))
    header = [cell_text(v) for v in rows[0]]
    width = len(header)
    body = [[cell_text(v) for v in (list(r) + [""] * width)[:width]] for r in rows[1:]]
    schema = {f"c{i}": pl.Utf8 for i in range(width)}
    raw = pl.DataFrame(body, schema=schema, orient="row") if body else pl.DataFrame(schema=schema)
    return header, raw


def cell_text(value: object) -> str:
    """Spreadsheet cells to text as the operator would have typed them."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        # A NIK typed as a number arrives as a float: keep its damage visible to validation.
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    return str(value).replace("\x00", "")  # never meaningful; databases refuse it


def normalise_header(value: object) -> str:
    """Case-, space- and punctuation-insensitive form of a header (``"No. HP "`` → ``nohp``)."""
    return re.sub(r"[^0-9a-z]", "", str(value or "").strip().lower())


def header_lookup(columns: dict[str, tuple[str, tuple[str, ...], bool]]) -> dict[str, str]:
    """Normalised spelling → key for columns declared as key → (header shown, accepted
    spellings, required)."""
    return {normalise_header(s): key for key, (shown, names, _req) in columns.items()
            for s in (key, shown, *names)}


def map_headers(header: list[str], lookup: dict[str, str]) -> tuple[dict[int, str], list[str]]:
    """Column index → key for the headers ``lookup`` knows (normalised spelling → key; the
    first column of a key wins), and the other non-empty headers, which are ignored."""
    mapping: dict[int, str] = {}
    ignored: list[str] = []
    for i, name in enumerate(header):
        key = lookup.get(normalise_header(name))
        if key and key not in mapping.values():
            mapping[i] = key
        elif str(name).strip():
            ignored.append(str(name).strip())
    return mapping, ignored


def select_columns(raw: pl.DataFrame, mapping: dict[int, str], ignored: list[str],
                   encoding: str = "", delimiter: str = "") -> Table:
    """The mapped columns of a grid from :func:`read_grid`, trimmed, empty cells as "", with
    ``ROW`` = the spreadsheet's row number."""
    frame = raw.select(
        [pl.col(f"c{i}").alias(key) for i, key in mapping.items()]
    ).with_columns(pl.all().str.strip_chars().fill_null(""))
    frame = frame.with_row_index(ROW, offset=2).with_columns(pl.col(ROW).cast(pl.Int64))
    return Table(frame, list(mapping.values()), ignored, encoding, delimiter)


def read_columns(data: bytes, filename: str,
                 columns: dict[str, tuple[str, tuple[str, ...], bool]]) -> Table:
    """Any import with its own columns — key → (header shown in messages, accepted
    spellings, required) — read like the worker file: a missing required header refuses the
    file; an absent optional column is there, empty ("")."""
    header, raw, encoding, delimiter = read_grid(data, filename)
    mapping, ignored = map_headers(header, header_lookup(columns))
    missing = [shown for key, (shown, _n, req) in columns.items()
               if req and key not in mapping.values()]
    if missing:
        raise UnreadableFile(_("Kolom wajib tidak ditemukan di baris judul: %(cols)s.")
                             % {"cols": ", ".join(missing)})
    table = select_columns(raw, mapping, ignored, encoding, delimiter)
    absent = [k for k in columns if k not in table.frame.columns]
    table.frame = table.frame.with_columns(pl.lit("").alias(k) for k in absent)
    return table
