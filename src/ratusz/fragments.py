"""Rendered HTML of viewlets kept across requests (plone.memoize's RAM cache).

The parts every BIP page carries (the subject menu, the BIP header, the
metadata block, the city footer) are the same for thousands of requests and
cost more to render through page templates than to look up. A viewlet mixes
in :class:`CachedFragment` and names what its HTML depends on in
``fragment_key()``; everything it shows must be derivable from that key,
otherwise a visitor would see another page's HTML. ``None`` means "render
fresh" (e.g. for a signed-in user whose actions differ).

Keys read persistent state (the catalog counter, ZODB serials, registry
values), never a per-process counter, so several Zope instances on one
RelStorage database agree on what is current. Nothing is kept from a request
that has changed persistent objects (it may still be aborted).
"""

from AccessControl import getSecurityManager
from Acquisition import aq_base
from Acquisition import aq_inner
from plone.memoize import ram
from zope.annotation.interfaces import IAnnotations
from zope.component import getMultiAdapter

# Kept on the request: the same for all fragments of a page.
_PAGE_KEY = "ratusz.fragments.page_key"


def _fragment_key(function, viewlet):
    jar = getattr(aq_base(aq_inner(viewlet.context)), "_p_jar", None)
    if jar is None or jar._registered_objects:
        # Only committed state is kept: a request that changed something may
        # still be aborted, and its counters would be reused by another.
        raise ram.DontCache
    key = viewlet.fragment_key()
    if key is None:
        raise ram.DontCache
    return (type(viewlet).__module__, type(viewlet).__qualname__, key)


@ram.cache(_fragment_key)
def _render_fragment(viewlet):
    return viewlet.render_fragment()


def page_key(viewlet):
    """What every fragment depends on: the site's address and the page's language.

    Absolute URLs differ per virtual host, translated texts per language.

    >>> page_key(viewlet)
    ('http://localhost:8080/Plone', 'pl')
    """
    memo = IAnnotations(viewlet.request)
    key = memo.get(_PAGE_KEY)
    if key is None:
        portal_state = getMultiAdapter(
            (viewlet.context, viewlet.request), name="plone_portal_state"
        )
        key = memo[_PAGE_KEY] = (portal_state.portal_url(), portal_state.language())
    return key


def anonymous_key(viewlet):
    """``page_key`` for an anonymous visitor; None (render fresh) for anyone signed in.

    >>> anonymous_key(viewlet_seen_by_a_clerk) is None
    True
    """
    # What portal_membership.isAnonymousUser() asks, without the tool lookup.
    if getSecurityManager().getUser().getUserName() != "Anonymous User":
        return None
    return page_key(viewlet)


class CachedFragment:
    """Mix into a viewlet before its base class to keep its rendered HTML.

    The viewlet implements ``fragment_key()`` (hashable, or None) and keeps its
    rendering in ``render_fragment()``.
    """

    def fragment_key(self):
        raise NotImplementedError

    def render_fragment(self):
        return super().render()

    def render(self):
        return _render_fragment(self)
