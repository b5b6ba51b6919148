#!/usr/bin/env sh
# GET /healthz on the local gunicorn, as the container's health check (exit 0 when healthy).
# It sends the first of ALLOWED_HOSTS as Host (any other name answers 400) and
# X-Forwarded-Proto: https, as the TLS proxy does.
host="${ALLOWED_HOSTS:-localhost}"
host="${host%%,*}"
host="${host#.}"
[ -z "$host" ] || [ "$host" = "*" ] && host=localhost
port="${BIND:-0.0.0.0:8000}"
port="${port##*:}"
exec curl -fsS -o /dev/null --max-time 5 -H "Host: $host" -H "X-Forwarded-Proto: https" \
  "http://127.0.0.1:${port}/healthz"
