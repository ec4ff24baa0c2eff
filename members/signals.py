"""Sign-ins with a password (the browsable API's and the admin's), logged.

API keys are logged where they are checked (members.authentication); these
receivers cover the session sign-in. Ids only: never the email address or the
password that was tried.
"""

import logging

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from members.models import Member

logger = logging.getLogger(__name__)


@receiver(user_logged_in, dispatch_uid="members.signals.signed_in")
def _signed_in(sender: type, request: HttpRequest, user: Member, **kwargs: object) -> None:
    logger.info("Member signed in: member=%s", user.pk)


@receiver(user_login_failed, dispatch_uid="members.signals.sign_in_refused")
def _sign_in_refused(sender: str, credentials: dict, **kwargs: object) -> None:
    logger.info("Sign-in refused: wrong email or password, or inactive member")
