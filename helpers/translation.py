"""The language of what the helpers print and draw: English (the source), Deutsch or 中文.

Every sentence a learner reads from a helper goes through `_` when it is shown, not when the module
is imported, so `helpers.setup(language="de")` changes all of them. A message kept in a module-level
table is marked with `N_` (for the catalog) and passed through `_` where it is shown. The catalogs are
gettext files, helpers/locale/<language>/LC_MESSAGES/helpers.po; `python tools/editions.py` updates
them from the code, and tests/test_editions.py fails on a message left untranslated.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from pathlib import Path

__all__ = ["LANGUAGES", "language", "set_language"]

LANGUAGES = {"en": "English", "de": "Deutsch", "zh": "中文"}
SOURCE_LANGUAGE = "en"
LOCALE = Path(__file__).resolve().parent / "locale"
DOMAIN = "helpers"
# The glyphs of Noto Sans CJK SC the Chinese text uses (tools/cjk_font.py): matplotlib's fallback font in
# Chinese, since its own font, DejaVu Sans, has no Chinese characters.
FONTS = [LOCALE / "zh" / f"NotoSansCJKsc-{weight}-subset.otf" for weight in ("Regular", "Bold")]
FONT_FAMILY = "Noto Sans CJK SC"

_current = [SOURCE_LANGUAGE]


def language() -> str:
    """The code of the language the helpers speak now: "en", "de" or "zh"."""
    return _current[0]


def set_language(code: str) -> None:
    """Make the helpers print and draw in `code`'s language ("en", "de" or "zh")."""
    if code not in LANGUAGES:
        from helpers.values import LearnerInputError, describe

        choices = ", ".join(f'"{key}" ({name})' for key, name in LANGUAGES.items())
        raise LearnerInputError(_("The language must be one of {choices}, not {value}.").format(
            choices=choices, value=describe(code)))
    _current[0] = code
    _use_font_for(code)


def _use_font_for(code: str) -> None:
    """Chinese: matplotlib draws Latin letters, digits and math in DejaVu Sans, as in the other
    editions, and falls back to the shipped font for Chinese characters."""
    import matplotlib as mpl

    chinese = ["DejaVu Sans", FONT_FAMILY]
    if code == "zh":
        from matplotlib import font_manager

        if FONT_FAMILY not in {font.name for font in font_manager.fontManager.ttflist}:
            for font in FONTS:
                font_manager.fontManager.addfont(str(font))
        mpl.rcParams["font.family"] = chinese
    elif mpl.rcParams["font.family"] == chinese:
        mpl.rcParams["font.family"] = ["sans-serif"]


@contextlib.contextmanager
def speaking(code: str) -> Iterator[None]:
    """Speak `code`'s language inside a with block (the course's generators write each edition)."""
    before = language()
    set_language(code)
    try:
        yield
    finally:
        set_language(before)


def catalog_path(code: str, domain: str = DOMAIN) -> Path:
    return LOCALE / code / "LC_MESSAGES" / f"{domain}.po"


@functools.cache
def _catalog(code: str) -> dict[str, str | dict[int, str]]:
    """msgid -> msgstr (or its plural forms) of the translated, non-fuzzy entries."""
    import polib

    path = catalog_path(code)
    if not path.exists():
        return {}
    found: dict[str, str | dict[int, str]] = {}
    for entry in polib.pofile(str(path)).translated_entries():
        found[entry.msgid] = entry.msgstr_plural or entry.msgstr
    return found


def _(message: str) -> str:
    """`message` in the current language (English when no translation is stored)."""
    if _current[0] == SOURCE_LANGUAGE:
        return message
    found = _catalog(_current[0]).get(message)
    return found if isinstance(found, str) and found else message


def n_(singular: str, plural: str, count: int) -> str:
    """The singular or the plural of a message about `count` things, in the current language."""
    english = singular if count == 1 else plural
    if _current[0] == SOURCE_LANGUAGE:
        return english
    forms = _catalog(_current[0]).get(singular)
    if not isinstance(forms, dict):
        return english
    # German has English's two forms, Chinese one (gettext's Plural-Forms of each catalog).
    index = 0 if _current[0] == "zh" else int(count != 1)
    return forms.get(index) or english


def N_(message: str) -> str:
    """Marks a message kept in a table for the catalog; translate it with `_` where it is shown."""
    return message
