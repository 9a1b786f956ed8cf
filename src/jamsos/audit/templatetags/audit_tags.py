"""The audit trail in plain words (see :mod:`jamsos.audit.labels`)."""

from django import template

from jamsos.audit import labels

register = template.Library()


@register.filter
def action_label(event) -> str:
    return labels.action_label(event.action)


@register.filter
def object_label(event) -> str:
    return labels.object_label(event.object_type, event.object_id)


@register.filter
def changes(event) -> list[tuple[str, object, object]]:
    """(field label, before, after) of an event's changes, choice codes read as labels."""
    out = []
    for name, pair in (event.changes or {}).items():
        before, after = [*pair, None, None][:2] if isinstance(pair, list) else (None, pair)
        out.append((labels.field_label(event.object_type, name),
                    labels.value_label(event.object_type, name, before),
                    labels.value_label(event.object_type, name, after)))
    return out
