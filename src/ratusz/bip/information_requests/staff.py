"""``/pl/bip/information-requests``: the requests for staff, newest first."""

from plone.batching import Batch
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile

from ratusz.bip.information_requests import storage
from ratusz.bip.information_requests.interfaces import ACCESS_FORMS
from ratusz.bip.information_requests.interfaces import ACCESS_WAYS
from ratusz.bip.information_requests.interfaces import STATUSES

PAGE_SIZE = 50


def term_title(vocabulary, value):
    """The title of ``value`` in ``vocabulary``, or the value itself.

    >>> term_title(STATUSES, "new")
    'New'
    """
    try:
        return vocabulary.getTerm(value).title
    except LookupError:
        return value


def batch_start(request):
    """``b_start`` from the query string, as a non-negative number.

    >>> batch_start(TestRequest(form={"b_start": "-5"}))
    0
    """
    try:
        return max(int(request.form.get("b_start", 0)), 0)
    except (TypeError, ValueError):
        return 0


def row(record, on):
    """One line of the list: what a clerk needs to see at a glance."""
    left = storage.days_left(record, on)
    return {
        "number": record["number"],
        "received": record["received"].strftime("%Y-%m-%d %H:%M"),
        "received_iso": record["received"].isoformat(),
        "deadline": record["deadline"].isoformat(),
        "days_left": left,
        "overdue": storage.is_overdue(record, on),
        "name": record["name"],
        "email": record["email"],
        "postal_address": record["postal_address"],
        "access_way": term_title(ACCESS_WAYS, record["access_way"]),
        "access_form": term_title(ACCESS_FORMS, record["access_form"]),
        "status": record["status"],
        "status_title": term_title(STATUSES, record["status"]),
        "text": record["text"],
    }


class InformationRequestsView(BrowserView):
    index = ViewPageTemplateFile("../templates/requests_staff.pt")

    def __call__(self):
        self.batch = Batch(
            storage.information_requests(), size=PAGE_SIZE, start=batch_start(self.request)
        )
        today = storage.today()
        self.rows = [row(record, today) for record in self.batch]
        return self.index()
