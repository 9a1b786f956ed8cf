"""Sign-ins, sign-outs and failed sign-ins go into the audit trail."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from jamsos.audit.services import record


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    record(user=user, action="login", obj_type="user", obj_id=user.pk, changes={})


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record(user=user, action="logout", obj_type="user", obj_id=user.pk, changes={})


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    record(user=None, action="login_failed", obj_type="user", obj_id="",
           changes={"username": [None, username]})
