"""Colour contrast to WCAG 2.1 AA (success criterion 1.4.3): the ratio of two colours, and a palette fixed up to it.

The platform palette is not always AA: Qt's Fusion selection blue with white text is 3.7:1 and its placeholder
grey 3.9:1. ``accessible_palette`` darkens (on a light theme) or lightens (on a dark one) just the colours that
fall short, so the user's theme otherwise stays as it is. Our own colours (chips, badges, the find bar's
current match) are chosen to pass; ``tests/app/test_contrast.py`` measures all of them.
"""

from __future__ import annotations

from app.qt import QColor, QPalette

AA = 4.5  # normal-size text
R = QPalette.ColorRole
# (text role, background role, which one may change): the pairs the app draws text with
PAIRS = ((R.WindowText, R.Window, "fg"), (R.Text, R.Base, "fg"), (R.Text, R.AlternateBase, "fg"),
         (R.ButtonText, R.Button, "fg"), (R.HighlightedText, R.Highlight, "bg"), (R.Link, R.Base, "fg"),
         (R.Link, R.Window, "fg"), (R.LinkVisited, R.Base, "fg"), (R.ToolTipText, R.ToolTipBase, "fg"),
         (R.PlaceholderText, R.Base, "fg"))
GROUPS = (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive)


def _channel(value: float) -> float:
    return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4


def luminance(colour: QColor | str) -> float:
    """Relative luminance (WCAG 2.1) of an opaque colour."""
    c = QColor(colour)
    return 0.2126 * _channel(c.redF()) + 0.7152 * _channel(c.greenF()) + 0.0722 * _channel(c.blueF())


def over(fg: QColor | str, bg: QColor | str) -> QColor:
    """``fg`` as seen on ``bg`` (a translucent colour such as Qt's placeholder grey blended in)."""
    f, b = QColor(fg), QColor(bg)
    a = f.alphaF()
    return QColor.fromRgbF(f.redF() * a + b.redF() * (1 - a), f.greenF() * a + b.greenF() * (1 - a),
                           f.blueF() * a + b.blueF() * (1 - a))


def ratio(fg: QColor | str, bg: QColor | str) -> float:
    """Contrast ratio 1–21 of text ``fg`` on ``bg``."""
    a, b = luminance(over(fg, bg)), luminance(bg)
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


def _pushed(colour: QColor, other: QColor) -> QColor:
    """``colour`` made darker (against a light ``other``) or lighter (against a dark one) until AA holds."""
    c = over(colour, other) if colour.alpha() < 255 else QColor(colour)
    darken = luminance(other) > 0.18
    for _ in range(60):
        if ratio(c, other) >= AA:
            break
        h, s, lightness, _a = c.getHslF()
        c.setHslF(max(h, 0.0), s, max(0.0, lightness - 0.02) if darken else min(1.0, lightness + 0.02), 1.0)
    return c


def accessible_palette(palette: QPalette) -> QPalette:
    out = QPalette(palette)
    for group in GROUPS:
        for fg_role, bg_role, change in PAIRS:
            fg, bg = out.color(group, fg_role), out.color(group, bg_role)
            if ratio(fg, bg) >= AA:
                continue
            if change == "fg":
                out.setColor(group, fg_role, _pushed(fg, bg))
            else:
                out.setColor(group, bg_role, _pushed(bg, fg))
    return out
