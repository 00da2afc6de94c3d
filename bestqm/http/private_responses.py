"""`Cache-Control: no-store` on every response that may carry private data.

A response is private when the request was authenticated (a session or an API token: by the
time the response passes here, Django REST framework has put its user on the request) or
when its path is one of PRIVATE_PATH_PREFIXES (the admin, the member's API, the account
pages, the privacy centre and requests, unsubscribe links), whoever asked. Public pages for
visitors stay cacheable; static files never get here (WhiteNoise answers them first).
"""

from django.conf import settings
from django.utils.cache import patch_cache_control


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response_is_private(request):
            # private also drops any `public` a view set; no-store forbids keeping a copy.
            patch_cache_control(response, private=True, no_store=True)
        return response


def response_is_private(request) -> bool:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return True
    return request.path_info.startswith(tuple(settings.PRIVATE_PATH_PREFIXES))
