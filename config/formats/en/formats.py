"""English as a European team reads it: day first (17/05/2026, 17 May 2026), a 24-hour clock.

Django's default English formats are American (05/17/2026, "May 17, 2026", "2:05 p.m."), which
a team in Europe reads as ambiguous. These are British English formats with a 24-hour clock;
numbers keep the English separators (1,234.5).
"""

# https://docs.djangoproject.com/en/5.2/ref/templates/builtins/#date
DATE_FORMAT = "j F Y"  # 17 May 2026
TIME_FORMAT = "H:i"  # 14:05
DATETIME_FORMAT = "j F Y, H:i"  # 17 May 2026, 14:05
YEAR_MONTH_FORMAT = "F Y"  # May 2026
MONTH_DAY_FORMAT = "j F"  # 17 May
SHORT_DATE_FORMAT = "d/m/Y"  # 17/05/2026
SHORT_DATETIME_FORMAT = "d/m/Y H:i"  # 17/05/2026 14:05
FIRST_DAY_OF_WEEK = 1  # Monday

# ISO first: a widget without its own format renders its value with the first input format, and
# an HTML date input only takes ISO 8601. Day first after it; never month first.
DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2026-05-17 (what <input type="date"> sends)
    "%d/%m/%Y",  # 17/05/2026
    "%d/%m/%y",  # 17/05/26
    "%d %B %Y",  # 17 May 2026
    "%d %b %Y",  # 17 May 2026, abbreviated month
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M:%S.%f",
    "%d/%m/%Y %H:%M",
    "%d/%m/%y %H:%M:%S",
    "%d/%m/%y %H:%M",
]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
