#!/usr/bin/env bash
# The fifo-actors demo: the ledger, inventory and seat-booking scenarios on the in-memory simulator (default) or, with
# --servers, on an embedded ElasticMQ and a dynalite child process. Flags go to the demo; ./demo.sh --help lists them.
# Builds the demo jar first when it is missing or older than a source (mvn package; nothing is installed).
set -euo pipefail
cd "$(dirname "$0")"
jar=examples/target/fifo-actors-demo.jar
if [[ ! -f "$jar" ]] || [[ -n "$(find . -path ./.git -prune -o \( -name '*.java' -path '*/src/main/*' -o -name pom.xml \
        -o -path '*/src/main/resources/*' \) -newer "$jar" -print -quit)" ]]; then
    echo "building the demo (mvn package) ..." >&2
    mvn -q -B -ntp -DskipTests -pl examples -am package >&2
fi
exec java -jar "$jar" "$@"
