"""The desk's days (dates in TIME_ZONE) as ranges of instants: a filter on a datetime column
keeps its index and converts nothing per row. Days at the ends of the calendar are moved in by
one, so that no time zone arithmetic overflows; an end day of LAST_DAY or later bounds nothing."""

import datetime

from django.db.models import Q
from django.utils import timezone

FIRST_DAY = datetime.date(1, 1, 2)
LAST_DAY = datetime.date(9999, 12, 30)


def day_start(day):
    """The first instant of `day` in the desk's time zone."""
    day = min(max(day, FIRST_DAY), LAST_DAY)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def day_range(field, since=None, until=None):
    """Q: the datetime `field` falls on a day from `since` to `until`, both inclusive, either
    one left out when None."""
    condition = Q()
    if since:
        condition &= Q(**{f"{field}__gte": day_start(since)})
    if until and until < LAST_DAY:
        condition &= Q(**{f"{field}__lt": day_start(until + datetime.timedelta(days=1))})
    return condition
