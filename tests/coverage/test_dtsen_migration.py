"""Moving the DTSEN models from the santunan app to jamsos.dtsen keeps every row and the
santunan cases' links (issue 17): state-only migrations, then the new columns added."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("santunan", "0002_batch_area"), ("dtsen", None)]


def test_rows_survive_the_move(oki_regions):
    executor = MigrationExecutor(connection)
    after = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    old = MigrationExecutor(connection).loader.project_state([BEFORE[0]]).apps
    extract = old.get_model("santunan", "DtsenExtract").objects.create(
        valid_from=dt.date(2025, 1, 1), filename="lama.csv", sha256="x", rows=1)
    old.get_model("santunan", "DtsenRecord").objects.create(
        extract=extract, nik="1602131708850001", no_kk="1602130101090001", decile=2)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    from jamsos.dtsen.models import DtsenExtract, DtsenRecord

    record = DtsenRecord.objects.get()
    assert (record.extract_id, record.nik, record.decile, record.desa_code,
            record.birth_date) == (extract.pk, "1602131708850001", 2, "", None)
    assert DtsenExtract.objects.get().filename == "lama.csv"
