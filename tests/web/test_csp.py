"""Issue 15 (low): every HTML page carries a Content-Security-Policy that allows no inline or
foreign script, and no template relies on one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

import jamsos

pytestmark = pytest.mark.django_db


def test_pages_carry_a_strict_script_policy(client):
    response = client.get(reverse("web:public"))
    policy = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["script-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert "unsafe" not in directives["default-src"]


def test_no_template_has_an_inline_script():
    inline = []
    for path in Path(jamsos.__file__).parent.rglob("templates/**/*.html"):
        for tag in re.findall(r"<script\b[^>]*>", path.read_text()):
            if "src=" not in tag and 'type="application/json"' not in tag:
                inline.append(f"{path.name}: {tag}")
        if re.search(r"\son[a-z]+=\"", path.read_text()):
            inline.append(f"{path.name}: inline event handler")
        if "javascript:" in path.read_text():
            inline.append(f"{path.name}: javascript: URL")
    assert inline == []
