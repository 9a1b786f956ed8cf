"""``jamsos users reset-link USERNAME``: print a one-time password reset link (valid 24 h,
audited; e-mailed too when the user has an address). See :mod:`jamsos.accounts.resets`."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jamsos.accounts import resets


class Command(BaseCommand):
    help = "Buat tautan sekali pakai untuk mengatur kata sandi baru seorang pengguna."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--base-url", default="",
                            help="alamat aplikasi, mis. https://jamsos.okikab.go.id")

    def handle(self, *args, username, base_url, **opts):
        target = get_user_model().objects.filter(username__iexact=username).first()
        if target is None:
            raise CommandError(f"Nama pengguna tidak dikenal: {username}")
        url, link = resets.issue(target, actor=None, base_url=base_url, source="cli")
        self.stdout.write(url)
        until = f"{timezone.localtime(link.expires_at):%d-%m-%Y %H:%M}"
        note = f"; juga dikirim ke {target.email}" if link.emailed else ""
        self.stderr.write(f"Tautan untuk {target.username}, sekali pakai, berlaku sampai "
                          f"{until}{note}.")
