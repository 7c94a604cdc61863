#!/usr/bin/env bash
# Prepares a shop's CouchDB for sync:
#   COUCH_ADMIN=name:password scripts/couch-setup.sh URL DB [USER:PASSWORD ...]
# The admin's name and password come from the environment, never from the command line.
# See scripts/couch-setup.js for what it does; the README gives the same steps as curl lines.
set -euo pipefail
if [ -z "${COUCH_ADMIN:-}" ]; then
  echo "couch-setup: set COUCH_ADMIN=name:password in the environment" >&2
  exit 1
fi
command -v node >/dev/null || { echo "couch-setup: needs Node.js 18 or later" >&2; exit 1; }
exec node "$(dirname "$0")/couch-setup.js" "$@"
