"""Settings and build dialogs: they edit the one config layer and respect IT locks."""

from __future__ import annotations

from app import errors
from app.config import Config, machine_config_path
from app.window.build_dialog import BuildDialog
from app.window.settings_dialog import SettingsDialog


def test_settings_dialog_saves_and_applies_live(qtbot, make_window):
    window = make_window()
    window.on_settings()
    dialog = window.findChild(SettingsDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    dialog.font_scale.setValue(1.3)
    dialog.accept()
    assert dialog.changed == {"language", "font_scale"}
    assert window.menu_file.title() == "&File"
    assert Config().get("language") == "en" and Config().get("font_scale") == 1.3  # saved to the user file


def test_locked_settings_are_read_only(qtbot, make_window):
    machine_config_path().parent.mkdir(parents=True, exist_ok=True)
    machine_config_path().write_text('[locked]\nlanguage = "nn"\n', encoding="utf-8")
    window = make_window()
    dialog = SettingsDialog(parent=window, config=window.config)
    qtbot.addWidget(dialog)
    assert not dialog.language.isEnabled()
    assert dialog.tablet_mode.isEnabled()


def test_ignored_settings_are_shown_once(qtbot, make_window):
    machine_config_path().parent.mkdir(parents=True, exist_ok=True)
    machine_config_path().write_text('font_scale = "huge"\n', encoding="utf-8")
    window = make_window()
    assert window.banner_box.isVisible() and "font_scale" in window.banner.text()
    window.banner_close.click()
    window.apply_config()
    assert not window.banner_box.isVisible()


def test_build_dialog_refuses_missing_folders(qtbot, make_window, tmp_path, app_sources):
    window = make_window()
    dialog = BuildDialog(parent=window, config=window.config, session=window.session)
    qtbot.addWidget(dialog)
    dialog.fields["var"].setText(str(tmp_path / "missing"))
    dialog.accept()
    assert errors.shown and "missing" in errors.shown[-1].text()
    errors.shown[-1].close()
    dialog.fields["var"].setText(f"{app_sources[0][1]} ; {app_sources[1][1]}")
    assert [t for t, _ in dialog.sources()] == ["var", "var"]


def test_numbers_use_the_decimal_comma_in_norwegian(qtbot, make_window):
    from app.window.settings_dialog import SettingsDialog

    window = make_window(font_scale=1.5)
    dialog = SettingsDialog(parent=window, config=window.config)
    qtbot.addWidget(dialog)
    assert dialog.font_scale.text() == "1,50"


def test_folder_choice_starts_in_the_documents_folder(qtbot, make_window, monkeypatch, tmp_path):
    import platformdirs

    seen = []
    monkeypatch.setattr("app.window.build_dialog.QFileDialog.getExistingDirectory",
                        lambda parent, title, start: seen.append(start) or "")
    window = make_window()
    dialog = BuildDialog(parent=window, config=window.config, session=window.session)
    qtbot.addWidget(dialog)
    dialog.fields["var"].setText("")
    dialog._browse(dialog.fields["var"], True)
    dialog.fields["local"].setText(str(tmp_path))
    dialog._browse(dialog.fields["local"], True)
    assert seen == [platformdirs.user_documents_dir(), str(tmp_path)]
