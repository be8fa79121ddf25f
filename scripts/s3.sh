# A throwaway S3-compatible server for the tests: moto's server mode (PyPI,
# pinned), installed once into the target folder. Source this file, then
# `s3_start` (exports LIAISON_TEST_S3) and `s3_stop`.

MOTO_VERSION=5.1.4

s3_start() {
  local target_dir venv port
  target_dir=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
  venv="$target_dir/moto-$MOTO_VERSION"
  if [ ! -x "$venv/bin/moto_server" ]; then
    echo "== installing moto[server] $MOTO_VERSION (PyPI)"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION"
  fi
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  S3_LOG=$(mktemp /tmp/liaison-moto.XXXXXX)
  "$venv/bin/moto_server" -H 127.0.0.1 -p "$port" >"$S3_LOG" 2>&1 &
  S3_PID=$!
  local tries=0
  until curl -sf -o /dev/null "http://127.0.0.1:$port/"; do
    tries=$((tries + 1))
    [ "$tries" -gt 200 ] && { echo "moto_server did not start:"; cat "$S3_LOG"; return 1; }
    sleep 0.05
  done
  export LIAISON_TEST_S3="http://127.0.0.1:$port" S3_PID S3_LOG
}

s3_stop() {
  [ -n "${S3_PID:-}" ] && kill "$S3_PID" 2>/dev/null || true
  [ -n "${S3_LOG:-}" ] && rm -f "$S3_LOG"
  unset LIAISON_TEST_S3 S3_PID
}
