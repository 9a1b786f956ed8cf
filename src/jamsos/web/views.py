from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache


def home(request):
    if request.user.is_authenticated:
        return redirect("coverage:dashboard")
    return redirect("coverage:public")


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
