"""Language switch applies live; every translatable string has a nynorsk and an English translation in the data
files under resources/i18n, with the same placeholders, and a broken file is refused with its path."""

from __future__ import annotations

import ast
import json
import re
import shutil
import string
import subprocess
import sys
from pathlib import Path

import pytest

from app import i18n
from app.i18n import CATALOGUE, load, read_table
from tests.app.conftest import search

ROOT = Path(__file__).resolve().parents[3]
APP = ROOT / "app"
DATA = ROOT / "resources" / "i18n"


def source_strings() -> list[str]:
    found = []
    for path in sorted(APP.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("tr", "N_") \
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                found.append(node.args[0].value)
    return found


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_catalogue_is_complete_and_placeholders_match():
    texts = source_strings()
    assert len(texts) > 100
    for code in ("nn", "en"):
        assert i18n.missing(code, texts) == [], code
        for source, translated in CATALOGUE[code].items():
            assert fields(source) == fields(translated), (code, source)


def test_every_language_file_translates_the_same_strings_and_each_once():
    tables = {path.stem: read_table(path) for path in sorted(DATA.glob("*.json"))}
    assert set(tables) == {code for code in i18n.LANGUAGES if code != "nb"}
    assert tables == CATALOGUE  # what the app loaded is exactly the files
    assert set(tables["nn"]) == set(tables["en"])
    assert all(translated.strip() for table in tables.values() for translated in table.values())


def test_a_broken_translation_file_is_refused_with_its_path_and_the_app_stays_in_bokmal(tmp_path, caplog):
    (tmp_path / "nn.json").write_text('{"Søk": "Søk", "Søk": "Leit"}', encoding="utf-8")
    (tmp_path / "en.json").write_text('{"Søk": 3}', encoding="utf-8")
    with pytest.raises(ValueError, match=r"nn\.json: source string given twice: 'Søk'"):
        read_table(tmp_path / "nn.json")
    with pytest.raises(ValueError, match=r"en\.json: not an object"):
        read_table(tmp_path / "en.json")
    assert load(tmp_path) == {"nn": {}, "en": {}}
    assert load(tmp_path / "absent") == {"nn": {}, "en": {}}
    assert str(tmp_path / "nn.json") in caplog.text and "absent" in caplog.text


def test_the_frozen_bundle_reads_the_translations_from_its_own_resources(tmp_path):
    """PyInstaller unpacks resources/ under sys._MEIPASS (build.spec collects resources/i18n there): the app must
    look there, as it does for its other resources, not beside its source files."""
    bundled = tmp_path / "resources" / "i18n"
    shutil.copytree(DATA, bundled)
    table = read_table(bundled / "en.json")
    table["Avbryt"] = "Cancel (from the bundle)"
    (bundled / "en.json").write_text(json.dumps(table, ensure_ascii=False), encoding="utf-8")
    code = ("import sys; sys._MEIPASS = sys.argv[1]\n"
            "from app import i18n\n"
            "print(i18n.tr_in('en', 'Avbryt'))")
    proc = subprocess.run([sys.executable, "-c", code, str(tmp_path)], cwd=ROOT, capture_output=True, text=True,
                          check=False, timeout=120)
    assert proc.stdout.strip() == "Cancel (from the bundle)", proc.stderr[-2000:]


def test_language_switch_is_live(qtbot, make_window):
    window = make_window()
    search(qtbot, window, "munnstell")
    assert window.menu_file.title() == "&Fil"
    assert window.status.offline_label.text() == "Frakoblet modus: ingen nettverk brukes"

    window.config.set_user("language", "en")
    window.apply_config()
    assert window.menu_file.title() == "&File"
    assert window.status.offline_label.text() == "Offline mode: no network is used"
    assert window.search_bar.field.placeholderText().startswith("Search procedures")
    assert re.match(r"\d+ results?", window.results.count_label.text())
    model = window.results.model
    assert "Review overdue since 2019-03-01" in model.data(model.index(0), model.FlagsRole)

    window.config.set_user("language", "nn")
    window.apply_config()
    assert window.search_bar.field.accessibleName() == "Søk i prosedyrar"
    assert model.data(model.index(0), model.BadgeRole) == "Lokal"
    assert window.search_bar.stale_box.text() == "Ta med dokument med forfallen revisjon"


def test_unknown_language_falls_back_to_bokmal():
    i18n.set_language("xx")
    assert i18n.language() == "nb"
    assert i18n.tr("{n} treff", n=2) == "2 treff"


def test_qt_stock_texts_follow_the_ui_language(qtbot, make_window):
    from app.i18n import set_language
    from app.qt import QDialogButtonBox, QFileDialog, QLabel, QMessageBox

    make_window()
    box = QMessageBox()
    qtbot.addWidget(box)
    box.setDetailedText("details")
    box.setStandardButtons(QMessageBox.StandardButton.Cancel)
    texts = {b.text() for b in box.buttons()}
    assert {"Avbryt", "Vis detaljer …"} <= texts
    dialog = QFileDialog()
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    labels = {label.text() for label in dialog.findChildren(QLabel)}
    assert {"&Se i:", "Fil&navn:", "Fil&type:"} <= labels
    for lang, button, text in (("nn", QDialogButtonBox.StandardButton.Open, "Opne"),
                               ("en", QDialogButtonBox.StandardButton.Cancel, "Cancel")):
        set_language(lang)
        buttons = QDialogButtonBox(button)
        qtbot.addWidget(buttons)
        assert buttons.button(button).text() == text
    set_language("nb")
