"""Config files as IT and Notepad really save them: encodings, a BOM, huge or deeply nested files.

The app always starts; a file it cannot use is ignored with a clear, logged reason (shown once in the window).
"""

from __future__ import annotations

import logging

import pytest

from app.config import MAX_FILE_BYTES, Config, machine_config_path, user_config_path

IT_FILE = 'index_dir = "D:\\\\Prosedyrer\\\\indeks"\nlanguage = "nn"\nlocked = ["index_dir"]\n# Sjukepleie – ø\n'


def put(path, raw: bytes):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(raw)


def reasons(config: Config) -> str:
    return " | ".join(reason for _, _, reason in config.ignored)


@pytest.mark.parametrize("encoding, bom", [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf")], ids=["utf-8", "utf-8-bom"])
def test_utf8_with_or_without_bom_is_read_and_locks_hold(encoding, bom):
    put(machine_config_path(), bom + IT_FILE.encode(encoding))
    config = Config(flags={"index_dir": "/tmp/elsewhere"})
    assert config.ignored == []
    assert config.get("index_dir") == "D:\\Prosedyrer\\indeks" and config.is_locked("index_dir")
    assert config.get("language") == "nn"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be"])
def test_utf16_with_a_bom_is_read_with_a_warning(codec, caplog):
    raw = IT_FILE.encode(codec)
    if codec == "utf-16-be":
        raw = b"\xfe\xff" + raw
    put(machine_config_path(), raw)
    with caplog.at_level(logging.WARNING):
        config = Config()
    assert config.get("index_dir") == "D:\\Prosedyrer\\indeks" and config.is_locked("index_dir")
    assert "UTF-16" in reasons(config) and "UTF-16" in caplog.text


@pytest.mark.parametrize("raw", [
    IT_FILE.encode("cp1252"),  # Notepad "ANSI": ø and – are not UTF-8
    IT_FILE.encode("utf-16-le"),  # UTF-16 without a byte-order mark
    b"\xff\xd8\xff\xe0 a JPEG saved as the config",
], ids=["cp1252", "utf-16-no-bom", "binary"])
def test_other_encodings_are_ignored_with_a_logged_warning_and_the_app_starts(raw, caplog):
    put(machine_config_path(), raw)
    put(user_config_path(), raw)
    with caplog.at_level(logging.WARNING):
        config = Config()
    assert config.get("index_dir") == "" and config.get("language") == "nb"
    assert {layer for layer, _, _ in config.ignored} == {"machine", "user"}
    assert "ignored" in caplog.text


def test_deeply_nested_and_oversized_files_are_ignored():
    put(machine_config_path(), b"a = " + b"[" * 50_000 + b"]" * 50_000 + b"\n")
    put(user_config_path(), b'language = "nn"\n' + b"# padding\n" * (MAX_FILE_BYTES // 10 + 1))
    config = Config()
    assert config.get("language") == "nb"
    text = reasons(config)
    assert "larger than" in text and ("nested too deeply" in text or "file larger" in text)
    put(machine_config_path(), b"a = " + b"[" * 5_000 + b"]" * 5_000 + b"\n")  # under the size cap
    assert "nested too deeply" in reasons(Config())


def test_user_values_with_any_character_read_back_the_same():
    config = Config()
    odd = "/mnt/prosedyrer/\U000e0001tag\u200b/\U0001d173x/😀/ø"
    assert config.set_user("index_dir", odd) == ""
    assert config.set_user("sources_var", [odd, "/b"]) == ""
    config.save()
    again = Config()
    assert again.ignored == []
    assert again.get("index_dir") == odd and again.get("sources_var") == [odd, "/b"]


def test_a_value_that_cannot_be_saved_is_refused_not_written():
    config = Config()
    assert "cannot be saved" in config.set_user("index_dir", "/mnt/\udcffbad")
    config.save()
    assert Config().ignored == []
