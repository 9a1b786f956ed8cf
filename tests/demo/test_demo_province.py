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


def shell_json(env, script: str):
    out = jamsos(env, "shell", "-c", "import json; " + script).stdout
    return json.loads(out.strip().splitlines()[-1])


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
                               "2025-08-31", "--area", "16.02", "--format", "json").stdout)
    assert (report["claims"], report["amount"]) == (660, 8_330_000_000)
    assert (report["scholarship_children"], report["scholarship_amount"]) == (6, 522_000_000)
    assert shell_json(env, "from jamsos.santunan.models import Case; "
                           "print(json.dumps(Case.objects.filter("
                           "desa__code__startswith='16.02.').count()))") == 27


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


#: Per synthetic kabupaten/kota: its scheme (or None), its cases by state, its administrator's
#: login, and the ranking's claims and santunan of the year.
REGENCIES = """
import datetime as dt
from django.db.models import Count
from jamsos.accounts.models import Profile
from jamsos.regions.selectors import deployment_kabupaten
from jamsos.santunan.models import Case, GrantVersion
from jamsos.web.province import ranking_context
table = {t["row"].code: t for t in ranking_context("16", None, today=dt.date.today())["table"]}
out = {}
for code in deployment_kabupaten():
    v = GrantVersion.objects.filter(kabupaten_code=code).first()
    out[code] = {
        "scheme": v and {"amount": v.amount, "max_decile": v.max_decile, "sla": v.sla_days,
                         "citation": v.citation, "unconfirmed": v.unconfirmed, "note": v.note},
        "cases": dict(Case.objects.filter(desa__code__startswith=code + ".").values_list("status")
                      .annotate(n=Count("id"))),
        "admin": [p.user.username for p in Profile.objects.filter(role="admin", area_id=code)],
        "claims": table[code]["claims"]["count"], "santunan": table[code]["santunan"]["count"]}
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def regencies(province_demo):
    env, _ = province_demo
    return shell_json(env, REGENCIES)


def test_most_synthetic_regencies_have_a_synthetic_death_grant_and_cases(regencies):
    synthetic = {c: r for c, r in regencies.items() if c != "16.02"}
    with_scheme = {c: r for c, r in synthetic.items() if r["scheme"]}
    assert 8 <= len(with_scheme) <= 12 and len(synthetic) - len(with_scheme) >= 4
    for code, r in with_scheme.items():
        s = r["scheme"]
        assert 500_000 <= s["amount"] <= 2_000_000 and 3 <= s["max_decile"] <= 5, code
        assert 7 <= s["sla"] <= 14, code
        assert re.match(r"(Perbup|Perwali) .*sintetis", s["citation"]), code
        assert s["unconfirmed"] and "SINTETIS" in s["note"], code
        assert sum(r["cases"].values()) >= 3, code
    states = {s for r in with_scheme.values() for s in r["cases"]}
    assert {"draft", "submitted", "forwarded", "verified", "paid"} <= states
    assert sum(r["santunan"] for r in with_scheme.values()) > 0  # paid this year: ranked
    for code, r in synthetic.items():
        if not r["scheme"]:
            assert r["cases"] == {} and r["santunan"] == 0, code
    assert regencies["16.02"]["scheme"]["amount"] == 1_000_000  # OKI's own, unchanged


def test_every_synthetic_regency_has_claims_on_the_ranking(regencies):
    claims = {c: r["claims"] for c, r in regencies.items() if c != "16.02"}
    assert len(claims) == 16 and all(n > 0 for n in claims.values()), claims
    # proportional to the enrolments: the largest regency has more than the smallest
    assert claims["16.04"] > claims["16.74"]


def test_a_regency_admin_sees_santunan_only_where_there_is_a_scheme(province_demo, regencies):
    env, out = province_demo
    with_scheme = sorted(c for c, r in regencies.items() if r["scheme"] and c != "16.02")
    without = sorted(c for c, r in regencies.items() if not r["scheme"])
    assert "admin.palembang" in out  # the synthetic regencies' logins are printed
    for code, sees in ((with_scheme[0], True), (without[0], False)):
        [admin] = regencies[code]["admin"]
        status, body = page(env, admin, "/")
        assert status == 200
        assert ('href="/santunan/"' in body) is sees, (code, admin)
        assert page(env, admin, "/santunan/")[0] == (200 if sees else 404), (code, admin)
