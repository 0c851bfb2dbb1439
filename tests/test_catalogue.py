from datetime import date

from django.utils import translation

import pytest

from screening import catalogue_data
from screening.catalogue import (
    CatalogueError,
    catalogue_load,
    function_aspect_on,
    purpose_code_on,
    screening_basis_on,
    specific_profile_on,
)
from screening.models import FunctionAspect, SpecificProfile

TODAY = date(2026, 11, 23)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_messages_are_dutch_by_default():
    with translation.override("nl"), pytest.raises(CatalogueError, match="Onbekende code “99” voor functieaspect"):
        function_aspect_on("99", TODAY)


@pytest.mark.parametrize(
    "rows", [catalogue_data.FUNCTION_ASPECTS, catalogue_data.SPECIFIC_PROFILES, catalogue_data.PURPOSE_CODES]
)
def test_versions_of_one_code_never_overlap(rows):
    by_code = {}
    for row in rows:
        by_code.setdefault(row["code"], []).append(row)
    for code, versions in by_code.items():
        versions.sort(key=lambda r: r["valid_from"])
        assert sum(1 for v in versions if v["valid_to"] is None) <= 1, code
        for earlier, later in zip(versions, versions[1:], strict=False):
            assert earlier["valid_to"] is not None, code
            assert earlier["valid_to"] < later["valid_from"], code


def test_the_migration_loaded_the_catalogue_and_loading_again_changes_nothing():
    before = (FunctionAspect.objects.count(), SpecificProfile.objects.count())
    assert before == (len(catalogue_data.FUNCTION_ASPECTS), len(catalogue_data.SPECIFIC_PROFILES))
    counts = catalogue_load()
    assert (counts["function_aspects"], counts["specific_profiles"]) == before


def test_current_aspect_has_the_wording_printed_on_the_certificate():
    aspect = function_aspect_on("84", TODAY)
    assert aspect.text_nl == "Belast zijn met de zorg voor minderjarigen"
    assert aspect.text_en == "Responsible for the care of minors"
    assert aspect.risk_area.number == 8


def test_a_reused_code_resolves_to_the_wording_of_its_date():
    old = function_aspect_on("84", date(2010, 6, 1))
    new = function_aspect_on("84", TODAY)
    assert old.pk != new.pk
    assert old.valid_to < new.valid_from
    assert "afhankelijkheid" in old.text_nl


def test_unknown_code_is_refused_by_name():
    with pytest.raises(CatalogueError, match="Unknown functieaspect code “99”"):
        function_aspect_on("99", TODAY)


def test_retired_code_says_until_when_it_was_valid():
    with pytest.raises(CatalogueError, match="no longer in use") as exc:
        function_aspect_on("14", TODAY)  # retired in 2011
    assert "2011" in str(exc.value)
    with pytest.raises(CatalogueError, match="no longer in use"):
        specific_profile_on("74", TODAY)  # Busondernemer, retired 2012
    with pytest.raises(CatalogueError, match="no longer in use"):
        purpose_code_on("VIS", TODAY)


def test_code_not_yet_valid_on_an_earlier_date_is_refused():
    with pytest.raises(CatalogueError):
        specific_profile_on("96", date(2010, 1, 1))  # Onbekende functie exists from 2013-12-01


def test_screening_basis_is_exclusive():
    with pytest.raises(CatalogueError, match="not both"):
        screening_basis_on(screening_profile="45", functieaspecten=["84"], day=TODAY)
    with pytest.raises(CatalogueError, match="at least one"):
        screening_basis_on(screening_profile="", functieaspecten=[], day=TODAY)
    with pytest.raises(CatalogueError, match="only once"):
        screening_basis_on(screening_profile="", functieaspecten=["84", "84"], day=TODAY)


def test_screening_basis_prints_codes_with_both_languages():
    printed = screening_basis_on(screening_profile="", functieaspecten=["86", "84"], day=TODAY).printed()
    assert printed["kind"] == "functieaspecten"
    assert [item["code"] for item in printed["items"]] == ["84", "86"]
    profile = screening_basis_on(screening_profile="45", functieaspecten=[], day=TODAY).printed()
    assert profile["kind"] == "specific_profile"
    assert profile["items"][0]["nl"].startswith("Gezondheidszorg")
    assert profile["items"][0]["en"]
