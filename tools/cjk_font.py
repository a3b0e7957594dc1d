"""The Chinese edition's font: the glyphs of Noto Sans CJK SC that its text uses, shipped with helpers.

Matplotlib's own font (DejaVu Sans) has no Chinese characters: a figure would show empty boxes. So the
helpers carry a subset of Noto Sans CJK SC (SIL Open Font License 1.1, whose text goes beside it) with
every character the Chinese catalogs use that DejaVu Sans lacks; `helpers.setup(language="zh")` uses it
as matplotlib's fallback font. A learner installs nothing. `python tools/editions.py` rebuilds the subset
when the catalogs need a character it lacks (from Debian's fonts-noto-cjk, which only maintainers need);
tests/test_editions.py fails when a character is missing from it.
"""

from __future__ import annotations

import re
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

from helpers.translation import FONTS
from tools.project import NOTEBOOKS, ROOT

# Debian's fonts-noto-cjk: collections whose face 2 is Simplified Chinese, one per weight (figures
# draw titles in bold).
SOURCES = [Path(f"/usr/share/fonts/opentype/noto/NotoSansCJK-{weight}.ttc") for weight in ("Regular", "Bold")]
SOURCE_FACE = 2
SOURCE_COPYRIGHT = Path("/usr/share/doc/fonts-noto-cjk/copyright")
LICENSE = FONTS[0].with_name("NotoSansCJK-LICENSE.txt")


def catalogs() -> list[Path]:
    return [ROOT / "helpers" / "locale" / "zh" / "LC_MESSAGES" / "helpers.po",
            *sorted((NOTEBOOKS / "locale" / "zh").glob("*.po"))]


def latin_font_covers() -> set[int]:
    from matplotlib import font_manager

    path = font_manager.findfont(font_manager.FontProperties(family="DejaVu Sans"), fallback_to_default=False)
    return set(TTFont(path).getBestCmap())


def needed() -> set[int]:
    """The code points of the Chinese catalogs' translations that DejaVu Sans cannot draw."""
    import polib

    text = "".join(e.msgstr + "".join(e.msgstr_plural.values()) for path in catalogs() if path.exists()
                   for e in polib.pofile(str(path)))
    return {ord(ch) for ch in text if not ch.isspace()} - latin_font_covers()


def covered() -> set[int]:
    """The code points every weight of the shipped font has."""
    return set.intersection(*(set(TTFont(f).getBestCmap() or ()) if f.exists() else set() for f in FONTS))


def build() -> None:
    """Write the subsets (and their license) with every needed character."""
    missing = [source for source in SOURCES if not source.exists()]
    if missing:
        raise SystemExit(f"{missing[0]} is missing: install Debian's fonts-noto-cjk (sudo apt-get install "
                         f"fonts-noto-cjk) to rebuild the Chinese edition's font.")
    characters = sorted(needed() | covered())
    for source, target in zip(SOURCES, FONTS, strict=True):
        font = TTFont(source, fontNumber=SOURCE_FACE)
        options = subset.Options()
        options.name_IDs = ["*"]  # keeps the copyright and license notices in the font itself
        options.layout_features = ["*"]
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=characters)
        subsetter.subset(font)
        target.parent.mkdir(parents=True, exist_ok=True)
        font.save(target)
    notice = font["name"].getDebugName(0)
    debian = SOURCE_COPYRIGHT.read_text(encoding="utf-8")
    ofl = re.search(r"^License: SIL-1.1\n( .*?)\n\n", debian, re.S | re.M).group(1)
    LICENSE.write_text(
        f"{', '.join(f.name for f in FONTS)}: the characters of Noto Sans CJK SC that the Chinese edition "
        f"uses.\n{notice}\n\n"
        + "\n".join(line[1:].replace(".", "", 1) if line.strip() == "." else line[1:]
                    for line in ofl.splitlines()) + "\n",
        encoding="utf-8",
    )


def up_to_date() -> bool:
    return needed() <= covered()


if __name__ == "__main__":
    build()
    print(f"wrote {', '.join(str(f.relative_to(ROOT)) for f in FONTS)} with {len(covered())} characters")
