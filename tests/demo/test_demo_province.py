"""``jamsos demo --area 16``: a province demo (issue 16) — OKI's launch figures as without
``--area``, the other sixteen kabupaten/kota with synthetic data, province logins, the ranking
and the demo banner. One build per module (about a minute and a half on SQLite)."""

from __future__ import annotations

import json
import os
import re

import pytest
from django.core.management import CommandError, call_command

from jamsos.core.numbers import rupiah
from tests.demo.test_demo_command import jamsos

#: Signs in as USER on the demo database and prints the page at URL as JSON (status, body).
PAGE = """
import json
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
settings.ALLOWED_HOSTS = ["*"]
client = Client()
client.force_login(get_user_model().objects.get(username={user!r}))
r = client.get({url!r})
print(json.dumps({{"status": r.status_code, "body": r.content.decode()}}))
"""


@pytest.fixture(scope="module")
def province_demo(tmp_path_factory):
    data = tmp_path_factory.mktemp("province-demo")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "JAMSOS_AREA")}
    env["JAMSOS_DATA_DIR"] = str(data)
    run = jamsos(env, "demo", "--area", "16", "--no-serve", "--per-regency", "300")
    # Served again later: only the database; the area and the banner come from demo.json.
    env["DATABASE_URL"] = f"sqlite:///{data}/demo.sqlite3"
    return env, run.stdout


def page(env, user: str, url: str) -> tuple[int, str]:
    out = jamsos(env, "shell", "-c", PAGE.format(user=user, url=url)).stdout
    answer = json.loads(out.strip().splitlines()[-1])
    return answer["status"], answer["body"]


def test_seventeen_regencies_have_people_and_the_output_names_the_synthetic_ones(province_demo):
    env, out = province_demo
    rows = json.loads(jamsos(env, "coverage", "--by", "kabupaten", "--format", "json").stdout)
    assert len(rows) == 17
    assert all(r["covered"] > 0 and r["target"] >= r["covered"] for r in rows)
    percents = {r["percent"] for r in rows}
    assert max(percents) - min(percents) > 10  # varied coverage: a ranking worth reading
    assert "SINTETIS" in out and "Kota Palembang" in out and "(sintetis)" in out
    assert out.count("(sintetis)") == 16


def test_oki_keeps_its_launch_figures(province_demo):
    env, _ = province_demo
    rows = {r["code"]: r for r in json.loads(jamsos(
        env, "coverage", "--by", "category", "--area", "16.02", "--format", "json").stdout)}
    assert rows["non_asn"]["covered"] == rows["non_asn"]["target"] == 4798
    assert rows["perangkat_desa"]["covered"] == rows["perangkat_desa"]["target"] == 5302
    assert rows["kelembagaan_desa"]["covered"] == 29161
    assert rows["rt_rw"]["covered"] == rows["rt_rw"]["target"] == 5232
    report = json.loads(jamsos(env, "claims", "report", "--from", "2025-01-01", "--to",
                               "2025-08-31", "--format", "json").stdout)
    assert report["claims"] == 660


def test_province_and_oki_logins(province_demo):
    env, out = province_demo
    script = ("import json; from jamsos.accounts.models import Profile; print(json.dumps("
              "{p.user.username: [p.role, p.area_id] for p in Profile.objects.all()}))")
    users = json.loads(jamsos(env, "shell", "-c", script).stdout.strip().splitlines()[-1])
    province = {"admin.sumsel": "admin", "gubernur": "pimpinan", "operator.sumsel": "operator",
                "bpjs.kanwil": "bpjs", "auditor.sumsel": "auditor"}
    for name, role in province.items():
        assert users[name] == [role, "16"], name
        assert name in out
    for name in ("admin", "bupati", "operator", "dinsos", "bpjs", "auditor"):
        assert users[name][1] == "16.02", name
    assert users["kades.tebingsuluh"][1] == "16.02.13.2005"


def test_the_governor_ranks_seventeen_regencies_under_the_synthetic_banner(province_demo):
    env, _ = province_demo
    status, body = page(env, "gubernur", "/provinsi/peringkat/")
    assert status == 200
    ranking = body.split('id="ranking"', 1)[1].split("</table>", 1)[0]
    assert len(re.findall(r'<tr data-code="16\.\d\d"', ranking)) == 17
    banner = re.search(r'<div class="demo-banner"[^>]*>(.*?)</div>', body, re.S)
    assert banner and "sintetis" in banner.group(1) and "16 kabupaten/kota" in banner.group(1)
    # OKI's bupati (a kabupaten user) has no province page, and sees the banner too
    assert page(env, "bupati", "/provinsi/peringkat/")[0] == 404
    status, body = page(env, "bupati", "/")
    assert status == 200 and 'class="demo-banner"' in body and "Ogan Komering Ilir" in body


@pytest.mark.parametrize(("args", "message"), [
    ({"area": "17"}, "Sumatera Selatan"),
    ({"area": "16", "per_regency": 0}, "--per-regency"),
])
def test_another_province_or_an_empty_scale_is_refused_before_anything_is_built(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("demo", no_serve=True, **args)


SYNTHETIC_BILLS = """
import datetime as dt, json
from django.db.models import Count, Sum
from jamsos.premiums.models import BillingRun, BillingSetting, Invoice, Allocation
from jamsos.premiums.selectors import apbd_by_kabupaten
runs = {r["kabupaten"]: r for r in BillingRun.objects.values("kabupaten").annotate(
    n=Count("id"), total=Sum("total"))}
paid = {r["run__kabupaten"]: r["p"] for r in Invoice.objects.values("run__kabupaten").annotate(
    p=Sum("paid"))}
umk = {s.kabupaten: [s.value, s.citation, s.unconfirmed]
       for s in BillingSetting.objects.filter(name="default_wage.pu").exclude(kabupaten="16.02")}
alloc = dict(Allocation.objects.values_list("kabupaten", "amount"))
print(json.dumps({"runs": runs, "paid": paid, "umk": umk, "alloc": alloc,
                  "apbd": apbd_by_kabupaten(dt.date.today().year, "16")}))
"""


def test_each_synthetic_regency_bills_its_own_months_and_pays_most(province_demo):
    """Issue 16: every synthetic regency has its own (synthetic, unconfirmed) UMK, allocation
    and runs for the months OKI's demo bills, mostly paid; the governor's ranking shows each
    regency's own APBD premium cost."""
    env, _ = province_demo
    out = jamsos(env, "shell", "-c", SYNTHETIC_BILLS).stdout
    got = json.loads(out.strip().splitlines()[-1])
    assert len(got["runs"]) == 17 and len(got["umk"]) == 16
    months = got["runs"]["16.02"]["n"]
    for code, run in got["runs"].items():
        assert run["n"] == months and run["total"] > 0, code
        assert 0 < got["paid"][code] < run["total"], code  # most paid, the last month not
        assert got["apbd"][code]["due"] > 0, code
    for code, (value, citation, unconfirmed) in got["umk"].items():
        assert 3_600_000 <= value <= 3_900_000 and "Data sintetis demo" in citation, code
        assert unconfirmed and got["alloc"][code] > 0, code
    status, body = page(env, "gubernur", "/provinsi/peringkat/")
    assert status == 200
    money = body.split('id="money"', 1)[1].split("</table>", 1)[0]
    cells = dict(re.findall(r'<tr data-code="(16\.\d\d)"><td>[^<]*</td><td class="n">(.*?)</td>',
                            money))
    assert len(cells) == 17 and len(set(cells.values())) > 1
    zero = rupiah(0)
    assert all(cell not in (zero, "–") and cell.strip() for cell in cells.values()), cells
