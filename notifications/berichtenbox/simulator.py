"""The message box simulator: each message becomes a row, after the fault switch "berichtenbox"."""

from justis.faults import System, simulate_faults

from ..models import SimulatedBerichtenboxMessage


class SimulatedBerichtenbox:
    def __init__(self, *, timeout: float):
        self.timeout = timeout

    def deliver(self, *, bsn: str, subject: str, body: str, reference: str) -> None:
        simulate_faults(System.BERICHTENBOX, timeout=self.timeout)
        SimulatedBerichtenboxMessage.objects.create(bsn=bsn, subject=subject[:255], body=body, reference=reference)
