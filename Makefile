# Two commands on a fresh machine with python3 and make: `make demo`, `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench check rulebook-index compliance-model clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@# bytecode now, so that no start has to compile goldideas (even where PYTHONDONTWRITEBYTECODE is set)
	$(PY) -m compileall -q goldideas
	@touch $(STAMP)

demo: $(STAMP)
	@mkdir -p out
	$(VENV)/bin/goldideas screen --output out/screened.csv

test: $(STAMP)
	$(PY) -m pytest -q

lint: $(STAMP)
	$(VENV)/bin/ruff check goldideas tests bench
	$(VENV)/bin/mypy

bench: $(STAMP)
	$(PY) bench/bench_screen.py
	$(PY) bench/bench_triage.py

check: $(STAMP)
	$(VENV)/bin/goldideas corpus check

# after an edit of models/compliance.toml: check its patterns and write compliance.index.json
rulebook-index: $(STAMP)
	$(PY) -c "from goldideas.compliance import write_rulebook_index; print(write_rulebook_index('models/compliance.toml'))"

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache

# after an edit of the hand-written cases: retrain the learned compliance model (about a minute);
# the fifth fresh batch is held back, as a measure of unseen wording
compliance-model: $(STAMP)
	$(PY) -c "from goldideas.compliance import load_rulebook; from goldideas.compliance_model import train_compliance_model; print(train_compliance_model('tests/data', 'models', load_rulebook('models/compliance.toml'), held_back=['compliance_cases_fresh5.csv']))"
