#!/usr/bin/env bash
# Writes fonts/: the Vazirmatn faces the app uses for Persian, cut down to the characters the
# stylesheet's unicode-range sends to them (Arabic script, Persian digits and punctuation, the
# direction marks). The browser only ever draws those characters with this font, so the Latin,
# Greek and symbol glyphs of the full font were downloaded for nothing. Shaping (joining forms,
# ligatures, mark positioning) is kept whole. The output is committed; run this again only to
# take a new Vazirmatn release (npm) or change the range. Needs Python 3 with pip.
set -euo pipefail
cd "$(dirname "$0")/.."
RANGE="U+0600-06FF,U+200C-200F,U+2066-2069,U+FB50-FDFF,U+FE70-FEFF"
python3 -m pip install --quiet --disable-pip-version-check 'fonttools[woff]==4.68.0'
for weight in Regular Bold; do
  pyftsubset "node_modules/vazirmatn/fonts/webfonts/Vazirmatn-$weight.woff2" \
    --unicodes="$RANGE" --layout-features='*' --flavor=woff2 \
    --output-file="fonts/Vazirmatn-$weight.woff2"
done
cp node_modules/vazirmatn/OFL.txt fonts/OFL.txt
ls -l fonts
