"""Uploaded documents: type from the content (magic bytes), size limit, private storage."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.utils.translation import gettext as _

from jamsos.core.files import write_private
from jamsos.santunan import conf

#: magic bytes → (content type, file suffix)
MAGIC = (
    (b"%PDF-", ("application/pdf", ".pdf")),
    (b"\xff\xd8\xff", ("image/jpeg", ".jpg")),
    (b"\x89PNG\r\n\x1a\n", ("image/png", ".png")),
)

#: content type → file suffix of a stored document (for the name it is downloaded under)
SUFFIXES = {content_type: suffix.lstrip(".") for _magic, (content_type, suffix) in MAGIC}


def download_name(case, document) -> str:
    return f"{case.number}-{document.kind}.{SUFFIXES[document.content_type]}"


class DocumentRefused(ValueError):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Stored:
    stored_name: str
    content_type: str
    size: int
    sha256: str


def sniff(data: bytes) -> tuple[str, str] | None:
    for magic, kind in MAGIC:
        if data.startswith(magic):
            return kind
    return None


def check(data: bytes, *, max_bytes: int | None = None) -> tuple[str, str]:
    """(content type, suffix) of an acceptable document, else :class:`DocumentRefused`."""
    max_bytes = conf.max_document_bytes() if max_bytes is None else max_bytes
    if not data:
        raise DocumentRefused("empty", _("Berkas kosong."))
    if len(data) > max_bytes:
        raise DocumentRefused("too_large", _(
            "Berkas terlalu besar (%(size)s KB); batasnya %(max)s KB. Perkecil hasil pindaian."
        ) % {"size": (len(data) + 1023) // 1024, "max": max_bytes // 1024})
    kind = sniff(data)
    if kind is None:
        raise DocumentRefused("bad_type", _(
            "Isi berkas bukan PDF, JPEG atau PNG (nama atau jenis berkas saja tidak cukup)."))
    return kind


def store(case_id: int, data: bytes) -> Stored:
    """Write an accepted document outside the web root; returns where and what."""
    content_type, suffix = check(data)
    name = f"{uuid.uuid4().hex}{suffix}"
    digest = write_private(conf.files_dir() / str(case_id) / name, [data])
    return Stored(f"santunan/{case_id}/{name}", content_type, len(data), digest)


def path_of(stored_name: str):
    root = conf.files_dir().parent.resolve()
    path = (root / stored_name).resolve()
    if not path.is_relative_to(root):
        raise FileNotFoundError(stored_name)
    return path
