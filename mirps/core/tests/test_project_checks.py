"""Checks a reviewer would otherwise do by hand: migrations, lint, deployment settings, no CDN."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_ruff_finds_nothing():
    ruff = Path(sys.executable).parent / "ruff"
    out = subprocess.run([str(ruff), "check", "--quiet", "mirps", "config", "bench"], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_deploy_checks_pass_with_production_environment(tmp_path):
    env = {
        **os.environ,
        "SECRET_KEY": "p" * 30 + "Q7!x" * 10,
        "MIRPS_DEBUG": "0",
        "SECURE_COOKIES": "1",
        "SECURE_SSL_REDIRECT": "1",
        "SECURE_HSTS_SECONDS": "31536000",
        "ALLOWED_HOSTS": "mirps.example.hn",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
    }
    env.pop("MIRPS_FAST_HASHER", None)
    out = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_settings_refuse_to_start_without_secret_key_in_production():
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "MIRPS_DEBUG")}
    out = subprocess.run(
        [sys.executable, "-c", "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; django.setup()"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )
    assert out.returncode != 0 and "SECRET_KEY" in out.stderr


CDN = re.compile(r"https?://(cdn\.|unpkg\.com|cdnjs\.|ajax\.googleapis|fonts\.googleapis|cdn\.jsdelivr)")


@pytest.mark.parametrize("folder", ["templates", "mirps", "static/js", "static/css"])
def test_no_asset_is_loaded_from_the_internet(folder):
    for path in (ROOT / folder).rglob("*"):
        if path.suffix in {".html", ".js", ".css"} and "vendor" not in path.parts:
            assert not CDN.search(path.read_text(encoding="utf-8")), path
