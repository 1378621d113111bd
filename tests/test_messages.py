"""The message catalogue (messages/): every key in both languages, the same placeholders."""
from __future__ import annotations

import string

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
