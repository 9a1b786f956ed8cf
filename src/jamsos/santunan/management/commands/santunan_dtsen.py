"""``jamsos santunan dtsen …``: the former name of ``jamsos dtsen import`` (kept as an alias)."""

from jamsos.dtsen.management.commands.dtsen_import import Command  # noqa: F401
