from django.contrib.auth.backends import ModelBackend

from accounts.models import User
from accounts.selectors import user_by_login


class LoginNameOrEmailBackend(ModelBackend):
    """Sign in with the login name or the e-mail address, case-insensitively."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = user_by_login(username)
        if user is None:
            # Spend the same time as a real check, so response times do not reveal
            # which login names exist.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
