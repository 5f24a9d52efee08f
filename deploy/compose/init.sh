#!/usr/bin/env sh
# Prepares a host for `docker compose up`: an RSA key pair for tokens in .secrets/ and a random database
# password in .env. Both paths are git-ignored; running the script again keeps what exists.
set -eu
cd "$(dirname "$0")/../.."

mkdir -p .secrets
chmod 700 .secrets
if [ ! -f .secrets/jwt-private.pem ]; then
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out .secrets/jwt-private.pem 2>/dev/null
  openssl pkey -in .secrets/jwt-private.pem -pubout -out .secrets/jwt-public.pem
  # Compose mounts secrets as bind mounts with the host file's mode: the services run as uid 10001,
  # so the files must be world-readable; the 0700 directory keeps other host users out.
  chmod 644 .secrets/jwt-private.pem .secrets/jwt-public.pem
  echo "wrote .secrets/jwt-private.pem and .secrets/jwt-public.pem"
fi

if [ ! -f .env ] || ! grep -q '^SIFT_DB_PASSWORD=' .env; then
  echo "SIFT_DB_PASSWORD=$(openssl rand -hex 24)" >> .env
  echo "wrote SIFT_DB_PASSWORD to .env"
fi
