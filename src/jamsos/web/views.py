from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import cache_control, never_cache

from jamsos.accounts.selectors import role_of
from jamsos.regions.selectors import home_kabupaten
from jamsos.web.help import HELP, help_for
from jamsos.web.homes import home_for, overview


def home(request):
    """The signed-in user's own start page; visitors get the public coverage page."""
    if not request.user.is_authenticated:
        return redirect("web:public")
    if role_of(request.user) is None:  # signed in without a role: nothing to show
        return render(request, "web/home.html", {})
    template, context = home_for(request)
    return render(request, template, context)


BUSY_SECONDS = 10


def _database_trouble() -> str | None:
    """What the error being handled says of the database: ``"busy"`` for SQLite's "database
    is locked" (a long writer holds the lock past the busy timeout), ``"unavailable"`` when the
    database cannot be reached or dropped the connection (a restart), else None."""
    import sys

    from django.db import InterfaceError, OperationalError

    exc = sys.exc_info()[1]
    while exc is not None:
        if isinstance(exc, OperationalError) and "locked" in str(exc).lower():
            return "busy"
        if isinstance(exc, OperationalError | InterfaceError):
            return "unavailable"
        exc = exc.__cause__ or exc.__context__
    return None


_TROUBLE = {
    "busy": ("Sedang sibuk", "Sistem sedang sibuk memproses data lain; tidak ada yang berubah. "
             f"Coba lagi dalam {BUSY_SECONDS} detik."),
    "unavailable": ("Basis data tidak terjangkau",
                    "Basis data sedang tidak dapat dihubungi (misalnya sedang dimulai ulang); "
                    f"tidak ada yang berubah. Coba lagi dalam {BUSY_SECONDS} detik."),
}


def server_error(request):
    """``handler500``: a busy or unreachable database is answered 503 with ``Retry-After``
    (the request changed nothing and can simply be repeated), anything else with the 500
    page."""
    from django.http import HttpResponse, JsonResponse
    from django.utils.html import escape
    from django.views.defaults import server_error as default_server_error

    trouble = _database_trouble()
    if trouble is None:
        return default_server_error(request)
    title, message = _TROUBLE[trouble]
    if "json" in request.headers.get("Accept", "") or request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=503)
    else:
        response = HttpResponse(
            f'<!doctype html><html lang="id"><head><meta charset="utf-8"><title>{escape(title)}'
            f"</title></head><body><h1>{escape(title)}</h1><p>{escape(message)}</p>"
            '<p><a href="">Coba lagi</a></p></body></html>', status=503)
    response["Retry-After"] = str(BUSY_SECONDS)
    return response


def _iso(value):
    return value.isoformat() if value is not None else None


@never_cache
def healthz(request):
    """For a load balancer or a monitor: 200 when the database answers and a background
    worker is alive (its heartbeat younger than the lease), else 503; the body says which part
    failed, the worker's last heartbeat and the last periodic run. No personal data."""
    from django.utils import timezone

    from jamsos.web.models import Heartbeat
    from jamsos.web.worker import LEASE, living_workers

    now = timezone.now()
    body = {"status": "ok", "database": "ok",
            "worker": {"alive": False, "last_heartbeat": None, "count": 0},
            "periodic": {"last_run": None, "ok": None}}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        living = living_workers(now)
        last = living[0] if living else (Heartbeat.objects.filter(name__startswith="worker:")
                                         .order_by("-beat_at").first())
        periodic = Heartbeat.objects.filter(name="periodic").first()
    except DatabaseError:
        body["database"] = "unreachable"
        body["status"] = "fail"
        return JsonResponse(body, status=503)
    body["worker"] = {"alive": bool(living), "count": len(living),
                      "last_heartbeat": _iso(last.beat_at if last else None),
                      "seconds_since": round((now - last.beat_at).total_seconds(), 1)
                      if last else None, "lease_seconds": LEASE}
    if periodic is not None:
        body["periodic"] = {"last_run": _iso(periodic.beat_at),
                            "ok": periodic.info.get("ok")}
    if not living:
        body["status"] = "fail"
    return JsonResponse(body, status=200 if body["status"] == "ok" else 503)


@cache_control(public=True, max_age=300)
def public(request):
    """Aggregate coverage for the regency's website: no names, no NIKs, no desa below target."""
    region = home_kabupaten()
    return render(request, "coverage/public.html",
                  {"region": region, **overview(region.code, links=False)})


@login_required
def help_page(request):
    """The help page of the signed-in user's role (issue 13 item 8)."""
    role = role_of(request.user)
    entry = help_for(role)
    return render(request, "web/help.html", {"entry": entry, "role": role,
                                             "others": HELP if role == "admin" else {}})
