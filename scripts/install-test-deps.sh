#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages whose programs the test suite starts as real peers:
# PostgreSQL, InfluxDB 1.x, Mosquitto, socat (virtual serial lines), mbpoll and pymodbus (an
# independent Modbus master and slave), Chromium (UI tests), udev (serial port listing) and CJK
# fonts (Simplified Chinese screenshots), openssl (test TLS certificates). Only what is missing is installed.
set -euo pipefail

packages=(postgresql influxdb mosquitto socat mbpoll python3-pymodbus chromium udev fonts-noto-cjk openssl)

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "All test packages are installed."
  exit 0
fi

echo "Installing: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
