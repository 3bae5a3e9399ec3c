"""The demo has no mail relay: its e-mails go to files under var/mail/ unless the operator names a relay."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

SMTP = "django.core.mail.backends.smtp.EmailBackend"
FILES = "django.core.mail.backends.filebased.EmailBackend"

SEND = """
import django
django.setup()
from django.conf import settings
from django.core.mail import send_mail
print(settings.EMAIL_BACKEND)
if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
    send_mail("Nhắc hạn nhiệm vụ", "Nội dung", "dondoc@localhost", ["chuyenvien@hanoi.gov.vn"])
"""


def run_settings(tmp_path, **env):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("EMAIL_", "DEMO"))}
    base.update(DJANGO_SETTINGS_MODULE="dondoc.settings", DONDOC_VAR_DIR=str(tmp_path), **env)
    done = subprocess.run(
        [sys.executable, "-c", SEND], env=base, capture_output=True, text=True, timeout=60, check=True
    )
    return done.stdout.strip().splitlines()[-1]


def test_demo_writes_its_mail_to_files_under_var(tmp_path):
    assert run_settings(tmp_path, DEMO="1") == FILES
    sent = list((tmp_path / "mail").iterdir())
    assert len(sent) == 1
    assert "chuyenvien@hanoi.gov.vn" in sent[0].read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "env",
    [{}, {"DEMO": "1", "EMAIL_HOST": "relay.hanoi.gov.vn"}, {"DEMO": "1", "EMAIL_BACKEND": SMTP}],
    ids=["production", "demo-with-relay", "demo-with-backend"],
)
def test_a_named_relay_or_production_uses_smtp(tmp_path, env):
    assert run_settings(tmp_path, SECRET_KEY="k" * 50, **env) == SMTP
    assert not (tmp_path / "mail").exists()
