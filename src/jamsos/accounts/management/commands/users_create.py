"""``jamsos users create USERNAME --role ROLE --area KODE`` (password from stdin or a prompt)."""

from __future__ import annotations

import getpass
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError

from jamsos.accounts.models import Role
from jamsos.accounts.services import create_user, validate_access, validate_username


def _line(exc: ValidationError) -> str:
    return " ".join(" ".join(exc.messages).split())


class Command(BaseCommand):
    help = "Buat pengguna dengan peran dan wilayah kerja."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--area", required=True, help="kode wilayah Kemendagri")

    def handle(self, *args, username, role, area, **opts):
        try:  # refuse before asking for a password
            validate_username(username)
            validate_access(role, area)
        except ValidationError as exc:
            raise CommandError(_line(exc)) from exc
        if sys.stdin.isatty():
            password = getpass.getpass("Kata sandi: ")
            if getpass.getpass("Ulangi kata sandi: ") != password:
                raise CommandError("Kata sandi tidak sama.")
        else:
            password = sys.stdin.readline().rstrip("\n")
        try:
            validate_password(password, get_user_model()(username=username))
        except ValidationError as exc:
            raise CommandError("Kata sandi ditolak: " + _line(exc)) from exc
        try:
            user = create_user(username=username, role=role, area_code=area, password=password)
        except ValidationError as exc:
            raise CommandError(_line(exc)) from exc
        except IntegrityError as exc:  # created meanwhile by someone else
            raise CommandError(f"Nama pengguna sudah dipakai: {username}") from exc
        self.stdout.write(f"Pengguna {user.username} dibuat ({Role(role).label}, {area}).")
