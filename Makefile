# Two commands set everything up on a fresh machine: `make run` and `make test`.
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= python3
PORT ?= 8000
export ZHENGGAI_DATA_DIR ?= $(CURDIR)/var

.PHONY: install run test lint bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[test]"
	touch $@

install: $(VENV)/.installed

# Links in reminders point to the address the site is served at: the port given, unless
# ZHENGGAI_SITE_URL (in the environment or as `make run ZHENGGAI_SITE_URL=…`) says otherwise.
run: export ZHENGGAI_SITE_URL ?= http://127.0.0.1:$(PORT)/
run: install
	ZHENGGAI_DEMO=true $(BIN)/zhenggai migrate --noinput -v 0
	ZHENGGAI_DEMO=true $(BIN)/zhenggai load_demo --if-empty --url $(ZHENGGAI_SITE_URL)
	ZHENGGAI_DEMO=true $(BIN)/zhenggai worker --interval 5 & WORKER=$$!; \
	trap 'kill $$WORKER 2>/dev/null' EXIT INT TERM; \
	ZHENGGAI_DEMO=true $(BIN)/zhenggai runserver 127.0.0.1:$(PORT)

# The suite's runs without the browser include the Schemathesis tier (`pytest -m schemathesis`:
# every operation of the API's schema, on SQLite and on PostgreSQL).
test: install
	BIN=$(BIN) scripts/test

lint: install
	$(BIN)/ruff check zhenggai scripts bench conftest.py
	$(BIN)/ruff format --check zhenggai scripts bench conftest.py

bench: install
	$(BIN)/python bench/ledger.py
	# The API's problem list at 100,000 problems against the ledger page, and under gunicorn.
	$(BIN)/python bench/api.py
	$(BIN)/python bench/dashboard.py
	$(BIN)/python bench/reminders.py
	$(BIN)/python bench/intake.py
	# The importer on the corpus of real documents (share of checks right), OCR seconds per page,
	# and a 50-page Word document with tables: time and memory peak of each.
	$(BIN)/python bench/intake_corpus.py
	$(BIN)/python bench/intake_ocr.py
	$(BIN)/python bench/intake_tables.py
	$(BIN)/python bench/exports.py
	# The papers: the 整改方案 of a 50-problem round (Word, PDF), the 三张清单 of 100,000 problems
	# against the bare writer in one run, and a progress re-import (进度填报表) of 10,000 rows.
	$(BIN)/python bench/papers_plan.py --save
	$(BIN)/python bench/papers_lists.py
	$(BIN)/python bench/progress_import.py
	# The evaluation statistics over 1,000,000 ratings: on SQLite, and on a throwaway PostgreSQL
	# cluster as well when PostgreSQL is installed.
	$(BIN)/python bench/evaluation_stats.py
	if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  scripts/with-postgres $(BIN)/python bench/evaluation_stats.py; fi
	# Ratings per second at the public page against the JSON floor, on SQLite and (when
	# PostgreSQL is installed) on a throwaway cluster, in one run; and the poster PDF of 200 points.
	if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  scripts/with-postgres $(BIN)/python bench/ratings.py; \
	else $(BIN)/python bench/ratings.py; fi
	# The quarterly 通报 of 500 units (issue + Word + Excel), on SQLite and, when PostgreSQL is
	# installed, on a throwaway cluster as well.
	if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  scripts/with-postgres $(BIN)/python bench/bulletin.py; \
	else $(BIN)/python bench/bulletin.py; fi
	# Importing 50,000 ratings exported by a 好差评 platform (upload, preview, confirm), on SQLite.
	$(BIN)/python bench/rating_import.py
	# The monthly assessment: scoring a month of 500 units by 20 indicators over 100,000 problems
	# (with their state timelines) and 1,000,000 ratings, the ranking page and a unit's sheet, on
	# SQLite (seeded once under bench/data/assessment/) and, when PostgreSQL is installed, on a
	# throwaway cluster as well.
	$(BIN)/python bench/assessment.py
	if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  scripts/with-postgres $(BIN)/python bench/assessment.py; fi
	# A real installation: the directory import of a county (560 units, 2,000 people); backup and
	# restore of the 100,000-problem database with 1 GB of files; the history's hash chain (writing
	# with it and without, verifying, chaining anew); SQLite, and PostgreSQL when installed.
	$(BIN)/python bench/directory.py
	$(BIN)/python bench/backup.py
	$(BIN)/python bench/history_chain.py
	if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  scripts/with-postgres $(BIN)/python bench/backup.py; \
	  scripts/with-postgres $(BIN)/python bench/history_chain.py; fi

clean:
	rm -rf $(VENV) var staticfiles bench/data
