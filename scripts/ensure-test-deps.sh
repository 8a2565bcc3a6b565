#!/usr/bin/env bash
# Make sure the system programs the test suite needs are installed, before `make test` runs it:
#   - Debian's chromium and chromedriver (the browser tests in tests/web; never a downloaded browser);
#   - the PostgreSQL server binaries initdb and pg_ctl (the tests start a throwaway cluster),
#     unless BLAUWE_KNOP_TEST_POSTGRES_URL names a server to use instead;
#   - the pinned Digital Bazaar packages of tests/interop (npm ci), when npm is installed; without
#     Node the interop tests fail and say so.
# On Debian or Ubuntu they are installed with apt-get, as root or through sudo. Where that is not
# possible, the script stops with one line naming what is missing and the command that installs it.
set -euo pipefail

interop="$(dirname "$0")/../tests/interop"
if command -v npm >/dev/null 2>&1; then
    if [ ! -d "$interop/node_modules" ] || [ "$interop/package-lock.json" -nt "$interop/node_modules" ]; then
        echo "make test: installing the interop test packages with npm ci" >&2
        npm ci --prefix "$interop" --no-audit --no-fund --loglevel=error >/dev/null
        touch "$interop/node_modules"
    fi
else
    echo "make test: npm is not installed; the Digital Bazaar interop tests will fail (install Node 20)" >&2
fi

missing=()
need_browser=0
command -v chromium >/dev/null 2>&1 || need_browser=1
command -v chromedriver >/dev/null 2>&1 || need_browser=1
[ "$need_browser" -eq 1 ] && missing+=(chromium chromium-driver)

has_initdb() {
    compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || command -v initdb >/dev/null 2>&1
}
if [ -z "${BLAUWE_KNOP_TEST_POSTGRES_URL:-}" ] && ! has_initdb; then
    missing+=(postgresql)
fi

[ "${#missing[@]}" -eq 0 ] && exit 0

install_cmd="apt-get install -y ${missing[*]}"
if ! command -v apt-get >/dev/null 2>&1; then
    echo "make test: missing ${missing[*]} (no apt-get here: install Chromium with its chromedriver and the PostgreSQL server, or set BLAUWE_KNOP_TEST_POSTGRES_URL)" >&2
    exit 1
fi
sudo=()
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo=(sudo)
    else
        echo "make test: missing ${missing[*]}; install them with: sudo $install_cmd" >&2
        exit 1
    fi
fi
echo "make test: installing ${missing[*]} with apt-get" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
