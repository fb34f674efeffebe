"""Tablet mode: one pane at a time with a back button, touch targets of at least 9 mm."""

from __future__ import annotations

import pytest

from app import tablet
from app.qt import QApplication, Qt
from tests.app.conftest import search


def test_one_pane_at_a_time(qtbot, make_window):
    window = make_window(tablet_mode="on")
    assert window.tablet and window.act_tablet.isChecked()
    assert window.central.currentWidget() is window.pages
    assert window.pages.currentWidget() is window.results_box
    target = tablet.touch_target_px()
    assert target >= round(9 / 25.4 * 96) - 1
    search(qtbot, window, "PVK")
    assert window.search_bar.filter_button.sizeHint().height() >= target
    assert window.results.view.sizeHintForRow(0) >= target
    with qtbot.waitSignal(window.document_shown, timeout=10000):
        qtbot.mouseClick(window.results.view.viewport(), Qt.MouseButton.LeftButton,
                         pos=window.results.view.visualRect(window.results.model.index(0)).center())
    assert window.pages.currentWidget() is window.document
    assert window.document.back_button.isVisible()
    assert window.document.back_button.sizeHint().height() >= target
    qtbot.mouseClick(window.document.back_button, Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is window.results_box


def test_switching_modes_keeps_the_panes(qtbot, make_window):
    window = make_window()
    assert window.central.currentWidget() is window.splitter
    window.act_tablet.trigger()
    assert window.tablet and window.central.currentWidget() is window.pages
    assert window.config.get("tablet_mode") == "on"
    window.act_tablet.trigger()
    assert not window.tablet and window.splitter.count() == 2
    assert window.results_box.isVisible() and window.document.isVisible()  # not a blank window
    assert window.search_bar.field.isVisible()
    assert not window.document.back_button.isVisible()


def test_auto_mode_follows_the_screen(monkeypatch):
    monkeypatch.setattr(tablet, "small_screen", lambda: True)
    assert tablet.want_tablet("auto") and not tablet.want_tablet("off")
    monkeypatch.setattr(tablet, "small_screen", lambda: False)
    monkeypatch.setattr(tablet, "touch_screen_present", lambda: False)
    assert not tablet.want_tablet("auto") and tablet.want_tablet("on")


def test_tabs_menus_and_set_check_boxes_are_44_px_in_tablet_mode(qtbot, make_window):
    from app.qt import QStyle, QStyleOptionViewItem

    window = make_window(tablet_mode="on")
    assert tablet.touch_target_px() >= 44
    tabs = window.left.tabBar()
    assert all(tabs.tabRect(i).height() >= 44 for i in range(tabs.count()))
    bar = window.menuBar()
    assert all(bar.actionGeometry(a).height() >= 44 for a in bar.actions() if a.isVisible())
    menu = window.menu_file
    menu.popup(window.mapToGlobal(window.rect().center()))
    qtbot.waitUntil(menu.isVisible, timeout=2000)
    assert all(menu.actionGeometry(a).height() >= 44 for a in menu.actions() if not a.isSeparator())
    menu.close()
    pane = window.sets
    data = pane.editor.create_set("Nyansatt", "")
    window.sets_actions.add_to(data.uid, search(qtbot, window, "PVK")[0])
    pane.refresh(select=data.uid)
    window.show_sets()
    view = pane.items_view
    opt = QStyleOptionViewItem()
    opt.initFrom(view)
    opt.rect = view.visualRect(pane.items_model.index(0))
    opt.features |= QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
    box = view.style().subElementRect(QStyle.SubElement.SE_ItemViewItemCheckIndicator, opt, view)
    assert box.height() >= 44 and box.width() >= 44


def test_auto_mode_shows_one_pane_when_two_do_not_fit(qtbot, make_window):
    """200 % text on the 800-px-wide test screen: side by side would run off the screen."""
    wide = make_window(tablet_mode="off", font_scale=2.0).minimumSizeHint().width()
    window = make_window(tablet_mode="auto", font_scale=2.0)
    assert wide > window.screen().availableGeometry().width()
    assert window.tablet
    assert window.minimumSizeHint().width() < wide


def published_and_personal_sets(window_factory, tmp_path, **flags):
    from app.sets import fileformat
    from app.sets.store import SetStore

    folder = tmp_path / "published"
    folder.mkdir()
    other = SetStore(path=tmp_path / "it.sqlite")
    names = ("Felles opplæring – alle sengeposter", "Legemiddelhåndtering – grunnkurs for nyansatte",
             "Smittevern og hygiene")
    for n, name in enumerate(names):
        made = other.create(name)
        other.add_procedure(made.uid, doc_id="a-var-pvk", title="PVK", tier="var")
        fileformat.export_set(other.get(made.uid), folder / f"sett{n}")
    other.close()
    window = window_factory(published_sets_dir=str(folder), **flags)
    for name in ("Nyansatt – kirurgisk, uke 1–4", "Kveldsvakt medisin", "Nattevakt"):
        window.sets.editor.create_set(name, "")
    return window


@pytest.mark.parametrize(("size", "mode", "scale"), [((1366, 768), "off", 1.0), ((1280, 800), "off", 1.0),
                                                     ((1280, 800), "on", 1.5)])
def test_every_set_incl_published_is_above_the_fold(qtbot, make_window, tmp_path, size, mode, scale):
    window = published_and_personal_sets(make_window, tmp_path, tablet_mode=mode, font_scale=scale)
    window.resize(*size)
    pane = window.sets
    qtbot.waitUntil(lambda: len(pane.published) == 3, timeout=10000)
    window.show_sets()
    qtbot.waitUntil(lambda: pane.sets_view.isVisible(), timeout=2000)
    view, model = pane.sets_view, pane.list_model
    assert model.rowCount() == 2 + 4 + 3  # two headings, bookmarks + three sets, three published sets
    QApplication.processEvents()
    shown = view.viewport().rect()
    for row in range(model.rowCount()):
        rect = view.visualRect(model.index(row))
        assert shown.contains(rect), (row, model.data(model.index(row)), rect, shown)
        if mode == "on" and model.set_at(row) is not None:
            assert rect.height() >= 44
    assert view.horizontalScrollBar().isHidden() or not view.horizontalScrollBar().isVisible()
    # the chosen set keeps room for its items
    assert pane.items_view.height() >= 100
    if mode == "on":  # the full window width: list and chosen set side by side
        assert pane.splitter.orientation() == Qt.Orientation.Horizontal


def test_clear_buttons_are_finger_sized_in_tablet_mode(qtbot, make_window):
    window = make_window(tablet_mode="on")
    bar = window.search_bar
    field, button = bar.field, bar.field_clear
    assert button.isVisible() and not field.isClearButtonEnabled()
    assert button.width() >= 44 and button.height() >= 44
    assert not button.isEnabled()  # nothing to clear yet
    search(qtbot, window, "PVK")
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert field.text() == "" and field.hasFocus()
    assert button.accessibleName() == "Tøm søkefeltet"
    bar.filter_button.click()
    assert bar.owner_clear.isVisible() and bar.owner_clear.height() >= 44
    window.act_tablet.trigger()  # desktop: Qt's own small button inside the field
    assert not button.isVisible() and field.isClearButtonEnabled()


def small_targets(window) -> list[str]:
    from app.qt import QAbstractButton, QLineEdit

    return [f"{type(w).__name__} «{w.accessibleName() or w.text()}» {w.width()}×{w.height()}"
            for w in window.findChildren(QAbstractButton) + window.findChildren(QLineEdit)
            if w.isVisible() and (w.width() < 44 or w.height() < 44)]


def test_every_visible_button_and_field_is_a_touch_target(qtbot, make_window):
    window = make_window(tablet_mode="on", font_scale=1.5)
    window.resize(1280, 800)
    search(qtbot, window, "PVK")
    window.search_bar.filter_button.click()
    QApplication.processEvents()
    assert small_targets(window) == []  # search field, ✕, filters and the filter panel, hits page
    data = window.sets.editor.create_set("Nyansatt", "")
    window.sets_actions.add_to(data.uid, window.results.current_hit())
    window.sets.refresh(select=data.uid)
    window.show_sets()
    QApplication.processEvents()
    assert small_targets(window) == []  # the sets pane
    window.sets.start_walk()
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.document, timeout=10000)
    window.on_find()
    QApplication.processEvents()
    assert window.document.find_bar.isVisible() and window.sets.walk.isVisible()
    assert small_targets(window) == []  # the reader with the walk bar and the find bar
