"""Inputs that complete: what is shown is what is saved.

Textual's Input shows a suggestion as dim text after what was typed, and by default Enter
submits only the typed part. ``CompletingInput`` makes Enter on a shown completion take it (the
field then holds exactly what the officer saw), Right / End do the same without submitting, and
Delete at the end dismisses it (Enter then saves exactly what was typed).

``PersonInput`` picks a person by name or badge: it completes "name badge", and ``badge()``
resolves what was typed (a badge, a name, a unique start of either, or "name badge").
"""
from __future__ import annotations

from textual.message import Message
from textual.suggester import SuggestFromList
from textual.widgets import Input


class CompletingInput(Input):
    """An Input whose Enter accepts the completion shown before submitting."""

    class Completion(Message):
        """The completion shown changed (``text``: the full text Enter would take, or None)."""

        def __init__(self, input: "CompletingInput", text: str | None) -> None:
            super().__init__()
            self.input, self.text = input, text

        @property
        def control(self) -> "CompletingInput":
            return self.input

    def watch__suggestion(self, suggestion: str) -> None:
        self.post_message(self.Completion(self, self.shown_completion()))

    def shown_completion(self) -> str | None:
        """The full text shown (typed text plus dim completion), when a completion shows."""
        suggestion = self._suggestion
        if suggestion and len(suggestion) > len(self.value) and self.has_focus:
            return suggestion
        return None

    def accept_completion(self) -> bool:
        shown = self.shown_completion()
        if shown is None:
            return False
        self.value = shown
        self.cursor_position = len(shown)
        return True

    async def action_submit(self) -> None:
        self.accept_completion()
        await super().action_submit()

    def action_delete_right(self) -> None:
        """Delete at the end of the text dismisses the completion: Enter then saves what was typed."""
        if self.cursor_at_end and self.shown_completion():
            self._suggestion = ""
            return
        super().action_delete_right()

    def action_end(self, select: bool = False) -> None:
        if not select and self.accept_completion():
            return
        super().action_end(select)


def resolve_person(text: str, people: list[dict]) -> tuple[dict | None, list[dict]]:
    """The person meant by ``text`` (badge, name, "name badge", or a unique start of a badge or
    name) and, when it is ambiguous or unknown, the people it could mean."""
    text = text.strip()
    if not text:
        return None, []
    parts = text.split()
    for p in people:                         # an exact badge, or "name badge"
        if parts[-1] == p["badge"]:
            return p, [p]
    exact = [p for p in people if p["name"] == text]
    if len(exact) == 1:
        return exact[0], exact
    low = text.lower()
    starts = exact or [p for p in people if p["badge"].lower().startswith(low) or p["name"].startswith(text)]
    return (starts[0] if len(starts) == 1 else None), starts


class PersonInput(CompletingInput):
    """A person field: type a name or a badge; completes to "name badge"."""

    def __init__(self, people: list[dict], **kwargs) -> None:
        self.people = people
        words = [f"{p['name']} {p['badge']}" for p in people] + [f"{p['badge']} {p['name']}" for p in people]
        super().__init__(suggester=SuggestFromList(words, case_sensitive=False), **kwargs)

    def person(self) -> dict | None:
        value = self.value.strip()
        if value and value.split()[0] != value.split()[-1]:
            # "badge name" from the completion list: the badge comes first
            for p in self.people:
                if value.split()[0] == p["badge"]:
                    return p
        return resolve_person(value, self.people)[0]

    def badge(self) -> str:
        """The badge meant, or what was typed (the use case then says what is wrong)."""
        p = self.person()
        return p["badge"] if p else self.value.strip()
