"""Contrast audit (WCAG 2.1 AA, 4.5:1 for text) of the colours the app actually draws text with: the chips and
badges (light and dark themes), the find bar's current match, the printed checklist, the highlighted search
terms in the document, and the window palette (also when the platform theme itself falls short)."""

from __future__ import annotations

import inspect
import re

import pytest

from app import contrast
from app.contrast import AA, GROUPS, PAIRS, accessible_palette, ratio
from app.qt import QApplication, QColor, QPalette
from app.search import dochtml
from app.search.findbar import CURRENT_MATCH_BG
from app.search.results import BADGE_COLOURS
from app.sets import checklist
from tests.app.conftest import search


def test_the_formula_matches_wcag_reference_values():
    assert ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the classic just-failing grey
    assert ratio(QColor(0, 0, 0, 128), "#ffffff") == pytest.approx(ratio("#7f7f7f", "#ffffff"), abs=0.05)


@pytest.mark.parametrize("kind", sorted(BADGE_COLOURS))
def test_chips_and_badges_meet_aa_in_light_and_dark_themes(kind):
    light_bg, light_fg, dark_bg, dark_fg = BADGE_COLOURS[kind]
    assert ratio(light_fg, light_bg) >= AA, (kind, "light", ratio(light_fg, light_bg))
    assert ratio(dark_fg, dark_bg) >= AA, (kind, "dark", ratio(dark_fg, dark_bg))


def test_find_bar_print_and_flag_colours_meet_aa():
    assert ratio("#000000", CURRENT_MATCH_BG) >= AA
    # the grey table backgrounds of the printed checklist (black text)
    greys = set(re.findall(r"background-color:(#[0-9a-f]{6})", inspect.getsource(checklist)))
    assert greys and all(ratio("#000000", grey) >= AA for grey in greys)
    flag_bg = dochtml.procedure_html.__kwdefaults__["flag_bg"]
    assert ratio("#000000", flag_bg) >= AA


def fusion_like() -> QPalette:
    """A theme that falls short as Qt's Fusion does: selection 3.7:1, placeholder 4.0:1, visited links 3.1:1."""
    p = QPalette(QColor("#efefef"))
    for group in GROUPS:
        p.setColor(group, QPalette.ColorRole.Highlight, QColor("#308cc6"))
        p.setColor(group, QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
        p.setColor(group, QPalette.ColorRole.PlaceholderText, QColor(0, 0, 0, 128))
        p.setColor(group, QPalette.ColorRole.LinkVisited, QColor("#ff00ff"))
    return p


def dark() -> QPalette:
    p = QPalette(QColor("#353535"), QColor("#2a2a2a"))
    for group in GROUPS:
        p.setColor(group, QPalette.ColorRole.Text, QColor("#b0b0b0"))
        p.setColor(group, QPalette.ColorRole.WindowText, QColor("#9a9a9a"))
        p.setColor(group, QPalette.ColorRole.Highlight, QColor("#8ab4f8"))
        p.setColor(group, QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
        p.setColor(group, QPalette.ColorRole.Link, QColor("#1a5fb4"))
    return p


@pytest.mark.parametrize("theme", [fusion_like, dark], ids=["fusion-like", "dark"])
def test_a_short_falling_theme_is_fixed_up_and_only_where_needed(qapp, theme):
    before = theme()
    after = accessible_palette(before)
    for group in GROUPS:
        for fg, bg, _ in PAIRS:
            assert ratio(after.color(group, fg), after.color(group, bg)) >= AA, (fg.name, bg.name)
    assert after.color(QPalette.ColorRole.Window) == before.color(QPalette.ColorRole.Window)  # theme kept
    assert after.color(QPalette.ColorRole.Base) == before.color(QPalette.ColorRole.Base)


def test_the_window_and_the_document_use_aa_colours(qtbot, make_window):
    window = make_window()
    palette = QApplication.palette()
    for group in GROUPS:
        for fg, bg, _ in PAIRS:
            assert ratio(palette.color(group, fg), palette.color(group, bg)) >= AA, (fg.name, bg.name)
    search(qtbot, window, "kanyleboks")
    with qtbot.waitSignal(window.document_shown, timeout=10000):
        window.results.open_current()
    spans = re.findall(r'<span style="([^"]*)"', window.document.browser.toHtml())
    pairs = [(re.search(r"(?<!-)color:(#[0-9a-f]{6})", s), re.search(r"background-color:(#[0-9a-f]{6})", s))
             for s in spans]
    pairs = [(fg[1], bg[1]) for fg, bg in pairs if fg and bg]
    assert pairs, "the search terms are highlighted"
    for fg, bg in pairs:
        assert ratio(fg, bg) >= AA, (fg, bg)
    assert contrast.luminance("#ffffff") == pytest.approx(1.0)
