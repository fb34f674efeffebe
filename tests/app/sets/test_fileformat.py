"""The .kildesett format: a round trip keeps everything; broken and hostile files are refused with a reason."""

from __future__ import annotations

import json

import pytest

from app.sets import fileformat
from app.sets.fileformat import SetFileError, parse, read_published
from app.sets.store import SetStore
from index.records import Tier


@pytest.fixture
def store(tmp_path):
    s = SetStore(path=tmp_path / "sets.sqlite")
    yield s
    s.close()


def sample(store):
    data = store.create("Nyansatt – kirurgisk sengepost, uke 1–4", "Linje én\nLinje to «sitat» & <b>ikke fet</b>")
    store.add_heading(data.uid, "Uke 1")
    item, _ = store.add_procedure(data.uid, doc_id="a-var-pvk", title="PVK – innleggelse", tier="var",
                                  owner="VAR", revised="2025-01-10", note="øves med veileder\nto ganger")
    store.add_heading(data.uid, "Uke 2")
    store.add_procedure(data.uid, doc_id="a-lok-munnstell", title="Munnstell hjå pasientar", tier="local")
    store.tick(data.uid, item.uid, True)
    return store.get(data.uid)


def good() -> dict:
    return {"format": "kildesett", "version": 1, "set": {"id": "abc", "name": "Sett", "description": "",
                                                          "items": [{"type": "procedure", "doc_id": "x",
                                                                     "title": "X", "tier": "var"}]}}


def test_export_import_round_trip_is_identical(store, tmp_path):
    original = sample(store)
    path = fileformat.export_set(original, tmp_path / "uke1")
    assert path.name == "uke1.kildesett"
    store.delete(original.uid)
    other = SetStore(path=tmp_path / "other.sqlite")
    imported = other.add_set(fileformat.read_set(path))
    assert imported.content() == original.content()
    assert imported.uid == original.uid and [i.uid for i in imported.items] == [i.uid for i in original.items]
    assert other.ticks(imported.uid) == {}  # ticks are the learner's own, never exported
    again = tmp_path / "again.kildesett"
    fileformat.export_set(imported, again)
    first, second = (json.loads(p.read_text(encoding="utf-8")) for p in (path, again))
    assert first.pop("exported") and second.pop("exported")
    assert first == second
    other.close()


@pytest.mark.parametrize(("raw", "reason"), [
    (b"{not json", "ugyldig JSON"),
    (b"", "ugyldig JSON"),
    (b"\xff\xfe\x00garbage", "UTF-8"),
    (b"[1, 2, 3]", "ikke en Kildefinner-settfil"),
    (json.dumps({**good(), "format": "other"}).encode(), "ikke en Kildefinner-settfil"),
    (json.dumps({**good(), "version": 2}).encode(), "nyere versjon"),
    (json.dumps({**good(), "version": "1"}).encode(), "versjonsnummer"),
    (json.dumps({**good(), "version": True}).encode(), "versjonsnummer"),
    (json.dumps({**good(), "version": 0}).encode(), "Ukjent filversjon"),
    (json.dumps({**good(), "set": []}).encode(), "mangler selve settet"),
    (json.dumps({**good(), "set": {**good()["set"], "name": 5}}).encode(), "må være tekst"),
    (json.dumps({**good(), "set": {**good()["set"], "name": ""}}).encode(), "mangler"),
    (json.dumps({**good(), "set": {**good()["set"], "name": "x" * 201}}).encode(), "for langt"),
    (json.dumps({**good(), "set": {**good()["set"], "name": "a\x00b"}}).encode(), "ugyldige tegn"),
    (json.dumps({**good(), "set": {**good()["set"], "items": {}}}).encode(), "liste"),
    (json.dumps({**good(), "set": {**good()["set"], "items": ["x"]}}).encode(), "Punkt 1"),
    (json.dumps({**good(), "set": {**good()["set"], "items": [{"type": "script", "title": "x"}]}}).encode(),
     "ukjent type"),
    (json.dumps({**good(), "set": {**good()["set"], "items": [
        {"type": "procedure", "doc_id": "x", "title": "X", "tier": "../../etc"}]}}).encode(), "kildenivå"),
    (json.dumps({**good(), "set": {**good()["set"], "items": [
        {"type": "procedure", "doc_id": "x", "title": "X", "revised": "i går"}]}}).encode(), "revisjonsdato"),
    (json.dumps({**good(), "set": {**good()["set"], "items": [{"type": "heading", "text": 1}] * 1001}}).encode(),
     "for mange"),
    (b'{"format": "kildesett", "format": "kildesett", "version": 1, "set": {}}', "ugyldig JSON"),
    (b'{"format": "kildesett", "version": 1, "set": {"name": NaN}}', "ugyldig JSON"),
    (b"[" * 100000 + b"]" * 100000, ""),
])
def test_bad_files_are_refused_with_a_reason(raw, reason):
    with pytest.raises(SetFileError) as info:
        parse(raw)
    assert reason in str(info.value)


def test_truncated_and_oversized_files(store, tmp_path):
    text = fileformat.to_json(sample(store)).encode()
    for cut in (1, len(text) // 3, len(text) // 2, len(text) - 3):
        with pytest.raises(SetFileError, match="skadet eller ufullstendig"):
            parse(text[:cut])
    big = tmp_path / "big.kildesett"
    big.write_bytes(b'{"format": "kildesett", "pad": "' + b"x" * (fileformat.MAX_BYTES + 10) + b'"}')
    with pytest.raises(SetFileError, match="for stor"):
        fileformat.read_set(big)


def test_markup_and_paths_are_just_text(store):
    hostile = good()
    hostile["set"]["name"] = "<img src='http://127.0.0.1:9/x.png'><script>alert(1)</script>"
    hostile["set"]["items"][0]["doc_id"] = "../../../etc/passwd"
    data = parse(json.dumps(hostile).encode())
    assert data.name.startswith("<img") and data.items[0].doc_id == "../../../etc/passwd"


def test_published_folder_skips_bad_files(tmp_path, store):
    folder = tmp_path / "published"
    folder.mkdir()
    fileformat.export_set(sample(store), folder / "kirurgisk")
    (folder / "broken.kildesett").write_text("{", encoding="utf-8")
    (folder / "notes.txt").write_text("ignored", encoding="utf-8")
    sets, skipped = read_published(folder)
    assert [s.name for s in sets] == ["Nyansatt – kirurgisk sengepost, uke 1–4"]
    assert sets[0].read_only and sets[0].source.endswith("kirurgisk.kildesett")
    assert [p.rsplit("/", 1)[-1] for p, _ in skipped] == ["broken.kildesett"]
    assert read_published(tmp_path / "missing")[1]  # an unreachable share is reported, not raised


def test_merge_or_rename_on_a_name_clash(store):
    mine = sample(store)
    theirs = parse(fileformat.to_json(mine).encode())
    store.edit_item(mine.uid, mine.items[1].uid, note="min egen merknad")
    extra = parse(json.dumps({**good(), "set": {**good()["set"], "name": mine.name}}).encode())
    assert store.merge_into(mine.uid, theirs) == 0  # nothing new: same documents and headings
    assert store.merge_into(mine.uid, extra) == 1
    merged = store.get(mine.uid)
    assert merged.items[-1].doc_id == "x" and merged.items[1].note == "min egen merknad"
    renamed = store.add_set(theirs, name=store.free_name(theirs.name))
    assert renamed.name == f"{mine.name} (2)" and renamed.uid != mine.uid


def test_a_tier_is_stored_and_written_as_the_plain_word_whatever_names_it(store, tmp_path):
    """The app names tiers with ``Tier``; the store and the file keep the word ("var", …), so files made by
    other versions read the same and ``Tier`` never leaks into the format."""
    data = store.create("Uke 1")
    store.add_procedure(data.uid, doc_id="a", title="A", tier=Tier.VAR)
    store.add_procedure(data.uid, doc_id="b", title="B", tier=Tier.LOCAL)
    path = fileformat.export_set(store.get(data.uid), tmp_path / "uke1")
    items = json.loads(path.read_text(encoding="utf-8"))["set"]["items"]
    assert [i["tier"] for i in items] == ["var", "local"]
    assert [type(i.tier) for i in store.get(data.uid).items] == [str, str]
    assert [i.tier for i in fileformat.read_set(path).items] == [Tier.VAR, Tier.LOCAL]
    unknown = good()
    unknown["set"]["items"][0]["tier"] = "nasjonal"
    with pytest.raises(SetFileError, match="ukjent kildenivå «nasjonal»"):
        parse(json.dumps(unknown).encode())
