"""More chains of construction passes, each in a process of its own (long horizons).

On a long horizon the construction's passes are the search (see
:mod:`scheduler.engine.construction`), and they are Python: one interpreter lock, one core.
The other cores would wait for them.  Instead each spare core runs a chain of passes of its
own (another seed, so another order of people) in a child process and sends back every
roster better than the chain's last best; the parent offers them to its incumbent.  The
chains stay independent (each goes on from its own last roster: starting the passes again
from the best roster was tried and is worse, docs/benchmarks.md).

    chains = PassChains.start(run, n)   # None when no process can be started here
    ...                                 # the parent's own passes
    chains.stop()                       # stop the children, offer what they sent

A child is a fresh interpreter (``python -c``, not :mod:`multiprocessing`, whose ``spawn``
would run the caller's unguarded main script again) that reads the problem, the rules and
the domains pickled on its stdin and writes pickled rosters on its stdout; it needs no
disk.  It stops when its stdin closes: when the parent stops it, and when the parent dies.
Where a process cannot be started the parent's passes run alone, as before.
"""
from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading
from dataclasses import replace

from scheduler.engine.incumbent import Incumbent, Values
from scheduler.engine.run import Run, elastic_weight

_DEBUG = bool(os.environ.get("DUTYDESK_LNS_DEBUG"))
_JOIN_S = 3.0        # how long the parent waits for a stopped child before killing it
_SEND_S = 1.0        # ... and for the thread that writes a child's input
_CHILD = "from scheduler.engine.chains import child_main; child_main()"


class PassChains:
    def __init__(self, run: Run, procs: list[subprocess.Popen], payloads: list[bytes]):
        self.run = run
        self._procs = procs
        # the input (MBs on long horizons) is written by a thread: the child reads it only
        # after its imports, and the parent's own passes must not wait for that
        self._writers = [threading.Thread(target=_send, args=(proc, data), daemon=True)
                         for proc, data in zip(procs, payloads)]
        self._readers = [threading.Thread(target=self._read, args=(proc,), daemon=True)
                         for proc in procs]
        for t in self._writers + self._readers:
            t.start()

    @classmethod
    def start(cls, run: Run, n: int) -> "PassChains | None":
        """``n`` child chains, or None when no process can be started here."""
        if n <= 0:
            return None
        o = run.options
        left = max(0.5, o.time_limit - run.spent())
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
        procs, payloads = [], []
        try:
            shared = pickle.dumps((run.problem, run.rules, run.allowed),
                                  protocol=pickle.HIGHEST_PROTOCOL)
            for k in range(n):
                opts = replace(o, seed=o.seed + 7919 * (k + 1), time_limit=left,
                               construct_chains=0, num_workers=1, log=False)
                # stderr only when debugging: a terminal app's screen is the parent's
                proc = subprocess.Popen([sys.executable, "-c", _CHILD], env=env,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=None if _DEBUG else subprocess.DEVNULL)
                procs.append(proc)
                payloads.append(shared + pickle.dumps(opts, protocol=pickle.HIGHEST_PROTOCOL))
        except (OSError, pickle.PicklingError, AttributeError, TypeError):
            for proc in procs:
                proc.kill()
            return None
        run.stats["construction_chains"] = n
        return cls(run, procs, payloads)

    def _read(self, proc: subprocess.Popen) -> None:
        """Offer what one child sends until it ends."""
        run = self.run
        H = run.problem.horizon
        while True:
            try:
                objective, flat = pickle.load(proc.stdout)
            except (EOFError, OSError, pickle.UnpicklingError, ValueError, TypeError):
                return
            values: Values = {(i // H, i % H): v for i, v in enumerate(flat)}
            if run.incumbent.offer(objective, values, "first"):
                run.count("chain_improvements")

    def stop(self) -> None:
        """Stop the children (their stdin closes) and offer their last rosters; a child
        that has not ended after a few seconds is killed."""
        for proc, writer in zip(self._procs, self._writers):
            writer.join(_SEND_S)
            try:
                proc.stdin.close()
            except OSError:
                pass
        for proc, reader in zip(self._procs, self._readers):
            try:
                proc.wait(_JOIN_S)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            reader.join(_JOIN_S)
            proc.stdout.close()


def _send(proc: subprocess.Popen, data: bytes) -> None:
    try:
        proc.stdin.write(data)
        proc.stdin.flush()
    except (OSError, ValueError):
        pass        # the child has ended (or the parent has closed the pipe)


class _Forward(Incumbent):
    """The child's incumbent: every roster it keeps goes to the parent as well."""

    def __init__(self, elapsed, out, E: int, H: int):
        super().__init__(elapsed)
        self._out, self._E, self._H = out, E, H

    def offer(self, objective: int, values: Values, phase: str, iteration: int = 0) -> bool:
        if not super().offer(objective, values, phase, iteration):
            return False
        H = self._H
        flat = [values[(e, d)] for e in range(self._E) for d in range(H)]
        try:      # one thread offers here: the child's passes
            pickle.dump((objective, flat), self._out, protocol=pickle.HIGHEST_PROTOCOL)
            self._out.flush()
        except OSError:
            pass        # the parent has stopped listening
        return True


def child_main() -> None:
    """A child's chain: the construction's passes until its stdin closes."""
    from scheduler.engine.construction import Construction
    from scheduler.engine.solvers import Solvers
    from scheduler.stop import StopToken
    # the rosters go on the real stdout; anything else written there goes to stderr
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    inp = sys.stdin.buffer
    problem, rules, allowed = pickle.load(inp)
    options = pickle.load(inp)
    solvers = Solvers(options)
    stop = StopToken()
    inc = _Forward(solvers.elapsed, out, len(problem.employees), problem.horizon)
    run = Run(problem=problem, rules=list(rules), options=options, solvers=solvers,
              incumbent=inc, stop=stop, allowed=allowed,
              sub_rules=[r.elastic(elastic_weight(problem)) for r in rules],
              construct_first=True, stats={})
    solvers.start(run.halted)

    def watch() -> None:
        inp.read()          # returns when the parent closes the pipe (or dies)
        stop.stop()
    threading.Thread(target=watch, daemon=True).start()
    Construction(run).people()
    out.close()
