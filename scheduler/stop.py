"""A stop token: the caller holds it, the solver watches it.

    token = StopToken()
    threading.Thread(target=lambda: generate(session, start, 28, stop=token)).start()
    token.stop()          # from any thread: the solve ends soon with the best roster so far

A token stopped before the solve starts stops it at once (a list that received the engine
could not: a stop before the engine existed was lost).  No OR-Tools here, so the terminal
can hold a token without loading the solver.
"""
from __future__ import annotations

import threading
from typing import Callable


class StopToken:
    def __init__(self) -> None:
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._callbacks: list[Callable[[], None]] = []

    def stop(self) -> None:
        """Ask every solve that watches this token to stop (idempotent, thread-safe)."""
        with self._lock:
            self._event.set()
            callbacks = list(self._callbacks)
        for fn in callbacks:
            fn()

    @property
    def stopped(self) -> bool:
        return self._event.is_set()

    def subscribe(self, fn: Callable[[], None]) -> Callable[[], None]:
        """Call ``fn`` when the token is stopped (at once if it already is); returns a
        function that unsubscribes it."""
        with self._lock:
            already = self._event.is_set()
            if not already:
                self._callbacks.append(fn)
        if already:
            fn()

        def unsubscribe() -> None:
            with self._lock:
                if fn in self._callbacks:
                    self._callbacks.remove(fn)
        return unsubscribe
