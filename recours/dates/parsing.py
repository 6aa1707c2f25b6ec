"""``parse_french_date``: the most precise date the grammar finds, else dateparser, else a French message."""

from __future__ import annotations

import re
from datetime import date

from recours.dates.dateparser_fallback import from_dateparser
from recours.dates.grammar import YEAR_ONLY_RE, Candidate, find_candidates
from recours.dates.results import DateError, ParsedDate, format_date_fr, future, not_understood, too_vague, unknown
from recours.dates.vocabulary import UNKNOWN_RE, VAGUE_RE, date_text


def parse_french_date(text: str, today: date) -> ParsedDate:
    """Read one past date in ``text`` as a French member writes it; ``today`` is passed so tests and the
    ``RECOURS_TODAY`` demo date apply (``recours.settings.today()`` in production).

    Raises ``DateNotUnderstood`` or ``FutureDate``, whose ``message_fr`` can be shown to the member.
    """
    t = date_text(text)
    if not t:
        raise not_understood(today)
    # « le 4 ou le 5 novembre », « entre le 3 et le 5 mars », « du 28 au 30 août »: the first day, and not exact
    alternative = ALTERNATIVE_DAYS_RE.search(t)
    if alternative and int(alternative["first"]) < int(alternative["second"]):
        t = t[:alternative.start()] + alternative["first"] + t[alternative.end():]

    candidates = sorted(find_candidates(t, today), key=lambda c: (c.rank, c.start, -(c.end - c.start)))
    if candidates:
        # The most precise, then the first; a candidate that is no valid past date ("12.50 €" read as a
        # day and month) gives way to the next one, and its error is raised only when none is valid.
        first_error: DateError | None = None
        failed: list[Candidate] = []
        for candidate in candidates:
            if any(candidate.start < f.end and f.start < candidate.end for f in failed):
                continue  # "le 31 septembre" must not fall back on "septembre"
            try:
                value, approximate = candidate.build()
                if value > today:
                    raise future(value, today)
                break
            except DateError as error:
                first_error = first_error or error
                failed.append(candidate)
        else:
            assert first_error is not None
            raise first_error
    else:
        if UNKNOWN_RE.search(t):
            raise unknown(today)
        if VAGUE_RE.search(t) or YEAR_ONLY_RE.match(t):
            raise too_vague(today)
        result = from_dateparser(t, today)
        if result is None:
            raise not_understood(today)
        value, approximate = result

    if value > today:
        raise future(value, today)
    if alternative and int(alternative["first"]) < int(alternative["second"]):
        approximate = True
    return ParsedDate(value=value, approximate=approximate, text_fr=format_date_fr(value))


# Two days offered for one date, the month after the second (« le 4 ou le 5 novembre »); slashes and dashes are
# dates themselves (« 4/11 »), not alternatives.
ALTERNATIVE_DAYS_RE = re.compile(
    r"\b(?P<first>[0-3]?\d)(?:er)?\s+(?:ou|et|au)\s+(?:le\s+)?(?P<second>[0-3]?\d)(?:er)?(?=\s+[a-z])"
)
