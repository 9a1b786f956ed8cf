"""``jamsos dtsen import FILE --valid-from … [--dry-run] [--format json]`` (issue 17): the
regency's DTSEN extract as shared reference data, and the demo's extract for the candidates."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from jamsos.cli import main
from jamsos.coverage import candidates
from jamsos.dtsen.models import DtsenExtract, DtsenRecord
from jamsos.dtsen.selectors import extract_in_force
from tests.coverage.test_candidates import HEADER, nik, row
from tests.factories import TEBING_SULUH

pytestmark = pytest.mark.django_db


def jamsos(*argv: str) -> dict:
    """``jamsos …`` as the console runs it, in the test's transaction (Django's own runner
    closes the database connections after a command)."""
    out = StringIO()
    call_command(*argv, stdout=out)
    return json.loads(out.getvalue())


def test_jamsos_dtsen_import_is_the_dtsen_import_command(monkeypatch):
    seen = []
    monkeypatch.setattr("django.core.management.execute_from_command_line", seen.append)
    assert main(["dtsen", "import", "x.csv", "--valid-from", "2025-01-01"]) == 0
    assert main(["santunan", "dtsen", "x.csv", "--valid-from", "2025-01-01"]) == 0
    assert seen == [["jamsos", "dtsen_import", "x.csv", "--valid-from", "2025-01-01"],
                    ["jamsos", "santunan_dtsen", "x.csv", "--valid-from", "2025-01-01"]]


def test_import_stores_the_optional_columns(tmp_path):
    path = tmp_path / "dtsen.csv"
    path.write_text("\n".join([HEADER, row(nik(1), born="17-08-1990", sex="P"),
                               row(nik(2), desa="1602132005"), "x;y;z;;;;;"]) + "\n")
    dry = jamsos("dtsen_import", str(path), "--valid-from", "2025-01-01", "--dry-run",
                 "--format", "json")
    assert (dry["stored"], dry["rejected"], dry["dry_run"]) == (2, 1, True)
    assert not DtsenExtract.objects.exists()
    out = jamsos("dtsen_import", str(path), "--valid-from", "2025-01-01", "--format", "json")
    extract = extract_in_force(dt.date(2025, 1, 1))
    assert out["extract"] == extract.pk and out["stored"] == 2
    rina = DtsenRecord.objects.get(nik=nik(1))
    assert (rina.desa_code, rina.birth_date, rina.sex, rina.occupation) == (
        TEBING_SULUH, dt.date(1990, 8, 17), "P", "Petani")
    assert DtsenRecord.objects.get(nik=nik(2)).desa_code == TEBING_SULUH  # ten digits read
    assert candidates.summary(TEBING_SULUH).total == 2
    with pytest.raises(CommandError):
        call_command("dtsen_import", str(path), "--valid-from", "tomorrow")


def test_the_demo_extract_has_desa_codes_and_birth_dates():
    from jamsos.santunan.demo import _unregistered

    people = [(i, f"16021301019{i:05d}", f"Nama{i} Saputra", TEBING_SULUH) for i in range(1, 30)]
    facts = {i: (None, "L" if i % 2 else "P") for i in range(1, 30)}
    frame = _unregistered(people, facts, dt.date(2026, 1, 1), n=200)
    assert frame.height == 200
    assert frame["Kode Desa"].to_list() == [TEBING_SULUH] * 200
    born = [dt.datetime.strptime(b, "%d-%m-%Y").date() for b in frame["Tanggal Lahir"]]
    assert all(dt.date(1945, 1, 1) < b < dt.date(2016, 1, 2) for b in born)
    assert {int(d) for d in frame["Desil"]} <= set(range(1, 11))
