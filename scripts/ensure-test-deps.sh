#!/usr/bin/env bash
# Make sure the system programs the test suite needs are installed, before `make test` runs it:
#   - Debian's chromium and chromedriver (the browser tests in tests/web; never a downloaded browser);
#   - the PostgreSQL server binaries initdb and pg_ctl (the tests start a throwaway cluster),
#     unless BLAUWE_KNOP_TEST_POSTGRES_URL names a server to use instead;
#   - poppler's pdfsig (poppler-utils), the second, independent validator of the PDF seals;
#   - node and npm, then the pinned test-only npm projects, installed with `npm ci` when their
#     node_modules are missing or older than their lockfile: tests/web/axe (axe-core, injected
#     into Chromium to audit every page), tests/interop (Digital Bazaar's Data Integrity stack)
#     and tests/sd_jwt_interop (the OpenWallet Foundation's SD-JWT VC library and Sphereon's
#     OpenID4VCI client, run against our servers).
# On Debian or Ubuntu they are installed with apt-get, as root or through sudo. Where that is not
# possible, the script stops with one line naming what is missing and the command that installs it.
set -euo pipefail

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
command -v pdfsig >/dev/null 2>&1 || missing+=(poppler-utils)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)

npm_projects=(
    "$(dirname "$0")/../tests/web/axe"
    "$(dirname "$0")/../tests/interop"
    "$(dirname "$0")/../tests/sd_jwt_interop"
)
install_npm_projects() {
    for project in "${npm_projects[@]}"; do
        if [ ! -d "$project/node_modules" ] || [ "$project/package-lock.json" -nt "$project/node_modules" ]; then
            echo "make test: installing the test-only npm project in $project (npm ci)" >&2
            (cd "$project" && npm ci --no-audit --no-fund --silent)
            touch "$project/node_modules"
        fi
    done
}

if [ "${#missing[@]}" -eq 0 ]; then
    install_npm_projects
    exit 0
fi

install_cmd="apt-get install -y ${missing[*]}"
if ! command -v apt-get >/dev/null 2>&1; then
    echo "make test: missing ${missing[*]} (no apt-get here: install them; for PostgreSQL you may set BLAUWE_KNOP_TEST_POSTGRES_URL instead)" >&2
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
install_npm_projects
