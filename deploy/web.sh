#!/usr/bin/env bash
# The web process: apply the migrations (MIGRATE=0 to skip), then gunicorn on $BIND.
# docker-compose.yml's `web` service runs it; so does CI, from the build's folder.
#   BIND              address:port to listen on (default 0.0.0.0:8000)
#   WEB_CONCURRENCY   gunicorn worker processes (read by gunicorn itself; default 3)
#   GUNICORN_TIMEOUT  seconds before a silent worker is restarted (default 30)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${MIGRATE:-1}" = 1 ]; then
  python manage.py migrate --no-input
fi
exec gunicorn config.wsgi \
  --bind "${BIND:-0.0.0.0:8000}" \
  --workers "${WEB_CONCURRENCY:-3}" \
  --timeout "${GUNICORN_TIMEOUT:-30}" \
  --access-logfile - \
  "$@"
