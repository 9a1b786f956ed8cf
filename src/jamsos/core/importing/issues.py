"""Row issues, as every import reports them: ``(row, column, code, message, severity)``.

A row with an ``error`` is rejected; a ``warning`` is shown and the row is stored. Issues are
built set-based (:func:`issue_rows`: one polars filter per check), split once at the end
(:func:`split_issues`) into the lists a report carries (:class:`ImportReport`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from jamsos.core.importing.reader import ROW

ISSUE_SCHEMA = {
    "row": pl.Int64,
    "column": pl.String,
    "code": pl.String,
    "message": pl.String,
    "severity": pl.String,
}


def issue_rows(frame: pl.DataFrame, cond: pl.Expr, header: str, code: str | pl.Expr,
               message: pl.Expr | str, severity: str = "error", *, row: str = ROW
               ) -> pl.DataFrame:
    """The issues (``ISSUE_SCHEMA``) of the rows of ``frame`` where ``cond`` holds, in the
    column shown as ``header``; ``frame`` numbers its rows in ``row`` (``ROW`` as read)."""
    msg = pl.lit(message) if isinstance(message, str) else message
    return frame.filter(cond).select(
        pl.col(row).alias("row"),
        pl.lit(header).alias("column"),
        (pl.lit(code) if isinstance(code, str) else code).alias("code"),
        msg.cast(pl.String).alias("message"),
        pl.lit(severity).alias("severity"),
    ).cast(ISSUE_SCHEMA)


@dataclass
class Validated:
    """A checked table: the rows to store, typed; the issues; the data rows read."""

    valid: pl.DataFrame
    issues: pl.DataFrame  # ISSUE_SCHEMA
    rows: int


def no_issues() -> pl.DataFrame:
    return pl.DataFrame(schema=ISSUE_SCHEMA)


def split_issues(issues: pl.DataFrame) -> tuple[list[dict], list[dict], int]:
    """(errors, warnings, rows rejected): the issues sorted by row, as dicts without their
    severity; a row is rejected when it has an error."""
    issues = issues.sort(["row", "severity"], maintain_order=True)
    errors = issues.filter(pl.col("severity") == "error")
    warnings = issues.filter(pl.col("severity") == "warning")
    return (errors.drop("severity").to_dicts(), warnings.drop("severity").to_dicts(),
            errors["row"].n_unique())


@dataclass(kw_only=True)
class ImportReport:
    """What an import read and refused; each import adds its own counts."""

    rows: int = 0
    rejected: int = 0
    dry_run: bool = False
    errors: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)
    ignored_headers: list[str] = field(default_factory=list)

    def take_issues(self, issues: pl.DataFrame) -> None:
        """Set ``errors``, ``warnings`` and ``rejected`` from the issues of a run."""
        self.errors, self.warnings, self.rejected = split_issues(issues)

    def counts(self) -> dict:
        """The import's own figures for :meth:`as_json`."""
        return {}

    def as_json(self) -> dict:
        return {"rows": self.rows, **self.counts(), "rejected": self.rejected,
                "dry_run": self.dry_run, "ignored_headers": self.ignored_headers,
                "errors": self.errors, "warnings": self.warnings}
