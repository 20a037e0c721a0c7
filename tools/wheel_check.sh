#!/usr/bin/env bash
# Build the wheel, install it in a fresh venv outside the checkout, and quote the billing
# page's general-computing example (2 x 78.94 USD/month x 1 month = 157.88 USD) from an empty
# temporary folder: the embedded catalog must come from the installed package, not the clone.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$PYTHON" -m pip wheel --quiet --no-deps --wheel-dir "$work/dist" .
"$PYTHON" -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet -c constraints.txt "$work"/dist/*.whl
mkdir "$work/elsewhere"
cd "$work/elsewhere"
out=$("$work/venv/bin/pai-cost" quote --region cn-shanghai --spec ecs.g7.xlarge-4c16g --quantity 2 --months 1)
echo "$out"
grep -q "= 157.88 USD" <<<"$out" || { echo "wheel check: the installed kit did not quote 157.88" >&2; exit 1; }
"$work/venv/bin/python" -c "import pai_model, pathlib; assert 'site-packages' in pai_model.__file__, pai_model.__file__"
echo "wheel check: the installed wheel quotes 157.88 USD from $PWD"
