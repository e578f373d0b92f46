"""The OpenAPI schema and the interactive docs: served by this server alone, working under the CSP."""

from __future__ import annotations

import mimetypes
import os
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client

# Swagger UI's files are ninja's static files: found only with "ninja" in INSTALLED_APPS.


def test_openapi_schema_is_served(client):
    r = client.get("/api/v1/openapi.json")
    assert r.status_code == 200
    schema = r.json()
    assert schema["openapi"].startswith("3.") and schema["info"]["title"] == "mirps API"
    assert schema["components"]["securitySchemes"] == {"TokenAuth": {"type": "http", "scheme": "bearer"}}


def test_docs_page_loads_nothing_from_elsewhere_and_runs_no_inline_script(client):
    r = client.get("/api/v1/docs")
    assert r.status_code == 200
    html = r.content.decode()
    urls = re.findall(r'(?:src|href)="([^"]*)"', html)
    static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    assert urls and all(u.startswith(static_prefix) for u in urls), urls
    assert "http://" not in html and "https://" not in html and "//cdn" not in html
    for attrs in re.findall(r"<script([^>]*)>", html):
        # Either a file from this server, or data that the browser does not execute.
        assert "src=" in attrs or 'type="application/json"' in attrs, attrs
    csp = r["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp


def _static_paths(client: Client) -> list[str]:
    html = client.get("/api/v1/docs").content.decode()
    prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    return [u.removeprefix(prefix) for u in re.findall(r'(?:src|href)="([^"]*)"', html)]


def test_docs_static_files_are_found(client):
    missing = [p for p in _static_paths(client) if finders.find(p) is None]
    assert missing == []


@pytest.fixture
def offline_page(monkeypatch):
    """Chromium with every request answered in-process: this server's pages and static files only.

    No live server (it would make the test transactional and flush the reference data); any
    request to another host is refused and recorded.
    """
    exe = next((p for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser") if shutil.which(p)), None)
    if exe is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is required under CI (apt-get install chromium)")
        pytest.skip("Chromium not installed")
    # Playwright's sync API runs an event loop in this thread; the pages served here use no database.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    client = Client()
    elsewhere: list[str] = []
    static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"

    def serve(route) -> None:
        url = urlsplit(route.request.url)
        if url.netloc != "localhost":
            elsewhere.append(route.request.url)
            route.abort()
        elif url.path.startswith(static_prefix):
            found = finders.find(url.path.removeprefix(static_prefix))
            if found is None:
                route.fulfill(status=404, body="")
            else:
                kind = mimetypes.guess_type(found)[0] or "application/octet-stream"
                route.fulfill(status=200, body=Path(found).read_bytes(), content_type=kind)
        else:
            r = client.get(url.path, dict(p.split("=", 1) for p in url.query.split("&") if "=" in p))
            route.fulfill(status=r.status_code, headers=dict(r.items()), body=r.content)

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        page.set_default_timeout(15_000)
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.route("**/*", serve)
        page.errors = errors  # type: ignore[attr-defined]
        page.elsewhere = elsewhere  # type: ignore[attr-defined]
        yield page
        browser.close()


@pytest.mark.browser
def test_swagger_ui_renders_offline_under_the_csp(offline_page, client):
    operations = sum(len(ops) for ops in client.get("/api/v1/openapi.json").json()["paths"].values())
    offline_page.goto("http://localhost/api/v1/docs")
    offline_page.wait_for_selector(".opblock")
    assert offline_page.locator(".opblock").count() == operations
    assert offline_page.locator(".btn.authorize").count() == 1
    assert offline_page.errors == []  # a CSP violation is reported here
    assert offline_page.elsewhere == []
