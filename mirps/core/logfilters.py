from __future__ import annotations

import logging


class StripQueryString(logging.Filter):
    """Search terms (names, DNI) travel in query strings; keep them out of every log line."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and "?" in record.msg:
            record.msg = record.msg.split("?", 1)[0]
        if record.args and isinstance(record.args, tuple):
            record.args = tuple(
                a.split("?", 1)[0] if isinstance(a, str) and "?" in a else a for a in record.args
            )
        request = getattr(record, "request", None)
        if request is not None:
            record.request = None
        return True
