#!/usr/bin/env bash
# Re-pin requirements.lock after changing the dependencies in pyproject.toml.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/uv pip compile pyproject.toml --extra dev --python-version 3.11 --universal -o requirements.lock -q --custom-compile-command scripts/lock.sh
