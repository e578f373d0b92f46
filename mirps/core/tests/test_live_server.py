"""The live server the browser tests use survives requests arriving together."""

from __future__ import annotations

import http.client
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client

from mirps.core.testing import build_world

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_live_server_answers_simultaneous_logged_in_requests(live_server):
    # Every request reads its session from the database; on SQLite all server threads share one
    # connection, which is what broke a browser test when a page and its favicon came together.
    world = build_world()
    client = Client()
    client.force_login(world.reg_sps)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"

    address = urlsplit(live_server.url)

    def fetch(_: int) -> int:
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
        try:
            connection.request("GET", "/registration/arrivals/", headers={"Cookie": cookie})
            return connection.getresponse().status
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(fetch, range(48)))
    assert statuses == [200] * 48
