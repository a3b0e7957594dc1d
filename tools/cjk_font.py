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

from helpers.translation import FONT
from tools.project import NOTEBOOKS, ROOT

# Debian's fonts-noto-cjk: a collection whose face 2 is Simplified Chinese.
SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
SOURCE_FACE = 2
SOURCE_COPYRIGHT = Path("/usr/share/doc/fonts-noto-cjk/copyright")
LICENSE = FONT.with_name("NotoSansCJK-LICENSE.txt")


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
    return set(TTFont(FONT).getBestCmap() or ()) if FONT.exists() else set()


def build() -> None:
    """Write the subset (and its license) with every needed character."""
    if not SOURCE.exists():
        raise SystemExit(f"{SOURCE} is missing: install Debian's fonts-noto-cjk (sudo apt-get install "
                         f"fonts-noto-cjk) to rebuild the Chinese edition's font.")
    font = TTFont(SOURCE, fontNumber=SOURCE_FACE)
    options = subset.Options()
    options.name_IDs = ["*"]  # keeps the copyright and license notices in the font itself
    options.layout_features = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(needed() | covered()))
    subsetter.subset(font)
    FONT.parent.mkdir(parents=True, exist_ok=True)
    font.save(FONT)
    notice = font["name"].getDebugName(0)
    debian = SOURCE_COPYRIGHT.read_text(encoding="utf-8")
    ofl = re.search(r"^License: SIL-1.1\n( .*?)\n\n", debian, re.S | re.M).group(1)
    LICENSE.write_text(
        f"{FONT.name}: the characters of Noto Sans CJK SC that the Chinese edition uses.\n{notice}\n\n"
        + "\n".join(line[1:].replace(".", "", 1) if line.strip() == "." else line[1:]
                    for line in ofl.splitlines()) + "\n",
        encoding="utf-8",
    )


def up_to_date() -> bool:
    return needed() <= covered()


if __name__ == "__main__":
    build()
    print(f"wrote {FONT.relative_to(ROOT)} with {len(covered())} characters")
