"""What the running processes tell each other through the database."""

from __future__ import annotations

from django.db import models


class Heartbeat(models.Model):
    """The last sign of life of a background process: ``worker:<id>`` for each background
    worker (written every few seconds while it lives, removed when it stops cleanly) and
    ``periodic`` for the last run of the periodic jobs. Read by ``/healthz`` and by the
    recovery of jobs whose worker died (:mod:`jamsos.web.worker`)."""

    name = models.CharField(max_length=100, primary_key=True)
    host = models.CharField(max_length=255, blank=True, default="")
    pid = models.IntegerField(null=True, blank=True)
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField()
    info = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return self.name
