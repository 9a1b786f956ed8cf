"""``jamsos worker``: the background worker (web imports), as ``jamsos serve`` runs it.

django-tasks-db's ``db_worker`` with a heartbeat, recovery of jobs whose worker died, and
reconnection after database errors (:mod:`jamsos.web.worker`). Run it by hand (or under
systemd) only when the web application is served without ``jamsos serve``.
"""

from __future__ import annotations

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from jamsos.web.worker import SupervisedWorker


class Command(DbWorkerCommand):
    help = ("Jalankan pekerja latar (impor web) dengan detak jantung, pemulihan tugas yang "
            "terhenti dan sambung ulang setelah gangguan basis data.")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--parent", type=int, default=None,
                            help="berhenti bila proses ini (jamsos serve) tidak ada lagi")

    def handle(self, *, verbosity, queue_name, interval, batch, backend_name, startup_delay,
               max_tasks, worker_id, exclude_queues, parent, **options):
        self.configure_logging(verbosity)
        worker = SupervisedWorker(
            queue_names=queue_name.split(","), interval=interval, batch=batch,
            backend_name=backend_name, startup_delay=startup_delay, max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=exclude_queues.split(",") if exclude_queues else [],
            parent_pid=parent)
        worker.configure_signals()
        worker.run()
