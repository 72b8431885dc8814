# Shortcuts for the commands a developer runs most. Each is one line of what .ci/run does.
.PHONY: lint test test-fast coverage ci bench bench-pages demo messages

lint:  ## ruff, formatting, djLint, mypy and the layer contracts
	uv run ruff check .
	uv run ruff format --check .
	uv run djlint src/startklar --lint
	uv run mypy
	uv run lint-imports

test:  ## the whole suite, in parallel on every core, browser tests included
	uv run pytest

test-fast:  ## the suite without the browser tests
	uv run pytest -m "not browser"

coverage:  ## the coverage ratchet: engines at 100 % branch coverage, services at their floors
	uv run python scripts/coverage_ratchet.py

ci:  ## everything CI runs, from this checkout
	bash .ci/run

bench:  ## the engines' benchmarks (exit code 1 on a missed target)
	uv run python bench/run.py

bench-pages:  ## every page on the production server against a signed-in hello page
	uv run python bench/pages.py

demo:  ## the demo company on http://127.0.0.1:8000
	uv run startklar demo

messages:  ## compile the German catalogue after editing django.po
	uv run python scripts/compile_messages.py
