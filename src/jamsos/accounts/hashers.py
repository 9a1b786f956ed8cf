"""The password hasher with the configured cost (``JAMSOS_PBKDF2_ITERATIONS``, ≥ OWASP's
600,000 for PBKDF2-HMAC-SHA256; see docs/performance.md, "Sign-in")."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import hashers


class PBKDF2PasswordHasher(hashers.PBKDF2PasswordHasher):
    """Django's PBKDF2-SHA256 under the same algorithm name: hashes made with another iteration
    count still verify, and are re-encoded with this count at the next sign-in."""

    @property
    def iterations(self) -> int:
        return settings.JAMSOS_PBKDF2_ITERATIONS
