#!/usr/bin/env bash
# `npm test`: the whole suite, as CI runs it (after scripts/system-deps.sh, which `pretest` runs).
#
# 1. Lint (ESLint, Prettier's check) and the typecheck, side by side: each is one process, and the
#    machines this runs on have two cores or more.
# 2. The test files, three at a time. One at a time (node --test's default on two cores) left a core
#    idle while a file waited on Chromium, a server or a timeout; two, three and five at a time all
#    took the same time here (the machine is then CPU-bound): three leaves room for files that wait.
# 3. Then the files whose cases measure time (a first chunk within 200 or 400 ms, a body destroyed
#    within 100 ms of the client leaving, the stream runtime's swaps): they must not share the machine
#    with other files' compiles. Two lanes side by side, each one file at a time: the Chromium files
#    in one, the others (which mostly wait) in the other, so no two Chromium files run together.
#    (Lanes, not an order: node --test sorts the files it is given.) One at a time took 74 s here.
#
# Extra arguments go to every `node --test` run (`npm test -- --test-name-pattern=cache`). The spec
# reporter is the default; arguments that name a reporter replace it (`--test-reporter=dot`).
set -uo pipefail
cd "$(dirname "$0")/.."

# The timed files: the lane with Chromium, and the other lane.
TIMED_CHROMIUM=(
  test/browser/streaming.test.ts
  test/browser/stream-runtime.test.ts
)
TIMED_OTHERS=(
  test/conformance/streaming.test.ts
  test/conformance/streamed-body.test.ts
  examples/test/streaming.test.ts
  examples/test/koa-server.test.ts
)

npm run --silent lint &
lint=$!
npm run --silent typecheck &
typecheck=$!
failed=0
wait "$lint" || { echo "npm test: lint failed" >&2; failed=1; }
wait "$typecheck" || { echo "npm test: typecheck failed" >&2; failed=1; }
[ "$failed" -eq 0 ] || exit 1

reporter=(--test-reporter=spec)
case " $* " in *" --test-reporter"*) reporter=() ;; esac

parallel=()
for file in test/*/*.test.ts examples/test/*.test.ts; do
  case " ${TIMED_CHROMIUM[*]} ${TIMED_OTHERS[*]} " in *" $file "*) ;; *) parallel+=("$file") ;; esac
done

# Each run's report is also kept, so that its failures can be printed again at the very end: a
# failure among the first phase's 5,000 lines is otherwise far from a long log's tail.
reports=$(mktemp -d)
trap 'rm -rf "$reports"' EXIT

node --import tsx --test --test-concurrency=3 "${reporter[@]}" "$@" "${parallel[@]}" | tee "$reports/1-test-files" || failed=1
# The Chromium lane's report is printed when both lanes are done, after the other's.
node --import tsx --test --test-concurrency=1 "${reporter[@]}" "$@" "${TIMED_CHROMIUM[@]}" >"$reports/3-timed-chromium-files" 2>&1 &
chromium_lane=$!
node --import tsx --test --test-concurrency=1 "${reporter[@]}" "$@" "${TIMED_OTHERS[@]}" | tee "$reports/2-timed-files" || failed=1
wait "$chromium_lane" || failed=1
cat "$reports/3-timed-chromium-files"

# (The spec reporter colours its report when stderr is a terminal: the colour codes are taken out.)
if [ "$failed" -ne 0 ]; then
  echo
  echo "npm test: failed. The failing tests of each run, again (from the spec reporter's summaries):"
  for report in "$reports"/*; do
    failures=$(sed -e 's/\x1b\[[0-9;]*m//g' "$report" | sed -n '/failing tests:$/,$p')
    [ -z "$failures" ] || printf '== %s\n%s\n' "${report##*/}" "$failures"
  done
fi
exit "$failed"
