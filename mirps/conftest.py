from __future__ import annotations

import pytest

from mirps.core.testing import World, build_world


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (the people statistics keep their counts there)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in Spanish: a test client request in English leaves English active in the
    thread (LocaleMiddleware activates, nothing deactivates), which made later tests depend on order."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def world(db) -> World:
    return build_world()


CHROMIUM_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser")


def _one_request_at_a_time_server():
    """Django's threaded live server, handling one request at a time.

    On the SQLite test database every server thread shares the test's single in-memory connection;
    two requests at once (a page and the browser's favicon or an htmx draft save) interleave on it
    and fail inside the ORM (seen in CI as IndexError reading the session). Threads still accept
    connections, so the browser's idle preconnected sockets block nothing; only the application runs
    serially, and its response is read and closed under the same lock.
    """
    import threading

    from django.core.servers.basehttp import ThreadedWSGIServer

    class OneRequestAtATime(ThreadedWSGIServer):
        def set_app(self, application):
            lock = threading.Lock()

            def serial(environ, start_response):
                with lock:
                    result = application(environ, start_response)
                    try:
                        return list(result)
                    finally:
                        if hasattr(result, "close"):
                            result.close()

            super().set_app(serial)

    return OneRequestAtATime


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server (same address option), with the server class above."""
    import os

    from pytest_django.live_server_helper import LiveServer

    addr = request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    server = LiveServer(addr, start=False)
    server.thread.server_class = _one_request_at_a_time_server()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def browser_page(live_server, monkeypatch):
    """A Chromium page (Debian's package, driven by Playwright). Skips outside CI when absent."""
    import os
    import shutil

    exe = next((p for p in CHROMIUM_PATHS if shutil.which(p)), None)
    if exe is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is required under CI (apt-get install chromium)")
        pytest.skip("Chromium not installed: browser tests skipped (apt-get install chromium to run them)")
    # Playwright's sync API runs an event loop in this thread; the test itself only touches the
    # database through the live server, so Django's async-safety check is relaxed here.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=exe,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        context = browser.new_context(locale="es-HN", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15_000)
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.csp_errors = errors  # type: ignore[attr-defined]
        yield page
        context.close()
        browser.close()
