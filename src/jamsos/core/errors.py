"""One domain error type for every app (issue 12): a refusal with the field it concerns and a
message for the user, or several at once (issue 13: forms report every error together)."""

from __future__ import annotations


class DomainError(ValueError):
    """A request refused by a service. ``field`` is the first field at fault (``form`` when no
    field is), ``message`` its reason; ``errors`` maps every field at fault to its reason, in
    the order the form shows them."""

    def __init__(self, field: str, message: str, *, errors: dict[str, str] | None = None):
        super().__init__(message)
        self.field = field
        self.message = message
        self.errors = dict(errors) if errors else {field: message}

    @classmethod
    def collected(cls, errors: dict[str, str], **kwargs):
        """One error carrying several (the first names ``field`` and ``message``)."""
        field, message = next(iter(errors.items()))
        return cls(field, message, errors=errors, **kwargs)
