#!/usr/bin/env bash
# Build the wheel, install it NON-editable into a fresh venv outside the
# repository and check that the installed package alone creates and serves a
# working site (profiles/, theme/ and instance templates come from the wheel).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/ratusz-wheel.XXXXXX)
PORT=${WHEEL_CHECK_PORT:-18481}
trap 'kill $(cat "$WORK/pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$WORK"' EXIT

cd "$ROOT"
rm -rf build dist
.venv/bin/python scripts/compile_mo.py
.venv/bin/python -m build --wheel --no-isolation --outdir "$WORK/dist" >/dev/null
WHEEL=$(ls "$WORK"/dist/ratusz-*.whl)
echo "Built $(basename "$WHEEL")"
# List once: `unzip -l | grep -q` under pipefail fails when grep stops reading early.
CONTENTS=$(unzip -Z1 "$WHEEL")
for needed in ratusz/profiles/default/metadata.xml ratusz/theme/rules.xml ratusz/theme/manifest.cfg \
              ratusz/instance/zope.conf.in ratusz/locales/pl/LC_MESSAGES/ratusz.po \
              ratusz/locales/pl/LC_MESSAGES/ratusz.mo ratusz/locales/pl/LC_MESSAGES/plone.mo; do
  grep -qxF "$needed" <<<"$CONTENTS" || { echo "FAIL: $needed missing from the wheel"; exit 1; }
done

python3 -m venv "$WORK/venv"
"$WORK/venv/bin/pip" install -q --disable-pip-version-check -c constraints.txt "$WHEEL"
cd "$WORK"
INSTALLED=$("$WORK/venv/bin/python" -c 'import ratusz, os; print(os.path.dirname(ratusz.__file__))')
case "$INSTALLED" in
  "$WORK"/venv/*) echo "ratusz imported from $INSTALLED (not the repository)";;
  *) echo "FAIL: ratusz imported from $INSTALLED"; exit 1;;
esac
"$WORK/venv/bin/ratusz-instance" create-site --var "$WORK/var" 2>&1 | grep -v '^WARNING:'
"$WORK/venv/bin/ratusz-instance" serve --var "$WORK/var" --port "$PORT" > "$WORK/serve.log" 2>&1 &
echo $! > "$WORK/pid"
"$ROOT/.venv/bin/python" "$ROOT/scripts/smoke.py" "http://localhost:$PORT/Plone" --wait 180 || {
  tail -30 "$WORK/serve.log"; exit 1; }
echo "wheel-check: the non-editable install serves the site"
