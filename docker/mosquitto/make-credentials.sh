#!/usr/bin/env bash
# Makes what mosquitto.conf refers to, in docker/mosquitto/generated/ (git-ignored by docker/.gitignore):
#   passwd                 one user per instrument id, plus lapis-dashboard (mosquitto_passwd hashes)
#   secrets/<user>.password the clear passwords, mode 600: give each to its agent (mqtt.passwordFile)
#   certs/ca.crt ca.key    a self-signed test CA (skip with --ca-cert/--ca-key to sign with your own)
#   certs/server.crt .key  the broker's certificate, for the names given with --host (default: mosquitto, localhost)
# and, with --env-file FILE, adds DASHBOARD_MQTT_PASSWORD and POSTGRES_PASSWORD to FILE when missing (compose reads
# docker/.env).
#
# Usage: docker/mosquitto/make-credentials.sh [--out DIR] [--host NAME]… [--env-file FILE] INSTRUMENT_ID…
# Run it again with a new id to add an instrument: existing passwords and certificates are kept.
# Needs openssl and mosquitto_passwd (Debian: apt-get install mosquitto; or it runs eclipse-mosquitto in docker).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
out="$here/generated"
hosts=()
env_file=""
users=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --host) hosts+=("$2"); shift 2 ;;
    --env-file) env_file="$2"; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    -*) echo "make-credentials: unknown option $1" >&2; exit 2 ;;
    *) users+=("$1"); shift ;;
  esac
done
[ ${#hosts[@]} -gt 0 ] || hosts=(mosquitto localhost)
for u in "${users[@]}"; do
  if ! [[ "$u" =~ ^[A-Za-z0-9._-]{1,64}$ ]]; then
    echo "make-credentials: '$u' is not an instrument id (letters, digits, . _ -; 1-64)" >&2
    exit 2
  fi
  if [ "$u" = lapis-dashboard ]; then echo "make-credentials: lapis-dashboard is the dashboard's user" >&2; exit 2; fi
done

mkdir -p "$out/certs" "$out/secrets"
chmod 700 "$out/secrets"

passwd_cmd() { # FILE USER PASSWORD
  if command -v mosquitto_passwd >/dev/null 2>&1; then
    mosquitto_passwd -b "$1" "$2" "$3"
  else
    docker run --rm -u "$(id -u):$(id -g)" -v "$(dirname "$1"):/w" eclipse-mosquitto:2.0.20 \
      mosquitto_passwd -b "/w/$(basename "$1")" "$2" "$3"
  fi
}

new_secret() { openssl rand -base64 33 | tr -d '/+=\n' | cut -c1-32; }

# --- certificates (kept when present) ---
if [ ! -f "$out/certs/ca.crt" ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=Lapis test CA" \
    -keyout "$out/certs/ca.key" -out "$out/certs/ca.crt" 2>/dev/null
  echo "made a self-signed test CA: $out/certs/ca.crt"
fi
if [ ! -f "$out/certs/server.crt" ]; then
  san=""
  for h in "${hosts[@]}"; do
    if [[ "$h" =~ ^[0-9.]+$ ]]; then san="$san,IP:$h"; else san="$san,DNS:$h"; fi
  done
  san="${san#,},IP:127.0.0.1"
  openssl req -newkey rsa:2048 -nodes -subj "/CN=${hosts[0]}" \
    -keyout "$out/certs/server.key" -out "$out/certs/server.csr" 2>/dev/null
  printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\n' "$san" > "$out/certs/server.ext"
  openssl x509 -req -in "$out/certs/server.csr" -CA "$out/certs/ca.crt" -CAkey "$out/certs/ca.key" \
    -CAcreateserial -days 825 -extfile "$out/certs/server.ext" -out "$out/certs/server.crt" 2>/dev/null
  rm -f "$out/certs/server.csr" "$out/certs/server.ext"
  echo "made the broker certificate for: ${hosts[*]} 127.0.0.1"
fi
# mosquitto (uid 1883 in the image) must read the key; nothing else needs it.
chmod 644 "$out/certs/server.key" "$out/certs/ca.crt" "$out/certs/server.crt"
chmod 600 "$out/certs/ca.key"

# --- users ---
touch "$out/passwd"
for u in lapis-dashboard "${users[@]}"; do
  secret_file="$out/secrets/$u.password"
  if [ -f "$secret_file" ] && grep -q "^$u:" "$out/passwd"; then continue; fi
  [ -f "$secret_file" ] || { new_secret > "$secret_file"; chmod 600 "$secret_file"; }
  passwd_cmd "$out/passwd" "$u" "$(cat "$secret_file")"
  echo "user $u: password in $secret_file"
done
chmod 644 "$out/passwd"

if [ -n "$env_file" ]; then
  touch "$env_file"
  grep -q '^DASHBOARD_MQTT_PASSWORD=' "$env_file" ||
    echo "DASHBOARD_MQTT_PASSWORD=$(cat "$out/secrets/lapis-dashboard.password")" >> "$env_file"
  grep -q '^POSTGRES_PASSWORD=' "$env_file" || echo "POSTGRES_PASSWORD=$(new_secret)" >> "$env_file"
  chmod 600 "$env_file"
  echo "passwords for compose in $env_file"
fi
