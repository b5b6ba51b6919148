"""No task outlives the broker's visibility timeout.

Every task is acknowledged after its work (``CELERY_TASK_ACKS_LATE``): Redis hands an
unacknowledged message to another worker once the visibility timeout has passed. A task allowed
to run longer would then run twice at once, and a task held by a dead worker would wait that
long to come back; so each task's hard time limit stays below the timeout, with a margin.
"""

from __future__ import annotations

from celery import current_app
from django.conf import settings


def test_every_task_ends_before_the_broker_gives_its_message_to_another_worker() -> None:
    current_app.loader.import_default_modules()
    timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    ours = {
        name: task for name, task in current_app.tasks.items() if not name.startswith("celery.")
    }
    assert len(ours) >= 10, sorted(ours)
    too_long = {
        name: limit
        for name, task in ours.items()
        if (limit := task.time_limit or settings.CELERY_TASK_TIME_LIMIT) is None
        or limit >= timeout - 30
    }
    assert not too_long, f"time limits at or above {timeout - 30} s: {too_long}"
    assert settings.CELERY_TASK_ACKS_LATE


def test_no_retry_waits_in_a_countdown_longer_than_the_visibility_timeout() -> None:
    current_app.loader.import_default_modules()
    timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    for name, task in current_app.tasks.items():
        if name.startswith("celery.") or not getattr(task, "retry_backoff", False):
            continue
        # Celery's exponential backoff: factor x 2^retries, capped at retry_backoff_max (600 s).
        factor = 1 if task.retry_backoff is True else int(task.retry_backoff)
        cap = getattr(task, "retry_backoff_max", None) or 600
        longest = min(cap, factor * 2 ** (task.max_retries or 0))
        assert longest < timeout - 30, f"{name} may wait {longest} s in a countdown"
