"""What every adapter to an outside system shares: its failure exceptions.

Each outside system (JDS, BRP, payment provider, mail, DigiD, eHerkenning) has a real client and a
local simulator behind one interface; both raise these exceptions, so callers treat a failing
dependency the same way: queue a retry and tell people about the delay, never fail the work.
"""


class OutsideSystemUnavailable(Exception):
    """The system did not answer (down, timed out). Try again later."""

    def __init__(self, system: str, detail: str = ""):
        self.system = system
        self.detail = detail
        super().__init__(f"{system} unavailable" + (f": {detail}" if detail else ""))


class OutsideSystemError(OutsideSystemUnavailable):
    """The system answered with an error of its own (5xx, malformed answer). Try again later."""
