#!/usr/bin/env bash
# Builds the demo (if needed) and runs it: the ledger and inventory scenarios on the in-memory adapter.
# Flags go to the demo; ./demo.sh --help lists them.
set -euo pipefail
cd "$(dirname "$0")"
mvn -q -B -ntp -DskipTests -pl examples -am package
exec java -jar examples/target/fifo-actors-demo.jar "$@"
