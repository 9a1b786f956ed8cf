"""``jamsos users unlock USERNAME`` / ``jamsos users unlock --address IP``: lift a sign-in
lock before its window passes (see ``jamsos.accounts.throttle``); audited."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from jamsos.accounts.throttle import unlock
from jamsos.audit.services import record


class Command(BaseCommand):
    help = "Buka kunci masuk sebuah nama pengguna atau alamat setelah terlalu banyak kegagalan."

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?")
        parser.add_argument("--address", help="alamat IP (mis. kantor desa di balik NAT)")

    def handle(self, *args, username, address, **opts):
        if not username and not address:
            raise CommandError("Sebutkan nama pengguna atau --address IP.")
        target = None
        if username:
            target = get_user_model().objects.filter(username__iexact=username).first()
            if target is None:
                raise CommandError(f"Nama pengguna tidak dikenal: {username}")
        count = unlock(username=username or None, ip=address or None)
        record(user=None, action="login_unlocked", obj_type="user",
               obj_id=target.pk if target else "",
               changes={"failures": [count, 0], "address": [address, None]}, source="cli")
        what = " dan ".join(x for x in (username, address) if x)
        self.stdout.write(f"Kunci masuk {what} dibuka ({count} kegagalan dihapus).")
