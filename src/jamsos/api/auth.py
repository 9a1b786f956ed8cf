"""Bearer tokens for the API: issued for a username and password, scoped like the user."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth import authenticate
from django.utils import timezone
from ninja.security import HttpBearer

from jamsos.accounts.throttle import address_locked, note_failure, username_locked
from jamsos.api.models import ApiToken
from jamsos.audit.services import record

TOKEN_LIFETIME = dt.timedelta(hours=getattr(settings, "JAMSOS_API_TOKEN_HOURS", 12))


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Throttled(Exception):
    pass


def issue_token(request, username: str, password: str) -> str | None:
    ip = request.META.get("REMOTE_ADDR")
    if username_locked(username):  # even the right password (see accounts.throttle)
        raise Throttled
    user = authenticate(request, username=username, password=password)
    if user is None or not user.is_active:
        note_failure(username, ip)
        if address_locked(ip):  # a busy (shared) address: only its wrong passwords wait
            raise Throttled
        return None
    token = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_hash=_hash(token),
                            expires_at=timezone.now() + TOKEN_LIFETIME)
    record(user=user, action="token_issued", obj_type="user", obj_id=user.pk, changes={})
    return token


def revoke_tokens(user, *, token_id: int | None = None, reason: str) -> int:
    """Delete one of ``user``'s API tokens (``token_id``) or all of them; audited."""
    tokens = ApiToken.objects.filter(user=user)
    if token_id is not None:
        tokens = tokens.filter(pk=token_id)
    count, _ = tokens.delete()
    if count:
        record(user=user, action="token_revoked", obj_type="user", obj_id=user.pk,
               changes={"tokens": [count, 0], "reason": [None, reason]})
    return count


def revoke_on_logout(sender, request, user, **kwargs) -> None:
    """Signing out of the web ends the user's API access too (``user_logged_out``)."""
    if user is not None:
        revoke_tokens(user, reason="logout")


class BearerToken(HttpBearer):
    def authenticate(self, request, token: str):
        found = (ApiToken.objects.select_related("user", "user__profile")
                 .filter(key_hash=_hash(token), expires_at__gt=timezone.now()).first())
        if found is None or not found.user.is_active:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        request.api_token_id = found.pk  # the token of this call, for revoking it
        return found.user
