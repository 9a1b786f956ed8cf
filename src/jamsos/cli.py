"""The ``jamsos`` console command.

``jamsos serve``, ``jamsos demo``, ``jamsos import workers FILE``, ``jamsos coverage`` and every
Django management command (``jamsos migrate``, ``jamsos createsuperuser``…) run through here.
Two-word commands map onto management commands: ``jamsos import workers`` runs
``import_workers``. The regulation engine's ``benefit`` and ``contribution`` need no database
and run without Django.
"""

from __future__ import annotations

import os
import sys

#: ``jamsos WORD SUB …`` → management command ``WORD_SUB``
_TWO_WORD = {"import", "santunan", "billing", "claims", "users", "audit"}
#: Commands served by the pure-Python regulation engine (no Django set-up).
_ENGINE = {"benefit": "benefit_main", "contribution": "contribution_main"}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in _ENGINE:
        from jamsos.rules import cli as rules_cli

        return getattr(rules_cli, _ENGINE[argv[0]])(argv[1:])
    if len(argv) >= 2 and argv[0] in _TWO_WORD and not argv[1].startswith("-"):
        argv = [f"{argv[0]}_{argv[1]}", *argv[2:]]
    if argv and argv[0] == "demo" and not os.environ.get("DATABASE_URL"):
        _fresh_demo_database()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jamsos.settings")
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["jamsos", *argv])
    except SystemExit as exc:  # management commands exit through SystemExit
        return int(exc.code or 0) if not isinstance(exc.code, str) else 1
    return 0


def _fresh_demo_database() -> None:
    """The demo gets its own SQLite file, rebuilt on every run; real data is never touched."""
    from pathlib import Path

    data_dir = Path(os.environ.get("JAMSOS_DATA_DIR") or Path.home() / ".local/share/jamsos")
    data_dir.expanduser().mkdir(parents=True, exist_ok=True)
    path = data_dir.expanduser() / "demo.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"


if __name__ == "__main__":
    sys.exit(main())
