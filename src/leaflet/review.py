"""The review policy: today's date, leaflets due for review soon or overdue, and the overdue notice."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

from typing import TYPE_CHECKING

from .errors import LeafletError

if TYPE_CHECKING:  # today() is asked before any source is read
    from .model import Leaflet

DUE_SOON_DAYS = 90


class OverdueError(LeafletError):
    """A leaflet whose next review date has passed: it may hold out-of-date clinical advice."""

    category = "overdue"


def today() -> date:
    """Today, or the day of SOURCE_DATE_EPOCH (seconds since 1970, UTC) when it is set, so that
    a build of the same sources on another day gives the same files."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        return date.today()
    if not epoch.strip().isdigit():
        raise LeafletError(f"SOURCE_DATE_EPOCH '{epoch}' is not a whole number of seconds since "
                           "1970; unset it or set it to, e.g., $(git log -1 --format=%ct)")
    return datetime.fromtimestamp(int(epoch), timezone.utc).date()


def is_overdue(leaflet: Leaflet, day: date) -> bool:
    return leaflet.next_review <= day


def problems(leaflet: Leaflet, day: date, allow_overdue: bool = False) -> list[LeafletError]:
    """What the review policy refuses: a review date in the future (a typo that would make an
    old leaflet look current), and an overdue leaflet unless it is allowed."""
    found: list[LeafletError] = []
    if leaflet.reviewed > day:
        found.append(LeafletError(
            f"reviewed {leaflet.reviewed.isoformat()} is in the future (today is "
            f"{day.isoformat()}); write the date of the last review", leaflet.reviewed_origin
            or leaflet.origin))
    late = None if allow_overdue else overdue(leaflet, day)
    if late:
        found.append(late)
    return found


def overdue(leaflet: Leaflet, day: date) -> OverdueError | None:
    """The error that refuses an overdue leaflet, or None."""
    if not is_overdue(leaflet, day):
        return None
    return OverdueError(
        f"overdue for review: next_review was {leaflet.next_review.isoformat()}; review the "
        "leaflet and set reviewed and next_review, or build with --allow-overdue to publish it "
        "with an overdue notice", leaflet.next_review_origin or leaflet.origin)


def due_soon(leaflet: Leaflet, day: date) -> str | None:
    """A warning line when the next review is within DUE_SOON_DAYS, or None."""
    days = (leaflet.next_review - day).days
    if is_overdue(leaflet, day) or days > DUE_SOON_DAYS:
        return None
    return (f"{leaflet.next_review_origin or leaflet.origin}: warning: next review due "
            f"{leaflet.next_review.isoformat()}, in {days} day{'s' if days != 1 else ''}; "
            "plan the review")


def steady_until(leaflet: Leaflet, day: date) -> date | None:
    """The first day after `day` on which the review policy may say something else of the
    leaflet (a warning, its wording, or overdue), or None if it never will."""
    if is_overdue(leaflet, day):
        return None
    warned_from = leaflet.next_review - timedelta(days=DUE_SOON_DAYS)
    return warned_from if day < warned_from else day + timedelta(days=1)


def with_overdue_notice(leaflet: Leaflet) -> Leaflet:
    """The leaflet with a notice, in its own language, that it is overdue: every output shows
    or says its notices first."""
    from babel.dates import format_date

    from .i18n.labels import translations

    _ = translations(leaflet.language).gettext
    due = format_date(leaflet.next_review, "long", locale=leaflet.language.replace("-", "_"))
    notice = _("This leaflet is overdue for review: it was due for review on %(date)s. Ask "
               "%(publisher)s whether it is still up to date.") % {
        "date": due, "publisher": leaflet.publisher.name.plain}
    return replace(leaflet, notices=(notice, *leaflet.notices))
