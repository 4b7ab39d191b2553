#!/usr/bin/env bash
# Build bin/instance with zc.buildout (versions.cfg, allow-picked-versions =
# false), create the demo site with it and check that it serves the site.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PORT=${BUILDOUT_CHECK_PORT:-18482}
cd "$ROOT"
LOG=$(mktemp /tmp/ratusz-buildout.XXXXXX.log)
cleanup() { bin/instance stop >/dev/null 2>&1 || true; }
trap cleanup EXIT

test -x .buildout-venv/bin/buildout || {
  python3 -m venv .buildout-venv
  .buildout-venv/bin/pip install -q --disable-pip-version-check -c constraints.txt \
      zc.buildout setuptools wheel pip
}
echo "Running buildout (about 5 minutes from scratch)"
.buildout-venv/bin/buildout -q -c buildout.cfg "instance:http-address=127.0.0.1:$PORT" > "$LOG" 2>&1 || {
  tail -40 "$LOG"; exit 1; }
grep -i "picked" "$LOG" && { echo "FAIL: buildout picked unpinned versions"; exit 1; }
bin/instance run scripts/buildout_site.py > "$LOG.site" 2>&1 || { tail -40 "$LOG.site"; exit 1; }
grep -v '^WARNING:\|UserWarning\|warnings.warn' "$LOG.site" || true
bin/instance start
.venv/bin/python scripts/smoke.py "http://localhost:$PORT/Plone" --wait 180 || {
  tail -30 var/log/instance.log 2>/dev/null; exit 1; }
echo "buildout-check: bin/instance serves the site"
