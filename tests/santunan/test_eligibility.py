"""DTSEN import quality, eligibility by the extract in force on the date of death, documents."""

from __future__ import annotations

import datetime as dt

import pytest

from jamsos.core.importing.reader import UnreadableFile
from jamsos.dtsen.importing import import_extract
from jamsos.dtsen.models import DtsenRecord
from jamsos.santunan import documents, services
from jamsos.santunan.models import Status
from tests.santunan.conftest import KK, PDF, PNG, TODAY, advance, dtsen_csv, make_case

pytestmark = pytest.mark.django_db


def test_dtsen_errors_name_row_column_and_code():
    data = dtsen_csv(
        f"1602131708850001;{KK};3",
        "16021317088500;1602130101090001;2",  # NIK too short
        "1602135708900002;16021301;4",  # KK too short
        "1602021708800003;1602020101090003;11",  # decile out of range
        "",  # empty row in the middle
        f"1602131708850001;{KK};3",  # duplicate NIK
        "1602021708800004;1,60213E+15;2",  # KK mangled by Excel
        "",
    )
    report = import_extract(data, "dtsen.csv", valid_from=dt.date(2025, 1, 1), today=TODAY)
    found = [(e["row"], e["column"], e["code"]) for e in report.errors]
    assert found == [
        (3, "NIK", "nik_format"),
        (4, "No KK", "kk_invalid"),
        (5, "Desil", "decile_invalid"),
        (7, "NIK", "duplicate_nik"),
        (8, "No KK", "kk_scientific"),
    ], report.errors
    assert all(e["message"] for e in report.errors)
    assert [(w["row"], w["code"]) for w in report.warnings] == [(6, "empty_row")]
    assert report.rows == 7 and report.stored == 1 and report.rejected == 5
    assert DtsenRecord.objects.count() == 1


def test_dtsen_dry_run_stores_nothing_and_missing_columns_are_named():
    report = import_extract(dtsen_csv(f"1602131708850001;{KK};3"), "x.csv",
                            valid_from=dt.date(2025, 1, 1), dry_run=True, today=TODAY)
    assert report.stored == 1 and DtsenRecord.objects.count() == 0
    with pytest.raises(UnreadableFile, match="Desil"):
        import_extract(b"NIK;No KK\n1602131708850001;" + KK.encode(), "x.csv",
                       valid_from=dt.date(2025, 1, 1), today=TODAY)


def test_dtsen_xlsx(tmp_path):
    import polars as pl

    path = tmp_path / "dtsen.xlsx"
    pl.DataFrame({"NIK": ["1602131708850001"], "Nomor KK": [KK], "Desil Nasional": ["4"]}) \
        .write_excel(path)
    report = import_extract(path.read_bytes(), "dtsen.xlsx", valid_from=dt.date(2025, 1, 1),
                            today=TODAY)
    assert report.errors == [] and DtsenRecord.objects.get().decile == 4


def _verify(case, users):
    return services.transition(case.pk, action="verify", user=users["dinsos"],
                               expected="forwarded", today=TODAY)


def test_decile_six_is_not_eligible(people, users):
    import_extract(dtsen_csv(f"1602131708850001;{KK};6"), "d.csv",
                   valid_from=dt.date(2025, 1, 1), today=TODAY)
    case = advance(make_case(users), users, "forwarded")
    with pytest.raises(services.CaseError, match="Desil DTSEN 6"):
        _verify(case, users)
    case.refresh_from_db()
    assert case.status == Status.FORWARDED


def test_only_the_extract_in_force_on_the_date_of_death_counts(people, users):
    # In an extract from after the death (poor now), but not in the one in force then.
    import_extract(dtsen_csv("1602021708800003;1602020101090003;2"), "old.csv",
                   valid_from=dt.date(2025, 1, 1), today=TODAY)
    import_extract(dtsen_csv(f"1602131708850001;{KK};2"), "new.csv",
                   valid_from=dt.date(2025, 9, 11), today=TODAY)
    case = advance(make_case(users), users, "forwarded")
    with pytest.raises(services.CaseError, match="tidak ada di ekstrak DTSEN"):
        _verify(case, users)


def test_household_found_by_kk_when_the_nik_is_missing(people, users):
    import_extract(dtsen_csv(f"1602135708900002;{KK};1"), "d.csv",
                   valid_from=dt.date(2025, 1, 1), today=TODAY)
    case = _verify(advance(make_case(users), users, "forwarded"), users)
    assert case.status == Status.VERIFIED and case.decile == 1


def test_account_must_be_in_the_heirs_name(people, users, extract):
    case = advance(make_case(users, account_holder="Joko"), users, "forwarded")
    with pytest.raises(services.CaseError, match="atas nama ahli waris"):
        _verify(case, users)


def test_documents_are_sniffed_not_trusted(people, users, settings):
    case = services.propose(user=users["desa"], data=__import__(
        "tests.santunan.conftest", fromlist=["case_data"]).case_data(), today=TODAY)
    with pytest.raises(services.CaseError, match="bukan PDF, JPEG atau PNG"):
        services.upload_document(case, user=users["desa"], kind="sktm", filename="sktm.pdf",
                                 data=b"MZ\x90\x00 this is an exe renamed to pdf")
    settings.JAMSOS_SANTUNAN_MAX_DOCUMENT_BYTES = 1000
    with pytest.raises(services.CaseError, match="terlalu besar"):
        services.upload_document(case, user=users["desa"], kind="sktm", filename="sktm.pdf",
                                 data=PDF + b"\x00" * 1000)
    doc = services.upload_document(case, user=users["desa"], kind="sktm", filename="x.pdf",
                                   data=PNG)
    assert doc.content_type == "image/png"
    path = documents.path_of(doc.stored_name)
    assert path.read_bytes() == PNG and "files/santunan" in str(path)
    assert documents.sniff(b"\xff\xd8\xff\xe0") == ("image/jpeg", ".jpg")


def test_the_import_service_itself_refuses_a_regency_user_in_a_province(settings):
    """Issue 16: who may replace the deployment's DTSEN extract is decided in the import
    service (the page and the API only choose the answer): in a province, a regency's
    verifikator is refused and nothing is stored; the province's is not."""
    from jamsos.dtsen.importing import import_extract as service
    from jamsos.dtsen.models import DtsenExtract
    from tests.factories import user

    settings.JAMSOS_AREA = "16"
    data = dtsen_csv(f"1602131708850001;{KK};3")
    with pytest.raises(PermissionError):
        service(data, "d.csv", valid_from=dt.date(2025, 1, 1), today=TODAY,
                user=user("dinsos.oki", "verifikator", "16.02"))
    assert not DtsenExtract.objects.exists()
    report = service(data, "d.csv", valid_from=dt.date(2025, 1, 1), today=TODAY,
                     user=user("dinsos.sumsel", "verifikator", "16"))
    assert report.stored == 1 and DtsenExtract.objects.count() == 1
