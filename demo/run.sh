#!/usr/bin/env bash
# Starts the whole demo: Keycloak with this extension and the demo realm on http://localhost:8080
# (admin / admin), and the demo web app on http://localhost:3000. Ctrl-C stops both.
# Other ports: KEYCLOAK_PORT=8180 APP_PORT=3100 ./demo/run.sh (the demo realm's redirect URIs follow APP_PORT).
set -euo pipefail
cd "$(dirname "$0")/.."

keycloak_port=${KEYCLOAK_PORT:-8080}
app_port=${APP_PORT:-3000}
for port in "$keycloak_port" "$app_port"; do
  if (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null; then
    what=$([ "$port" = "$keycloak_port" ] && echo "Keycloak (KEYCLOAK_PORT)" || echo "the demo app (APP_PORT)")
    echo "Port $port, which the demo wants for $what, is taken by another program."
    echo "Stop it, or choose free ports:  KEYCLOAK_PORT=8180 APP_PORT=3100 ./demo/run.sh"
    exit 1
  fi
done

echo "Building the extension and fetching Keycloak (the first run downloads about 180 MB)..."
mvn -q -Pdemo -DskipTests package

keycloak_version=$(sed -n 's:.*<keycloak.server.version>\(.*\)</keycloak.server.version>.*:\1:p' pom.xml | head -1)
keycloak=target/demo/keycloak-$keycloak_version/
rm -f "$keycloak"providers/keycloak-anonymous-users-*.jar
cp target/keycloak-anonymous-users-*.jar "$keycloak"providers/
mkdir -p "$keycloak"data/import
# The realm is imported once (an existing one is kept): delete "$keycloak"data to start afresh with other ports.
sed "s#localhost:3000#localhost:$app_port#g" demo/demo-realm.json > "$keycloak"data/import/demo-realm.json

pids=()
stop() {
  trap - INT TERM EXIT
  echo "Stopping the demo..."
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=admin \
  "$keycloak"bin/kc.sh start-dev --import-realm --http-port="$keycloak_port" &
pids+=($!)
java -cp "target/demo-lib/*" demo/DemoServer.java "$app_port" "http://localhost:$keycloak_port" target/demo &
pids+=($!)

until (exec 3<>/dev/tcp/127.0.0.1/"$keycloak_port") 2>/dev/null && (exec 3<>/dev/tcp/127.0.0.1/"$app_port") 2>/dev/null; do
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || { echo "A demo process exited; see the output above."; exit 1; }; done
  sleep 2
done
cat <<READY

  The demo is ready.
    Demo app:        http://localhost:$app_port   ("Continue as guest")
    Admin console:   http://localhost:$keycloak_port/admin/master/console/#/demo/authentication/required-actions   (admin / admin)
                     settings: the ⚙ of "Anonymous users: guest sign-up"
    Regular user:    alice / alice
  Ctrl-C stops everything.

READY
wait
