"""One domain error for every app (issue 12).

A service refuses a request by raising :class:`DomainError` (or an app's subclass of it) with
the field at fault, a message for the user in Bahasa Indonesia and a code from
:class:`ErrorCode` — or several fields at once (``errors``), so that forms report every error
together (issue 13). Web views show the message at the field; the API answers through one
exception handler (``jamsos.api.api``): HTTP status from the code, JSON
``{"field", "detail", "code"}``. Nothing here imports an app.
"""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    """Why a request was refused; stable strings clients may branch on."""

    #: The value is malformed or out of range (422).
    INVALID = "invalid"
    #: A required value is missing (422).
    REQUIRED = "required"
    #: The value clashes with data already stored, e.g. a NIK registered twice (422).
    CONFLICT = "conflict"
    #: The record moved on since the user loaded it; reload and try again (409).
    STALE = "stale"
    #: The action is not allowed in the record's current state (422).
    STATE = "state"
    #: The record lies outside the user's area (403; never says what lies there).
    OUTSIDE_AREA = "outside_area"
    #: The user's role may not do this (403).
    FORBIDDEN = "forbidden"
    #: No regulation figure is in force for the date asked (422): refused, never guessed.
    NO_RULE = "no_rule"


#: HTTP status the API answers for each code.
HTTP_STATUS: dict[ErrorCode, int] = {
    ErrorCode.INVALID: 422,
    ErrorCode.REQUIRED: 422,
    ErrorCode.CONFLICT: 422,
    ErrorCode.STALE: 409,
    ErrorCode.STATE: 422,
    ErrorCode.OUTSIDE_AREA: 403,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.NO_RULE: 422,
}


class DomainError(ValueError):
    """A request refused by a service. ``field`` is the first field at fault (``form`` when no
    field is), ``message`` its reason, ``code`` why; ``errors`` maps every field at fault to its
    reason, in the order the form shows them."""

    #: The code of a subclass's errors unless one is given.
    default_code: ErrorCode = ErrorCode.INVALID

    def __init__(self, field: str, message: str, *, code: ErrorCode | None = None,
                 errors: dict[str, str] | None = None):
        super().__init__(message)
        self.field = field
        self.message = message
        self.code = ErrorCode(code or self.default_code)
        self.errors = dict(errors) if errors else {field: message}

    @classmethod
    def collected(cls, errors: dict[str, str], **kwargs):
        """One error carrying several (the first names ``field`` and ``message``)."""
        field, message = next(iter(errors.items()))
        return cls(field, message, errors=errors, **kwargs)

    @property
    def http_status(self) -> int:
        return HTTP_STATUS[self.code]

    def as_json(self) -> dict:
        """The API's body: the first field and reason, the code, every field at fault."""
        return {"field": self.field, "detail": self.message, "code": self.code.value,
                "errors": [{"field": f, "detail": m} for f, m in self.errors.items()]}
