"""Import the claim reports BPJS Ketenagakerjaan sends (CSV/XLSX): read → validate → write.

Reading uses the import kit (:mod:`jamsos.core.importing`: encodings, delimiters, spreadsheet
cells, :class:`~jamsos.core.importing.reader.UnreadableFile`); validation is set-based polars
with the same issue shape ``(row, column, code, message, severity)`` and Indonesian messages;
people are matched by NIK or KPJ within the uploader's area. Writing is set-based
(:mod:`jamsos.claims.import_writer`: a staging table loaded with COPY / one executemany, then
``INSERT … SELECT`` / ``UPDATE … FROM``; one batch audit event plus one event per created or
changed claim, chained with ``seal_pending``). A claim is identified by BPJS's claim number
(``No Klaim``), so importing the same file again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

import polars as pl
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jamsos.audit import services as audit
from jamsos.claims import import_writer as writer
from jamsos.claims.models import DEATH_EVENTS, EVENTS, ClaimImport, ClaimStatus
from jamsos.core.importing import reader
from jamsos.core.importing.issues import ISSUE_SCHEMA, ImportReport, Validated, issue_rows
from jamsos.core.importing.parsing import parse_date, parse_rupiah
from jamsos.core.importing.reader import ROW, UnreadableFile
from jamsos.rules import bounds

#: key → (header shown, accepted spellings, required), as the import kit reads them
COLUMNS: dict[str, tuple[str, tuple[str, ...], bool]] = {
    "no_klaim": ("No Klaim", ("nomorklaim", "noklaim", "idklaim", "nopenetapan"), True),
    "nik": ("NIK", ("noktp", "nikpeserta"), False),
    "kpj": ("KPJ", ("nokpj", "nomorkpj", "nokartu"), False),
    "nama": ("Nama", ("namapeserta", "namalengkap"), False),
    "program": ("Program", ("jenisprogram", "programklaim", "jenisklaim"), True),
    "kasus": ("Jenis Kasus", ("jeniskasus", "kasus", "sebabklaim", "kejadian"), False),
    "tanggal_kejadian": ("Tanggal Kejadian", ("tglkejadian", "tanggalkasus", "tglkecelakaan",
                                              "tglmeninggal"), True),
    "tanggal_lapor": ("Tanggal Lapor", ("tgllapor", "tanggalpengajuan", "tglpengajuan"), False),
    "status": ("Status", ("statusklaim",), False),
    "tanggal_bayar": ("Tanggal Bayar", ("tglbayar", "tanggalpembayaran", "tglpenetapan"), False),
    "jumlah_dibayar": ("Jumlah Dibayar", ("nominal", "jumlahbayar", "nilaiklaim",
                                          "manfaatdibayar", "jumlah"), False),
    "biaya_perawatan": ("Biaya Perawatan", ("biayapengobatan",), False),
    "saldo": ("Saldo JHT", ("saldojht", "saldo"), False),
    "keterangan": ("Keterangan", ("alasan", "catatan"), False),
}
HEADER = {k: shown for k, (shown, _a, _r) in COLUMNS.items()}
PROGRAM_WORDS = {"JKK": "jkk", "JKM": "jkm", "JHT": "jht", "JP": "jp", "JKP": "jkp",
                 "KECELAKAANKERJA": "jkk", "KEMATIAN": "jkm", "HARITUA": "jht",
                 "PENSIUN": "jp", "KEHILANGANPEKERJAAN": "jkp"}
#: Words BPJS reports use for the case → engine event, per programme ("" = the default).
EVENT_WORDS = {
    "jkk": {"": "work_accident", "kecelakaan": "work_accident", "kecelakaankerja": "work_accident",
            "perawatan": "work_accident", "stmb": "temporary_incapacity",
            "cacatsebagian": "partial_disability", "cacattotal": "total_disability",
            "cacattotaltetap": "total_disability", "meninggal": "work_accident_death",
            "meninggaldunia": "work_accident_death", "kematian": "work_accident_death"},
    "jkm": {"": "death", "meninggal": "death", "meninggaldunia": "death", "kematian": "death"},
    "jht": {"": "resignation", "pengunduranDiri".lower(): "resignation",
            "mengundurkandiri": "resignation", "resign": "resignation", "phk": "termination",
            "pensiun": "retirement", "usiapensiun": "retirement",
            "kontrakberakhir": "contract_end", "berhentibekerja": "stop_working",
            "meninggal": "death", "meninggaldunia": "death", "cacattotal": "total_disability",
            "klaimsebagian": "partial_withdrawal", "meninggalkanindonesia": "leaving_indonesia"},
    "jp": {"": "retirement", "pensiun": "retirement", "hariTua".lower(): "retirement",
           "cacattotal": "total_disability", "meninggal": "death", "meninggaldunia": "death"},
    "jkp": {"": "job_loss", "phk": "job_loss", "kehilanganpekerjaan": "job_loss"},
}
for _p, _events in EVENTS.items():  # engine codes are accepted as they are
    for _code, _label in _events:
        EVENT_WORDS[_p].setdefault(_code.replace("_", ""), _code)
STATUS_WORDS = {"": None, "dibayar": ClaimStatus.PAID, "lunas": ClaimStatus.PAID,
                "paid": ClaimStatus.PAID, "selesai": ClaimStatus.PAID,
                "ditolak": ClaimStatus.REJECTED, "tolak": ClaimStatus.REJECTED,
                "rejected": ClaimStatus.REJECTED, "diajukan": ClaimStatus.SUBMITTED,
                "proses": ClaimStatus.SUBMITTED, "diproses": ClaimStatus.SUBMITTED,
                "verifikasi": ClaimStatus.SUBMITTED, "submitted": ClaimStatus.SUBMITTED}


def read_table(data: bytes, filename: str) -> reader.Table:
    """The claim report as a frame of strings (``_row`` + one column per known header)."""
    header, grid, encoding, delimiter = reader.read_grid(data, filename)
    mapping, ignored = reader.map_headers(header, reader.header_lookup(COLUMNS))
    missing = [h for k, (h, _a, req) in COLUMNS.items() if req and k not in mapping.values()]
    if not {"nik", "kpj"} & set(mapping.values()):
        missing.append(_("NIK atau KPJ"))
    if missing:
        raise UnreadableFile(_("Kolom wajib tidak ditemukan di baris judul: %(cols)s.")
                             % {"cols": ", ".join(missing)})
    return reader.select_columns(grid, mapping, ignored, encoding, delimiter)


def _issue(f: pl.DataFrame, cond: pl.Expr, column: str, code: str, message,
           severity: str = "error") -> pl.DataFrame:
    return issue_rows(f, cond, HEADER.get(column, column), code, message, severity)


def validate(frame: pl.DataFrame, *, people: pl.DataFrame, today: dt.date) -> Validated:
    """``people``: the area's people (``person_id``, ``nik``, ``kpj``, ``died_on``)."""
    f = frame
    for key in HEADER:
        if key not in f.columns:
            f = f.with_columns(pl.lit("", dtype=pl.String).alias(key))
    empty = pl.all_horizontal([pl.col(k) == "" for k in HEADER])
    last = f.filter(~empty)[ROW].max()
    f = f.filter((pl.col(ROW) <= (last or 0)) & ~empty)
    rows = f.height
    event_d, event_bad, event_fmt = parse_date("tanggal_kejadian")
    report_d, report_bad, report_fmt = parse_date("tanggal_lapor")
    paid_d, paid_bad, paid_fmt = parse_date("tanggal_bayar")
    amount, amount_bad = parse_rupiah("jumlah_dibayar")
    cost, cost_bad = parse_rupiah("biaya_perawatan")
    balance, balance_bad = parse_rupiah("saldo")
    event_map = {f"{p}|{w}": e for p, words in EVENT_WORDS.items() for w, e in words.items()}
    status_map = {k: (v.value if v else "") for k, v in STATUS_WORDS.items()}
    f = f.with_columns(
        nik_norm=pl.col("nik").str.replace_all(r"[\s.\-']", ""),
        kpj_norm=pl.col("kpj").str.replace_all(r"[\s.\-']", "").str.to_uppercase(),
        program_code=pl.col("program").str.to_uppercase().str.replace_all(r"[^A-Z]", "")
        .replace_strict(PROGRAM_WORDS, default=None, return_dtype=pl.String),
        event_date=event_d, __event_bad=event_bad, __event_fmt=event_fmt,
        reported_on=report_d, __report_bad=report_bad, __report_fmt=report_fmt,
        paid_on=paid_d, __paid_bad=paid_bad, __paid_fmt=paid_fmt,
        paid_amount=amount, __amount_bad=amount_bad,
        treatment_cost=cost, __cost_bad=cost_bad, balance=balance, __balance_bad=balance_bad,
        __status_word=pl.col("status").str.to_lowercase().str.replace_all(r"[^a-z]", ""),
        __case_word=pl.col("kasus").str.to_lowercase().str.replace_all(r"[^a-z]", ""),
    ).with_columns(
        event=pl.concat_str(pl.col("program_code"), pl.lit("|"), pl.col("__case_word"))
        .replace_strict(event_map, default=None, return_dtype=pl.String),
        status_code=pl.col("__status_word").replace_strict(status_map, default=None,
                                                           return_dtype=pl.String),
    ).with_columns(
        # No status: paid when an amount is given, submitted otherwise.
        status_code=pl.when(pl.col("status_code") == "").then(
            pl.when(pl.col("paid_amount").is_not_null()).then(pl.lit(ClaimStatus.PAID.value))
            .otherwise(pl.lit(ClaimStatus.SUBMITTED.value))).otherwise(pl.col("status_code")),
    )
    # People: by NIK, else by KPJ; both given must name the same person.
    by_nik = people.select(pl.col("nik").alias("nik_norm"), pl.col("person_id").alias("__p_nik"),
                           pl.col("died_on").alias("__died_nik"))
    by_kpj = people.filter(pl.col("kpj").is_not_null()).select(
        pl.col("kpj").alias("kpj_norm"), pl.col("person_id").alias("__p_kpj"),
        pl.col("died_on").alias("__died_kpj"))
    f = f.join(by_nik, on="nik_norm", how="left").join(by_kpj, on="kpj_norm", how="left")
    f = f.with_columns(person_id=pl.coalesce("__p_nik", "__p_kpj"),
                       died_on=pl.coalesce("__died_nik", "__died_kpj"))
    col = pl.col
    paid = col("status_code") == ClaimStatus.PAID.value
    is_death = pl.concat_str(col("program_code"), pl.lit("|"), col("event")).is_in(
        [f"{p}|{e}" for p, e in DEATH_EVENTS])
    f = f.with_columns(__first_ref=col(ROW).min().over("no_klaim"))
    first_ref = col("__first_ref")
    parts = [
        _issue(f, col("no_klaim") == "", "no_klaim", "required", _("No Klaim wajib diisi.")),
        _issue(f, (col("no_klaim") != "") & (first_ref < col(ROW)), "no_klaim",
               "duplicate_reference",
               pl.format(_("No Klaim {} sudah ada di baris {}."), col("no_klaim"), first_ref)),
        _issue(f, col("no_klaim").str.len_chars() > 40, "no_klaim", "too_long",
               _("No Klaim lebih dari 40 karakter.")),
        _issue(f, (col("nik") == "") & (col("kpj") == ""), "nik", "required",
               _("Isi NIK atau KPJ peserta.")),
        _issue(f, (col("nik") != "") & ~col("nik_norm").str.contains(r"^\d{16}$"), "nik",
               "nik_invalid", pl.format(_("NIK '{}' harus 16 angka."), col("nik"))),
        _issue(f, (col("kpj") != "") & ~col("kpj_norm").str.contains(r"^[0-9A-Z]{11}$"), "kpj",
               "kpj_invalid", pl.format(_("KPJ '{}' harus 11 karakter."), col("kpj"))),
        _issue(f, ((col("nik") != "") | (col("kpj") != "")) & col("person_id").is_null()
               & (col("nik_norm").str.contains(r"^\d{16}$")
                  | col("kpj_norm").str.contains(r"^[0-9A-Z]{11}$")),
               "nik", "person_not_found",
               pl.format(_("Peserta dengan NIK '{}' / KPJ '{}' tidak ditemukan di registri "
                           "wilayah Anda."), col("nik"), col("kpj"))),
        _issue(f, col("__p_nik").is_not_null() & col("__p_kpj").is_not_null()
               & (col("__p_nik") != col("__p_kpj")), "kpj", "nik_kpj_mismatch",
               pl.format(_("NIK {} dan KPJ {} milik dua orang berbeda di registri."),
                         col("nik_norm"), col("kpj_norm"))),
        _issue(f, col("program") == "", "program", "required", _("Program wajib diisi.")),
        _issue(f, (col("program") != "") & col("program_code").is_null(), "program",
               "program_unknown",
               pl.format(_("Program '{}' tidak dikenal; isi JKK, JKM, JHT, JP atau JKP."),
                         col("program"))),
        _issue(f, col("program_code").is_not_null() & col("event").is_null(), "kasus",
               "event_unknown",
               pl.format(_("Jenis kasus '{}' tidak dikenal untuk program {}."), col("kasus"),
                         col("program"))),
        _issue(f, col("tanggal_kejadian") == "", "tanggal_kejadian", "required",
               _("Tanggal kejadian wajib diisi.")),
        _issue(f, col("__event_fmt"), "tanggal_kejadian", "date_format",
               pl.format(_("Tanggal kejadian '{}' tidak dikenali; gunakan DD-MM-YYYY."),
                         col("tanggal_kejadian"))),
        _issue(f, col("__event_bad"), "tanggal_kejadian", "date_invalid",
               pl.format(_("Tanggal kejadian '{}' tidak ada di kalender."),
                         col("tanggal_kejadian"))),
        _issue(f, col("event_date") > pl.lit(today), "tanggal_kejadian", "date_future",
               pl.format(_("Tanggal kejadian {} ada di masa depan."), col("tanggal_kejadian"))),
        _issue(f, col("__report_fmt") | col("__report_bad"), "tanggal_lapor", "date_invalid",
               pl.format(_("Tanggal lapor '{}' tidak valid; gunakan DD-MM-YYYY."),
                         col("tanggal_lapor"))),
        _issue(f, col("status_code").is_null(), "status", "status_unknown",
               pl.format(_("Status '{}' tidak dikenal; isi Dibayar, Ditolak atau Diproses."),
                         col("status"))),
        _issue(f, col("__paid_fmt") | col("__paid_bad"), "tanggal_bayar", "date_invalid",
               pl.format(_("Tanggal bayar '{}' tidak valid; gunakan DD-MM-YYYY."),
                         col("tanggal_bayar"))),
        _issue(f, paid & (col("tanggal_bayar") == ""), "tanggal_bayar", "required",
               _("Klaim dibayar: tanggal bayar wajib diisi.")),
        _issue(f, paid & (col("jumlah_dibayar") == ""), "jumlah_dibayar", "required",
               _("Klaim dibayar: jumlah dibayar wajib diisi.")),
        _issue(f, col("__amount_bad"), "jumlah_dibayar", "amount_invalid",
               pl.format(_("Jumlah '{}' bukan rupiah bulat (contoh 42000000 atau 42.000.000)."),
                         col("jumlah_dibayar"))),
        _issue(f, col("paid_amount") < 0, "jumlah_dibayar", "amount_negative",
               _("Jumlah dibayar tidak boleh negatif.")),
        _issue(f, col("__cost_bad"), "biaya_perawatan", "amount_invalid",
               pl.format(_("Biaya perawatan '{}' bukan rupiah bulat."), col("biaya_perawatan"))),
        _issue(f, col("__balance_bad"), "saldo", "amount_invalid",
               pl.format(_("Saldo '{}' bukan rupiah bulat."), col("saldo"))),
        # the regulation engine's plausibility bounds (jamsos.rules.bounds, docs/rules.md)
        _issue(f, col("paid_amount") > bounds.MAX_BALANCE, "jumlah_dibayar", "amount_too_large",
               pl.format(_("Jumlah dibayar {} di luar batas wajar."), col("jumlah_dibayar"))),
        _issue(f, col("treatment_cost") > bounds.MAX_COST, "biaya_perawatan", "amount_too_large",
               pl.format(_("Biaya perawatan {} di luar batas wajar."), col("biaya_perawatan"))),
        _issue(f, col("balance") > bounds.MAX_BALANCE, "saldo", "amount_too_large",
               pl.format(_("Saldo {} di luar batas wajar."), col("saldo"))),
        _issue(f, col("paid_on") < col("event_date"), "tanggal_bayar", "paid_before_event",
               pl.format(_("Tanggal bayar {} sebelum tanggal kejadian {}."),
                         col("tanggal_bayar"), col("tanggal_kejadian"))),
        _issue(f, col("paid_on") > pl.lit(today), "tanggal_bayar", "date_future",
               pl.format(_("Tanggal bayar {} ada di masa depan."), col("tanggal_bayar"))),
        _issue(f, col("died_on").is_not_null() & is_death & (col("died_on") != col("event_date")),
               "tanggal_kejadian", "death_date_conflict",
               pl.format(_("Registri mencatat peserta meninggal pada {}, bukan {}."),
                         col("died_on").dt.strftime("%d-%m-%Y"), col("tanggal_kejadian"))),
        _issue(f, col("died_on").is_not_null() & ~is_death & (col("event_date") > col("died_on")),
               "tanggal_kejadian", "after_death",
               _("Tanggal kejadian setelah tanggal meninggal peserta di registri.")),
        _issue(f, (col("status_code") == ClaimStatus.REJECTED.value) & (col("keterangan") == ""),
               "keterangan", "reason_missing",
               _("Klaim ditolak tanpa alasan di kolom Keterangan."), "warning"),
    ]
    issues = pl.concat(parts).sort(["row", "severity"])
    bad = issues.filter(pl.col("severity") == "error")["row"].unique()
    valid = f.filter(~pl.col(ROW).is_in(bad.implode())).select(
        pl.col(ROW).alias("row"), pl.col("no_klaim").alias("bpjs_reference"), "person_id",
        pl.col("program_code").alias("program"), "event", "event_date",
        pl.coalesce("reported_on", "event_date").alias("reported_on"),
        pl.col("status_code").alias("status"), "paid_on", "paid_amount", "treatment_cost",
        "balance", pl.col("keterangan").alias("note"))
    return Validated(valid, issues, rows)


@dataclass(kw_only=True)
class ClaimImportReport(ImportReport):
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deaths_recorded: int = 0
    batch_id: int | None = None

    def counts(self) -> dict:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged,
                "deaths_recorded": self.deaths_recorded, "batch": self.batch_id}


def import_claims(data: bytes, filename: str, *, user=None, area_code: str,
                  dry_run: bool = False, today: dt.date | None = None) -> ClaimImportReport:
    """Validate a BPJS claim report and store its valid rows (all in one transaction)."""
    today = today or timezone.localdate()
    table = read_table(data, filename)
    report = ClaimImportReport(dry_run=dry_run, ignored_headers=table.ignored_headers)
    with transaction.atomic():
        with connection.cursor() as cur:
            people = writer.people_frame(cur, area_code, table.frame)
        checked = validate(table.frame, people=people, today=today)
        report.rows = checked.rows
        issues = checked.issues
        actor = audit.actor_fields(user)
        batch = ClaimImport.objects.create(
            filename=filename[:255], sha256=hashlib.sha256(data).hexdigest(),
            uploaded_by=actor["actor"], area_id=area_code, dry_run=dry_run)
        written = writer.write(checked.valid, people, batch_id=batch.pk, user=user,
                               actor=actor, today=today, now=timezone.now(), header=HEADER)
        with connection.cursor() as cur:  # (on an error the rollback removes them)
            writer.drop_temp(cur)
        if written.extra:
            issues = pl.concat([issues, pl.DataFrame(written.extra, schema=ISSUE_SCHEMA,
                                                     orient="row")])
        report.created, report.updated = written.created, written.updated
        report.unchanged, report.deaths_recorded = written.unchanged, written.deaths
        batch.summary = {"created": written.created, "updated": written.updated,
                         "unchanged": written.unchanged, "deaths": written.deaths}
        batch.save(update_fields=["summary"])
        audit.record(user=user, action="import", obj_type="claim_import", obj_id=batch.pk,
                     source=f"claims-import:{batch.pk}",
                     changes={"file": [None, filename], "sha256": [None, batch.sha256],
                              "created": [None, report.created],
                              "updated": [None, report.updated], "dry_run": [None, dry_run]})
        if dry_run:
            transaction.set_rollback(True)
    report.take_issues(issues)
    report.batch_id = None if dry_run else batch.pk
    return report
