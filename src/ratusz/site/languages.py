"""The language selector, asking only about the site's own languages."""

from pathlib import Path

from plone.app.multilingual.browser import selector as pam_selector
from plone.app.multilingual.interfaces import ITG
from plone.app.multilingual.interfaces import NOTG
from plone.i18n.interfaces import ILanguageSchema
from plone.i18n.locales.interfaces import IContentLanguageAvailability
from plone.registry.interfaces import IRegistry
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zope.component import getUtility
from zope.component import queryAdapter

from ratusz.fragments import CachedFragment
from ratusz.fragments import page_key


def supported_language_information(tool):
    """``{code: info}`` for the languages the site offers, in their order.

    Plone's ``getAvailableLanguageInformation()`` reads the registry once for
    each of the ~190 languages it knows, on every page (about 3 ms); a city
    offers three.

    >>> sorted(supported_language_information(api.portal.get_tool("portal_languages")))
    ['en', 'pl', 'uk']
    """
    known = getUtility(IContentLanguageAvailability).getLanguages()
    return {
        code: dict(known[code], code=code, selected=True)
        for code in tool.getSupportedLanguages()
        if code in known
    }


class _SiteLanguagesOnly:
    """The ``portal_languages`` tool, answering language information for the site's languages."""

    def __init__(self, tool):
        self._tool = tool

    def __getattr__(self, name):
        return getattr(self._tool, name)

    def getAvailableLanguageInformation(self):
        return supported_language_information(self._tool)


class LanguageSelectorViewlet(CachedFragment, pam_selector.LanguageSelectorViewlet):
    """plone.app.multilingual's selector with the cheaper language lookup.

    Its links lead to the context's translation group; the rendered list is
    kept per group, page language and trailing view path, except on pages
    with a query string (the links carry it along).
    """

    index = ViewPageTemplateFile(
        str(Path(pam_selector.__file__).parent / "templates" / "languageselector.pt")
    )

    def update(self):
        super().update()
        if self.tool is not None:
            self.tool = _SiteLanguagesOnly(self.tool)

    def fragment_key(self):
        if self.request.form:
            return None
        settings = getUtility(IRegistry).forInterface(ILanguageSchema, prefix="plone")
        return (
            page_key(self),
            str(queryAdapter(self.context, ITG) or NOTG),
            pam_selector.getPostPath(self.context, self.request),
            tuple(settings.available_languages),
            settings.display_flags,
            settings.always_show_selector,
            settings.use_cookie_negotiation,
            settings.set_cookie_always,
        )

    def render_fragment(self):
        return self.index()
