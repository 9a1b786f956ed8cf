"""The issue-14 load mix for Locust (``pip install -e '.[bench]'``; run by
``benchmarks/bench_web.py --load --users N``, or by hand:
``locust -f benchmarks/locustfile.py --headless -u 300 -r 3 -t 280s --host http://127.0.0.1:8000``).

Leaders, OPD operators, village heads, the public and an API client, each waiting 5–15 s
between clicks, every signed-in user signing in once through the login form (the demo's users
and password, ``JAMSOS_BENCH_PASSWORD``). Pages are those of each role's menu.
"""

from __future__ import annotations

import os
import re

from locust import HttpUser, between, task

PASSWORD = os.environ.get("JAMSOS_BENCH_PASSWORD", "demo-jamsos-2025")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class _SignedIn(HttpUser):
    abstract = True
    wait_time = between(5, 15)
    username = ""
    pages: tuple[str, ...] = ()

    def on_start(self) -> None:
        page = self.client.get("/akun/masuk/", name="login form")
        token = CSRF.search(page.text)
        self.client.post("/akun/masuk/", name="login", data={
            "username": self.username, "password": PASSWORD,
            "csrfmiddlewaretoken": token.group(1) if token else ""},
            headers={"Referer": f"{self.host}/akun/masuk/"})

    @task
    def browse(self) -> None:
        page = self.pages[self._i % len(self.pages)] if self.pages else "/"
        self._i += 1
        self.client.get(page, name=f"{type(self).__name__} {page}")

    _i = 0


class Leader(_SignedIn):
    weight = 2
    username = "bupati"
    pages = ("/", "/cakupan/", "/iuran/anggaran/", "/klaim/laporan/", "/santunan/laporan/",
             "/cakupan/publik/")


class Operator(_SignedIn):
    weight = 3
    username = "operator"
    pages = ("/", "/registri/impor/", "/registri/temuan/ganda/", "/cakupan/", "/iuran/",
             "/iuran/tunggakan/", "/iuran/rekonsiliasi/", "/iuran/anggaran/", "/klaim/",
             "/registri/target/")


class VillageHead(_SignedIn):
    weight = 4
    username = "kades.tebingsuluh"
    pages = ("/", "/santunan/", "/cakupan/", "/santunan/notifikasi/", "/registri/impor/",
             "/manfaat/")


class Public(HttpUser):
    weight = 2
    wait_time = between(5, 15)

    @task(3)
    def public_page(self) -> None:
        self.client.get("/cakupan/publik/", name="Public /cakupan/publik/")

    @task(1)
    def public_api(self) -> None:
        self.client.get("/api/v1/public/coverage", name="Public /api/v1/public/coverage")


class ApiClient(HttpUser):
    weight = 1
    wait_time = between(5, 15)
    paths = ("/api/v1/coverage", "/api/v1/premiums/runs", "/api/v1/premiums/arrears",
             "/api/v1/premiums/budget", "/api/v1/claims/report", "/api/v1/santunan/sla-report")
    _i = 0

    def on_start(self) -> None:
        r = self.client.post("/api/v1/auth/token", name="api token",
                             json={"username": "operator", "password": PASSWORD})
        self.token = r.json().get("token", "") if r.ok else ""

    @task
    def get(self) -> None:
        path = self.paths[self._i % len(self.paths)]
        self._i += 1
        self.client.get(path, name=f"API {path}",
                        headers={"Authorization": f"Bearer {self.token}"})
