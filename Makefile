# Two commands on a fresh machine: `make demo` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup git-filter demo test lint clean app lab chromium libreoffice bench

setup: $(STAMP)

# Re-install whenever pyproject.toml changes.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	$(MAKE) --no-print-directory git-filter
	touch $(STAMP)

# Notebooks are committed without outputs: in this project's own git checkout, nbstripout
# becomes the filter that .gitattributes names (nbstripout --install writes it to .git/config).
git-filter:
	@if [ "$$(git rev-parse --show-toplevel 2>/dev/null)" = "$$(pwd -P)" ]; then \
	  $(BIN)/nbstripout --install; \
	fi

# demo-output/ is the demo's own (git-ignored) folder: a fresh run each time, so that a bundle
# of an older version of the toolkit does not stop the new one (lwtop keeps other bundles).
demo: $(STAMP)
	rm -rf demo-output
	$(BIN)/lwtop demo

# The browser test drives Debian's chromium; as root `make test` installs it when missing.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "chromium installeren (voor de browsertest) ..."; \
	    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium \
	      >/dev/null; } || echo "chromium installeren mislukt: de browsertest zal mislukken." >&2; \
	  else \
	    echo "chromium ontbreekt: de browsertest zal mislukken. Installeer het met" \
	      "'sudo apt-get install chromium' (of vraag uw beheerder om chromium te installeren)." >&2; \
	  fi; }

# The LibreOffice round trip of the workbooks drives Debian's libreoffice-calc (soffice); as
# root `make test` installs it (without the recommended extras) when missing.
libreoffice:
	@command -v soffice >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "libreoffice-calc installeren (voor de LibreOffice-test van de werkmappen) ..."; \
	    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      --no-install-recommends libreoffice-calc >/dev/null; } \
	      || echo "libreoffice-calc installeren mislukt: de LibreOffice-test zal mislukken." >&2; \
	  else \
	    echo "LibreOffice (soffice) ontbreekt: de LibreOffice-test zal mislukken. Installeer het" \
	      "met 'sudo apt-get install --no-install-recommends libreoffice-calc'" \
	      "(of vraag uw beheerder het te installeren)." >&2; \
	  fi; }

# pytest exits 5 when it collected no test: a test run that tested nothing is a failure.
test: $(STAMP) chromium libreoffice
	$(BIN)/python -m pytest; status=$$?; \
	if [ $$status -eq 5 ]; then echo "Geen enkele test uitgevoerd: dat telt als mislukt." >&2; fi; \
	exit $$status

# The guided notebook as an app (Voila, code hidden), only on this computer. voila.json: the
# page's own template (nothing from a CDN, Dutch), a closed page's kernel ended within a minute,
# the websocket limit raised so that uploads over 10 MB arrive. lwtop_toolkit.ui.serve first
# removes the private folders a killed run left, then runs Voila until Ctrl-C or a signal.
APP_PORT ?= 8866
app: $(STAMP)
	$(BIN)/python -m lwtop_toolkit.ui.serve notebooks/01_schooljaarovergang.ipynb \
	  --Voila.ip=127.0.0.1 --port=$(APP_PORT)

# JupyterLab on the notebooks, only on this computer. jupyter_server_config.json: the same
# websocket limit and culling as the app, and every notebook saved without outputs (autosave
# too: runtime/notebook_outputs.strip_outputs).
LAB_PORT ?= 8888
lab: $(STAMP)
	$(BIN)/jupyter lab --config=jupyter_server_config.json --ServerApp.ip=127.0.0.1 \
	  --port=$(LAB_PORT) --ServerApp.root_dir=notebooks $$([ "$$(id -u)" = 0 ] && echo --allow-root)

# The scale benchmark (a board from import files to bundles, per stage): 10,000, 100,000 and
# 1,000,000 pupils; writes benchmarks/results.md.
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

lint: $(STAMP)
	$(BIN)/ruff check lwtop_toolkit tests benchmarks
	$(BIN)/ruff format --check lwtop_toolkit tests benchmarks
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
