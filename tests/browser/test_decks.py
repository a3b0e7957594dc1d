"""The offline decks a lecturer gets from `make slides`, opened as they would be: one deck copied
alone to a fresh folder, in Chromium at 1280×720 with the network cut. Each deck must load nothing
from the web, render its math, show every explorer as its stored picture, and fit every slide and
sub-slide (all fragments and solutions shown) on the screen: nothing below it, no code cut at the right.

Skipped with a reason when Chromium is absent; under CI (CI=true) an absent browser is a failure.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

from tests.browser import require_chromium
from tools import slides
from tools.project import NOTEBOOKS, ROOT, every_chapter

SCREENSHOTS = ROOT / "build" / "screenshots" / "decks"
SCREEN = {"width": 1280, "height": 720}
# "01_gradient_tape", and the editions' "de/01_gradient_tape", "zh/01_gradient_tape"
CHAPTERS = [path.relative_to(NOTEBOOKS).with_suffix("").as_posix() for path in every_chapter()]
WIDGET_VIEW = slides.WIDGET_VIEW

require_chromium()  # without Chromium the module is skipped (a failure under CI)

# Visits every slide position with all its fragments shown and its <details> (solutions) open,
# and returns what sticks out: below the screen, past its right edge, or cut inside a box that
# clips or scrolls (code that does not wrap). Each finding names the slide by its first heading.
MEASURE = """async () => {
  await MathJax.startup.promise;
  await Promise.all([...document.images].map(img => img.decode().catch(() => null)));
  Reveal.configure({transition: "none", backgroundTransition: "none"});
  const width = window.innerWidth, height = window.innerHeight, found = [];
  const describe = el => [...(el.textContent || el.getAttribute("alt") || el.tagName).trim()]
    .slice(0, 70).join("") + ` (${el.tagName.toLowerCase()}.${[...el.classList].join(".")})`;
  let positions = 0;
  Reveal.getHorizontalSlides().forEach((stack, h) => {
    const vertical = stack.querySelectorAll(":scope > section");
    (vertical.length ? [...vertical] : [stack]).forEach((_, v) => {
      Reveal.slide(h, v);
      const slide = Reveal.getCurrentSlide();
      slide.querySelectorAll(".fragment").forEach(f => f.classList.add("visible"));
      slide.querySelectorAll("details").forEach(d => { d.open = true; });
      Reveal.layout();
      positions += 1;
      const heading = slide.querySelector("h1, h2, h3, p");
      const title = heading ? [...heading.textContent.replace("¶", "").trim()].slice(0, 50).join("") : "";
      const where = `slide ${h + 1}.${v + 1} "${title}"`;
      const elements = [...slide.querySelectorAll("*")].filter(el =>
        !el.closest("aside.notes, script, style") && el.getClientRects().length);
      const below = elements.filter(el => el.getBoundingClientRect().bottom > height + 0.5);
      // the innermost element that sticks out says best what it is
      const lowest = below.filter(el => !below.some(other => other !== el && el.contains(other)));
      if (lowest.length) {
        const el = lowest[lowest.length - 1];
        const px = Math.round(el.getBoundingClientRect().bottom - height);
        found.push(`${where}: ${px}px below the screen: ${describe(el)}`);
      }
      for (const el of elements) {
        const style = getComputedStyle(el);
        const clips = ["hidden", "auto", "scroll", "clip"].includes(style.overflowX);
        if (el.getBoundingClientRect().right > width + 0.5 && !el.closest("mjx-container svg")) {
          found.push(`${where}: past the right edge: ${describe(el)}`);
          break;
        }
        if (clips && el.scrollWidth > el.clientWidth + 1) {
          found.push(`${where}: cut at the right (${el.scrollWidth - el.clientWidth}px): ${describe(el)}`);
          break;
        }
      }
    });
  });
  return {positions, found};
}"""

# Text outside code that still looks like TeX: MathJax did not render it.
RAW_TEX = """() => {
  const walker = document.createTreeWalker(document.querySelector(".slides"), NodeFilter.SHOW_TEXT);
  const raw = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest("pre, code, script, style, mjx-container, aside.notes")) continue;
    const text = node.textContent;
    const tex = /\\$[^$\\s][^$]*\\$|\\\\(frac|partial|sum|mathbf|cdot)\\b/;
    if (tex.test(text)) raw.push(text.trim().slice(0, 80));
  }
  return {raw, rendered: document.querySelectorAll("mjx-container").length};
}"""


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    """`make slides`'s export, once for the module."""
    target = tmp_path_factory.mktemp("slides")
    built = slides.export(target)
    return {deck.relative_to(target).as_posix().removesuffix(".slides.html"): deck for deck in built}


@pytest.fixture
def offline_page(browser, tmp_path):
    """A page at 1280×720 that can reach no network: every request but file:// is refused and kept."""
    context = browser.new_context(viewport=SCREEN)
    context.set_offline(True)
    refused: list[str] = []

    def refuse(route):
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    context.route("**/*", refuse)
    page = context.new_page()
    page.refused = refused
    yield page
    context.close()


def open_alone(page, deck: Path, folder: Path) -> None:
    """Copy one deck to an empty folder, as a lecturer would, and open it from there."""
    copy = folder / deck.name
    shutil.copy(deck, copy)
    page.goto(copy.as_uri(), wait_until="load")
    page.wait_for_function("() => window.Reveal && Reveal.isReady()")


# Where every explorer's still is, and how large its picture is once its slide is shown.
STILLS = """() => [...document.querySelectorAll('.explorer-still')].map(still => {
  const {h, v} = Reveal.getIndices(still.closest('section'));
  Reveal.slide(h, v || 0);
  const img = still.querySelector('img'), box = img && img.getBoundingClientRect();
  return {h, v: v || 0, src: img && img.src, loaded: !!img && img.complete && img.naturalWidth > 0,
          width: box ? box.width : 0, height: box ? box.height : 0, bottom: box ? box.bottom : 0};
})"""


def stored_pictures(chapter: str) -> list[str]:
    """The explorers' first pictures as the notebook stores them (PNG in the saved widget state)."""
    nb = nbformat.read(ROOT / "notebooks" / f"{chapter}.ipynb", as_version=4)
    state = nb.metadata.get("widgets", {}).get(slides.WIDGET_STATE, {}).get("state", {})
    images = [model for model in state.values() if model["model_name"] == "ImageModel"]
    return [buffer["data"] for model in images for buffer in model.get("buffers", [])]


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_deck_opens_offline_and_every_slide_fits(decks, offline_page, tmp_path, chapter):
    page = offline_page
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    open_alone(page, decks[chapter], tmp_path)

    result = page.evaluate(MEASURE)
    assert page.refused == [], f"{chapter} asked the network for {page.refused}"
    assert errors == [], f"{chapter}: script errors {errors}"
    assert result["positions"] > 1, f"{chapter}: the deck has no slides"
    assert result["found"] == [], f"{chapter} at 1280×720:\n" + "\n".join(result["found"])

    tex = page.evaluate(RAW_TEX)
    assert tex["raw"] == [], f"{chapter} shows raw TeX: {tex['raw']}"
    nb = nbformat.read(ROOT / "notebooks" / f"{chapter}.ipynb", as_version=4)
    if any("$" in cell.source for cell in nb.cells if cell.cell_type == "markdown"):
        assert tex["rendered"] > 0, f"{chapter} has math but MathJax rendered none"

    # No output area stands empty (a widget view with nothing to draw it showed as a bare "Out[n]:").
    empty = page.evaluate("""() => [...document.querySelectorAll('.jp-OutputArea-output')]
        .filter(out => !out.innerText.trim() && !out.querySelector('img, svg')).length""")
    assert empty == 0, f"{chapter} has {empty} empty outputs"

    # Each explorer shows the picture its notebook stored, at a size that can be read, on screen.
    stills = page.evaluate(STILLS)
    views = [o for cell in nb.cells for o in cell.get("outputs", []) if WIDGET_VIEW in o.get("data", {})]
    assert len(stills) == len(views), f"{chapter}: {len(views)} widgets, {len(stills)} stills in the deck"
    stored = stored_pictures(chapter)
    for still in stills if stored else []:
        where = f"{chapter} explorer on slide {still['h'] + 1}.{still['v'] + 1}"
        shown = still["loaded"] and any(still["src"].endswith(picture) for picture in stored)
        assert shown, f"{where}: not the stored picture"
        size = f"{still['width']:.0f}×{still['height']:.0f}"
        assert still["width"] > 300 and still["height"] > 150, f"{where}: picture too small: {size}"
        assert still["bottom"] <= SCREEN["height"], f"{where}: picture runs below the screen"
    if stills:
        page.evaluate("([h, v]) => Reveal.slide(h, v)", [stills[0]["h"], stills[0]["v"]])
        shot = SCREENSHOTS / f"{chapter}-explorer.png"
        shot.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=shot)
