# Territoria: every developer and CI command. `make run` and `make test` work on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: install run test test-fast bench soak lint fmt typecheck worker beat messages compilemessages check-deploy production ci clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP) compilemessages ## Install into .venv and compile the translations

compilemessages: $(STAMP)
	@command -v msgfmt >/dev/null || { echo "Installing gettext (msgfmt)..."; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq gettext >/dev/null; \
	  else sudo apt-get install -y -qq gettext >/dev/null; fi; }
	@DEBUG=1 $(BIN)/python manage.py compilemessages --ignore=.venv -v0

messages: $(STAMP) ## Refresh the .po catalogues from the code and templates
	DEBUG=1 $(BIN)/python manage.py makemessages -l fr -l en --ignore=.venv --ignore=staticfiles --ignore=bench --no-obsolete
	DEBUG=1 $(BIN)/python manage.py makemessages -d djangojs -l fr -l en --ignore=.venv --ignore=staticfiles --ignore=static/vendor --ignore=bench --no-obsolete

run: install ## Serve the demo on http://127.0.0.1:8000 (SQLite, tasks in-process)
	DEBUG=1 $(BIN)/python manage.py migrate --no-input -v0
	DEBUG=1 $(BIN)/python manage.py demo
	@echo ""
	@echo "  Territoria is starting on http://$(HOST):$(PORT)/"
	@echo "  Log in as demo@territoria.local with the password: demo"
	@echo ""
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install ## The whole suite (REQUIRE_SERVICES=1: PostgreSQL, Redis, worker and Chromium must be there)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

ci: ## What CI runs: lint, the production build and serve, the suite as a newcomer and on the services
	bash .ci/run

bench: install ## Benchmark against a raw-SQL baseline; SIZE=S (default) or SIZE=L
	$(BIN)/python -m bench --size $${SIZE:-S}

soak: install ## Load and soak on gunicorn + PostgreSQL + Redis + worker (needs DATABASE_URL and REDIS_URL)
	$(BIN)/python -m loadtest $(SOAK_ARGS)

lint: $(STAMP) ## ruff, formatting, mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .

fmt: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

typecheck: $(STAMP)
	$(BIN)/mypy .

worker: install ## A Celery worker (needs REDIS_URL and DATABASE_URL): deploy/worker.sh
	PATH="$(CURDIR)/$(BIN):$$PATH" deploy/worker.sh

beat: install ## Celery beat, the scheduler for nightly work: deploy/beat.sh
	PATH="$(CURDIR)/$(BIN):$$PATH" deploy/beat.sh

check-deploy: $(STAMP) ## Django's deployment checks, and collectstatic, with production settings
	DEBUG=0 SECRET_KEY=$${SECRET_KEY:-$$(openssl rand -hex 40)} $(BIN)/python manage.py check --deploy --fail-level WARNING
	DEBUG=0 SECRET_KEY=build-only-not-secret $(BIN)/python manage.py collectstatic --no-input --clear -v0
	@echo "staticfiles/: $$(find staticfiles -type f | wc -l) files collected with the production storage"

production: ## Build as the image does and serve it with gunicorn and a worker (PostgreSQL, Redis)
	bash .ci/production

clean:
	rm -rf $(VENV) staticfiles .mypy_cache .ruff_cache test-artifacts
