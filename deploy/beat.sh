#!/usr/bin/env bash
# Celery beat, the scheduler (nightly dashboards, the webhook sweep). Run exactly one.
# docker-compose.yml's `beat` service runs it.
#   CELERY_BEAT_SCHEDULE_FILE   where beat keeps its state (default /tmp/celerybeat-schedule)
set -euo pipefail
cd "$(dirname "$0")/.."

exec celery -A config beat \
  --loglevel="${LOG_LEVEL:-INFO}" \
  --schedule "${CELERY_BEAT_SCHEDULE_FILE:-/tmp/celerybeat-schedule}" \
  "$@"
