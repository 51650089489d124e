"""The bench's job (bench/jobs.py): it does nothing, so that its figures are the queue's."""

from jobs.declare import job


@job
def noop(number):
    return number
