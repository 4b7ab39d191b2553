"""plone.app.testing layers of Ratusz.

``RATUSZ_INTEGRATION_TESTING``  the site with ``ratusz:default``;
``RATUSZ_FUNCTIONAL_TESTING``   the same, committed, for zope.testbrowser;
``RATUSZ_BROWSER_TESTING``      the demo city served by a real WSGI server
                                (waitress in a thread) for Playwright.
"""

from plone.app.contenttypes.testing import PLONE_APP_CONTENTTYPES_FIXTURE
from plone.app.testing import FunctionalTesting
from plone.app.testing import IntegrationTesting
from plone.app.testing import PloneSandboxLayer
from plone.app.testing import applyProfile
from plone.testing import Layer
from plone.testing.zope import WSGI_SERVER_FIXTURE


class RatuszLayer(PloneSandboxLayer):
    defaultBases = (PLONE_APP_CONTENTTYPES_FIXTURE,)

    def setUpZope(self, app, configurationContext):
        from ZPublisher.HTTPRequest import HTTPRequest

        import ratusz

        self.loadZCML(package=ratusz)
        # As the instance's zope.conf (max-conflict-retries 10): numbers taken
        # at the same moment conflict and are retried (ratusz.cases.numbering).
        HTTPRequest.retry_max_count = 10

    def setUpPloneSite(self, portal):
        applyProfile(portal, "ratusz:default")


class RatuszDemoLayer(PloneSandboxLayer):
    def setUpPloneSite(self, portal):
        applyProfile(portal, "ratusz:demo")


class ConflictRetriesLayer(Layer):
    """The WSGI server retries a conflicting request as the instance does
    (``max-conflict-retries 10`` in instance/zope.conf.in); set after the server
    layer, whose Zope startup sets Zope's default of 3."""

    defaultBases = (WSGI_SERVER_FIXTURE,)

    def setUp(self):
        from ZPublisher.HTTPRequest import HTTPRequest

        self._default = HTTPRequest.retry_max_count
        HTTPRequest.retry_max_count = 10

    def tearDown(self):
        from ZPublisher.HTTPRequest import HTTPRequest

        HTTPRequest.retry_max_count = self._default


RATUSZ_FIXTURE = RatuszLayer()
CONFLICT_RETRIES = ConflictRetriesLayer(name="Ratusz:ConflictRetries")
RATUSZ_DEMO_FIXTURE = RatuszDemoLayer(bases=(RATUSZ_FIXTURE,), name="Ratusz:DemoFixture")

RATUSZ_INTEGRATION_TESTING = IntegrationTesting(bases=(RATUSZ_FIXTURE,), name="Ratusz:Integration")
RATUSZ_FUNCTIONAL_TESTING = FunctionalTesting(
    bases=(RATUSZ_DEMO_FIXTURE,), name="Ratusz:Functional"
)
RATUSZ_BROWSER_TESTING = FunctionalTesting(
    bases=(RATUSZ_DEMO_FIXTURE, CONFLICT_RETRIES), name="Ratusz:Browser"
)
