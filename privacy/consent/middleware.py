"""Consent at the edge: every view can note an interest (`request.interest`), and only
this middleware decides whether it may be remembered in a cookie."""

from privacy.consent.services import consent_of, interest_cookie_set


class ConsentMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.consent = consent_of(request)
        response = self.get_response(request)
        interest = getattr(request, "interest", "")
        if interest and response.status_code == 200:
            interest_cookie_set(request, response, interest)
        return response
