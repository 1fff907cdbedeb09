#!/usr/bin/env bash
# Development and CI front door of stock_asset_tracking.
#
#   scripts/dev.sh run     serve Odoo with the addon and demo data on :8069
#   scripts/dev.sh test    fresh database, install without demo, every test, log check, lint
#   scripts/dev.sh setup   only prepare the virtualenv and PostgreSQL
#   scripts/dev.sh stop-db stop the private PostgreSQL cluster
#   scripts/dev.sh pot     regenerate i18n/stock_asset_tracking.pot
#   scripts/dev.sh pytest  the same tests through pytest-odoo (fresh database)
#
# Settings (environment):
#   ODOO_SRC      Odoo 18.0 source tree (default /opt/odoo/18.0)
#   PYTHON        interpreter for the virtualenv (default: first of python3.12/3.11/3.10)
#   PGHOST PGPORT PGUSER PGPASSWORD
#                 use your own PostgreSQL instead of the private cluster
#   DB_NAME       database for `run` (default sat_demo); `test` always makes a fresh one
#   HTTP_PORT     port for `run` (default 8069)
#   SKIP_LINT=1   `test` skips the linters
#   TEST_TAGS     narrow `test` (Odoo --test-tags syntax; default: the addon and the
#                 addons of bridges/, /stock_asset_tracking,/<each bridge>). A bridge
#                 is installed in the test database when TEST_TAGS is unset or
#                 names it (e.g. TEST_TAGS=/stock_asset_tracking_stock_barcodes).
#   TEST_WITH     modules installed beside the addon in the test database, so the
#                 soft links are tested (default sale_stock,repair; empty: none)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$ROOT/.build"
VENV="$ROOT/.venv"
ODOO_SRC="${ODOO_SRC:-/opt/odoo/18.0}"
ADDON=stock_asset_tracking
# bridges/: addons that tie the addon to other projects' modules (OCA), installed
# from PyPI with bridges/requirements-oca.txt; the main addon never depends on them
BRIDGES_DIR="$ROOT/bridges"
OCA_REQUIREMENTS="$BRIDGES_DIR/requirements-oca.txt"
HTTP_PORT="${HTTP_PORT:-8069}"
PG_BIN_DEFAULT=/usr/lib/postgresql/15/bin

say() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31mERROR:\033[0m %s\n' "$*" >&2; exit 1; }

as_root() { [ "$(id -u)" = 0 ]; }

# --------------------------------------------------------------------------- odoo
find_odoo() {
    if [ -f "$ODOO_SRC/odoo-bin" ] && [ -d "$ODOO_SRC/odoo/addons/stock" ]; then
        return 0
    fi
    if [ -n "${ODOO_DOWNLOAD_URL:-}" ]; then
        say "No Odoo tree at $ODOO_SRC: downloading Odoo 18.0 source from ODOO_DOWNLOAD_URL"
        local tmp
        tmp="$(mktemp -d)"
        if curl -fsSL --max-time 600 "$ODOO_DOWNLOAD_URL" -o "$tmp/odoo.tar.gz" \
            && mkdir -p "$ODOO_SRC" \
            && tar -xzf "$tmp/odoo.tar.gz" -C "$ODOO_SRC" --strip-components=1; then
            rm -rf "$tmp"
            [ -f "$ODOO_SRC/odoo-bin" ] && return 0
        fi
        rm -rf "$tmp"
    elif curl -fsI --max-time 10 https://nightly.odoo.com/18.0/nightly/src/ >/dev/null 2>&1; then
        say "No Odoo tree at $ODOO_SRC: downloading Odoo's published 18.0 nightly source"
        local tmp
        tmp="$(mktemp -d)"
        if curl -fsSL --max-time 900 \
            https://nightly.odoo.com/18.0/nightly/src/odoo_18.0.latest.tar.gz \
            -o "$tmp/odoo.tar.gz" \
            && mkdir -p "$ODOO_SRC" \
            && tar -xzf "$tmp/odoo.tar.gz" -C "$ODOO_SRC" --strip-components=1; then
            rm -rf "$tmp"
            [ -f "$ODOO_SRC/odoo-bin" ] && return 0
        fi
        rm -rf "$tmp"
    fi
    die "No Odoo 18.0 source tree found at '$ODOO_SRC' and it could not be downloaded.
       Provide one and point ODOO_SRC at it, for example:
         git clone --depth 1 --branch 18.0 https://github.com/odoo/odoo /opt/odoo/18.0
       or unpack Odoo's 18.0 source tarball there (the folder holding odoo-bin),
       then run this command again (or: ODOO_SRC=/path/to/odoo $0 $*)."
}

# --------------------------------------------------------------------------- venv
pick_python() {
    if [ -n "${PYTHON:-}" ]; then echo "$PYTHON"; return; fi
    local p
    for p in python3.12 python3.11 python3.10 python3; do
        if command -v "$p" >/dev/null 2>&1 \
            && "$p" -c 'import sys; sys.exit(not ((3, 10) <= sys.version_info[:2] <= (3, 12)))' 2>/dev/null \
            && "$p" -c 'import venv, ensurepip' 2>/dev/null; then
            echo "$p"; return
        fi
    done
    die "Odoo 18.0 needs Python 3.10 to 3.12 with venv; none found (set PYTHON=...)."
}

# pip, minus the noise of find-links folders some machines configure
pip_quiet() {
    local rc=0 log="$BUILD/pip.log"
    mkdir -p "$BUILD"
    "$VENV/bin/python" -m pip "$@" --quiet --disable-pip-version-check >"$log" 2>&1 || rc=$?
    grep -v "is ignored: it is neither a file nor a directory" "$log" >&2 || true
    return "$rc"
}

ensure_venv() {
    local stamp="$VENV/.stamp" want
    want="$(cat "$ODOO_SRC/requirements.txt" "$ROOT/requirements.txt" | sha1sum | cut -c1-16)"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        return 0
    fi
    if [ ! -x "$VENV/bin/python" ]; then
        local py
        py="$(pick_python)"
        say "Creating virtualenv .venv with $py ($("$py" --version 2>&1))"
        "$py" -m venv "$VENV"
    fi
    say "Installing Odoo's Python requirements and the addon's (.venv)"
    mkdir -p "$BUILD"
    # Odoo's pinned list does not install as-is: python-ldap needs system headers and
    # serves only auth_ldap; psycopg2 needs libpq headers (psycopg2-binary is in ours);
    # cbor2 5.4.2 does not build with current setuptools.
    grep -vE '^[[:space:]]*(python-ldap|psycopg2|cbor2)([^-_a-zA-Z]|$)' \
        "$ODOO_SRC/requirements.txt" > "$BUILD/odoo-requirements.txt"
    if grep -qE '^[[:space:]]*cbor2' "$ODOO_SRC/requirements.txt"; then
        echo 'cbor2>=5.6,<5.7' >> "$BUILD/odoo-requirements.txt"
    fi
    pip_quiet install --upgrade pip 'setuptools<81' wheel
    pip_quiet install -r "$BUILD/odoo-requirements.txt" -r "$ROOT/requirements.txt"
    # OCA's module/.po checks pin polib 1.2, Odoo pins 1.1.1: keep Odoo's
    pip_quiet install --no-deps 'oca-odoo-pre-commit-hooks>=0.2.27,<0.3'
    # Odoo itself, importable (pytest-odoo, bench scripts) without copying it.
    "$VENV/bin/python" - "$ODOO_SRC" <<'PY'
import pathlib, site, sys
pathlib.Path(site.getsitepackages()[0], "odoo-src.pth").write_text(sys.argv[1] + "\n")
PY
    echo "$want" > "$stamp"
}

# OCA's modules the bridges depend on, from PyPI, without their dependencies (they
# would pull Odoo itself from PyPI): requirements-oca.txt lists each one.
ensure_oca_addons() {
    [ -f "$OCA_REQUIREMENTS" ] || return 0
    local stamp="$VENV/.stamp-oca" want
    want="$(sha1sum < "$OCA_REQUIREMENTS" | cut -c1-16)"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        return 0
    fi
    say "Installing OCA's modules of bridges/requirements-oca.txt (.venv)"
    pip_quiet install --no-deps -r "$OCA_REQUIREMENTS"
    echo "$want" > "$stamp"
}

# where pip puts OCA's modules: site-packages/odoo/addons (the odoo.addons namespace)
oca_addons_dir() {
    local d
    d="$("$VENV/bin/python" -c 'import site; print(site.getsitepackages()[0])')/odoo/addons"
    [ -d "$d" ] && echo "$d"
}

# the bridge addons: folders of bridges/ with a manifest
bridge_modules() {
    local d
    for d in "$BRIDGES_DIR"/*/; do
        if [ -f "$d/__manifest__.py" ]; then basename "$d"; fi
    done
    return 0
}

ensure_node_tools() {
    # prettier + its XML plugin (XML lint hook), eslint + its base rules and the
    # browser globals (JS lint hook); one install, as npm prunes what it was not asked
    if [ -x "$ROOT/node_modules/.bin/prettier" ] \
        && [ -x "$ROOT/node_modules/.bin/eslint" ]; then return 0; fi
    if ! command -v npm >/dev/null 2>&1; then
        say "npm not found: the prettier and eslint checks are skipped"
        return 0
    fi
    say "Installing prettier, @prettier/plugin-xml and eslint (node_modules)"
    (cd "$ROOT" && npm install --silent --no-audit --no-fund --no-save \
        prettier@3.3.3 @prettier/plugin-xml@3.4.1 \
        eslint@9.15.0 @eslint/js@9.15.0 globals@15.12.0 >/dev/null 2>&1) \
        || say "npm install failed: the prettier and eslint checks are skipped"
}

# --------------------------------------------------------------------------- system
# wkhtmltopdf renders Odoo's PDF reports (labels, audit and register reports);
# chromium runs the browser tests (tours); mosquitto is the MQTT broker the
# asset-mqtt consumer's tests start on loopback. Installed with apt when root.
ensure_system_tools() {
    local missing=()
    command -v wkhtmltopdf >/dev/null 2>&1 || missing+=(wkhtmltopdf)
    command -v chromium >/dev/null 2>&1 || missing+=(chromium)
    command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ] || missing+=(mosquitto)
    [ "${#missing[@]}" = 0 ] && return 0
    if as_root && command -v apt-get >/dev/null 2>&1; then
        say "Installing ${missing[*]} with apt"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        say "Missing ${missing[*]}: PDF reports or browser tests will not run (install them)"
    fi
}

# --------------------------------------------------------------------------- postgres
PGDATA="$BUILD/pg/data"
PGSOCK="$BUILD/pg/run"

pg_bin() {
    if [ -x "$PG_BIN_DEFAULT/pg_ctl" ]; then echo "$PG_BIN_DEFAULT"; return; fi
    local d
    for d in /usr/lib/postgresql/*/bin; do
        [ -x "$d/pg_ctl" ] && { echo "$d"; return; }
    done
    if command -v pg_ctl >/dev/null 2>&1; then dirname "$(command -v pg_ctl)"; return; fi
    echo ""
}

ensure_pg_binaries() {
    if [ -n "$(pg_bin)" ]; then return 0; fi
    if as_root && command -v apt-get >/dev/null 2>&1; then
        say "Installing PostgreSQL server with apt"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    fi
    [ -n "$(pg_bin)" ] || die "PostgreSQL server binaries (initdb, pg_ctl) not found.
       Install PostgreSQL (e.g. 'apt-get install postgresql'), or use your own server:
       PGHOST=... PGPORT=... PGUSER=... PGPASSWORD=... $0 ..."
}

# run a PostgreSQL server command as its owner (initdb/pg_ctl refuse root)
pg_as_owner() {
    if as_root; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

free_port() {
    "$VENV/bin/python" - "$1" <<'PY'
import socket, sys
port = int(sys.argv[1])
while True:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
            break
        except OSError:
            port += 1
print(port)
PY
}

ensure_pg() {
    if [ -n "${PGHOST:-}" ]; then
        DB_HOST="$PGHOST"; DB_PORT="${PGPORT:-5432}"
        DB_USER="${PGUSER:?set PGUSER with PGHOST}"; DB_PASSWORD="${PGPASSWORD:-}"
        say "Using your PostgreSQL at $DB_HOST:$DB_PORT as $DB_USER"
        return 0
    fi
    ensure_pg_binaries
    local bin
    bin="$(pg_bin)"
    DB_HOST=127.0.0.1; DB_USER=odoo; DB_PASSWORD=odoo
    if [ ! -f "$PGDATA/PG_VERSION" ]; then
        say "Creating a private PostgreSQL cluster in .build/pg"
        mkdir -p "$PGDATA" "$PGSOCK"
        if as_root; then
            id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql postgres
            chown -R postgres "$BUILD/pg"
            chmod 700 "$PGDATA"
            if ! runuser -u postgres -- test -w "$PGDATA"; then
                die "The postgres user cannot write $PGDATA (a parent folder is closed to it).
       Clone the repository under a folder other users can enter, or pass PGHOST=..."
            fi
        fi
        pg_as_owner "$bin/initdb" -D "$PGDATA" -U postgres --auth=trust \
            --encoding=UTF8 --locale=C.UTF-8 >/dev/null
        {
            echo "listen_addresses = '127.0.0.1'"
            echo "unix_socket_directories = '$PGSOCK'"
            echo "fsync = off"
            echo "synchronous_commit = off"
            echo "full_page_writes = off"
            echo "max_connections = 200"
            echo "shared_buffers = 256MB"
            echo "wal_level = replica"
            echo "max_wal_senders = 4"
        } >> "$PGDATA/postgresql.conf"
        echo "host replication all 127.0.0.1/32 trust" >> "$PGDATA/pg_hba.conf"
    fi
    if pg_as_owner "$bin/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
        DB_PORT="$(cat "$BUILD/pg/port")"
    else
        DB_PORT="$(free_port "${SAT_PG_PORT:-55432}")"
        echo "$DB_PORT" > "$BUILD/pg/port"
        as_root && chown postgres "$BUILD/pg/port"
        say "Starting PostgreSQL on 127.0.0.1:$DB_PORT"
        pg_as_owner "$bin/pg_ctl" -D "$PGDATA" -o "-p $DB_PORT" -l "$BUILD/pg/server.log" \
            -w -t 60 start >/dev/null
    fi
    # a dedicated role: Odoo refuses to connect as postgres
    "$bin/psql" -h 127.0.0.1 -p "$DB_PORT" -U postgres -d postgres -qtA -c \
        "DO \$\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'odoo') THEN
           CREATE ROLE odoo LOGIN CREATEDB SUPERUSER PASSWORD 'odoo'; END IF; END\$\$;" >/dev/null
    # the database lives in memory (shared_buffers, the OS cache): an index probe
    # costs about a sequential page read, as on SSDs (readme/CONFIGURE.md); at 4,
    # PostgreSQL's default for spinning disks, the scan lookup of a few hundred
    # tags reads the whole asset table instead of probing its EPC index
    "$bin/psql" -h 127.0.0.1 -p "$DB_PORT" -U postgres -d postgres -qtA \
        -c "ALTER SYSTEM SET random_page_cost = 1.1" -c "SELECT pg_reload_conf()" >/dev/null
}

stop_pg() {
    local bin
    bin="$(pg_bin)"
    if [ -n "$bin" ] && [ -f "$PGDATA/PG_VERSION" ]; then
        pg_as_owner "$bin/pg_ctl" -D "$PGDATA" -m fast stop >/dev/null 2>&1 || true
        say "PostgreSQL stopped"
    fi
}

# --------------------------------------------------------------------------- odoo config
ADDONS_LINK="$BUILD/addons"

prepare_addons_path() {
    # The addon as Odoo sees it: links to the repository's own entries only. Linking
    # the root itself would show Odoo (which walks modules following links, e.g. to
    # export translations) .venv, node_modules and .build, which links back again.
    # Updated in place (never emptied), so a second run beside a running server or
    # test (two shells, parallel helpers) does not pull files from under it.
    local target="$ADDONS_LINK/$ADDON" entry link
    mkdir -p "$ADDONS_LINK"
    [ -L "$target" ] && rm -f "$target"
    mkdir -p "$target"
    for link in "$target"/*; do
        # links to entries since removed from the repository
        [ -L "$link" ] && [ ! -e "$link" ] && rm -f "$link"
    done
    for entry in "$ROOT"/*; do
        case "$(basename "$entry")" in
            node_modules) continue ;;
            # addons of their own, on the addons path by themselves
            bridges) rm -f "$target/bridges"; continue ;;
        esac
        link="$target/$(basename "$entry")"
        [ -L "$link" ] && [ "$(readlink "$link")" = "$entry" ] && continue
        rm -rf "$link"
        ln -s "$entry" "$link"
    done
}

write_config() {
    local conf="$BUILD/odoo.conf" paths="" d
    # a git checkout has addons/ beside odoo/addons; a source tarball only the latter
    for d in "$ODOO_SRC/odoo/addons" "$ODOO_SRC/addons"; do
        [ -d "$d" ] && paths="$paths${paths:+,}$d"
    done
    local oca
    oca="$(oca_addons_dir || true)"
    [ -n "$oca" ] && paths="$paths,$oca"
    [ -n "$(bridge_modules)" ] && paths="$paths,$BRIDGES_DIR"
    cat > "$conf" <<EOF
[options]
addons_path = $paths,$ADDONS_LINK
data_dir = $BUILD/filestore
db_host = $DB_HOST
db_port = $DB_PORT
db_user = $DB_USER
db_password = $DB_PASSWORD
admin_passwd = admin
http_port = $HTTP_PORT
list_db = True
without_demo = False
EOF
    echo "$conf"
}

setup_all() {
    find_odoo "$@"
    say "Odoo source: $ODOO_SRC ($(grep -m1 '^Version' "$ODOO_SRC/PKG-INFO" 2>/dev/null || echo 'version unknown'))"
    ensure_venv
    ensure_oca_addons
    ensure_system_tools
    ensure_pg
    prepare_addons_path
    CONF="$(write_config)"
}

# Odoo 18.0 imports pkg_resources, which setuptools<81 flags on every start
export PYTHONWARNINGS="ignore:pkg_resources is deprecated:UserWarning"
odoo_bin() { "$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$CONF" "$@"; }

# Odoo's log at info, shown as one line per module loaded, with its warnings,
# errors and tracebacks: the first `make run` takes a minute or more, and a user
# must see that it is working, not wonder whether it hangs
with_progress() {
    "$@" --log-level=info 2>&1 | "$VENV/bin/python" -u -c '
import re, sys
for line in sys.stdin:
    found = re.search(r"odoo\.modules\.loading: Loading module (\S+) \((\d+)/(\d+)\)", line)
    if found:
        print(f"    [{found[2]}/{found[3]}] {found[1]}", flush=True)
    elif re.search(r" (WARNING|ERROR|CRITICAL) ", line) or not re.match(r"\d{4}-\d\d-\d\d ", line):
        sys.stdout.write(line)
'
}

db_exists() {
    PGPASSWORD="$DB_PASSWORD" "$VENV/bin/python" - "$DB_HOST" "$DB_PORT" "$DB_USER" "$1" <<'PY'
import sys, psycopg2
host, port, user, name = sys.argv[1:]
import os
cn = psycopg2.connect(host=host, port=port, user=user, dbname="postgres",
                      password=os.environ.get("PGPASSWORD") or None)
cr = cn.cursor()
cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
sys.exit(0 if cr.fetchone() else 1)
PY
}

drop_db() {
    PGPASSWORD="$DB_PASSWORD" "$VENV/bin/python" - "$DB_HOST" "$DB_PORT" "$DB_USER" "$1" <<'PY'
import os, sys, psycopg2
from psycopg2 import sql
host, port, user, name = sys.argv[1:]
cn = psycopg2.connect(host=host, port=port, user=user, dbname="postgres",
                      password=os.environ.get("PGPASSWORD") or None)
cn.autocommit = True
cn.cursor().execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
PY
    rm -rf "$BUILD/filestore/filestore/$1"
}

# --------------------------------------------------------------------------- commands
cmd_run() {
    setup_all "$@"
    local db="${DB_NAME:-sat_demo}" bridges
    bridges="$(bridge_modules | paste -sd, -)"
    if ! db_exists "$db"; then
        say "Creating database '$db' with $ADDON${bridges:+, $bridges} and demo data (a few minutes the first time)"
        with_progress odoo_bin -d "$db" -i "$ADDON${bridges:+,$bridges}" --stop-after-init
        # the login of the brief: admin / admin
        "$VENV/bin/python" "$ODOO_SRC/odoo-bin" shell -c "$CONF" -d "$db" --no-http \
            --log-level=warn >/dev/null 2>&1 <<'PY'
env.ref("base.user_admin").password = "admin"
# the demo companies are made up: Odoo's partner_autocomplete (auto-installed)
# would look them up on the internet at the admin's first login, and log a
# WARNING on a machine without access to it
companies = env["res.company"].search([])
if "iap_enrich_auto_done" in companies._fields:
    companies.iap_enrich_auto_done = True
env.cr.commit()
PY
    else
        say "Database '$db' exists: updating $ADDON${bridges:+ (installing $bridges if missing)}"
        with_progress odoo_bin -d "$db" ${bridges:+-i "$bridges"} -u "$ADDON" --stop-after-init
    fi
    say "Serving http://localhost:$HTTP_PORT  (login admin / admin, database $db). Ctrl-C stops."
    trap 'say "Stopped."' INT TERM
    # -d alone serves only $db; a --db-filter would make Odoo list the databases
    # for every API key request (see readme/CONFIGURE.md, deployment notes)
    odoo_bin -d "$db" --http-port "$HTTP_PORT" || true
}

cmd_test() {
    setup_all "$@"
    local bridge bridges="" all_tags="/$ADDON"
    # a bridge is installed when the run tests it: always by default, else when
    # TEST_TAGS names it (a narrow run of the addon's own tests stays without OCA)
    for bridge in $(bridge_modules); do
        all_tags="$all_tags,/$bridge"
        if [ -z "${TEST_TAGS:-}" ] || [[ "$TEST_TAGS" == *"$bridge"* ]]; then
            bridges="$bridges,$bridge"
        fi
    done
    local db="sat_test_$$" tags="${TEST_TAGS:-$all_tags}"
    local with="${TEST_WITH-sale_stock,repair}"
    local log="$BUILD/logs/$db.log"
    mkdir -p "$BUILD/logs"
    # the name reuses the shell's pid: a log left by an older run must not count
    rm -f "$log" "$log.summary"
    local status=0
    say "Fresh database '$db': installing $ADDON$bridges${with:+ (with $with)} without demo data and running tests ($tags)"
    drop_db "$db"
    # --test-enable runs the at_install tests during install and post_install ones
    # after; the test server's HTTP port is looked up from a start of its own per
    # run, so that two runs started together (two shells) do not race for one port
    set +e
    odoo_bin -d "$db" -i "$ADDON$bridges${with:+,$with}" --without-demo=all --test-enable --test-tags "$tags" \
        --stop-after-init --http-port "$(free_port $((18069 + $$ % 500)))" --log-level=info \
        --logfile "$log" --workers=0
    local rc=$?
    set -e
    drop_db "$db" || true
    "$VENV/bin/python" "$ROOT/scripts/check_log.py" "$log" "$log.summary" || status=1
    [ "$rc" = 0 ] || { say "Odoo exited with status $rc"; status=1; }
    if [ "${SKIP_LINT:-0}" != 1 ]; then
        ensure_node_tools
        say "Linters (pre-commit, all files)"
        if (cd "$ROOT" && PATH="$VENV/bin:$ROOT/node_modules/.bin:$PATH" \
            "$VENV/bin/pre-commit" run --all-files --show-diff-on-failure); then
            say "lint: clean"
        else
            say "lint: FAILED"; status=1
        fi
    fi
    if [ "$status" = 0 ]; then say "ALL GREEN"; else say "FAILED (see above; full log: $log)"; fi
    # the closing line CI reads
    cat "$log.summary" 2>/dev/null || echo "tests: 0 passed, 1 failed, 0 skipped"
    return "$status"
}

cmd_pot() {
    setup_all "$@"
    local db="sat_pot_$$"
    say "Regenerating i18n/$ADDON.pot from a fresh database"
    drop_db "$db"
    odoo_bin -d "$db" -i "$ADDON" --without-demo=all --stop-after-init --log-level=warn
    odoo_bin -d "$db" --i18n-export="$ROOT/i18n/$ADDON.pot" --modules="$ADDON" \
        --language=en_US --stop-after-init --log-level=warn
    drop_db "$db"
    say "Wrote i18n/$ADDON.pot"
}

cmd_pytest() {
    # pytest-odoo names test modules after the addon's folder and resolves links,
    # and a clone may be named otherwise: run it on a copy named after the addon,
    # outside the repository (pytest climbs parent folders that hold __init__.py).
    setup_all
    local db="sat_pytest_$$" copy_root="${TMPDIR:-/tmp}/sat-pytest-$$"
    local conf="$BUILD/pytest.conf"
    rm -rf "$copy_root"
    mkdir -p "$copy_root/$ADDON"
    (cd "$ROOT" && git ls-files -z --cached --others --exclude-standard \
        | xargs -0 cp --parents -t "$copy_root/$ADDON")
    sed "s#^addons_path = .*#addons_path = $(grep '^addons_path' "$CONF" \
        | sed "s#^addons_path = ##; s#,$ADDONS_LINK##"),$copy_root#" "$CONF" > "$conf"
    say "Fresh database '$db' with $ADDON, then pytest-odoo on the same tests"
    drop_db "$db"
    "$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$conf" -d "$db" -i "$ADDON" \
        --without-demo=all --stop-after-init --log-level=warn
    local rc=0
    [ -d "$ROOT/../shared" ] && export SAT_SHARED_DIR="$(cd "$ROOT/../shared" && pwd)"
    (cd "$copy_root/$ADDON" && "$VENV/bin/pytest" -p no:cacheprovider \
        --odoo-config "$conf" --odoo-database "$db" --odoo-http "$@" tests) || rc=$?
    drop_db "$db"
    rm -rf "$copy_root"
    return "$rc"
}

main() {
    local cmd="${1:-}"
    shift || true
    case "$cmd" in
        run) cmd_run "$@" ;;
        test) cmd_test "$@" ;;
        setup) setup_all "$@"; say "Ready: venv, PostgreSQL on $DB_HOST:$DB_PORT, config $CONF" ;;
        stop-db) stop_pg ;;
        pot) cmd_pot "$@" ;;
        pytest) cmd_pytest "$@" ;;
        env) setup_all "$@"; echo "CONF=$CONF"; echo "VENV=$VENV"; echo "ODOO_SRC=$ODOO_SRC" ;;
        *) echo "usage: $0 {run|test|setup|stop-db|pot|pytest|env}" >&2; exit 2 ;;
    esac
}

main "$@"; exit "$?"  # one line: bash must not read on after main (edits while running)
