"""Read a worker file with the import kit (:mod:`jamsos.core.importing.reader`): the worker
columns by header, a file without the required ones refused."""

from __future__ import annotations

from django.utils.translation import gettext as _

from jamsos.core.importing.reader import (
    Table,
    UnreadableFile,
    map_headers,
    read_grid,
    select_columns,
)
from jamsos.registry.importing.columns import COLUMNS, header_lookup


def read_table(data: bytes, filename: str) -> Table:
    """The worker file: known columns by header, ``ROW`` = the spreadsheet's row number."""
    header, raw, encoding, delimiter = read_grid(data, filename)
    mapping, ignored = _map_headers(header)
    return select_columns(raw, mapping, ignored, encoding, delimiter)


def _map_headers(header: list[str]) -> tuple[dict[int, str], list[str]]:
    mapping, ignored = map_headers(header, header_lookup())
    missing = [c.header for c in COLUMNS if c.required and c.key not in mapping.values()]
    has_desa = "kode_desa" in mapping.values() or {"kecamatan", "desa"} <= set(mapping.values())
    if missing or not has_desa:
        if not has_desa:
            missing.append(_("Kode Desa (atau Kecamatan + Desa)"))
        raise UnreadableFile(
            _("Kolom wajib tidak ditemukan di baris judul: %(cols)s. Unduh templat untuk contoh.")
            % {"cols": ", ".join(missing)}
        )
    return mapping, ignored
