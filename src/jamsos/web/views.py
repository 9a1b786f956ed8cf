from django.shortcuts import redirect


def home(request):
    if request.user.is_authenticated:
        return redirect("coverage:dashboard")
    return redirect("coverage:public")


BUSY_SECONDS = 10


def _database_busy() -> bool:
    """The error being handled is SQLite's "database is locked" (a long writer, e.g. a large
    import, holds the lock past the busy timeout)."""
    import sys

    from django.db import OperationalError

    exc = sys.exc_info()[1]
    while exc is not None:
        if isinstance(exc, OperationalError) and "locked" in str(exc).lower():
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def server_error(request):
    """``handler500``: a busy SQLite database is answered 503 with ``Retry-After`` (the request
    changed nothing and can simply be repeated), anything else with the 500 page."""
    from django.http import HttpResponse, JsonResponse
    from django.views.defaults import server_error as default_server_error

    if not _database_busy():
        return default_server_error(request)
    message = ("Sistem sedang sibuk memproses data lain; tidak ada yang berubah. Coba lagi "
               f"dalam {BUSY_SECONDS} detik.")
    if "json" in request.headers.get("Accept", "") or request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=503)
    else:
        response = HttpResponse(
            '<!doctype html><html lang="id"><head><meta charset="utf-8"><title>Sedang sibuk'
            f"</title></head><body><h1>Sedang sibuk</h1><p>{message}</p>"
            '<p><a href="">Coba lagi</a></p></body></html>', status=503)
    response["Retry-After"] = str(BUSY_SECONDS)
    return response
