#!/usr/bin/env bash
# The Celery worker: the default queue and the dashboards queue (needs DATABASE_URL and REDIS_URL).
# docker-compose.yml's `worker` service runs it; so does CI.
#   CELERY_CONCURRENCY   worker processes (default 2)
#   CELERY_QUEUES        queues to consume (default celery,dashboards)
set -euo pipefail
cd "$(dirname "$0")/.."

exec celery -A config worker \
  --loglevel="${LOG_LEVEL:-INFO}" \
  --concurrency="${CELERY_CONCURRENCY:-2}" \
  -Q "${CELERY_QUEUES:-celery,dashboards}" \
  "$@"
