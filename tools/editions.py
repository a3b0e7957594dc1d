"""The German and Chinese editions, generated from the English chapters and gettext catalogs.

The English chapters in notebooks/ are the source. For every edition (notebooks/de/, notebooks/zh/):
- notebooks/locale/<language>/<chapter>.po holds the chapter's translations: a markdown cell's text, a
  comment in a code cell, or a string literal a learner reads (one with a word and a space in it);
- helpers/locale/<language>/LC_MESSAGES/helpers.po holds what the helpers print and draw, and the
  course's generated text (tools/contents.py).
The edition's chapter is the English one with those pieces swapped: the code is otherwise the same,
token for token, and the setup cell says `language="<language>"`. The generated map and navigation
come from tools/contents.py; outputs and slide plans from `make editions` (which runs the chapters).

    python tools/editions.py           update every catalog, then write the editions' chapters
    python tools/editions.py --check   report stale catalogs, stale chapters and untranslated text
"""

from __future__ import annotations

import copy
import datetime
import io
import re
import sys
import tokenize
from dataclasses import dataclass
from pathlib import Path

import nbformat
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from helpers.translation import LANGUAGES, catalog_path
from tools import cjk_font
from tools.project import EDITIONS, NOTEBOOKS, ROOT, chapter_paths, edition_folder

CATALOGS = NOTEBOOKS / "locale"
# Cells tools/contents.py writes (in each edition's language): not translated here.
GENERATED = ("<!-- generated: chapters -->", "<!-- generated: navigation -->")
BADGE = re.compile(r"^\[!\[Binder\]\(.*\)\]\(.*\)$", re.M)
# A string literal is for the learner when it holds a word (two letters) and a space.
PROSE = re.compile(r"[A-Za-z]{2}.*\s|\s.*[A-Za-z]{2}", re.S)
STRING_PARTS = re.compile(r"(?P<prefix>[rRbBuUfF]*)(?P<quote>'''|\"\"\"|'|\")(?P<body>.*)(?P=quote)$", re.S)
SETUP_LANGUAGE = re.compile(r'(helpers\.setup\([^)]*language=")[a-z]+(")')
# Where the helpers' catalog takes its messages from: the helpers and the course's generators.
MESSAGE_SOURCES = {"helpers": ["**.py"], "tools": ["contents.py", "slides.py"]}
KEYWORDS = {"_": None, "N_": None, "n_": (1, 2)}
PO_WIDTH = 100
ISSUES = "https://github.com/learn-autodiff/gradient-tapes/issues"
HEADER = "# The gradient-tapes course in another language (python tools/editions.py keeps it in step)."
DATE = datetime.datetime(2026, 12, 3, tzinfo=datetime.timezone.utc)


@dataclass(frozen=True)
class Piece:
    """A piece of a chapter to translate: where it is and its English text."""

    cell: int
    kind: str  # "markdown", "comment" or "string"
    text: str
    start: tuple[int, int] = (0, 0)  # a token's place in a code cell (line, column)
    end: tuple[int, int] = (0, 0)
    prefix: str = ""  # "#  " before a comment, or a string's prefix and opening quote
    suffix: str = ""  # a string's closing quote


def is_generated(cell) -> bool:
    return cell.cell_type == "markdown" and cell.source.startswith(GENERATED)


def markdown_text(source: str) -> str:
    """A markdown cell's text without its Binder badge (each edition has its own)."""
    return BADGE.sub("", source).strip()


def code_pieces(index: int, source: str) -> list[Piece]:
    pieces = []
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.COMMENT:
            text = tok.string.lstrip("#")
            lead = tok.string[: len(tok.string) - len(text.lstrip())]
            if text.strip() and not text.strip().startswith(("noqa", "type:")):
                pieces.append(Piece(index, "comment", text.strip(), tok.start, tok.end, lead, ""))
        elif tok.type == tokenize.STRING:
            parts = STRING_PARTS.match(tok.string)
            if parts and PROSE.search(parts["body"]):
                opening, closing = parts["prefix"] + parts["quote"], parts["quote"]
                pieces.append(Piece(index, "string", parts["body"], tok.start, tok.end, opening, closing))
    return pieces


def pieces(nb) -> list[Piece]:
    """Every piece of an English chapter to translate, in reading order."""
    found = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown" and not is_generated(cell):
            text = markdown_text(cell.source)
            if text:
                found.append(Piece(index, "markdown", text))
        elif cell.cell_type == "code":
            found.extend(code_pieces(index, cell.source))
    return found


def template(chapter: Path) -> Catalog:
    """The chapter's catalog template: each piece once, with the cells it stands in."""
    nb = nbformat.read(chapter, as_version=4)
    catalog = new_catalog()
    for piece in pieces(nb):
        catalog.add(piece.text, locations=[(nb.cells[piece.cell].get("id", str(piece.cell)), None)],
                    auto_comments=[piece.kind])
    return catalog


def helpers_template() -> Catalog:
    catalog = new_catalog()
    for folder, patterns in MESSAGE_SOURCES.items():
        methods = [(pattern, "python") for pattern in patterns]
        found = extract_from_dir(ROOT / folder, method_map=methods, keywords=KEYWORDS)
        for filename, _line, message, comments, _context in found:
            catalog.add(message, locations=[(f"{folder}/{filename}", None)], auto_comments=comments)
    return catalog


def new_catalog(code: str | None = None) -> Catalog:
    # Fixed dates and header: a catalog whose messages did not change is written byte for byte the same.
    return Catalog(locale=code, project="gradient-tapes", fuzzy=False, header_comment=HEADER,
                   creation_date=DATE, revision_date=DATE)


def read_catalog(path: Path, code: str) -> Catalog:
    if not path.exists():
        return new_catalog(code)
    with path.open("rb") as handle:
        return read_po(handle, locale=code)


def updated(path: Path, code: str, source: Catalog) -> bytes:
    """The catalog at `path` brought up to `source`: new pieces untranslated, changed ones fuzzy (their
    old translation kept to revise), vanished ones dropped."""
    catalog = read_catalog(path, code)
    catalog.version, catalog.msgid_bugs_address = "1", ISSUES
    catalog.last_translator = catalog.language_team = f"{LANGUAGES[code]} <{ISSUES}>"
    catalog.update(source, no_fuzzy_matching=False)
    catalog.obsolete.clear()
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=PO_WIDTH, sort_output=False, include_previous=True)
    return buffer.getvalue()


def translations(path: Path, code: str) -> dict[str, str]:
    """msgid -> translation, for the entries translated and not fuzzy."""
    catalog = read_catalog(path, code)
    return {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy}


def untranslated(path: Path, code: str) -> list[str]:
    """The messages of a catalog that have no translation yet, or a fuzzy one."""
    catalog = read_catalog(path, code)
    return [m.id if isinstance(m.id, str) else m.id[0] for m in catalog
            if m.id and (m.fuzzy or not m.string or (isinstance(m.string, tuple) and not all(m.string)))]


def translate_code(source: str, found: list[Piece], words: dict[str, str], code: str) -> str:
    lines = source.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    text = source
    for piece in sorted(found, key=lambda p: p.start, reverse=True):
        begin = offsets[piece.start[0] - 1] + piece.start[1]
        end = offsets[piece.end[0] - 1] + piece.end[1]
        said = words.get(piece.text, piece.text)
        text = text[:begin] + piece.prefix + said + piece.suffix + text[end:]
    return SETUP_LANGUAGE.sub(rf"\g<1>{code}\g<2>", text)


def edition_path(chapter: Path, code: str) -> Path:
    return edition_folder(code) / chapter.name


def chapter_catalog(chapter: Path, code: str) -> Path:
    return CATALOGS / code / f"{chapter.stem}.po"


def edition(chapter: Path, code: str) -> nbformat.NotebookNode:
    """The edition's chapter: the English one translated, with the outputs, slide plans and generated
    cells of the stored edition where their cell is unchanged."""
    english = nbformat.read(chapter, as_version=4)
    words = translations(chapter_catalog(chapter, code), code)
    nb = copy.deepcopy(english)
    by_cell: dict[int, list[Piece]] = {}
    for piece in pieces(english):
        by_cell.setdefault(piece.cell, []).append(piece)
    for index, cell in enumerate(nb.cells):
        found = by_cell.get(index, [])
        if cell.cell_type == "markdown" and found:
            badge = BADGE.search(cell.source)
            text = words.get(found[0].text, found[0].text)
            if badge:  # the English badge, launching the edition's chapter
                text += "\n\n" + badge.group(0).replace("notebooks%2F", f"notebooks%2F{code}%2F")
            cell.source = text
        elif cell.cell_type == "code":
            cell.source = translate_code(cell.source, found, words, code)
    # What the stored edition's own run and slide plan made: outputs, widget states, slide types.
    stored_path = edition_path(chapter, code)
    stored = nbformat.read(stored_path, as_version=4) if stored_path.exists() else nbformat.v4.new_notebook()
    nb.metadata.pop("widgets", None)
    if "widgets" in stored.metadata:
        nb.metadata["widgets"] = stored.metadata["widgets"]
    by_id = {c.get("id"): c for c in stored.cells}
    for cell in nb.cells:
        old = by_id.get(cell.get("id"))
        if old is None or old.cell_type != cell.cell_type:
            old = nbformat.v4.new_code_cell() if cell.cell_type == "code" else nbformat.v4.new_markdown_cell()
        cell.metadata.pop("slideshow", None)
        if "slideshow" in old.metadata:
            cell.metadata["slideshow"] = old.metadata["slideshow"]
        if is_generated(cell) and old.source:
            cell.source = old.source
        if cell.cell_type == "code":
            same = old.source == cell.source
            cell.outputs, cell.execution_count = (old.outputs, old.execution_count) if same else ([], None)
    return nb


def expected_files() -> dict[Path, bytes]:
    """Every catalog and edition chapter as the English chapters and helpers make them now."""
    out: dict[Path, bytes] = {}
    messages = helpers_template()
    for code in EDITIONS:
        out[catalog_path(code)] = updated(catalog_path(code), code, messages)
        for chapter in chapter_paths():
            po = chapter_catalog(chapter, code)
            out[po] = updated(po, code, template(chapter))
    return out


def expected_editions() -> dict[Path, bytes]:
    out = {}
    for code in EDITIONS:
        for chapter in chapter_paths():
            out[edition_path(chapter, code)] = (nbformat.writes(edition(chapter, code)) + "\n").encode()
    return out


def stale(expected: dict[Path, bytes]) -> list[Path]:
    return [p for p, data in expected.items() if not p.exists() or p.read_bytes() != data]


def missing_translations() -> dict[Path, list[str]]:
    """Catalog -> its messages without a translation (or with a fuzzy one)."""
    found = {}
    for code in EDITIONS:
        for path in [catalog_path(code)] + [chapter_catalog(ch, code) for ch in chapter_paths()]:
            left = untranslated(path, code)
            if left:
                found[path] = left
    return found


def main(argv: list[str]) -> int:
    check = "--check" in argv
    catalogs = expected_files()
    if check:
        problems = [f"stale catalog: {p.relative_to(ROOT)}" for p in stale(catalogs)]
        problems += [f"stale edition: {p.relative_to(ROOT)}" for p in stale(expected_editions())]
        for path, left in missing_translations().items():
            problems.append(f"{len(left)} untranslated in {path.relative_to(ROOT)}, first: {left[0][:80]!r}")
        if not cjk_font.up_to_date():
            problems.append("stale font: the Chinese font lacks characters the catalogs use")
        print("\n".join(problems) or "The catalogs and editions are up to date.")
        return 1 if problems else 0
    for path in stale(catalogs):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(catalogs[path])
        print(f"updated {path.relative_to(ROOT)}")
    for path, data in expected_editions().items():
        if not path.exists() or path.read_bytes() != data:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            print(f"updated {path.relative_to(ROOT)}")
    if not cjk_font.up_to_date():
        cjk_font.build()
        print("updated the Chinese font: " + ", ".join(str(f.relative_to(ROOT)) for f in cjk_font.FONTS))
    for path, left in missing_translations().items():
        print(f"{len(left)} untranslated in {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
