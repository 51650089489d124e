"""Writes the access log for every request that audit.access says to."""

from audit.access import kind_of, record_request, watch_reads


class AccessLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with watch_reads() as read:
            response = self.get_response(request)
            # A page is rendered by now; a streamed download is an export whatever it reads.
            kind = kind_of(request, response, read)
        if kind is not None:
            record_request(request, kind)
        return response
