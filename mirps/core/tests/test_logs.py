from __future__ import annotations

import logging

from mirps.core.logfilters import StripQueryString


def test_query_strings_never_reach_log_lines():
    record = logging.LogRecord("django.server", logging.INFO, __file__, 1, '"%s" %s %s', ("GET /registration/people/?q=Hernandez HTTP/1.1", "200", "512"), None)
    assert StripQueryString().filter(record)
    line = record.getMessage()
    assert "Hernandez" not in line and "/registration/people/" in line


def test_request_object_is_dropped_from_error_records():
    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Internal error: %s", ("/x?dni=0801199012345",), None)
    record.request = object()
    StripQueryString().filter(record)
    assert "0801199012345" not in record.getMessage() and record.request is None
