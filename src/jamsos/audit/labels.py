"""How the audit trail reads to people: actions, objects and changed fields in plain Bahasa
Indonesia (the codes stay in the database, the CSV export and the search)."""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "create": _("Dibuat"),
    "update": _("Diubah"),
    "append": _("Ditambahkan"),
    "import": _("Impor"),
    "import_refused": _("Impor ditolak (di luar wilayah)"),
    "export": _("Diunduh"),
    "login": _("Masuk"),
    "login_failed": _("Gagal masuk"),
    "login_unlocked": _("Kunci masuk dibuka"),
    "logout": _("Keluar"),
    "permission_change": _("Hak akses diubah"),
    "token_issued": _("Token API diberikan"),
    "token_revoked": _("Token API dicabut"),
    "view_personal": _("Data pribadi dilihat"),
    "view_personal_list": _("Daftar data pribadi dilihat"),
    "verify": _("Rantai audit diperiksa"),
    "checkpoint": _("Titik periksa audit"),
    "propose": _("Usulan dibuat"),
    "batch": _("Masuk daftar transfer"),
    "paid": _("Transfer berhasil"),
    "transfer_failed": _("Transfer gagal"),
    "close": _("Berkas ditutup"),
    "return": _("Dikembalikan"),
}

OBJECTS = {
    "person": _("Orang"),
    "person_list": _("Daftar orang"),
    "enrolment": _("Kepesertaan"),
    "target": _("Target"),
    "import_batch": _("Impor pekerja"),
    "import_rejected": _("Baris impor yang ditolak"),
    "coverage": _("Cakupan"),
    "worklist": _("Daftar kerja cakupan"),
    "candidates": _("Calon peserta belum terlindungi"),
    "exclusion_list": _("Daftar pengecualian calon peserta"),
    "user": _("Pengguna"),
    "claim": _("Klaim"),
    "claim_list": _("Daftar klaim"),
    "claim_import": _("Impor klaim"),
    "claims_report": _("Laporan klaim"),
    "beneficiary": _("Penerima manfaat"),
    "heirs_follow_up": _("Tindak lanjut ahli waris"),
    "scholarship_child": _("Anak penerima beasiswa"),
    "scholarship_payment": _("Pembayaran beasiswa"),
    "santunan_case": _("Kasus santunan"),
    "santunan_case_list": _("Daftar kasus santunan"),
    "santunan_document": _("Dokumen santunan"),
    "santunan_batch": _("Daftar transfer santunan"),
    "santunan_grant_version": _("Ketentuan santunan"),
    "dtsen_extract": _("Data DTSEN"),
    "premiums": _("Iuran"),
    "billing_run": _("Penagihan iuran"),
    "invoice_lines": _("Rincian tagihan"),
    "arrears_list": _("Daftar tunggakan"),
    "payment": _("Pembayaran iuran"),
    "adjustment": _("Koreksi tagihan"),
    "reconciliation": _("Rekonsiliasi BPJS"),
    "reconciliation_rows": _("Baris rekonsiliasi"),
    "audit_trail": _("Jejak audit"),
}

#: Object type → model whose field names and choices explain its changes.
MODELS = {
    "person": "registry.Person", "enrolment": "registry.Enrolment", "target": "registry.Target",
    "import_batch": "registry.ImportBatch", "user": "accounts.Profile", "claim": "claims.Claim",
    "beneficiary": "claims.Beneficiary", "heirs_follow_up": "claims.FollowUp",
    "scholarship_child": "claims.ScholarshipChild",
    "scholarship_payment": "claims.ScholarshipPayment", "santunan_case": "santunan.Case",
    "santunan_document": "santunan.Document", "santunan_batch": "santunan.TransferBatch",
    "santunan_grant_version": "santunan.GrantVersion",
    "dtsen_extract": "santunan.DtsenExtract", "payment": "premiums.Payment",
    "adjustment": "premiums.Adjustment", "reconciliation": "premiums.Reconciliation",
    "billing_run": "premiums.BillingRun",
}

#: Changed fields that are no model field (or read better otherwise).
FIELDS = {
    "file": _("berkas"), "sha256": _("sidik berkas (SHA-256)"), "filters": _("saringan"),
    "count": _("jumlah baris"), "people": _("jumlah orang"),
    "nik_unmasked": _("NIK ditampilkan utuh"), "tokens": _("token"), "reason": _("alasan"),
    "rows": _("baris"), "period": _("periode"), "result": _("berkas hasil bank"),
    "paid": _("dibayar"), "cases": _("kasus"), "total": _("total"), "case": _("kasus"),
    "kind": _("jenis"), "claim": _("klaim"), "child": _("anak"), "lines": _("baris tagihan"),
    "desa_id": _("desa"), "desa_code": _("desa"), "status": _("status"), "source": _("sumber"),
    "username": _("nama pengguna"), "role": _("peran"), "area": _("wilayah"),
    "area_code": _("wilayah"), "created": _("dibuat"), "updated": _("diubah"),
    "rejected": _("ditolak"), "valid_from": _("berlaku mulai"), "school_year": _("tahun ajaran"),
    "amount": _("jumlah (Rp)"), "difference_note": _("catatan selisih"),
    "documents": _("dokumen"), "class": _("kelas"), "month": _("bulan"),
    "invoice": _("tagihan"), "reconciliation": _("rekonsiliasi"), "person": _("orang"),
    "failed": _("gagal"), "is_active": _("aktif"), "summary": _("ringkasan"),
    "dry_run": _("uji coba"),
}


def action_label(code: str) -> str:
    return str(ACTIONS.get(code, code.replace("_", " ")))


def object_label(obj_type: str, obj_id="") -> str:
    """``santunan_case``, ``27`` → ``Kasus santunan #27``."""
    name = str(OBJECTS.get(obj_type, obj_type.replace("_", " ")))
    return f"{name} #{obj_id}" if obj_id not in ("", None) else name


def _model_field(obj_type: str, name: str):
    label = MODELS.get(obj_type)
    if label is None:
        return None
    try:
        return apps.get_model(label)._meta.get_field(name)
    except (LookupError, FieldDoesNotExist):
        return None


def field_label(obj_type: str, name: str) -> str:
    """``heir_nik`` of a santunan case → ``NIK ahli waris``; ``documents.sktm`` → ``dokumen:
    SKTM``."""
    head, _dot, rest = name.partition(".")
    if rest:
        return f"{field_label(obj_type, head)}: {value_label(obj_type, 'kind', rest)}"
    field = _model_field(obj_type, name)
    if name in FIELDS:
        return str(FIELDS[name])
    if field is not None and hasattr(field, "verbose_name"):
        return str(field.verbose_name)
    return name.replace("_", " ")


def value_label(obj_type: str, name: str, value):
    """A changed value as people read it: a choice's label instead of its code (also the keys
    of a summary such as a reconciliation's ``{class: {...}}``)."""
    if isinstance(value, bool):
        return str(_("ya") if value else _("tidak"))
    if isinstance(value, dict):
        return {str(value_label(obj_type, name, k)).replace("_", " "): v
                for k, v in value.items()}
    if not isinstance(value, str):
        return value
    field = _model_field(obj_type, name)
    choices = dict(getattr(field, "flatchoices", None) or ())
    if value in choices:
        return str(choices[value])
    for mapping in _VALUES.get((obj_type, name), ()):
        if value in (labels := mapping()):
            return str(labels[value])
    return value


#: (object type, field) → callables giving {code: label}, registered by the apps that own them.
_VALUES: dict[tuple[str, str], list] = {}


def register_values(obj_type: str, name: str, mapping) -> None:
    """Let an app above the audit trail explain its own codes (e.g. santunan document kinds)."""
    _VALUES.setdefault((obj_type, name), []).append(mapping)
