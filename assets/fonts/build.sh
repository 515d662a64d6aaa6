#!/bin/sh
# Rebuild the embedded font subsets from Debian's font packages:
#   apt-get install fonts-inter fonts-noto-core && pip install fonttools
# Writes next to this script. See README.md for what each file is.
set -eu
cd "$(dirname "$0")"
INTER=/usr/share/fonts/opentype/inter
NOTO=/usr/share/fonts/truetype/noto
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# Basic Latin, Latin-1 Supplement, Latin Extended-A, the useful part of General
# Punctuation (spaces, dashes, quotes, bullet, ellipsis, per mille, primes,
# guillemets, fraction slash), currency symbols, ™, arrows ← ↑ → ↓, minus, ✓ ✗.
LATIN="U+0020-007E,U+00A0-00FF,U+0100-017F,U+2002-200B,U+2010-2027,U+2030,\
U+2032-2033,U+2039-203A,U+2044,U+20A0-20C0,U+2122,U+2190-2193,U+2212,U+2713,U+2717"
# Arabic block (letters, marks, Arabic-Indic digits) + Presentation Forms-B,
# plus space/NBSP, ZWNJ/ZWJ/LRM/RLM and the dotted circle shaping may insert.
ARABIC="U+0600-06FF,U+FE70-FEFF,U+0020,U+00A0,U+200C-200F,U+25CC"
# Hebrew block + Hebrew presentation forms + new sheqel sign.
HEBREW="U+0590-05FF,U+FB1D-FB4F,U+20AA,U+0020,U+00A0,U+200C-200F,U+25CC"
# No hinting (outlines are rasterised unhinted), keep .notdef's box, all name
# records, default layout features minus frac/numr/dnom (off unless asked).
OPTS="--no-hinting --desubroutinize --notdef-outline --name-IDs=* --drop-tables+=DSIG --layout-features-=frac,numr,dnom"

for w in Regular Bold; do
  pyftsubset "$INTER/Inter-$w.otf" --unicodes="$LATIN" $OPTS --output-file="$TMP/Inter-$w.otf"
  python3 otf2ttf.py "$TMP/Inter-$w.otf" "Inter-$w.ttf"
  pyftsubset "$NOTO/NotoSansHebrew-$w.ttf" --unicodes="$HEBREW" $OPTS --output-file="NotoSansHebrew-$w.ttf"
done
# Regular only: a bold Arabic face would push the total past 300 KB; bold
# Arabic text is drawn with synthetic emboldening instead.
pyftsubset "$NOTO/NotoSansArabic-Regular.ttf" --unicodes="$ARABIC" $OPTS --output-file="NotoSansArabic-Regular.ttf"
ls -l ./*.ttf
