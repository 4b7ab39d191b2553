"""Zope's type suffixes (``lat:float=abc``, ``start_date:int=x``) on Open311: a 400, not a 500.

ZPublisher converts ``name:type`` parameters while it reads the request
(``HTTPRequest.processInputs``), before any traversal: a value that does not
convert raises there (ValueError, or DateTime's errors for ``:date``, which
the publisher turns into the builtin SyntaxError) and no view of ours has run
yet. The only place to answer it is the exception view
(``index.html`` for the exception), looked up without the site or its browser
layer. This one is registered for those exceptions on every path, but answers
only Open311's (``…/open311/…``) requests that failed before traversal; every
other request gets the exception view it would have had without it.
"""

from plone.base.utils import safe_text
from Products.Five import BrowserView
from zope.component import getSiteManager
from zope.i18n import translate
from zope.interface import Interface
from zope.interface import implementedBy
from zope.interface import providedBy

from ratusz.gis.open311.formats import rendered
from ratusz.gis.open311.mapping import language_of
from ratusz.i18n import _


def is_open311_path(path):
    """Whether ``path`` (PATH_INFO) leads to the Open311 endpoint.

    >>> is_open311_path("/Plone/open311/v2/requests.json")
    True
    """
    return "open311" in safe_text(path or "").strip("/").split("/")


def failed_before_traversal(request):
    """Whether the request failed while its parameters were read (nothing was traversed)."""
    return len(request.get("PARENTS") or ()) <= 1 and request.get("PUBLISHED") is None


def answer_format(path):
    """``xml`` when the path asks for it (``….xml``), else ``json``."""
    return "xml" if safe_text(path or "").lower().endswith(".xml") else "json"


class ConversionErrorView(BrowserView):
    """The exception view for a parameter ZPublisher could not convert."""

    def __call__(self):
        request = self.request
        path = request.get("PATH_INFO", "")
        if not (is_open311_path(path) and failed_before_traversal(request)):
            return self.default_view()()
        language = language_of(request)
        description = translate(
            _(
                "A parameter could not be read. Send each parameter under its plain "
                "GeoReport v2 name (lat, not lat:float), as text."
            ),
            target_language=language,
        )
        body, content_type = rendered(
            [{"code": 400, "description": description}], answer_format(path), "errors", "error"
        )
        response = request.response
        # Locked: the publisher sets the exception's own status again after the view.
        response.setStatus(400, lock=True)
        response.setHeader("Content-Type", content_type)
        response.setHeader("Content-Language", language)
        response.setHeader("Cache-Control", "no-store")
        return body

    def default_view(self):
        """The exception view any other exception would get (Plone's, or plone.rest's)."""
        factory = getSiteManager().adapters.lookup(
            (implementedBy(Exception), providedBy(self.request)), Interface, name="index.html"
        )
        view = factory(self.context, self.request)
        view.__parent__ = getattr(self, "__parent__", None)
        return view
