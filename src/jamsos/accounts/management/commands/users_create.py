"""``jamsos users create USERNAME --role ROLE --area KODE`` (password from stdin or a prompt)."""

from __future__ import annotations

import getpass
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from jamsos.accounts.models import Role
from jamsos.accounts.services import create_user
from jamsos.regions.models import Region


class Command(BaseCommand):
    help = "Buat pengguna dengan peran dan wilayah kerja."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--area", required=True, help="kode wilayah Kemendagri")

    def handle(self, *args, username, role, area, **opts):
        if not Region.objects.filter(code=area).exists():
            raise CommandError(f"Kode wilayah tidak dikenal: {area}")
        if sys.stdin.isatty():
            password = getpass.getpass("Kata sandi: ")
            if getpass.getpass("Ulangi kata sandi: ") != password:
                raise CommandError("Kata sandi tidak sama.")
        else:
            password = sys.stdin.readline().rstrip("\n")
        try:
            user = create_user(username=username, role=role, area_code=area, password=password)
        except ValidationError as exc:
            raise CommandError("Kata sandi ditolak: " + " ".join(exc.messages)) from exc
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Pengguna {user.username} dibuat ({Role(role).label}, {area}).")
