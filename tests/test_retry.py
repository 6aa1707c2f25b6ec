"""The one retry policy (recours/retry.py): backoff with jitter and a cap, ``Retry-After`` in both forms (RFC 9110).

The clients that use it are tested against real local servers: tests/test_backoffice.py (the outbox's delays in
the table, the back-office's ``Retry-After``) and tests/test_graph_api.py (a Graph API ``Retry-After`` waited for).
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest

from recours.retry import RetryPolicy, parse_retry_after

HIGH, LOW = (lambda: 1.0), (lambda: 0.0)  # the ends of random.random()'s range [0, 1)


def test_backoff_doubles_from_the_base_with_equal_jitter():
    assert [RetryPolicy(30, 3600, HIGH).backoff(n) for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert RetryPolicy(30, 3600, LOW).backoff(3) == 60  # half the delay is always kept
    assert RetryPolicy(30, 3600, lambda: 0.5).backoff(3) == 90


def test_backoff_is_capped_before_the_jitter():
    assert RetryPolicy(30, 3600, HIGH).backoff(30) == 3600
    assert RetryPolicy(30, 3600, LOW).backoff(30) == 1800  # retries at the cap still spread out


@pytest.mark.parametrize("failures", [0, -3])
def test_backoff_before_any_counted_failure_is_the_base(failures):
    assert RetryPolicy(30, 3600, HIGH).backoff(failures) == 30


def test_backoff_after_very_many_failures_stays_at_the_cap():
    assert RetryPolicy(30, 3600, HIGH).backoff(100_000) == 3600  # no float overflow after months of outage


def test_jitter_stays_within_half_and_all_of_the_delay():
    policy = RetryPolicy(0.5, 8.0)
    delays = [policy.backoff(3) for _ in range(500)]
    assert all(1.0 <= d < 2.0 for d in delays) and len(set(delays)) > 1


def test_retry_after_is_a_floor_within_the_cap():
    policy = RetryPolicy(30, 3600, HIGH)
    assert policy.delay(1) == policy.delay(1, None) == 30
    assert policy.delay(1, 120) == 120  # the server asked for longer than the backoff
    assert policy.delay(3, 10) == 120  # the backoff is already longer
    assert policy.delay(1, 0) == 30  # a date already past: the backoff still applies
    assert policy.delay(1, 86_400 * 30) == 3600  # a month asked: capped


@pytest.mark.parametrize("value, seconds", [("120", 120), ("0", 0), (" 7 ", 7), ("007", 7)])
def test_retry_after_in_delay_seconds(value, seconds):
    assert parse_retry_after(value) == seconds


def _in(seconds: int) -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0) + timedelta(seconds=seconds)


DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def imf_fixdate(when: datetime) -> str:  # "Sun, 06 Nov 1994 08:49:37 GMT", the form servers must send
    return format_datetime(when, usegmt=True)


def rfc850_date(when: datetime) -> str:  # "Sunday, 06-Nov-94 08:49:37 GMT", obsolete, still to be accepted
    return f"{DAYS[when.weekday()]}, {when:%d}-{MONTHS[when.month - 1]}-{when:%y} {when:%H:%M:%S} GMT"


def asctime_date(when: datetime) -> str:  # "Sun Nov  6 08:49:37 1994", obsolete, still to be accepted
    return time.asctime(when.utctimetuple())


@pytest.mark.parametrize("form", [imf_fixdate, rfc850_date, asctime_date])
def test_retry_after_as_an_http_date_in_each_form(form):
    header = form(_in(120))
    assert 117 <= parse_retry_after(header) <= 121, header


def test_retry_after_date_in_the_past_means_no_wait():
    assert parse_retry_after(imf_fixdate(_in(-3600))) == 0
    assert parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT") == 0


@pytest.mark.parametrize("value", [
    None, "", "   ", "soon", "-5", "1.5", "+5", "12 s", "Sun, 06 Nov 99999 08:49:37 GMT",  # year out of range
])
def test_an_invalid_retry_after_counts_as_no_header(value):
    assert parse_retry_after(value) is None


def test_a_huge_retry_after_is_left_to_the_policy_cap():
    seconds = parse_retry_after("9" * 30)
    assert seconds is not None and seconds > 10**9  # not stopped at urllib3's own 6-hour default
    assert RetryPolicy(30, 3600, HIGH).delay(1, seconds) == 3600
