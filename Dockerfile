# Territoria image: gunicorn for the web, the same image for the Celery worker and beat.
# The build steps are deploy/build.sh, which CI also runs (without Docker) into a throwaway
# virtualenv; the services' commands are deploy/web.sh, deploy/worker.sh and deploy/beat.sh.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# gettext: the translations; curl: deploy/healthcheck.sh; procps: pgrep for beat's health check.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext curl procps \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# The dependencies first, in their own layer: a code change does not reinstall them.
COPY pyproject.toml README.md ./
COPY deploy/build.sh deploy/build.sh
RUN deploy/build.sh deps
COPY . .
RUN deploy/build.sh assets
RUN useradd --create-home territoria && mkdir -p /app/media && chown -R territoria /app/media
USER territoria
EXPOSE 8000
CMD ["/app/deploy/web.sh"]
