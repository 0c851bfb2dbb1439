"""The SMS simulator: every text it is given becomes a ``SimulatedSms`` row, after the fault switch "sms"."""

from justis.faults import System, simulate_faults

from ..models import SimulatedSms


class SimulatedSmsGateway:
    def __init__(self, *, timeout: float):
        self.timeout = timeout

    def send(self, *, to: str, text: str, reference: str) -> None:
        simulate_faults(System.SMS, timeout=self.timeout)
        SimulatedSms.objects.create(to=to, text=text, reference=reference)
