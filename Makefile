# The two commands a new machine needs: `make run` and `make test` (see README).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_RUNTIME := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
APT_TEST    := chromium poppler-utils

# gunicorn for `make run` (bench/bulk_jobs.py reads this line): gthread workers, because their
# --timeout only checks that the worker process is alive, never how long one request takes, so
# a slow page or a long download is not cut mid-way (a sync worker is killed after --timeout
# seconds of one request: that truncated the 1M-client export at 30 s); 4 threads per worker
# keep pages answering while one streams a file or the job thread (no Redis) runs an export.
GUNICORN_FLAGS := --workers 2 --worker-class gthread --threads 4 --timeout 60 --graceful-timeout 30

export FLASK_APP := portal

.PHONY: run test lint format i18n vendor system-runtime system-test

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install -q -e '.[test]'
	touch $@

instance/secret_key:
	mkdir -p instance
	$(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(48))' > $@
	chmod 600 $@

# apt packages, installed only when missing (root, or sudo).
system-runtime:
	@missing=""; for p in $(APT_RUNTIME); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq $$missing; fi

system-test: system-runtime
	@missing=""; for p in $(APT_TEST); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq $$missing; fi

run: system-runtime $(VENV)/.installed instance/secret_key
	SECRET_KEY="$$(cat instance/secret_key)" $(BIN)/flask clientela migrate
	SECRET_KEY="$$(cat instance/secret_key)" $(BIN)/flask clientela demo-data
	@echo "Back office: http://$(HOST):$(PORT)/admin/"
	@echo "Storefront (clients): http://$(HOST):$(PORT)/conta/  (demo client: maria.silva@example.com / cliente-demo)"
	@echo "E-mails: without MAIL_SERVER they are written to instance/mail/*.eml"
	@# With REDIS_URL, jobs (large exports, bulk actions) run on an RQ worker started beside
	@# gunicorn (stopped with it); without it, on a thread of the web process: nothing to start.
	@# Page views likewise: with REDIS_URL the visits-worker writes the Redis stream; without
	@# it each gunicorn worker's own buffer thread writes them.
	export SECRET_KEY="$$(cat instance/secret_key)"; \
	if [ -n "$$REDIS_URL" ]; then \
		$(BIN)/flask clientela worker & worker=$$!; \
		$(BIN)/flask clientela visits-worker & visits=$$!; \
		trap 'kill $$worker $$visits 2>/dev/null' EXIT INT TERM; \
	fi; \
	$(BIN)/gunicorn --bind $(HOST):$(PORT) $(GUNICORN_FLAGS) --access-logfile - 'portal:create_app()'

test: system-test $(VENV)/.installed-test
	$(BIN)/pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

# Import rules: the contracts in pyproject.toml [tool.importlinter]. `make test` checks them
# too (tests/test_import_contracts.py), so a broken contract fails the suite.
lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format:
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Translations: extract msgids (babel.cfg), update pt_BR's messages.po, merge the pending
# portal/translations/fragments/*.po, compile messages.mo (committed; a test checks both agree).
i18n: $(VENV)/.installed
	$(BIN)/python -m portal.translations.catalog

vendor:
	rm -rf /tmp/clientela-vendor && mkdir -p /tmp/clientela-vendor
	cd /tmp/clientela-vendor && npm pack -q bootstrap@5.3.9 htmx.org@2.0.11 bootstrap-icons@1.13.2 \
		&& for f in *.tgz; do mkdir -p $${f%.tgz} && tar xzf $$f -C $${f%.tgz}; done
	cp /tmp/clientela-vendor/bootstrap-5.3.9/package/dist/css/bootstrap.min.css \
	   /tmp/clientela-vendor/bootstrap-5.3.9/package/dist/js/bootstrap.bundle.min.js portal/static/vendor/bootstrap/
	cp /tmp/clientela-vendor/htmx.org-2.0.11/package/dist/htmx.min.js portal/static/vendor/htmx/
	cp /tmp/clientela-vendor/bootstrap-icons-1.13.2/package/font/bootstrap-icons.min.css portal/static/vendor/bootstrap-icons/
	cp /tmp/clientela-vendor/bootstrap-icons-1.13.2/package/font/fonts/bootstrap-icons.woff* portal/static/vendor/bootstrap-icons/fonts/
