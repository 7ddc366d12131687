#!/usr/bin/env bash
# Starts the whole demo: Keycloak with this extension and the demo realm on http://localhost:8080
# (admin / admin), and the demo web app on http://localhost:3000. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "Building the extension and fetching Keycloak (the first run downloads about 180 MB)..."
mvn -q -Pdemo -DskipTests package

keycloak=$(ls -d target/demo/keycloak-*/ | head -n 1)
rm -f "$keycloak"providers/keycloak-anonymous-users-*.jar
cp target/keycloak-anonymous-users-*.jar "$keycloak"providers/
mkdir -p "$keycloak"data/import
cp demo/demo-realm.json "$keycloak"data/import/

pids=()
stop() {
  trap - INT TERM EXIT
  echo "Stopping the demo..."
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=admin \
  "$keycloak"bin/kc.sh start-dev --import-realm --http-port=8080 &
pids+=($!)
java demo/DemoServer.java 3000 http://localhost:8080 target/demo &
pids+=($!)

until (exec 3<>/dev/tcp/127.0.0.1/8080) 2>/dev/null && (exec 3<>/dev/tcp/127.0.0.1/3000) 2>/dev/null; do
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || { echo "A demo process exited; see the output above."; exit 1; }; done
  sleep 2
done
cat <<'READY'

  The demo is ready.
    Demo app:        http://localhost:3000   ("Continue as guest")
    Admin console:   http://localhost:8080/admin/master/console/#/demo/authentication/required-actions   (admin / admin)
                     settings: the ⚙ of "Anonymous users: guest sign-up"
    Regular user:    alice / alice
  Ctrl-C stops everything.

READY
wait
