#!/usr/bin/env bash
# Prepares a shop's CouchDB for sync:
#   COUCH_ADMIN=name:password scripts/couch-setup.sh URL DB < staff-users.txt
# Passwords never come from the command line: the admin's from the environment, the staff
# users' as name:password lines on standard input (or in COUCH_USERS, one a line).
# See scripts/couch-setup.js for what it does; the README gives the same steps as curl lines.
set -euo pipefail
if [ -z "${COUCH_ADMIN:-}" ]; then
  echo "couch-setup: set COUCH_ADMIN=name:password in the environment" >&2
  exit 1
fi
command -v node >/dev/null || { echo "couch-setup: needs Node.js 18 or later" >&2; exit 1; }
exec node "$(dirname "$0")/couch-setup.js" "$@"
