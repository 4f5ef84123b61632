# Minsheng: `make run` starts the platform with demo data; `make test` runs every test.
# Both install what is missing first (a virtual environment in .venv from the pinned requirements.txt).

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: install run test lint migrate bench fmt lock clean

install: $(STAMP)

$(STAMP): requirements.txt requirements-deploy.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt -r requirements-deploy.txt
	@touch $@

run: install
	$(PY) -m scripts.run

test: install
	$(PY) -m scripts.system_packages test
	# Three workers, a file per worker: most tests wait on PostgreSQL, RabbitMQ or a subprocess, not the CPU.
	$(PY) -m pytest -q -n 3 --dist loadfile

lint: install
	$(PY) -m ruff check .

migrate: install
	$(PY) -m shared.migrate all
	$(PY) -m gateway.migrate

bench: install
	$(PY) -m scripts.system_packages bench
	$(PY) -m bench

fmt: install
	$(PY) -m ruff check --fix .

lock: install
	( echo "# Every dependency, pinned (runtime, tests and tools). Regenerate with: make lock"; \
	  $(PY) -m pip freeze --exclude-editable | grep -vxFf requirements-deploy.txt ) > requirements.txt.new \
	  && mv requirements.txt.new requirements.txt

clean:
	rm -rf var .pytest_cache
