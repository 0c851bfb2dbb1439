"""The link between a session and its user (django-sessionprofile), written only when it can have changed.

The package's own store reads the link and its user on every request. The link changes only when the
session does (a login or logout changes the session), so an unchanged session skips it; and the user is
compared by id, without loading it. Configured as ``SESSIONPROFILE_BACKEND``.
"""

from django.contrib.auth import get_user_model

from sessionprofile.backends import db
from sessionprofile.models import SessionProfile


class SessionProfileStore(db.SessionProfileStore):
    def save_session(self, request) -> None:
        session = self.get_session_store(request)
        if session is None or session.session_key is None or not session.modified:
            return
        user = getattr(request, "user", None)
        user_id = user.pk if isinstance(user, get_user_model()) and user.is_authenticated else None
        profile, _new = SessionProfile.objects.get_or_create(session_key=session.session_key)
        if profile.user_id != user_id:
            profile.user_id = user_id
            profile.save(update_fields=["user"])
