"""Small builders for tests: people and users through the real services."""

from __future__ import annotations

import datetime as dt

from jamsos.accounts.services import create_user
from jamsos.registry.services import import_workers

HEADER = "NIK;Nama;Jenis Kelamin;Tanggal Lahir;Kode Desa;Kategori;Sub Kategori"
PASSWORD = "rahasia-uji-123"


def import_rows(*rows: str, today=dt.date(2025, 9, 2), **kw):
    return import_workers("\n".join([HEADER, *rows]).encode(), "t.csv", today=today, **kw)


def user(username: str, role: str, area: str):
    return create_user(username=username, role=role, area_code=area, password=PASSWORD,
                       validate=False)


# Two desa in two kecamatan of OKI.
TEBING_SULUH = "16.02.13.2005"  # Tebing Suluh, Lempuing
ULAK_KAPAL = "16.02.02.2001"  # Tanjung Lubuk
PEOPLE = (
    f"1602131708850001;Budi Santoso;L;17-08-1985;{TEBING_SULUH};d;Ketua RT",
    f"1602135708900002;Siti Aminah;P;17-08-1990;{TEBING_SULUH};c;Kader posyandu",
    f"1602021708800003;Ahmad Fauzi;L;17-08-1980;{ULAK_KAPAL};b;Perangkat desa",
)


def upload_and_run(client, *rows: str):
    """Upload a worker file through the import page as the signed-in user and run its
    background job; the batch, refreshed."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from jamsos.registry.models import ImportBatch
    from jamsos.registry.tasks import run_import

    body = "\n".join([HEADER, *rows])
    client.post(reverse("registry:imports"), {"file": SimpleUploadedFile("x.csv", body.encode())})
    batch = ImportBatch.objects.latest("id")
    run_import.call(batch.pk)
    batch.refresh_from_db()
    return batch
