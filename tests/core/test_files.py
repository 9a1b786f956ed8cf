"""Issue 18, finding 4: files with personal data are private from their first byte, a full
disk leaves no partial file and answers a clear 507, and static files stay out of the data
directory."""

from __future__ import annotations

import errno
import stat

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jamsos.core.files import StorageFull, write_private
from tests.factories import HEADER, PASSWORD, PEOPLE, user


def test_a_file_is_private_while_it_is_written(tmp_path):
    path = tmp_path / "sub" / "upload.csv"
    modes = []

    def chunks():
        yield b"NIK;Nama\n"
        modes.append(stat.S_IMODE(path.stat().st_mode))  # half written
        yield b"1602131708850001;Budi\n"

    digest = write_private(path, chunks())
    assert modes == [0o600] and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(digest) == 64 and path.read_bytes().startswith(b"NIK;Nama")


def full_disk_after_first_chunk():
    yield b"1602131708850001;Budi Santoso\n"
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_full_disk_leaves_nothing_behind(tmp_path):
    path = tmp_path / "upload.csv"
    with pytest.raises(StorageFull):
        write_private(path, full_disk_after_first_chunk())
    assert not path.exists()


def test_another_write_error_is_not_called_full_but_cleans_up_too(tmp_path):
    def broken():
        yield b"x"
        raise OSError(errno.EIO, "I/O error")

    path = tmp_path / "upload.csv"
    with pytest.raises(OSError) as caught:
        write_private(path, broken())
    assert not isinstance(caught.value, StorageFull) and not path.exists()


@pytest.fixture
def disk_full(monkeypatch):
    from jamsos.registry import tasks

    real = tasks.write_private

    def fill(path, chunks):
        return real(path, full_disk_after_first_chunk())

    monkeypatch.setattr(tasks, "write_private", fill)


def upload():
    return SimpleUploadedFile("pekerja.csv", "\n".join([HEADER, *PEOPLE]).encode(),
                             content_type="text/csv")


@pytest.mark.django_db
def test_a_web_upload_onto_a_full_disk_answers_507_and_keeps_nothing(client, disk_full):
    user("op", "operator", "16.02")
    assert client.login(username="op", password=PASSWORD)
    before = set(settings.IMPORT_DIR.glob("*")) if settings.IMPORT_DIR.exists() else set()
    response = client.post(reverse("registry:imports"), {"file": upload()})
    assert response.status_code == 507
    assert "Ruang penyimpanan server penuh" in response.content.decode()
    assert set(settings.IMPORT_DIR.glob("*")) - before == set()  # no partial file left


@pytest.mark.django_db
def test_an_api_upload_onto_a_full_disk_answers_507_json(client, disk_full):
    user("op", "operator", "16.02")
    token = client.post("/api/v1/auth/token", {"username": "op", "password": PASSWORD},
                        content_type="application/json").json()["token"]
    response = client.post("/api/v1/imports/workers", {"file": upload()},
                           HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 507
    assert "penyimpanan server penuh" in response.json()["detail"]


def test_static_files_are_collected_outside_the_data_directory():
    assert not settings.STATIC_ROOT.resolve().is_relative_to(settings.DATA_DIR.resolve())
