"""The presentation in headless Chromium at a projector's 1280×720 and 1920×1080: every slide —
the fixed ones, two added explorer views, and a vastgestelde stand's — fits the screen without
scrolling, nothing spills out of its box or over the footer, charts are drawn with their text at
least at the size of the table's (and readable from the back: 18 px or more at 1280×720), the
footer gives the data date and shows no keyboard hint to the audience (screen readers and the
Tab key still find it), and T shows an explorer view's table in place of its chart.
"""
from __future__ import annotations

import re

import pytest

from tests.browser import (
    demo_warehouse,
    module_context,
    new_page,
    pages,
    require_browser,
    run_axe,
    running_app,
    wait_until,
)

__all__ = ["module_context", "pages"]  # fixtures: new pages in one context for the module

VIEWPORTS = [(1280, 720), (1920, 1080)]
VIEWS = ("?kpi=instroom&jaar=2025&by=school&per=jaar", "?kpi=gem_wachttijd&jaar=2025&by=&per=kwartaal")
READABLE_PX = 18          # chart text on a 1280×720 projection, as drawn

# Per slide, as drawn: is anything outside the screen or out of its box, the type sizes of the
# table and the chart, and what the footer shows. "Hidden" is what only a screen reader gets
# (a box of a pixel, or clipped away).
MEASURE = """() => {
  const hidden = (el) => {
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const s = getComputedStyle(e), r = e.getBoundingClientRect();
      if (s.display === 'none' || s.visibility === 'hidden' || (r.width <= 1 && r.height <= 1)
          || (s.clipPath && s.clipPath.startsWith('inset(50%')) || (s.clip && s.clip !== 'auto')) return true;
    }
    return false;
  };
  const deck = document.getElementById('presentatie');
  const out = [];
  const vw = window.innerWidth, vh = window.innerHeight;
  for (const el of deck.querySelectorAll('*')) {
    if (hidden(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.left < -1 || r.top < -1 || r.right > vw + 1 || r.bottom > vh + 1)
      out.push('off screen: ' + el.tagName + ' ' + (el.textContent || '').slice(0, 40));
  }
  // every placed box holds its content, and the slide's boxes stay above the footer rule
  const rule = deck.querySelector('.dia-lijn');
  const ruleTop = rule ? rule.getBoundingClientRect().top : vh;
  for (const box of deck.querySelectorAll('.slide-body > *, .slide-footer > *')) {
    if (hidden(box)) continue;
    const b = box.getBoundingClientRect();
    if (box.closest('.slide-body') && b.bottom > ruleTop + 1) out.push('over the footer: ' + box.className);
    for (const el of box.querySelectorAll('*')) {
      if (hidden(el)) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (r.left < b.left - 1 || r.top < b.top - 1 || r.right > b.right + 1 || r.bottom > b.bottom + 1)
        out.push('out of its box: ' + el.tagName + ' ' + (el.textContent || '').slice(0, 40) + ' in ' + box.className);
    }
    // its text too, line by line: a paragraph's lines may run out of a box whose own size is fixed
    // (the footnote's fifth line lay on the footer rule). Chart text is plotly's, placed by it.
    const texts = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
    for (let t = texts.nextNode(); t; t = texts.nextNode()) {
      if (!t.textContent.trim() || t.parentElement.closest('svg') || hidden(t.parentElement)) continue;
      const range = document.createRange();
      range.selectNodeContents(t);
      for (const r of range.getClientRects()) {
        if (r.top < b.top - 1 || r.bottom > b.bottom + 1 || r.left < b.left - 1 || r.right > b.right + 1)
          out.push('text out of its box: ' + t.textContent.slice(0, 40) + ' in ' + box.className);
      }
    }
  }
  const px = (el) => parseFloat(getComputedStyle(el).fontSize);
  const shownCells = [...deck.querySelectorAll('td, th')].filter((el) => !hidden(el));
  const anyCells = [...deck.querySelectorAll('td, th')];
  const chartText = [...deck.querySelectorAll('svg text')].filter((el) => !hidden(el) && el.textContent.trim());
  const stage = deck.querySelector('.dia') || deck;
  const scale = stage.getBoundingClientRect().width / stage.offsetWidth;
  const footer = deck.querySelector('.slide-footer');
  const hints = [...footer.querySelectorAll('*')].filter((el) => /PageUp/.test(el.textContent)
      && ![...el.children].some((c) => /PageUp/.test(c.textContent)));
  return {
    problems: out.slice(0, 10),
    scroll: document.documentElement.scrollHeight - vh,
    tableShown: shownCells.length ? Math.min(...shownCells.map(px)) : null,
    tableAny: anyCells.length ? Math.max(...anyCells.map(px)) : null,
    chart: chartText.length ? Math.min(...chartText.map(px)) : null,
    scale: scale,
    footer: [...footer.querySelectorAll('*')].filter((el) => !hidden(el) && !el.children.length)
      .map((el) => el.textContent).join(' '),
    hintsShown: hints.filter((el) => !hidden(el)).length,
    hints: hints.length,
  };
}"""


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    """The demonstration data with two explorer views added and a stand frozen with them."""
    require_browser()

    def prepare(engine):
        from dashboard.server import runtime, stand_view
        from data.accounts.users import User

        manager = User(1, "pm", "Petra Manager", "programmamanager", frozenset())
        runtime.configure(engine)
        try:
            for view in VIEWS:
                assert stand_view.add_view(manager, view).ok
            assert stand_view.freeze_stand(manager, "12-11-2025", "Commissie Samenleving", "2025").ok
        finally:
            runtime.reset()

    folder = tmp_path_factory.mktemp("browser_presentatie")
    with running_app(demo_warehouse(folder, prepare=prepare), folder / "app.log") as base:
        yield base


def show(page, url):
    page.goto(url)
    wait_for_slide(page, re.search(r"[?&]dia=(\d+)", url).group(1))


def next_slide(page, number: int):
    """PageDown, as a presenter's clicker sends it: the app moves to the slide in place (through
    its dcc.Location), without loading the page again."""
    page.keyboard.press("PageDown")
    wait_for_slide(page, number)
    assert f"dia={number}" in page.url


def wait_for_slide(page, number):
    # The router's answer is the whole slide (the page has no callbacks of its own: navigation is
    # client-side): the slide asked for in the page, its charts no longer pending, every one drawn.
    page.wait_for_selector(f"#presentatie[data-dia='{number}']")
    page.wait_for_selector("._dash-loading", state="detached")  # no page-side eval: a CSP may forbid it
    page.wait_for_selector("#presentatie .dash-graph--pending", state="detached")
    graphs = page.locator("#presentatie .js-plotly-plot")
    for index in range(graphs.count()):  # every chart drawn, not just placed
        graphs.nth(index).locator(".main-svg").first.wait_for()
    page.wait_for_timeout(200)


def check_slide(page, size, where) -> dict:
    return check_found(page.evaluate(MEASURE), size, where)


def check_found(found: dict, size, where) -> dict:
    """The assertions on one slide's measurement (MEASURE) at `size`."""
    assert found["problems"] == [] and found["scroll"] <= 0, (where, found)
    assert found["hints"] >= 1 and found["hintsShown"] == 0, (where, "keyboard hint in view", found["footer"])
    assert re.search(r"gegevens t/m \d{1,2} [a-z]+ \d{4}", found["footer"]), (where, found["footer"])
    if found["chart"] is not None:
        assert found["chart"] >= (found["tableShown"] or found["tableAny"] or 0) - 0.01, (where, found)
        if size == (1280, 720):
            assert found["chart"] * found["scale"] >= READABLE_PX, (where, found)
    return found


AXE_SLIDES = (3, 6)  # an axis slide, and the kostengroei's waterfall beside its table


STAGE_SCALE = "() => { const s = document.querySelector('#presentatie .dia');" \
              " return s ? s.getBoundingClientRect().width / s.offsetWidth : null; }"


def show_at(page, size) -> None:
    """The slide shown at `size`: the 1280×720 stage is scaled to the window (30_presentatie.js, on
    every resize), so after a resize the slide stands as a load at that size shows it; its charts
    are static (no redraw on a resize)."""
    if page.viewport_size == {"width": size[0], "height": size[1]}:
        return
    page.set_viewport_size({"width": size[0], "height": size[1]})
    scale = min(size[0] / 1280, size[1] / 720)
    wait_until(page, lambda: abs((page.evaluate(STAGE_SCALE) or 0) - scale) < 0.001, timeout_s=10)
    page.wait_for_timeout(100)  # the frame after the new scale is drawn


@pytest.fixture(scope="module")
def running_deck(app_url, module_context) -> dict:
    """The running year's deck walked once with PageDown, every slide measured at each of VIEWPORTS
    (a resize between them) instead of rendered once per size: the slide count, each slide's URL,
    the measurements per size and the console errors, for the test of each size to check; and
    axe-core's findings on AXE_SLIDES at 1280×720, for the keys test."""
    with new_page(module_context, *VIEWPORTS[0]) as page:
        show(page, app_url + "/presentatie?dia=1&jaar=2025")
        total = int(page.get_attribute("#presentatie", "data-dia-totaal"))
        deck = {"total": total, "urls": {}, "found": {size: {} for size in VIEWPORTS}, "axe": {}}
        sizes = list(VIEWPORTS)
        for number in range(1, total + 1):
            if number > 1:
                next_slide(page, number)
            deck["urls"][number] = page.url
            for size in sizes:
                show_at(page, size)
                deck["found"][size][number] = page.evaluate(MEASURE)
                if number in AXE_SLIDES and size == (1280, 720):
                    deck["axe"][number] = run_axe(page)  # for the keys test: the slide as a projector shows it
            sizes.reverse()  # the next slide starts at the size this one ended at
        deck["console_errors"] = list(page.console_errors)
    return deck


@pytest.mark.parametrize("size", VIEWPORTS, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_slide_fits_the_screen_and_its_charts_read_as_large_as_its_tables(running_deck, size):
    assert running_deck["total"] == 16  # 14 fixed slides (4 axes and the kostengroei after kosten) and two added views
    charts = 0
    for number, found in running_deck["found"][size].items():
        if number > 1:
            assert "jaar=2025" in running_deck["urls"][number], number
        assert abs(found["scale"] - min(size[0] / 1280, size[1] / 720)) < 0.01, (number, found)  # measured at size
        check_found(found, size, number)
        charts += found["chart"] is not None
        if 3 <= number <= 7:  # every axis slide, and the kostengroei, has its chart beside its table
            assert found["chart"] is not None and found["tableShown"], (number, found)
    assert charts == 7  # four axis slides, the kostengroei's waterfall and the two added views
    assert running_deck["console_errors"] == []


def test_a_stands_slides_fit_and_say_stand_per(app_url, pages):
    page = pages(1280, 720)
    show(page, app_url + "/presentatie?stand=1&dia=1")
    total = int(page.get_attribute("#presentatie", "data-dia-totaal"))
    assert total == 16
    for number in range(1, total + 1):
        if number > 1:
            next_slide(page, number)
            assert "stand=1" in page.url
        found = check_slide(page, (1280, 720), f"stand {number}")
        assert "Stand per 12 november 2025 — Commissie Samenleving" in found["footer"]
    assert page.console_errors == []


def test_the_keys_are_for_screen_readers_and_the_presenter_and_t_shows_the_table(app_url, pages, running_deck):
    page = pages(1280, 720)
    show(page, app_url + "/presentatie?dia=15&jaar=2025")  # the first added view, after the 14 fixed slides
    assert page.inner_text("h1") == "Instroom (gestarte trajecten) per school, 2025"
    page.keyboard.press("Tab")  # a keyboard user reaches the keys, and then sees them
    focused = page.evaluate("() => { const r = document.activeElement.getBoundingClientRect();"
                            " return [document.activeElement.textContent, r.width, r.height]; }")
    assert "PageUp" in focused[0] and focused[1] > 100 and focused[2] > 10
    page.evaluate("document.activeElement.blur()")  # (Esc would leave the presentation)
    table = page.locator("#presentatie .dia-tabel")
    assert table.bounding_box()["height"] <= 1  # for screen readers only, until T
    assert "<10" in table.inner_text()
    page.keyboard.press("t")
    page.wait_for_timeout(100)
    assert table.bounding_box()["height"] > 200
    found = page.evaluate(MEASURE)
    assert found["problems"] == [] and found["chart"] is None and found["tableShown"], found
    assert run_axe(page) == []
    page.keyboard.press("t")
    page.wait_for_timeout(100)
    assert table.bounding_box()["height"] <= 1 and page.evaluate(MEASURE)["chart"] is not None
    for number in AXE_SLIDES:  # axe on the running deck's walk, which stood on these slides at 1280×720
        assert running_deck["axe"][number] == [], number
    assert page.console_errors == []


def test_a_slide_that_does_not_exist_is_said_above_the_first_and_gone_on_the_next(app_url, pages):
    """A user's sweep: /presentatie?dia=abc silently showed slide 1. The message is on screen above
    the slide (which still fits), passes axe, and the next slide, a good URL, has none."""
    page = pages(1280, 720)
    page.goto(app_url + "/presentatie?dia=abc&jaar=2025")
    wait_for_slide(page, 1)
    notice = page.locator("#presentatie-meldingen")
    assert notice.inner_text().strip() == "Dia 'abc' bestaat niet; de eerste dia wordt getoond."
    box = notice.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= 720 and box["x"] >= 0 and box["x"] + box["width"] <= 1280
    assert run_axe(page) == []
    next_slide(page, 2)
    assert page.locator("#presentatie-meldingen").count() == 0
    assert page.console_errors == []
