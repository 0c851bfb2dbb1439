"""Builders of refused applications, through the lifecycle, for the objection tests."""

from applications.lifecycle import Status, application_transition
from justis.audit import Actor
from tests.factories import TEST_ACTOR, received_application

REFUSAL_PATH = (Status.IN_ASSESSMENT, Status.IN_REVIEW, Status.INTENT_TO_REFUSE)


def refuse(application, refused_by=None):
    """Move a received application to ``refused``; ``refused_by`` (a screener) takes the final step."""
    for step in REFUSAL_PATH:
        application = application_transition(application=application, to_status=step, actor=TEST_ACTOR)
    actor = Actor.user(refused_by) if refused_by is not None else TEST_ACTOR
    return application_transition(application=application, to_status=Status.REFUSED, actor=actor, reason="refused")


def refused_application(*, refused_by=None, **kwargs):
    """A VOG NP (see ``received_application``) refused by ``refused_by``."""
    return refuse(received_application(**kwargs), refused_by)
