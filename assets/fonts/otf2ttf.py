#!/usr/bin/env python3
"""Convert a CFF-flavoured OpenType font to TrueType (glyf) outlines.

Usage: otf2ttf.py IN.otf OUT.ttf

Cubic curves become quadratic ones with fontTools' cu2qu (max error 1 font
unit), contours are reversed to TrueType's clockwise convention, and the post
table is written as format 3 (no glyph names) to save bytes. Layout tables
(GSUB/GPOS/GDEF), cmap, hmtx and the rest are kept as they are.
"""
import sys

from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable


def main(src: str, dst: str) -> None:
    font = TTFont(src, recalcTimestamp=False)
    if "CFF " not in font:
        raise SystemExit(f"{src}: no CFF table, nothing to convert")
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()

    glyphs = {}
    for name in order:
        tt_pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(tt_pen, 1.0, reverse_direction=True))
        glyphs[name] = tt_pen.glyph()

    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del font["CFF "]
    glyf.compile(font)

    # TrueType wants lsb == xMin.
    hmtx = font["hmtx"]
    for name, glyph in glyphs.items():
        advance, _ = hmtx[name]
        hmtx[name] = (advance, getattr(glyph, "xMin", 0))

    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    for field in (
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
    ):
        setattr(maxp, field, 0)
    maxp.maxComponentElements = max(
        (len(getattr(g, "components", [])) for g in glyphs.values()), default=0
    )
    maxp.compile(font)

    post = font["post"]
    post.formatType = 3.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order

    font.sfntVersion = "\x00\x01\x00\x00"
    font.save(dst)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
