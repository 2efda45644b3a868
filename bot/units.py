"""Units of time and of volume, and the conversions between them: one value for each, used everywhere.

A month is a twelfth of a 365-day year (730 hours, 30.417 days), the length the knowledge base's
`hours_per_month` default gives the costs: a volume read "a month" is costed as said, not 0.06% off.
"""

from __future__ import annotations

SECONDS_PER_MINUTE = 60
MINUTES_PER_HOUR = 60
HOURS_PER_DAY = 24
SECONDS_PER_HOUR = SECONDS_PER_MINUTE * MINUTES_PER_HOUR
MINUTES_PER_DAY = MINUTES_PER_HOUR * HOURS_PER_DAY
SECONDS_PER_DAY = SECONDS_PER_HOUR * HOURS_PER_DAY
DAYS_PER_WEEK = 7.0
DAYS_PER_YEAR = 365.0
MONTHS_PER_YEAR = 12
HOURS_PER_MONTH = DAYS_PER_YEAR * HOURS_PER_DAY / MONTHS_PER_YEAR
DAYS_PER_MONTH = HOURS_PER_MONTH / HOURS_PER_DAY
DAYS_PER_QUARTER = 3 * DAYS_PER_MONTH


def per_second(per_day: float) -> float:
    """A daily count as an average rate a second."""
    return per_day / SECONDS_PER_DAY


def per_day(per_second: float) -> float:
    """A rate a second as a count a day."""
    return per_second * SECONDS_PER_DAY


def tokens_per_request(input_tokens: int, output_tokens: int) -> int:
    """The tokens one request carries, prompt and answer."""
    return input_tokens + output_tokens


def requests_from_tokens(tokens: float, input_tokens: int, output_tokens: int) -> float:
    """How many requests of this size make up `tokens`."""
    return tokens / tokens_per_request(input_tokens, output_tokens)


def tokens_from_requests(requests: float, input_tokens: int, output_tokens: int) -> float:
    """How many tokens `requests` of this size carry."""
    return requests * tokens_per_request(input_tokens, output_tokens)
