"""The banner naming ignored settings speaks the UI language (reasons and layers), while the log keeps English."""

from __future__ import annotations

import pytest

from app.config import Config, machine_config_path, user_config_path


def write_bad_files() -> None:
    for path in (machine_config_path(), user_config_path()):
        path.parent.mkdir(parents=True, exist_ok=True)
    machine_config_path().write_text('font_scale = "huge"\ntablet_mode = "sideways"\nfarge = "blå"\n'
                                     'update_check_minutes = 99999\n', encoding="utf-8")
    user_config_path().write_bytes("language = 'nb'\nindex_dir = 'C:\\\\Prosedyrer\\\\Ø'\n".encode("cp1252"))


ENGLISH = ("expected", "must be", "unknown setting", "not UTF-8", "machine", "command line")


@pytest.mark.parametrize(("language", "expected"), [
    ("nb", ["font_scale fra IT-oppsettet: ventet tall, fikk tekst",
            "tablet_mode fra IT-oppsettet: må være en av auto, on, off",
            "farge fra IT-oppsettet: ukjent innstilling",
            "update_check_minutes fra IT-oppsettet: må være mellom 0 og 10080 minutter (én uke)",
            "fra ditt oppsett: ikke UTF-8-tekst (byte", "filen er ignorert, lagre den som UTF-8"]),
    ("nn", ["font_scale frå IT-oppsettet: venta tal, fekk tekst", "farge frå IT-oppsettet: ukjend innstilling",
            "update_check_minutes frå IT-oppsettet: må vere mellom 0 og 10080 minutt (éi veke)",
            "frå ditt oppsett: ikkje UTF-8-tekst", "Nokre innstillingar vart ignorerte"]),
])
def test_banner_reasons_are_in_the_ui_language(qtbot, make_window, caplog, language, expected):
    write_bad_files()
    window = make_window(language=language)
    text = window.banner.text()
    assert window.banner_box.isVisible()
    for part in expected:
        assert part in text, (part, text)
    for word in ENGLISH:
        assert word not in text, (word, text)


def test_banner_follows_a_language_switch_and_the_log_stays_english(qtbot, make_window):
    write_bad_files()
    config = Config()
    assert any(r == "expected a number (float), got text (string)" for _, _, r in config.ignored)
    assert any(r.startswith("not UTF-8 text (byte") for _, _, r in config.ignored)
    window = make_window()
    window.config.set_user("language", "en")
    window.apply_config()
    text = window.banner.text()
    assert "Some settings were ignored" in text
    assert "font_scale from the IT (machine) configuration: expected a number (float), got text (string)" in text
    assert "Nokre" not in text and "ventet" not in text


def test_toml_errors_say_where(tmp_path):
    path = tmp_path / "m.toml"
    path.write_text("index_dir = \nlanguage = 'nb'\n", encoding="utf-8")
    config = Config(machine_path=path, user_path=tmp_path / "u.toml")
    (_, _, reason), = config.ignored
    assert str(reason) == "not valid TOML (line 1, column 13)"
    assert reason.shown() == "ikke gyldig TOML (linje 1, kolonne 13)"
