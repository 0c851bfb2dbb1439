"""The JDS simulator: records per BSN (or KvK number of a legal entity) in the ``SimulatedJusticeRecord``
table, with fault switches.

Every valid BSN without rows has no records. ``python manage.py seed_demo`` adds the demo persons.
"""

from justis.faults import System, simulate_faults

from ..models import SimulatedJusticeRecord
from .base import JusticeRecord


class SimulatedJds:
    def __init__(self, *, timeout: float):
        self.timeout = timeout

    def records_for(self, bsn: str) -> list[JusticeRecord]:
        simulate_faults(System.JDS, timeout=self.timeout)
        return self._records(SimulatedJusticeRecord.objects.filter(bsn=bsn)) if bsn else []

    def records_for_many(self, bsns) -> dict[str, list[JusticeRecord]]:
        """The records of many persons in one query (a batch of assessments); one fault check for all."""
        simulate_faults(System.JDS, timeout=self.timeout)
        found: dict[str, list[JusticeRecord]] = {bsn: [] for bsn in bsns if bsn}
        rows = SimulatedJusticeRecord.objects.filter(bsn__in=list(found)).order_by("bsn", "offence_date", "id")
        for row in rows:
            found[row.bsn].append(self._record(row))
        return found

    def records_for_legal_entity(self, kvk_number: str) -> list[JusticeRecord]:
        simulate_faults(System.JDS, timeout=self.timeout)
        return self._records(SimulatedJusticeRecord.objects.filter(kvk_number=kvk_number)) if kvk_number else []

    @staticmethod
    def _record(row) -> JusticeRecord:
        return JusticeRecord(
            offence_article=row.offence_article,
            offence_description=row.offence_description,
            offence_category=row.offence_category,
            offence_date=row.offence_date,
            decision_date=row.decision_date,
            disposal_type=row.disposal_type,
            final=row.final,
            sentence=row.sentence,
            detention_days=row.detention_days,
        )

    @classmethod
    def _records(cls, rows) -> list[JusticeRecord]:
        return [cls._record(row) for row in rows.order_by("offence_date", "id")]
