"""The message catalogue (messages/): every key in both languages, the same placeholders."""
from __future__ import annotations

import string
from pathlib import Path

import pytest

import messages
from messages import MESSAGES, Msg, t


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_has_both_languages_with_the_same_placeholders():
    bad = []
    for key, pair in MESSAGES.items():
        if not (isinstance(pair, tuple) and len(pair) == 2 and all(isinstance(x, str) and x for x in pair)):
            bad.append(f"{key}: not a (zh, en) pair of texts")
            continue
        zh, en = pair
        if placeholders(zh) != placeholders(en):
            bad.append(f"{key}: zh {sorted(placeholders(zh))} vs en {sorted(placeholders(en))}")
    assert not bad, "\n".join(bad)


def test_msg_renders_in_the_language_asked_and_nested_messages_follow():
    before = messages.lang()
    try:
        messages.set_lang("zh")
        m = Msg("status.draft")
        assert str(m) == "草稿" and m.render("en") == "draft"
        assert t("status.draft", _lang_override="en") == "draft"
    finally:
        messages.set_lang(before)


def test_unknown_key_is_shown_as_itself():
    assert t("no.such.key") == "no.such.key"


def test_a_key_defined_twice_is_refused(tmp_path, monkeypatch):
    # two modules of the package defining one key must not silently overwrite each other
    import importlib
    import sys
    pkg = tmp_path / "fakemsgs"
    pkg.mkdir()
    (pkg / "__init__.py").write_text((messages.__file__ and open(messages.__file__, encoding="utf-8").read()), encoding="utf-8")
    (pkg / "a.py").write_text('MESSAGES = {"x": ("甲", "a")}\n', encoding="utf-8")
    (pkg / "b.py").write_text('MESSAGES = {"x": ("乙", "b")}\n', encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(RuntimeError, match="defined twice"):
        importlib.import_module("fakemsgs")
    sys.modules.pop("fakemsgs", None)


def test_po_export_holds_every_message_and_a_translation_comes_back(tmp_path, monkeypatch):
    """messages/po.py: the catalogue as a .po file for translators, and their changes written back
    into the modules (only the Chinese string of the changed key), refused when a placeholder is lost."""
    import importlib
    import shutil
    import sys
    copy = tmp_path / "pomsgs"
    shutil.copytree(Path(messages.__file__).parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.syspath_prepend(str(tmp_path))
    po = importlib.import_module("pomsgs.po")
    try:
        text = po.export()
        keys = {k for _, k, _, _ in po.entries()}
        assert {k for k in MESSAGES if not k.startswith("click:")} <= keys
        assert 'msgctxt "dispatch.holds"\nmsgid "holds {skills}"\nmsgstr "具备{skills}"' in text
        assert po.check(text) == ({}, [])                       # the export read back changes nothing
        edited = text.replace('msgstr "具备{skills}"', 'msgstr "掌握{skills}"')
        assert po.check(edited) == ({"dispatch.holds": "掌握{skills}"}, [])
        lost = text.replace('msgstr "具备{skills}"', 'msgstr "掌握技能"')
        assert po.check(lost)[1] == ["dispatch.holds: placeholders [], the English has ['skills']"]
        with pytest.raises(ValueError):
            po.apply(lost)
        before = (copy / "dispatch.py").read_text(encoding="utf-8")
        assert po.apply(edited) == {"dispatch.holds": "掌握{skills}"}
        after = (copy / "dispatch.py").read_text(encoding="utf-8")
        assert after == before.replace('"具备{skills}"', '"掌握{skills}"')
        assert po.check(po.export()) == ({}, [])
    finally:
        for name in [m for m in sys.modules if m == "pomsgs" or m.startswith("pomsgs.")]:
            sys.modules.pop(name, None)
