"""The command line in the user's language: click's own texts and the commands' help.

- click's texts (``Usage:``, ``Options``, ``Error: Missing option``, ...) go through gettext; the
  modules of click look them up with ``_``/``ngettext``, which are pointed here at the catalogue
  (``messages/click.py``) so they follow ``--lang`` / the locale like every other message.
- Each command's help and each option's help is written in English in the decorators (what click
  expects and a developer reads next to the code); its Chinese is in ``messages/help.py`` under
  the command's path (``roster generate``, ``roster generate --days``). ``localize(root, lang)``
  sets them for one invocation; ``tests/test_cli_help.py`` checks that every command and option
  with help has its Chinese.
"""
from __future__ import annotations

import click

_ORIGINAL: dict[int, tuple] = {}


def _gettext(message: str) -> str:
    from messages import MESSAGES, lang
    if lang() != "zh":
        return message
    pair = MESSAGES.get(f"click:{message}")
    return pair[0] if pair else message


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _gettext(singular if n == 1 else plural)


def install_click_texts() -> None:
    """Route click's gettext look-ups to the catalogue (once)."""
    import importlib
    for name in ("core", "exceptions", "formatting", "decorators", "parser", "types", "termui", "utils"):
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = _gettext
        if hasattr(module, "ngettext"):
            module.ngettext = _ngettext


def walk(cmd: click.Command, path: str = "", *, load: bool = True):
    """(path, command) for the command and every subcommand: ("", root), ("roster", ...), ("roster generate", ...).
    ``load``: import the groups the root loads lazily first (main.COMMANDS); else only those loaded."""
    yield path, cmd
    if load and hasattr(cmd, "load_all"):
        cmd.load_all()
    if isinstance(cmd, click.Group):
        for name, sub in sorted(cmd.commands.items()):
            yield from walk(sub, f"{path} {name}".strip(), load=load)


def option_key(path: str, param: click.Parameter) -> str:
    name = max(param.opts, key=len) if param.opts else param.name
    return f"{path} {name}".strip()


def localize(root: click.Command, lang: str, path: str = "", *, load: bool = True) -> None:
    """Set every command's and option's help to ``lang`` (the English from the decorators is kept
    and put back for en). ``path``: the command path of ``root`` ("" for the root group);
    ``load``: load lazily imported groups first (see ``walk``)."""
    from messages.help import HELP_ZH
    for path, cmd in walk(root, path, load=load):
        key = id(cmd)
        if key not in _ORIGINAL:
            _ORIGINAL[key] = (cmd.help, cmd.short_help, {id(p): getattr(p, "help", None) for p in cmd.params})
        help_en, short_en, params_en = _ORIGINAL[key]
        zh = HELP_ZH.get(path) if lang == "zh" else None
        cmd.help = zh or help_en
        cmd.short_help = (zh.split("\n", 1)[0] if zh else short_en)
        if hasattr(cmd, "_help_option"):
            cmd._help_option = None          # click keeps --help's text once made; make it again
        for p in cmd.params:
            if not isinstance(p, click.Option):
                continue
            en = params_en.get(id(p))
            zh_help = None
            if lang == "zh" and en:
                zh_help = HELP_ZH.get(option_key(path, p)) or HELP_ZH.get(option_key("*", p))
            p.help = zh_help or en


def language_of(args: list[str], obj) -> str:
    """The language of one invocation, before click parses it: --lang in the arguments, else the
    injected context's, else the locale's."""
    from messages import locale_lang
    for i, a in enumerate(args):
        if a == "--lang" and i + 1 < len(args) and args[i + 1] in ("zh", "en"):
            return args[i + 1]
        if a.startswith("--lang=") and a[7:] in ("zh", "en"):
            return a[7:]
    lang = getattr(obj, "lang", None)
    return lang if lang in ("zh", "en") else locale_lang()
