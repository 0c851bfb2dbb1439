from typing import Protocol


class SmsClient(Protocol):
    def send(self, *, to: str, text: str, reference: str) -> None:
        """Hand one text to the gateway. ``reference`` is our key for it (the gateway's idempotency key)."""
