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
_TWO_WORD = {"import", "santunan", "billing", "claims", "users", "audit", "dtsen"}
#: ``jamsos coverage SUB`` for these SUB (plain ``jamsos coverage --by …`` stays as it is)
_COVERAGE_SUB = {"candidates", "exclusions"}
#: Commands served by the pure-Python regulation engine (no Django set-up).
_ENGINE = {"benefit": "benefit_main", "contribution": "contribution_main"}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in _ENGINE:
        # Imported here: the engine's commands run without Django and without any app.
        from jamsos.rules import cli as rules_cli

        return getattr(rules_cli, _ENGINE[argv[0]])(argv[1:])
    if len(argv) >= 2 and ((argv[0] in _TWO_WORD and not argv[1].startswith("-"))
                           or (argv[0] == "coverage" and argv[1] in _COVERAGE_SUB)):
        argv = [f"{argv[0]}_{argv[1].replace('-', '_')}", *argv[2:]]
    if argv and argv[0] == "demo" and not os.environ.get("DATABASE_URL"):
        _fresh_demo_database()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jamsos.settings")
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["jamsos", *argv])
    except SystemExit as exc:  # management commands exit through SystemExit
        return int(exc.code or 0) if not isinstance(exc.code, str) else 1
    except KeyboardInterrupt:
        print("jamsos: dihentikan.", file=sys.stderr)
        return 130
    except Exception as exc:  # a failure, not a usage error: one line, never a traceback
        return _failed(exc, argv)
    return 0


def _failed(exc: Exception, argv: list[str]) -> int:
    """One line on stderr (personal data masked); with ``--format json`` also a JSON error
    object on stdout, so a script reading stdout always gets JSON. The traceback goes to the
    log when ``JAMSOS_DEBUG`` is set."""
    import json
    import logging

    # Imported here: only a failing command needs it (the CLI starts before Django is set up).
    from jamsos.core.masking import mask_text

    kind, detail = _classify(exc)
    message = mask_text(f"{detail}")
    print(f"jamsos: {kind}: {message}", file=sys.stderr)
    if _wants_json(argv):
        print(json.dumps({"error": kind, "detail": message}, ensure_ascii=False))
    if os.environ.get("JAMSOS_DEBUG"):
        logging.getLogger("jamsos.cli").exception("command failed")
    return 1


def _classify(exc: Exception) -> tuple[str, str]:
    from django.db import DatabaseError, InterfaceError, OperationalError

    if isinstance(exc, OperationalError | InterfaceError):
        return ("database_unavailable",
                "basis data tidak dapat dihubungi atau koneksi terputus; tidak ada data yang "
                f"berubah ({str(exc).strip().splitlines()[0] if str(exc).strip() else ''})")
    if isinstance(exc, DatabaseError):
        return "database_error", "basis data menolak perubahan; tidak ada data yang berubah"
    if isinstance(exc, OSError):
        return "file_error", str(exc)
    return "internal_error", f"{type(exc).__name__}: {exc}"


def _wants_json(argv: list[str]) -> bool:
    return any(a == "--format=json" for a in argv) or any(
        a == "--format" and i + 1 < len(argv) and argv[i + 1] == "json"
        for i, a in enumerate(argv))


def _fresh_demo_database() -> None:
    """The demo gets its own SQLite file, rebuilt on every run; real data is never touched."""
    from pathlib import Path

    data_dir = Path(os.environ.get("JAMSOS_DATA_DIR") or Path.home() / ".local/share/jamsos")
    data_dir.expanduser().mkdir(parents=True, exist_ok=True)
    path = data_dir.expanduser() / "demo.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    (data_dir.expanduser() / "demo.json").unlink(missing_ok=True)  # the demo writes it anew
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"


if __name__ == "__main__":
    sys.exit(main())
