# Throwaway PostgreSQL cluster for tests and benchmarks. Source this file,
# then `pg_start` (exports LIAISON_TEST_DATABASE_URL) and `pg_stop`.
# Runs PostgreSQL's tools as the `postgres` user (initdb refuses root), with
# data and socket in a scratch folder and a free loopback port.

pg_bin_dir() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  done
  return 1
}

pg_ensure_installed() {
  if ! pg_bin_dir >/dev/null; then
    echo "== installing PostgreSQL (apt)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
}

pg_free_port() {
  python3 - <<'PY'
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()
PY
}

pg_start() {
  pg_ensure_installed
  local bin; bin=$(pg_bin_dir)
  PG_DIR=$(mktemp -d /tmp/liaison-pg.XXXXXX)
  chown postgres:postgres "$PG_DIR"
  PG_PORT=$(pg_free_port)
  local as_pg=(runuser -u postgres --)
  [ "$(id -u)" -ne 0 ] && as_pg=()
  "${as_pg[@]}" "$bin/initdb" -D "$PG_DIR/data" -U postgres -A trust --no-sync -E UTF8 >/dev/null
  "${as_pg[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
    start >/dev/null
  export PG_DIR PG_PORT
  export LIAISON_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
  echo "== PostgreSQL on 127.0.0.1:$PG_PORT ($PG_DIR)"
}

pg_stop() {
  [ -n "${PG_DIR:-}" ] || return 0
  local bin; bin=$(pg_bin_dir)
  local as_pg=(runuser -u postgres --)
  [ "$(id -u)" -ne 0 ] && as_pg=()
  "${as_pg[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
  unset PG_DIR
}
