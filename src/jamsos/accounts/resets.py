"""Password reset links an administrator issues (issue 13 item 8).

Why a stored, hashed token rather than Django's ``PasswordResetTokenGenerator``: the generator
is stateless, so it cannot say who issued a link or who used it, cannot be withdrawn when a
new link is issued, and lives as long as ``PASSWORD_RESET_TIMEOUT`` for every link. A row per
link (only the SHA-256 of its secret kept, like the API tokens) gives the audit trail its
"issued by" and "used at", single use by a conditional update, and one live link per user.
Using a link sets the password (Django's validators), which also ends the user's web sessions
(the session hash changes), and deletes the user's API tokens.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jamsos.accounts.models import ResetLink
from jamsos.accounts.selectors import has_perm, in_area, profile_of
from jamsos.audit import services as audit

log = logging.getLogger(__name__)


def lifetime() -> dt.timedelta:
    return dt.timedelta(hours=getattr(settings, "JAMSOS_RESET_LINK_HOURS", 24))


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def may_issue(actor, target) -> bool:
    """An administrator, for a user whose area lies inside the administrator's (the CLI,
    ``actor=None``, may for anyone)."""
    if actor is None:
        return True
    profile = profile_of(target)
    return has_perm(actor, "manage_users") and profile is not None and in_area(
        actor, profile.area_id)


def path_for(secret: str) -> str:
    from django.urls import reverse

    return reverse("accounts:reset", args=[secret])


@transaction.atomic
def issue(target, *, actor=None, base_url: str = "", now=None, source: str = "") -> tuple[
        str, ResetLink]:
    """A new one-time link for ``target`` (earlier unused links stop working). Returns the
    link's address (``base_url`` + path) and its row; e-mails it when the user has an
    address."""
    if not may_issue(actor, target):
        raise PermissionDenied
    now = now or timezone.now()
    ResetLink.objects.filter(user=target, used_at__isnull=True, expires_at__gt=now).update(
        expires_at=now)
    secret = secrets.token_urlsafe(32)
    link = ResetLink.objects.create(
        user=target, key_hash=_hash(secret), issued_at=now, expires_at=now + lifetime(),
        issued_by=actor if getattr(actor, "is_authenticated", False) else None,
        issued_by_name=audit.actor_fields(actor)["actor_name"] if actor
        else (source or "sistem"))
    url = base_url.rstrip("/") + path_for(secret)
    if target.email:
        link.emailed = _send(target, url, link.expires_at)
        link.save(update_fields=["emailed"])
    audit.record(user=actor, action="reset_link_issued", obj_type="user", obj_id=target.pk,
                 changes={"expires_at": [None, link.expires_at.isoformat()],
                          "emailed": [None, link.emailed]}, source=source)
    return url, link


def _send(target, url: str, expires_at) -> bool:
    body = _("Halo %(u)s,\n\nAdministrator jamsos membuat tautan untuk mengatur kata sandi "
             "baru Anda:\n\n%(url)s\n\nTautan berlaku sekali saja, sampai %(t)s. Jika Anda tidak "
             "memintanya, abaikan pesan ini dan beri tahu administrator.") % {
        "u": target.get_username(), "url": url,
        "t": f"{timezone.localtime(expires_at):%d-%m-%Y %H:%M}"}
    try:
        with mailers.default as connection:
            connection.send_messages([EmailMessage(_("Atur ulang kata sandi jamsos"), body,
                                                   settings.DEFAULT_FROM_EMAIL, [target.email])])
    except Exception as exc:  # the link is still shown to the administrator
        log.warning("accounts: tautan atur ulang tidak terkirim: %s", type(exc).__name__)
        return False
    return True


def find(secret: str, *, now=None) -> ResetLink | None:
    """The live link for ``secret`` (unused, not expired, user active), or None."""
    now = now or timezone.now()
    return (ResetLink.objects.select_related("user")
            .filter(key_hash=_hash(secret or ""), used_at__isnull=True, expires_at__gt=now,
                    user__is_active=True).first())


@transaction.atomic
def use(secret: str, password: str, *, now=None, ip: str | None = None):
    """Set the new password through the link; the link then stops working and the user's API
    tokens are deleted. Raises ``ValidationError`` (a weak password) or ``LookupError`` (the
    link is unknown, used or expired)."""
    now = now or timezone.now()
    link = find(secret, now=now)
    if link is None:
        raise LookupError(secret)
    target = link.user
    validate_password(password, target)
    if ResetLink.objects.filter(pk=link.pk, used_at__isnull=True).update(used_at=now) != 1:
        raise LookupError(secret)  # used a moment ago by another request
    target.set_password(password)
    target.save(update_fields=["password"])
    tokens, _n = target.api_tokens.all().delete()
    audit.record(user=target, action="password_reset", obj_type="user", obj_id=target.pk,
                 changes={"reset_link": [link.pk, None],
                          "issued_by": [link.issued_by_name, None],
                          "api_tokens": [tokens, 0]}, ip=ip)
    return target
