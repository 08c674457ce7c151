# The kit's entry points. Everything sets itself up on first use (see scripts/setup.sh).
#   make reports [AS_OF=YYYY-MM-DD] [ONLY=briefing] [FORMAT=html,pdf] [PAPER=Letter]
#   make test
#   make lab
VENV := .venv
STAMP := $(VENV)/.setup-stamp
AS_OF ?=
ONLY ?=
FORMAT ?= html,pdf
PAPER ?= A4

.PHONY: setup reports test lab clean

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml scripts/setup.sh
	bash scripts/setup.sh
	touch $(STAMP)

reports: setup
	$(VENV)/bin/tradebrief build $(foreach d,$(AS_OF),--as-of $(d)) $(foreach n,$(ONLY),--only $(n)) --format $(FORMAT) --paper $(PAPER)

test: setup
	$(VENV)/bin/python -m pytest

lab: setup
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root)

clean:
	rm -rf $(VENV) reports/*/ reports/index.html
