"""Tablet (touch) mode: when to use it, and how big a touch target must be on this screen."""

from __future__ import annotations

from app.qt import QGuiApplication, QInputDevice, QScroller, Qt, QToolButton

SMALL_SCREEN_WIDTH = 1100  # logical pixels
TOUCH_TARGET_MM = 9.0
MIN_TARGET_PX = 44  # WCAG 2.1 target size (2.5.5), whatever the screen reports


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
    """9 mm in logical pixels on the primary screen, and never under 44 px."""
    screen = QGuiApplication.primaryScreen()
    dpi = screen.logicalDotsPerInch() if screen is not None else 96.0
    return max(MIN_TARGET_PX, round(TOUCH_TARGET_MM / 25.4 * (dpi or 96.0)))


def stylesheet(target: int) -> str:
    """Touch-sized controls. Sizes only: colours stay with the platform palette."""
    box = target * 2 // 3
    pad = max(4, (target - 12) // 2)  # menus have no min-height in style sheets: padding around the text makes it
    return (f"QPushButton, QLineEdit, QComboBox, QCheckBox, QToolButton {{ min-height: {target}px; }}"
            f"QCheckBox::indicator {{ width: {box}px; height: {box}px; }}"
            # the check boxes drawn in list rows (a set's items): the box itself is what a finger must hit
            f"QAbstractItemView::indicator {{ width: {target}px; height: {target}px; }}"
            f"QListView::item {{ min-height: {target}px; }}"  # the section list and the list of sets
            f"QTabBar::tab {{ min-height: {target}px; padding: 0 {pad}px; }}"
            f"QMenuBar::item {{ padding: {pad}px {pad}px; }}"
            f"QMenu::item {{ padding: {pad}px 32px {pad}px 24px; }}")


def touch_scrolling(areas, on: bool) -> None:
    """Kinetic scrolling by finger on scroll areas (tablet mode); mouse dragging keeps selecting text."""
    for area in areas:
        if on:
            QScroller.grabGesture(area.viewport(), QScroller.ScrollerGestureType.TouchGesture)
        else:
            QScroller.ungrabGesture(area.viewport())


class ClearButton(QToolButton):
    """Tablet mode: a finger-sized ✕ beside a line edit, in place of Qt's clear icon inside the field (about
    16 px, too small to hit). Always there in tablet mode (enabled when there is text) so the field does not
    change width under the finger; hidden on the desktop, where Qt's own button is used."""

    def __init__(self, field, *, parent=None):
        super().__init__(parent)
        self.field = field
        self.target = 0
        self.setText("✕")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Esc empties the field from the keyboard
        self.clicked.connect(self.on_clicked)
        field.textChanged.connect(self._update)
        self.hide()

    def on_clicked(self) -> None:
        self.field.clear()
        self.field.setFocus()

    def set_touch(self, target: int) -> None:
        self.target = target
        self.field.setClearButtonEnabled(not target)
        if target:
            self.setFixedSize(target, target)
        self.setVisible(bool(target))
        self._update()

    def _update(self, *_args) -> None:
        self.setEnabled(bool(self.field.text()))
