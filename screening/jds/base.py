from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Protocol


@dataclass(frozen=True)
class JusticeRecord:
    """One entry of someone's justice record (justitiële gegeven), as the JDS reports it."""

    offence_article: str
    offence_description: str
    offence_category: str
    offence_date: date
    decision_date: date
    disposal_type: str
    final: bool
    sentence: str = ""
    detention_days: int = 0

    def as_json(self) -> dict:
        data = asdict(self)
        data["offence_date"] = self.offence_date.isoformat()
        data["decision_date"] = self.decision_date.isoformat()
        return data

    @classmethod
    def from_json(cls, data: dict) -> JusticeRecord:
        return cls(
            offence_article=str(data["offence_article"]),
            offence_description=str(data["offence_description"]),
            offence_category=str(data["offence_category"]),
            offence_date=date.fromisoformat(data["offence_date"]),
            decision_date=date.fromisoformat(data["decision_date"]),
            disposal_type=str(data["disposal_type"]),
            final=bool(data["final"]),
            sentence=str(data.get("sentence", "")),
            detention_days=int(data.get("detention_days", 0)),
        )


class JdsClient(Protocol):
    def records_for(self, bsn: str) -> list[JusticeRecord]:
        """All records of the person with this BSN; [] when there are none.

        Raises ``justis.adapters.OutsideSystemUnavailable`` (or its subclass ``OutsideSystemError``)
        when the system cannot answer: the caller retries later.
        """
        ...

    def records_for_many(self, bsns) -> dict[str, list[JusticeRecord]]:
        """``records_for`` of every BSN (a batch of assessments), as ``{bsn: records}``. Raises like it."""
        ...

    def records_for_legal_entity(self, kvk_number: str) -> list[JusticeRecord]:
        """All records of the legal entity with this KvK number (the company convicted itself); [] when none.

        Raises like ``records_for``.
        """
        ...
