"""Viewlets that make every page the city's: header, colours, footer, a11y tools."""

from plone import api
from plone.app.layout.viewlets import common
from plone.app.layout.viewlets.common import ViewletBase
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zope.component import getMultiAdapter

from ratusz.fragments import CachedFragment
from ratusz.fragments import anonymous_key
from ratusz.fragments import page_key
from ratusz.site import settings as city


def settings_key(settings):
    """The city settings as a hashable value: a fragment showing them changes with them."""
    return tuple(sorted((name, repr(value)) for name, value in vars(settings).items()))


def actions_key():
    """The saved state of the site actions: any edit, addition or removal changes it."""
    category = api.portal.get_tool("portal_actions").get("site_actions")
    if category is None:
        return None
    return (category._p_serial, tuple(action._p_serial for action in category.objectValues()))


class PathBarViewlet(CachedFragment, common.PathBarViewlet):
    """Plone's breadcrumbs, kept for anonymous visitors until the catalog changes.

    Deep BIP pages (``/pl/bip/prawo-lokalne/uchwaly/…``) pay for each level;
    a renamed, moved or withdrawn parent is reindexed, which moves the counter.
    """

    def update(self):
        ViewletBase.update(self)  # the breadcrumbs are computed only when rendered
        self.is_rtl = self.portal_state.is_rtl()

    def fragment_key(self):
        key = anonymous_key(self)
        if key is None:
            return None
        counter = api.portal.get_tool("portal_catalog").getCounter()
        return (key, self.context.getPhysicalPath(), counter)

    def render_fragment(self):
        breadcrumbs_view = getMultiAdapter((self.context, self.request), name="breadcrumbs_view")
        self.breadcrumbs = breadcrumbs_view.breadcrumbs()
        return self.index()


class CityViewletBase(ViewletBase):
    """Gives templates the city settings and the portal URL."""

    def update(self):
        super().update()
        self.city = city.city_settings_for_display(self.request)


class CityColoursViewlet(CityViewletBase):
    """CSS custom properties with the city's colours, read by theme/css/ratusz.css."""

    def render(self):
        primary = city.safe_colour(self.city.primary_colour, "primary_colour")
        secondary = city.safe_colour(self.city.secondary_colour, "secondary_colour")
        return (
            '<style id="ratusz-city-colours">'
            f":root{{--ratusz-primary:{primary};--ratusz-secondary:{secondary};}}"
            "</style>"
        )


class SkipLinksViewlet(CachedFragment, ViewletBase):
    index = ViewPageTemplateFile("templates/skiplinks.pt")

    def fragment_key(self):
        return page_key(self)


class AccessibilityToolsViewlet(CachedFragment, ViewletBase):
    index = ViewPageTemplateFile("templates/a11y_tools.pt")

    def fragment_key(self):
        return page_key(self)


class CityLogoViewlet(CityViewletBase):
    """Replaces Plone's logo with the coat of arms and the city's name."""

    index = ViewPageTemplateFile("templates/logo.pt")

    def update(self):
        super().update()
        self.home_url = self.portal_state.navigation_root_url()
        self.coat_of_arms_url = f"{self.site_url}/@@ratusz-coat-of-arms"


class CityFooterViewlet(CachedFragment, CityViewletBase):
    """Address, contact, link to the BIP and to the accessibility declaration.

    The rendered footer is kept for anonymous visitors until the settings or
    the site actions change; signed-in users may have other actions.
    """

    index = ViewPageTemplateFile("templates/footer.pt")

    def update(self):
        super().update()
        self.context_state = getMultiAdapter(
            (self.context, self.request), name="plone_context_state"
        )
        self.bip_url = city.bip_url(self.site_url, self.city)
        self.declaration_url = city.accessibility_declaration_url(self.site_url, self.city)
        self.email = city.safe_email(self.city.email)

    def fragment_key(self):
        key = anonymous_key(self)
        if key is None:
            return None
        return (
            key,
            settings_key(self.city),
            self.portal_state.navigation_root_url(),
            actions_key(),
        )

    def site_actions(self):
        """Sitemap, contact and the other ``site_actions`` of portal_actions."""
        return self.context_state.actions("site_actions")

    def phone_href(self):
        """``tel:`` link: digits and a leading plus only, whatever was typed."""
        phone = self.city.phone or ""
        return "tel:" + "".join(c for c in phone if c.isdigit() or c == "+")

    def address_lines(self):
        return [line for line in (self.city.street_address or "").splitlines() if line.strip()]
