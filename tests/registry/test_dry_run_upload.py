"""Issue 15, finding 8 (part): a dry run keeps no copy of the uploaded file."""

from __future__ import annotations

import pytest

from jamsos.registry.models import ImportBatch, ImportStatus
from jamsos.registry.tasks import run_import
from tests.factories import HEADER, PEOPLE, user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("dry_run", "kept"), [(True, False), (False, True)])
@pytest.mark.parametrize("content", ["\n".join([HEADER, *PEOPLE]), "not;a;worker;file"])
def test_the_upload_of_a_dry_run_is_removed_once_read(tmp_path, dry_run, kept, content):
    op = user("op", "operator", "16.02")
    path = tmp_path / "upload.csv"
    path.write_text(content)
    batch = ImportBatch.objects.create(filename="f.csv", stored_path=str(path), sha256="x",
                                       size=1, uploaded_by=op, area_id="16.02", dry_run=dry_run,
                                       status=ImportStatus.QUEUED)
    run_import.call(batch.pk)
    batch.refresh_from_db()
    assert batch.status in (ImportStatus.DONE, ImportStatus.FAILED)
    assert path.exists() is kept
    assert bool(batch.stored_path) is kept
