"""Remember the client address of the request being served, for audit events."""

from jamsos.audit.services import set_request_ip


def client_ip(request) -> str | None:
    # Behind a reverse proxy, configure it to set REMOTE_ADDR (e.g. uwsgi/gunicorn
    # --forwarded-allow-ips); X-Forwarded-For is not trusted here.
    return request.META.get("REMOTE_ADDR") or None


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        set_request_ip(client_ip(request),
                       "api" if request.path_info.startswith("/api/") else "")
        try:
            return self.get_response(request)
        finally:
            set_request_ip(None)
