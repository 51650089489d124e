"""Every API error is JSON: `{"error": "<what is wrong>", "status": <code>}`, with the
invalid fields and their messages under `fields` when a filter is refused."""

from rest_framework.views import exception_handler


def json_error(exc, context):
    response = exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    body = {"status": response.status_code}
    if isinstance(data, dict) and "detail" in data:
        body["error"] = str(data["detail"])
    else:
        body["error"] = "The request is not valid."
        body["fields"] = data
    response.data = body
    return response
