"""Synthetic demo data (workers and targets) for Kabupaten Ogan Komering Ilir."""

from jamsos.demo.synth import DEFAULT_DOUBLES, DEFAULT_PLAN, demo_targets, demo_workers

__all__ = ["DEFAULT_DOUBLES", "DEFAULT_PLAN", "demo_targets", "demo_workers"]
