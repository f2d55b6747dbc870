from django.conf.locale.zh_Hans.formats import *  # noqa: F403 - the display formats stay Django's
from django.conf.locale.zh_Hans.formats import DATE_INPUT_FORMATS as _DATES
from django.conf.locale.zh_Hans.formats import DATETIME_INPUT_FORMATS as _DATETIMES

ISO_DATE = "%Y-%m-%d"
# What <input type="datetime-local"> accepts and sends.
ISO_DATETIME = "%Y-%m-%dT%H:%M"

DATE_INPUT_FORMATS = [ISO_DATE, *(f for f in _DATES if f != ISO_DATE)]
DATETIME_INPUT_FORMATS = [
    ISO_DATETIME,
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    *(f for f in _DATETIMES if f not in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M")),
]
