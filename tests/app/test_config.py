"""The configuration layer: defaults < IT file < user file < flags, IT locks, invalid values ignored."""

from __future__ import annotations

import tomllib

from app.config import OPTIONS, Config, dump_toml, machine_config_path, user_config_path


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_defaults_from_the_one_table():
    config = Config()
    assert config.ignored == []
    for option in OPTIONS:
        assert config.get(option.key) == option.default
        assert option.description
    assert config.get("tablet_mode") == "auto" and config.get("language") == "nb"


def test_layering_user_over_machine_and_flags_over_user():
    write(machine_config_path(), 'language = "nn"\nfont_scale = 1.5\n')
    write(user_config_path(), 'language = "en"\n')
    config = Config(flags={"font_scale": 2.0, "index_dir": None})
    assert config.get("language") == "en"  # user beats the IT default
    assert config.get("font_scale") == 2.0  # flag beats both
    assert Config().get("font_scale") == 1.5  # the IT default when nobody overrides it


def test_locked_keys_win_over_user_and_flags():
    write(machine_config_path(), 'index_dir = "/srv/idx"\nlocked = ["index_dir"]\n[other]\n')
    write(user_config_path(), 'index_dir = "/home/me/idx"\n')
    config = Config(flags={"index_dir": "/tmp/x"})
    assert config.get("index_dir") == "/srv/idx"
    assert config.is_locked("index_dir")
    assert config.set_user("index_dir", "/elsewhere") != ""
    assert any(key == "other" for _, key, _ in config.ignored)


def test_locked_table_form():
    write(machine_config_path(), '[locked]\nlanguage = "nn"\ntablet_mode = "sideways"\n')
    config = Config(flags={"language": "en"})
    assert config.get("language") == "nn" and config.is_locked("language")
    assert not config.is_locked("tablet_mode") and config.get("tablet_mode") == "auto"
    assert ("machine", "tablet_mode") in {(layer, key) for layer, key, _ in config.ignored}


def test_invalid_values_fall_back_and_are_reported():
    write(user_config_path(), 'language = "de"\nfont_scale = 9.0\ntablet_mode = 3\nsemantic = "yes"\n'
                              'colour = "pink"\nsources_var = ["/a", 2]\n')
    config = Config()
    assert config.get("language") == "nb"
    assert config.get("font_scale") == 1.0
    assert config.get("tablet_mode") == "auto"
    assert config.get("semantic") is True
    assert config.get("sources_var") == []
    ignored = {key: reason for _, key, reason in config.ignored}
    assert set(ignored) == {"language", "font_scale", "tablet_mode", "semantic", "colour", "sources_var"}
    assert "unknown" in ignored["colour"]


def test_broken_file_is_reported_not_fatal():
    write(user_config_path(), 'language = "nn\n')
    config = Config()
    assert config.get("language") == "nb"
    assert config.ignored and "not valid TOML" in config.ignored[0][2]


def test_save_round_trip():
    config = Config()
    assert config.set_user("index_dir", 'C:\\Prosedyrer\\"idx"') == ""
    assert config.set_user("font_scale", 1.25) == ""
    assert config.set_user("sources_local", ["/a b", "/c"]) == ""
    assert config.set_user("language", "xx") != ""
    config.save()
    again = Config()
    assert again.get("index_dir") == 'C:\\Prosedyrer\\"idx"'
    assert again.get("font_scale") == 1.25 and again.get("sources_local") == ["/a b", "/c"]
    assert again.ignored == []
    assert tomllib.loads(dump_toml({"semantic": False, "n": 3})) == {"semantic": False, "n": 3}


def test_deployment_keys_exist_with_safe_defaults():
    config = Config()
    assert config.get("index_dir") == "" and config.get("published_sets_dir") == ""
    assert config.get("model_path") == "" and config.get("language") == "nb" and config.get("tablet_mode") == "auto"
    assert config.get("gap_log") is False and config.machine_value("gap_log") is False  # off unless IT says so
    assert config.get("update_check_minutes") == 60


def test_it_file_for_a_ward_pc_with_a_locked_share():
    write(machine_config_path(), 'index_dir = "//fil01/kildefinner/publisert"\nupdate_check_minutes = 30\n'
                                 'published_sets_dir = "//fil01/kildefinner/sett"\ngap_log = true\n'
                                 'locked = ["index_dir", "gap_log"]\n')
    write(user_config_path(), 'index_dir = "/home/me/idx"\ngap_log = false\nupdate_check_minutes = 5\n')
    config = Config(flags={"index_dir": "/tmp/other"})
    assert config.get("index_dir") == "//fil01/kildefinner/publisert"
    assert config.get("gap_log") is True and config.is_locked("gap_log")
    assert config.machine_value("gap_log") is True
    assert config.get("update_check_minutes") == 5  # not locked: the user may check more often
    assert config.get("published_sets_dir") == "//fil01/kildefinner/sett"
    assert config.ignored == []


def test_bad_deployment_values_fall_back_one_by_one():
    write(machine_config_path(), 'update_check_minutes = -5\ngap_log = "yes"\npublished_sets_dir = 3\n'
                                 'index_dir = "/srv/idx"\n')
    config = Config()
    assert config.get("update_check_minutes") == 60 and config.get("gap_log") is False
    assert config.get("published_sets_dir") == "" and config.get("index_dir") == "/srv/idx"
    ignored = {key: reason for _, key, reason in config.ignored}
    assert set(ignored) == {"update_check_minutes", "gap_log", "published_sets_dir"}
    assert "10080" in ignored["update_check_minutes"] and "bool" in ignored["gap_log"]
    write(user_config_path(), "update_check_minutes = true\n")
    assert Config().get("update_check_minutes") == 60  # a bool is not a number of minutes


def test_a_user_cannot_switch_the_gap_log_on():
    write(user_config_path(), "gap_log = true\n")
    assert Config(flags={"gap_log": True}).machine_value("gap_log") is False  # what the app reads
