"""Viewlets that make every page the city's: header, colours, footer, a11y tools."""

from plone.app.layout.viewlets.common import ViewletBase
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zope.component import getMultiAdapter

from ratusz.site import settings as city


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


class SkipLinksViewlet(ViewletBase):
    index = ViewPageTemplateFile("templates/skiplinks.pt")


class AccessibilityToolsViewlet(ViewletBase):
    index = ViewPageTemplateFile("templates/a11y_tools.pt")


class CityLogoViewlet(CityViewletBase):
    """Replaces Plone's logo with the coat of arms and the city's name."""

    index = ViewPageTemplateFile("templates/logo.pt")

    def update(self):
        super().update()
        self.home_url = self.portal_state.navigation_root_url()
        self.coat_of_arms_url = f"{self.site_url}/@@ratusz-coat-of-arms"


class CityFooterViewlet(CityViewletBase):
    """Address, contact, link to the BIP and to the accessibility declaration."""

    index = ViewPageTemplateFile("templates/footer.pt")

    def update(self):
        super().update()
        self.context_state = getMultiAdapter(
            (self.context, self.request), name="plone_context_state"
        )
        self.bip_url = city.bip_url(self.site_url, self.city)
        self.declaration_url = city.accessibility_declaration_url(self.site_url, self.city)
        self.email = city.safe_email(self.city.email)

    def site_actions(self):
        """Sitemap, contact and the other ``site_actions`` of portal_actions."""
        return self.context_state.actions("site_actions")

    def phone_href(self):
        """``tel:`` link: digits and a leading plus only, whatever was typed."""
        phone = self.city.phone or ""
        return "tel:" + "".join(c for c in phone if c.isdigit() or c == "+")

    def address_lines(self):
        return [line for line in (self.city.street_address or "").splitlines() if line.strip()]
