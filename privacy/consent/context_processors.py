from django.conf import settings

from privacy.consent.services import INTEREST_COOKIE


def consent(request):
    """The banner shows until the visitor has chosen for this version of the text; a
    remembered interest is offered only with interest consent."""
    choice = getattr(request, "consent", None)
    allows = choice is not None and choice.allows_interest
    return {
        "consent_needed": choice is None,
        "consent_choice": choice,
        "consent_version": settings.CONSENT_TEXT_VERSION,
        "remembered_interest": request.COOKIES.get(INTEREST_COOKIE, "") if allows else "",
    }
