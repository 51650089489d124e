"""Signal receivers of the brokering log."""

import uuid

from django.dispatch import receiver
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record


@receiver(pre_create_historical_record)
def tag_history_with_request(sender, history_instance, **kwargs):
    """Give every history record written during one request the same request id."""
    request = getattr(HistoricalRecords.context, "request", None)
    if request is None:
        return
    if not hasattr(request, "history_request_id"):
        request.history_request_id = uuid.uuid4().hex
    history_instance.history_request_id = request.history_request_id


@receiver(pre_create_historical_record)
def tag_history_with_change_reason(sender, history_instance, **kwargs):
    """Say where a change without a person behind it came from (a command, say)."""
    from activities.recording import current_change_reason

    reason = current_change_reason()
    if reason and not history_instance.history_change_reason:
        history_instance.history_change_reason = reason
