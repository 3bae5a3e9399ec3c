# Đôn đốc — every target installs what it needs first, so each works on a fresh Debian machine with python3.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CORPUS ?= ../shared/corpus/dev
export DJANGO_SETTINGS_MODULE := dondoc.settings

.PHONY: install test-deps run serve test lint bench bench-extract train-taskmodel train-clausemodel load clean

$(BIN)/python:
	$(PY) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	mkdir -p var
	DEMO=$${DEMO:-1} $(BIN)/dondoc migrate --noinput
	DEMO=$${DEMO:-1} $(BIN)/dondoc loaddemo --if-empty
	DEMO=$${DEMO:-1} $(BIN)/dondoc collectstatic --noinput -v0
	DEMO=$${DEMO:-1} $(BIN)/dondoc followup --reschedule
	# The follow-up engine (time-driven) and the job worker (large reports and imports, webhooks, e-mail) run beside
	# the web server and stop with it. gunicorn's shape (BIND, WEB_WORKERS, WEB_THREADS, WEB_KEEPALIVE): dondoc/gunicorn_conf.py.
	DEMO=$${DEMO:-1} $(BIN)/dondoc followup & engine=$$!; \
	DEMO=$${DEMO:-1} $(BIN)/dondoc worker & worker=$$!; \
	trap 'kill $$engine $$worker 2>/dev/null' EXIT INT TERM; \
	DEMO=$${DEMO:-1} $(BIN)/gunicorn dondoc.wsgi -c python:dondoc.gunicorn_conf --access-logfile -

# The browser tests drive Debian's Chromium and the documents need the Liberation fonts: installed here when run
# as root (as CI is), otherwise the exact command is printed and nothing runs.
test-deps:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "Liberation Serif"; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing chromium fonts-liberation2 (apt-get)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation2 >/dev/null; \
	  else \
	    echo "The browser tests need Debian's Chromium and the Liberation fonts. Run:"; \
	    echo "  sudo apt-get install -y chromium fonts-liberation2"; \
	    exit 1; \
	  fi; \
	fi

test: install test-deps
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	SECRET_KEY=mypy-only $(BIN)/mypy dondoc

bench: install
	$(BIN)/python bench/run.py $(BENCH_ARGS)
	$(BIN)/python bench/evaluation.py $(BENCH_EVAL_ARGS)
	$(BIN)/python bench/report.py $(BENCH_REPORT_ARGS)
	$(BIN)/python bench/followup.py $(FOLLOWUP_BENCH_ARGS)
	$(BIN)/python bench/questions.py $(QUESTIONS_BENCH_ARGS)
	$(BIN)/python bench/lists.py $(LISTS_BENCH_ARGS)
	$(BIN)/python bench/extract_scale.py $(EXTRACT_SCALE_ARGS)

bench-extract: install
	$(BIN)/python bench/extract.py --corpus $(CORPUS) --corpus bench/corpus/ext --split bench/corpus/split.tsv

train-taskmodel: install
	$(BIN)/python bench/taskmodel.py --corpus $(CORPUS) --corpus bench/corpus/ext --split bench/corpus/split.tsv --frozen e357ae6:260-312,b7e92aa:357-416,f4dd659:417-474,ed0a067:475-535,130086d:536-587 --write

train-clausemodel: install
	$(BIN)/python bench/clausemodel.py --corpus $(CORPUS) --corpus bench/corpus/ext --split bench/corpus/split.tsv --frozen e357ae6:260-312,b7e92aa:357-416,f4dd659:417-474,ed0a067:475-535,130086d:536-587 --write

load: install
	$(BIN)/pip install -q -e '.[load]'
	$(BIN)/python bench/load/run.py

clean:
	rm -rf $(VENV) var
