#!/usr/bin/env bash
# Why this exists: our CI machines reach no container registry (no quay.io, no Docker Hub), so the official images
# that docker/Dockerfile, docker/compose.yaml and the *ContainerIT tests use by default cannot be pulled there.
# This script makes local stand-ins with the official images' layout, from Debian's packages and the Keycloak
# distribution on Maven Central, and nothing else:
#   localhost/keycloak-standin:<version>  as quay.io/keycloak/keycloak: /opt/keycloak, user 1000 (group root), kc.sh
#                                         as entrypoint, KC_RUN_IN_CONTAINER=true, /opt/keycloak/data group-writable
#   localhost/postgres-standin:15         as the postgres image: POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB on first
#                                         start, data in /var/lib/postgresql/data, port 5432
#   alpine:3.17                           the small helper image Testcontainers asks for at start (minimal Debian)
# An image that exists already is kept. Users with registry access never need this script.
#
# Usage (as root, with dockerd running): docker/make-local-images.sh <keycloak-quarkus-dist-VERSION.zip>
set -euo pipefail

dist_zip=${1:?usage: $0 <keycloak-quarkus-dist-VERSION.zip>}
version=$(basename "$dist_zip" .zip | sed 's/^keycloak-quarkus-dist-//')
keycloak_image=localhost/keycloak-standin:$version
postgres_image=localhost/postgres-standin:15
helper_image=alpine:3.17
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
work=$(mktemp -d /tmp/local-images.XXXXXX)
trap 'umount -l "$work"/*/proc 2> /dev/null || true; rm -rf "$work"' EXIT

exists() { docker image inspect "$1" > /dev/null 2>&1; }

# A minimal Debian root file system, made once and copied for each image.
base() {
  if [ ! -d "$work/base" ]; then
    debootstrap --variant=minbase bookworm "$work/base" "$mirror" > "$work/debootstrap.log" 2>&1 \
      || { tail -20 "$work/debootstrap.log"; exit 1; }
  fi
  rm -rf "$work/$1" && cp -a "$work/base" "$work/$1"
}

# apt-get install in a root file system; /proc is mounted because the JRE's post-install step runs java.
install_in() {
  local root=$1; shift
  mount -t proc proc "$root/proc"
  chroot "$root" apt-get install -y -qq --no-install-recommends "$@" > "$work/apt.log" 2>&1 \
    || { umount "$root/proc"; tail -20 "$work/apt.log"; exit 1; }
  chroot "$root" apt-get clean
  umount "$root/proc"
  rm -rf "$root"/var/lib/apt/lists/*
}

if ! exists "$helper_image"; then
  base helper
  tar -C "$work/helper" -c . | docker import - "$helper_image" > /dev/null
  echo "made $helper_image"
fi

if ! exists "$keycloak_image"; then
  base keycloak
  install_in "$work/keycloak" openjdk-17-jre-headless
  unzip -q "$dist_zip" -d "$work"
  mv "$work/keycloak-$version" "$work/keycloak/opt/keycloak"
  chroot "$work/keycloak" useradd --uid 1000 --gid 0 --home-dir /opt/keycloak --no-create-home keycloak
  mkdir -p "$work/keycloak/opt/keycloak/data/import"
  chown -R 1000:0 "$work/keycloak/opt/keycloak"
  chmod -R g+rwX "$work/keycloak/opt/keycloak"
  tar -C "$work/keycloak" -c . | docker import \
    --change 'USER 1000' \
    --change 'WORKDIR /opt/keycloak' \
    --change 'ENV LANG=C.UTF-8 KC_RUN_IN_CONTAINER=true' \
    --change 'EXPOSE 8080 8443 9000' \
    --change 'ENTRYPOINT ["/opt/keycloak/bin/kc.sh"]' \
    - "$keycloak_image" > /dev/null
  echo "made $keycloak_image"
fi

if ! exists "$postgres_image"; then
  base postgres
  install_in "$work/postgres" postgresql-15
  install -m 755 "$(dirname "$0")/postgres-entrypoint.sh" "$work/postgres/usr/local/bin/postgres-entrypoint.sh"
  mkdir -p "$work/postgres/var/lib/postgresql/data" "$work/postgres/var/run/postgresql"
  chroot "$work/postgres" chown -R postgres:postgres /var/lib/postgresql /var/run/postgresql
  tar -C "$work/postgres" -c . | docker import \
    --change 'USER postgres' \
    --change 'ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin PGDATA=/var/lib/postgresql/data' \
    --change 'EXPOSE 5432' \
    --change 'VOLUME /var/lib/postgresql/data' \
    --change 'ENTRYPOINT ["/usr/local/bin/postgres-entrypoint.sh"]' \
    - "$postgres_image" > /dev/null
  echo "made $postgres_image"
fi
