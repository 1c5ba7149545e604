"""Visits in the back office: the client page's tab "Visitas" (visits newest first, keyset
pages, each expanding to its pages; a chart of visits per week over six months) and the
order page's tab "Visita" (the client and the pages of the visit that led to the order).

Staff only: these live in the back office, behind `staff_required`; the storefront never
shows a visit (a test checks)."""

from dataclasses import dataclass
from datetime import date

from flask import Flask, abort, render_template, request
from flask_babel import format_date, to_user_timezone

from portal import db
from portal.clients.models import Client
from portal.extension_points import ClientTab, OrderTab, add_client_tab, add_order_tab
from portal.i18n import _, _l, lazy_pgettext, ngettext
from portal.visits import queries
from portal.visits.models import PageView, Visit

CLIENT_TAB = "clientela/admin/visits/_client_tab.html"
ORDER_TAB = "clientela/admin/visits/_order_tab.html"
ROWS = "clientela/admin/visits/_visits.html"
DEVICE_LABELS = {
    "desktop": lazy_pgettext("device", "Computer"),
    "mobile": lazy_pgettext("device", "Phone"),
    "tablet": lazy_pgettext("device", "Tablet"),
}
# The chart's geometry (SVG user units); the SVG scales to the width of the screen.
BAR, GAP, HEIGHT, TOP, AXIS = 10, 2, 60, 12, 14


def init_app(app: Flask) -> None:
    add_client_tab(app, ClientTab("visitas", _l("Visits"), CLIENT_TAB, client_tab_context))
    add_order_tab(app, OrderTab("visita", _l("Visit"), ORDER_TAB, order_tab_context))
    app.add_template_filter(duration, "visit_duration")
    app.add_template_filter(_clock, "visit_time")
    app.add_template_global(DEVICE_LABELS, "visit_device_labels")


def _clock(value) -> str:
    """HH:MM:SS in the shop's time zone (a visit's pages: dozens a tab, so no CLDR pattern)."""
    return to_user_timezone(value).strftime("%H:%M:%S")


def duration(visit: Visit) -> str:
    seconds = visit.duration_seconds
    if seconds < 60:
        return ngettext("%(num)d second", "%(num)d seconds", seconds)
    minutes = seconds // 60
    if minutes < 60:
        return ngettext("%(num)d minute", "%(num)d minutes", minutes)
    return _("%(hours)d h %(minutes)02d min", hours=minutes // 60, minutes=minutes % 60)


@dataclass
class Bar:
    x: int
    y: int
    height: int
    count: int
    week: date


@dataclass
class Chart:
    bars: list[Bar]
    labels: list[tuple[int, str]]
    width: int
    height: int
    total: int
    peak: int


def weekly_chart(client_id: int) -> Chart:
    weeks = queries.weekly_visits(client_id)
    peak = max((count for _week, count in weeks), default=0)
    bars, labels, month = [], [], None
    for index, (week, count) in enumerate(weeks):
        height = round(count / peak * HEIGHT) if peak and count else 0
        x = index * (BAR + GAP)
        bars.append(Bar(x=x, y=TOP + HEIGHT - height, height=height, count=count, week=week))
        if week.month != month:
            month = week.month
            labels.append((x, format_date(week, "MMM")))
    return Chart(
        bars=bars,
        labels=labels,
        width=len(weeks) * (BAR + GAP),
        height=TOP + HEIGHT + AXIS,
        total=sum(count for _week, count in weeks),
        peak=peak,
    )


def client_tab_context(client: Client) -> dict:
    return {
        "client": client,
        "page": queries.visits_of_client(client.id),
        "chart": weekly_chart(client.id),
    }


def client_visits(client_id: int):
    """The next page of a client's visits (htmx: replaces the "More visits" button)."""
    client = db.session.get(Client, client_id)
    if client is None:
        abort(404)
    page = queries.visits_of_client(client.id, after=request.args.get("apos"))
    return render_template(ROWS, ctx={"client": client, "page": page})


def order_tab_context(order) -> dict:
    visit = queries.order_visit(order)
    pages: list[PageView] = queries.pages_of([visit]).get(visit.id, []) if visit else []
    client = order.client if hasattr(order, "client") else db.session.get(Client, order.client_id)
    return {
        "order": order,
        "client": client,
        "visit": visit,
        "pages": pages,
        "visit_count": queries.visit_count(order.client_id),
    }
