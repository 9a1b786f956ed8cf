"""``jamsos serve [--host H] [--port P]``: the web application and its background worker.

The worker runs as a child process under a supervisor that starts it again (with back-off)
when it dies; SIGTERM or SIGINT stops the web server, then the periodic thread and the worker
(which finishes its job, or is killed after ``--grace`` seconds and its job released), and
leaves no child behind (:mod:`jamsos.web.worker`).
"""

from __future__ import annotations

import logging
import signal

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

logger = logging.getLogger("jamsos.serve")


class _Stop(KeyboardInterrupt):
    """Raised in the main thread by SIGTERM; waitress stops on it like on Ctrl+C."""


def _raise_stop(signum, frame):
    raise _Stop(signal.strsignal(signum))


class Command(BaseCommand):
    help = "Jalankan aplikasi web jamsos (dan pekerja latar untuk impor)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-worker", action="store_true",
                            help="jangan jalankan pekerja latar (impor web)")
        parser.add_argument("--threads", type=int, default=8,
                            help="threads per serving process")
        parser.add_argument("--workers", type=int, default=1,
                            help="serving processes on one shared socket (one per core)")
        parser.add_argument("--connection-limit", type=int, default=1000,
                            help="open connections per serving process")
        parser.add_argument("--no-periodic", action="store_true",
                            help="jangan jalankan tugas berkala per jam (cakupan harian, "
                                 "notifikasi SLA santunan)")
        parser.add_argument("--grace", type=float, default=30.0,
                            help="detik menunggu pekerja latar menyelesaikan tugasnya saat "
                                 "berhenti; setelah itu tugasnya dilepas dan diulang nanti")

    def handle(self, *args, host, port, no_worker, no_periodic, threads, grace, workers=1,
               connection_limit=1000, **opts):
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stdout.write("Menyiapkan basis data (migrate)…")
            call_command("migrate", interactive=False, verbosity=0)
        try:
            settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
            call_command("collectstatic", interactive=False, verbosity=0)
        except OSError as exc:  # whitenoise serves them from the package (finders) anyway
            self.stderr.write(f"Berkas statis tidak dikumpulkan ({exc}); dilayani dari paket.")
        connection.close()

        from waitress.server import create_server

        # Imported here: building the WSGI application loads every app; only ``serve`` needs it.
        from jamsos.wsgi import application

        options = {"threads": threads, "ident": "jamsos", "connection_limit": connection_limit,
                   # Waitress's default (1000) answers no more than a few hundred clients
                   # arriving at once: the ramp-up saw refused connections.
                   "backlog": 2048, **_proxy_options()}
        children: list[int] = []
        if workers > 1:
            import socket

            listener = socket.create_server((host, port), backlog=options["backlog"])
            children = _fork_servers(listener, application, workers - 1, options)
            server = create_server(application, sockets=[listener], **options)
        else:
            server = create_server(application, host=host, port=port, **options)
        signal.signal(signal.SIGTERM, _raise_stop)
        supervisor = thread = stop = None
        try:
            if not no_worker:
                from jamsos.web.worker import Supervisor

                supervisor = Supervisor(grace=grace)
                supervisor.start()
            if not no_periodic:
                from jamsos.web.periodic import start_thread

                thread, stop = start_thread()
            self.stdout.write(f"jamsos berjalan di http://{host}:{port}/  (Ctrl+C untuk berhenti)")
            self.stdout.flush()
            server.run()  # returns on SIGINT/SIGTERM, after waitress's threads have finished
        except KeyboardInterrupt:
            pass
        finally:
            # A second signal must not interrupt the shutdown and orphan the worker.
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            self.stdout.write("jamsos berhenti…")
            self.stdout.flush()
            server.close()
            _stop_children(children)
            if stop is not None:
                stop.set()
                thread.join(timeout=grace)
            if supervisor is not None:
                supervisor.stop()
            self.stdout.write("jamsos berhenti.")
            self.stdout.flush()


def _fork_servers(listener, application, count: int, options: dict) -> list[int]:
    """``count`` more serving processes on the ``listener`` socket (the kernel hands each
    new connection to one of them): one Python process uses one core (the GIL), so a second
    process is what uses the second core. They only serve requests: the worker and the periodic
    jobs stay with this process, which stops them (SIGTERM) when it stops."""
    import os

    from waitress.server import create_server

    children = []
    for _ in range(count):
        pid = os.fork()
        if pid:
            children.append(pid)
            continue
        code = 0
        try:
            signal.signal(signal.SIGTERM, _raise_stop)
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C: the parent stops us
            child = create_server(application, sockets=[listener], **options)
            child.run()
        except KeyboardInterrupt:
            pass
        except BaseException:
            logger.exception("serving process failed")
            code = 1
        finally:
            os._exit(code)
    return children


def _stop_children(children: list[int]) -> None:
    import os

    for pid in children:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    for pid in children:
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass


def _proxy_options() -> dict:
    """Waitress drops X-Forwarded-* headers from anyone but a trusted proxy (so a client can't
    claim to be on HTTPS or forge its address); behind the documented proxy it trusts that one
    address for the scheme and the client's address."""
    from django.conf import settings

    if not settings.BEHIND_PROXY:
        return {}
    return {"trusted_proxy": settings.TRUSTED_PROXY, "trusted_proxy_count": 1,
            "trusted_proxy_headers": {"x-forwarded-proto", "x-forwarded-for"},
            "clear_untrusted_proxy_headers": True}
