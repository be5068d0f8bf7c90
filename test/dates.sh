#!/bin/sh
# Proves no server or client test depends on today's date: runs both suites with the process clock faked
# (libfaketime) to the 1st, the 9th, the 28th-31st, 29 Feb 2028 and 31 Dec. Extra arguments go to vitest,
# e.g. `npm run test:dates -- test/server/billing-plan.test.ts`. DATES="2027-03-01 ..." overrides the dates.
set -u
if ! command -v faketime >/dev/null 2>&1; then
  echo "test:dates needs libfaketime: apt-get install -y faketime" >&2
  exit 2
fi
dates=${DATES:-"2027-03-01 2027-03-09 2027-02-28 2027-03-31 2028-02-29 2027-12-31"}
failed=""
for d in $dates; do
  echo "== faked date $d 12:00:00 UTC"
  if TZ=UTC faketime -f "@$d 12:00:00" npx vitest run --project server --project client "$@"; then
    echo "== $d: passed"
  else
    echo "== $d: FAILED"
    failed="$failed $d"
  fi
done
if [ -n "$failed" ]; then
  echo "Failed on:$failed" >&2
  exit 1
fi
echo "Passed on every date: $dates"
