"""Tablet (touch) mode: when to use it, and how big a touch target must be on this screen."""

from __future__ import annotations

from app.qt import QGuiApplication, QInputDevice, QScroller

SMALL_SCREEN_WIDTH = 1100  # logical pixels
TOUCH_TARGET_MM = 9.0


def touch_screen_present() -> bool:
    return any(d.type() == QInputDevice.DeviceType.TouchScreen for d in QInputDevice.devices())


def small_screen() -> bool:
    screen = QGuiApplication.primaryScreen()
    return screen is not None and screen.availableGeometry().width() < SMALL_SCREEN_WIDTH


def want_tablet(setting: str) -> bool:
    """``setting`` is the config value auto|on|off."""
    if setting == "on":
        return True
    if setting == "off":
        return False
    return small_screen() or touch_screen_present()


def touch_target_px() -> int:
    """9 mm in logical pixels on the primary screen (at least 36 px when the screen reports nothing useful)."""
    screen = QGuiApplication.primaryScreen()
    dpi = screen.logicalDotsPerInch() if screen is not None else 96.0
    return max(36, round(TOUCH_TARGET_MM / 25.4 * (dpi or 96.0)))


def stylesheet(target: int) -> str:
    """Touch-sized controls. Sizes only: colours stay with the platform palette."""
    box = target * 2 // 3
    return (f"QPushButton, QLineEdit, QComboBox, QCheckBox, QToolButton {{ min-height: {target}px; }}"
            f"QCheckBox::indicator {{ width: {box}px; height: {box}px; }}"
            f"QListWidget::item {{ min-height: {target}px; }}")


def touch_scrolling(areas, on: bool) -> None:
    """Kinetic scrolling by finger on scroll areas (tablet mode); mouse dragging keeps selecting text."""
    for area in areas:
        if on:
            QScroller.grabGesture(area.viewport(), QScroller.ScrollerGestureType.TouchGesture)
        else:
            QScroller.ungrabGesture(area.viewport())
