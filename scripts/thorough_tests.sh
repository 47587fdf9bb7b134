#!/usr/bin/env bash
# The long run: every test, each hypothesis property with ten times its CI example count
# (the "thorough" profile of tests/conftest.py). Extra arguments go to pytest, e.g.
#   scripts/thorough_tests.sh -m slow -x
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
HYPOTHESIS_PROFILE=thorough exec nice "$PYTHON" -m pytest --durations=15 "$@"
