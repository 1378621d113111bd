"""The user's keymap: binding ids to keys, from a TOML file.

``~/.config/dutydesk/keymap.toml`` (or ``$XDG_CONFIG_HOME/dutydesk/keymap.toml``)::

    # binding id = key; several keys with commas. Ids: docs/tui.md, "Keys and ids".
    [keys]
    "board.ack" = "k"
    "roster.approve" = "ctrl+a"

Every Binding of the app has an id (``all_binding_ids``); the app applies the file with
``App.set_keymap``. Unknown ids, keys that do not reach a terminal over SSH (only F-keys,
letters, digits, Ctrl+letter and a few named keys do) and a file that is not TOML are reported,
and the rest of the file still applies.
"""
from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

SAFE_KEY = re.compile(r"^(f([1-9]|1[0-2])|[a-z0-9]|ctrl\+[a-z]|escape|enter|tab|space|delete|backspace|home|end|"
                      r"pageup|pagedown|up|down|left|right)$")


def default_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "dutydesk" / "keymap.toml"


def all_binding_ids() -> dict[str, str]:
    """Every binding id of the app -> its default key."""
    from tui.app import DutydeskApp
    from tui.screens.board import BoardScreen
    from tui.screens.dialogs import ConfirmScreen, DialogScreen, FormScreen, InfoScreen, ProgressScreen
    from tui.screens.dispatch import IntakeScreen, RecommendScreen
    from tui.screens.handover import HandoverScreen
    from tui.screens.help import HelpScreen
    from tui.screens.patrol import PatrolScreen
    from tui.screens.people import PeopleScreen
    from tui.screens.roster import RosterScreen
    out: dict[str, str] = {}
    for cls in (DutydeskApp, BoardScreen, RosterScreen, PeopleScreen, PatrolScreen, HandoverScreen, DialogScreen,
                FormScreen, ConfirmScreen, InfoScreen, ProgressScreen, IntakeScreen, RecommendScreen, HelpScreen):
        for bindings in cls._merge_bindings().key_to_bindings.values():
            for b in bindings:
                if b.id:
                    out.setdefault(b.id, b.key)
    return out


def load(path: Path | None = None) -> tuple[dict[str, str], list[str]]:
    """(keymap, problems) from the file; no file: ({}, [])."""
    path = path or default_path()
    if not path.exists():
        return {}, []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return {}, [f"{path}: {exc}"]
    keys = data.get("keys", data)
    known = all_binding_ids()
    keymap, problems = {}, []
    for bid, value in keys.items():
        if bid not in known:
            problems.append(f"{path}: no binding '{bid}'")
            continue
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{path}: '{bid}' needs a key as text, e.g. \"k\"")
            continue
        parts = [k.strip().lower() for k in value.split(",") if k.strip()]
        bad = [k for k in parts if not SAFE_KEY.match(k)]
        if bad:
            problems.append(f"{path}: '{bid}': {', '.join(bad)} may not reach the app over SSH; "
                            "use F-keys, letters, digits or ctrl+letter")
            continue
        keymap[bid] = ",".join(parts)
    return keymap, problems
