#!/usr/bin/env bash
# Installs the Debian packages qmgraph's tests use, when missing: chromium (browser
# test of the lineage page), fonts-noto-cjk (Chinese in static figures), antiword and
# libreoffice-writer-nogui (legacy .doc). Needs root (CI and the dev machines run as root);
# elsewhere it says what to install and the tests that need them skip.
set -u
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk fontconfig)
command -v antiword >/dev/null 2>&1 || need+=(antiword)
# Virtuoso 7 (virtuoso-t): the second, independent SPARQL store of tests/query/test_query_virtuoso.py
command -v virtuoso-t >/dev/null 2>&1 || need+=(virtuoso-opensource-7-bin)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "install-system-deps: not root; please install: ${need[*]} (tests needing them will skip)" >&2
  exit 0
fi
echo "install-system-deps: apt-get install ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null 2>&1 || true
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1 \
  || echo "install-system-deps: apt-get failed for ${need[*]} (tests needing them will skip)" >&2
exit 0
