"""Writes the access log for every request that audit.access says to."""

from audit.access import kind_of, record_request


class AccessLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        kind = kind_of(request, response)
        if kind is not None:
            record_request(request, kind)
        return response
