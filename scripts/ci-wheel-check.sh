#!/usr/bin/env bash
# CI step (run by `make test`): qmgraph as a user gets it from a wheel.
#
# Builds the wheel from the checkout's files, installs it with constraints.txt into a fresh
# venv in a temporary folder, and from another folder (no checkout in sight) runs build on
# a copy of data/raw, query, validate, viz --html, export tables, python -m qmgraph and the
# Python API, and starts and stops serve. The graph must be byte-identical to the one the
# checkout builds (`make run`). Any failure stops the script with a message and exit 1.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
PYTHON=${PYTHON:-$(command -v python3.11 || command -v python3)}
work=$(mktemp -d "${TMPDIR:-/tmp}/qmgraph-wheel-check.XXXXXX")
server_pid=""

cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
step() { echo "wheel-check: $*" >&2; }
fail() { echo "wheel-check FAILED: $*" >&2; exit 1; }
pipq() { "$@" -q --disable-pip-version-check; }

step "copying the checkout's files to $work/src (no build leftovers)"
mkdir -p "$work/src"
if git -C "$repo" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  (cd "$repo" && git ls-files -z --cached --others --exclude-standard \
     | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done \
     | tar --null -T - -cf -) | tar -xf - -C "$work/src"
else
  cp -a "$repo/." "$work/src/"
fi

step "building the wheel"
"$PYTHON" -m venv "$work/buildvenv"
pipq "$work/buildvenv/bin/python" -m pip install -c "$repo/constraints.txt" --upgrade pip
pipq "$work/buildvenv/bin/python" -m pip wheel --no-deps -w "$work/dist" "$work/src"
wheel=$(ls "$work"/dist/qmgraph-*.whl)
[ -f "$wheel" ] || fail "no wheel was built"

step "installing $(basename "$wheel") into a fresh venv"
"$PYTHON" -m venv "$work/venv"
pipq "$work/venv/bin/python" -m pip install -c "$repo/constraints.txt" --upgrade pip
pipq "$work/venv/bin/python" -m pip install -c "$repo/constraints.txt" "$wheel[tables]"
qm="$work/venv/bin/qmgraph"
py="$work/venv/bin/python"

mkdir -p "$work/elsewhere"
cp -r "$repo/data/raw" "$work/raw"
cd "$work/elsewhere"

root=$("$py" -c 'import qmgraph.resources as r; print(r.resource_root())')
case "$root" in
  "$work/venv/"*) ;;
  *) fail "the installed qmgraph reads its data files from $root, not from the venv" ;;
esac

step "qmgraph build (from $PWD)"
"$qm" build "$work/raw" --out out -q > build.txt || fail "build exited $?: $(cat build.txt)"
grep -q "violations     0" build.txt || fail "build summary: $(cat build.txt)"

step "same graph as the checkout's build (make run)"
(cd "$repo" && "$repo/.venv/bin/qmgraph" build data/raw --out "$work/ref" -q >/dev/null) \
  || fail "the checkout's build failed"
for f in qmgraph.trig qmgraph.ttl mirrors.sssom.tsv; do
  cmp -s "$work/ref/$f" "out/$f" || fail "out/$f differs from the checkout's $f"
done

step "qmgraph query"
"$qm" query --list > list.txt || fail "query --list exited $?"
grep -q "provincial-mirrors-national" list.txt || fail "query --list lacks the canned queries"
"$qm" query provincial-mirrors-national --graph out --param year=2022 --format csv > rows.csv \
  || fail "query exited $?"
[ "$(wc -l < rows.csv)" -gt 1 ] || fail "query returned no rows: $(cat rows.csv)"

step "qmgraph validate"
"$qm" validate --graph out > validate.txt || fail "validate exited $?: $(tail -5 validate.txt)"

step "qmgraph viz --html"
"$qm" viz --graph out --html lineage.html 2> viz.txt || fail "viz exited $?: $(cat viz.txt)"
[ -s lineage.html ] || fail "viz wrote no page"

step "qmgraph export tables"
"$qm" export tables --graph out --out tables > export.txt || fail "export exited $?"
for t in documents activities organizations campaigns mirror_links adoption_panel; do
  [ -s "tables/$t.csv" ] && [ -s "tables/$t.parquet" ] || fail "export tables wrote no $t"
done
[ -s tables/data_dictionary.csv ] || fail "export tables wrote no data dictionary"

step "qmgraph synth (reads the packaged gazetteer)"
"$qm" synth --notices 3 --seed 1 --out synth > synth.txt || fail "synth exited $?"
[ "$(ls synth/notices | wc -l)" -eq 3 ] || fail "synth wrote $(ls synth/notices | wc -l) notices"

step "python -m qmgraph and the Python API"
"$py" -m qmgraph --version | grep -q "version" || fail "python -m qmgraph --version"
"$py" - <<'EOF' || fail "the Python API"
import qmgraph

rows = qmgraph.open("out").query("provincial-mirrors-national", year=2022)
assert len(rows) > 0 and all(r["year"] == 2022 for r in rows), rows
assert isinstance(rows[0]["score"], float), rows[0]
df = rows.to_pandas()
assert len(df) == len(rows) and str(df["year"].dtype) == "Int64", df.dtypes
EOF

step "qmgraph serve: start, answer, stop"
port=$("$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$qm" serve --graph out --port "$port" > serve.txt 2>&1 &
server_pid=$!
answered=""
for _ in $(seq 1 300); do  # up to 30 s
  if ! kill -0 "$server_pid" 2>/dev/null; then fail "serve exited early: $(cat serve.txt)"; fi
  if "$py" -c "import sys, urllib.request
with urllib.request.urlopen('http://127.0.0.1:$port/query?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D', timeout=1) as r:
    sys.exit(0 if r.status == 200 and b'true' in r.read() else 1)" 2>/dev/null; then
    answered=yes
    break
  fi
  sleep 0.1
done
[ -n "$answered" ] || fail "serve did not answer on 127.0.0.1:$port: $(cat serve.txt)"
"$qm" query summary --endpoint "http://127.0.0.1:$port/query" > remote.txt \
  || fail "query --endpoint on the served graph exited $?"
kill -TERM "$server_pid"
code=0
wait "$server_pid" || code=$?
server_pid=""
[ "$code" -eq 0 ] || fail "serve exited $code after SIGTERM: $(cat serve.txt)"
if "$py" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/', timeout=1)" 2>/dev/null; then
  fail "the oxigraph server still answers after serve stopped"
fi

step "all checks passed"
