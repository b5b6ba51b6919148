"""Logging filters.

Django's ``django.request`` logger writes every 4xx raised as an exception (PermissionDenied,
Http404...) as a warning *with its traceback*: an expected refusal then fills the log with a
stack that says nothing. :class:`OneLineClientErrors` turns those records into one line with
what an operator needs (method, path, status, user id, reason); 5xx records keep their traceback.
"""

from __future__ import annotations

import logging
from typing import Any


def _user_id(request: Any) -> str:
    user = getattr(request, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return "anonymous"
    return str(user.pk)


class OneLineClientErrors(logging.Filter):
    """Rewrite ``django.request`` records of 4xx answers as one line, without the traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if not isinstance(status, int) or not 400 <= status < 500:
            return True
        request = getattr(record, "request", None)
        exception = record.exc_info[1] if record.exc_info else None
        reason = str(exception) if exception is not None and str(exception) else "-"
        record.msg = "%s %s %s user=%s reason=%s"
        record.args = (
            status,
            getattr(request, "method", "-"),
            # Escaped as Django escapes it: a path cannot forge a second log line.
            str(getattr(request, "path", "-")).encode("unicode_escape").decode("ascii"),
            _user_id(request),
            reason.encode("unicode_escape").decode("ascii"),
        )
        record.exc_info = None
        record.exc_text = None
        return True
