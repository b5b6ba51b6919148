#!/usr/bin/env bash
# Build Territoria for production. The Dockerfile RUNs it; CI runs it into a throwaway virtualenv
# and folder when there is no Docker engine, so both build the same thing.
#
#   deploy/build.sh          deps, then assets
#   deploy/build.sh deps     install the dependencies (`pip install .`, no dev extras)
#   deploy/build.sh assets   compile the translations and collect the static files with the
#                            production storage (DEBUG off: whitenoise's hashed, compressed files)
#
# It uses the `python` found on PATH: the image's, or a virtualenv's (put its bin/ first on PATH).
set -euo pipefail
cd "$(dirname "$0")/.."

deps() {
  python -m pip install --quiet --upgrade pip
  python -m pip install --quiet .
}

assets() {
  # The build needs no secret and no database: the key only satisfies the settings.
  export DEBUG=0
  export SECRET_KEY="${SECRET_KEY:-build-only-not-secret}"
  command -v msgfmt >/dev/null || { echo "deploy/build.sh: msgfmt (GNU gettext) is missing" >&2; exit 1; }
  python manage.py compilemessages --ignore=.venv -v0
  python manage.py collectstatic --no-input --clear -v0
  test -s staticfiles/staticfiles.json || { echo "deploy/build.sh: no static manifest" >&2; exit 1; }
}

case "${1:-all}" in
  deps) deps ;;
  assets) assets ;;
  all) deps; assets ;;
  *) echo "usage: deploy/build.sh [deps|assets|all]" >&2; exit 2 ;;
esac
