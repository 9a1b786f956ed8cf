"""Seed Kabupaten Ogan Komering Ilir's (16.02) billing settings from ``data/billing.toml``,
which stays OKI's cited source (issue 16). Reads the file with ``tomllib``; imports no app
code. The BPU default income (PP 44/2015, lowest bracket) is national and stays in the file."""

import tomllib
from pathlib import Path

from django.db import migrations

KABUPATEN = "16.02"
NAMES = ("default_wage.pu", "jkk_risk_class", "paying_opd", "opd_names")
TOML = Path(__file__).resolve().parent.parent / "data" / "billing.toml"


def _versions(data: dict, name: str) -> list[dict]:
    node = data
    for part in name.split("."):
        node = node[part]
    return node["versions"]


def forwards(apps, schema_editor):
    setting = apps.get_model("premiums", "BillingSetting")
    data = tomllib.loads(TOML.read_text(encoding="utf-8"))
    for name in NAMES:
        for v in _versions(data, name):
            setting.objects.get_or_create(
                kabupaten=KABUPATEN, name=name, valid_from=v["from"],
                defaults={"value": v["value"], "citation": v["citation"][:500],
                          "unconfirmed": bool(v.get("unconfirmed", False)),
                          "note": v.get("note", "")[:300]})


def backwards(apps, schema_editor):
    apps.get_model("premiums", "BillingSetting").objects.filter(
        kabupaten=KABUPATEN, created_by__isnull=True).delete()


class Migration(migrations.Migration):

    dependencies = [("premiums", "0003_billing_settings")]

    operations = [migrations.RunPython(forwards, backwards)]
