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

    def records_for_legal_entity(self, kvk_number: str) -> list[JusticeRecord]:
        simulate_faults(System.JDS, timeout=self.timeout)
        return self._records(SimulatedJusticeRecord.objects.filter(kvk_number=kvk_number)) if kvk_number else []

    @staticmethod
    def _records(rows) -> list[JusticeRecord]:
        return [
            JusticeRecord(
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
            for row in rows.order_by("offence_date", "id")
        ]
