"""Site Setup → Open311 API keys (``@@ratusz-open311-keys``): issue, list and revoke keys.

Only site administrators (``Plone Site Setup: Site``) open it. A new key is
shown once, on the page that issued it (the form carries a one-time value the
key remembers, so reloading that page issues no second key); the list shows each key's name, who
to contact, when and by whom it was issued, its last use and whether it is
revoked — never the key.
"""

from plone.protect import CheckAuthenticator
from Products.Five import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile

from ratusz.dates import display_date
from ratusz.gis.open311.keys import KeyAlreadyIssued
from ratusz.gis.open311.keys import KeyRefused
from ratusz.gis.open311.keys import current_user_id
from ratusz.gis.open311.keys import issue_key
from ratusz.gis.open311.keys import listed_keys
from ratusz.gis.open311.keys import new_form_nonce
from ratusz.gis.open311.keys import revoke_key
from ratusz.i18n import _
from ratusz.i18n import translator


class KeysPanel(BrowserView):
    template = ViewPageTemplateFile("templates/keys.pt")

    new_key = None
    error = None
    error_field = None
    message = None

    def __call__(self):
        form = self.request.form
        if self.request.get("REQUEST_METHOD") == "POST":
            CheckAuthenticator(self.request)
            if form.get("form.buttons.issue"):
                self.issue(form)
            elif form.get("form.buttons.revoke"):
                self.revoke(form.get("key_id"))
        return self.template()

    def issue(self, form):
        try:
            key_id, key = issue_key(
                form.get("name"),
                form.get("owner"),
                current_user_id(),
                nonce=form.get("issue_nonce") if isinstance(form.get("issue_nonce"), str) else "",
            )
        except KeyAlreadyIssued as refusal:
            self.message = self.tr(refusal.message)
            return
        except KeyRefused as refusal:
            self.error = self.tr(refusal.message)
            self.error_field = refusal.field
            return
        self.new_key = {"id": key_id, "key": key}

    def revoke(self, key_id):
        if revoke_key(key_id, current_user_id()):
            self.message = self.tr(_("The key has been revoked: reports sent with it are refused."))

    def tr(self, message):
        return translator(self.request)(message)

    def keys(self):
        return [
            {
                **key,
                "issued_text": self._date(key["issued"]),
                "revoked_text": self._date(key["revoked"]),
                "last_used_text": self._date(key["last_used"]),
            }
            for key in listed_keys()
        ]

    def _date(self, iso):
        if not iso:
            return ""
        from datetime import datetime

        from ratusz.gis.open311.service import local_zone

        moment = datetime.fromisoformat(iso).astimezone(local_zone())
        return display_date(moment.replace(tzinfo=None), with_time=True)

    def nonce(self):
        """The issuing form's one-time value, new on every page."""
        return new_form_nonce()

    def field_value(self, name):
        """What was typed, kept on the page after an error (never after a key is issued)."""
        if self.error is None:
            return ""
        value = self.request.form.get(name)
        return value if isinstance(value, str) else ""

    def endpoint(self):
        return f"{self.context.absolute_url()}/open311/v2"
