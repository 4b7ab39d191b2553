"""``@@eservice-mails`` of the catalogue: editors change the mails applicants get per state."""

from ratusz.cases.forms import StepForm
from ratusz.eservices.notifications import LANGUAGES
from ratusz.eservices.notifications import MAX_BODY
from ratusz.eservices.notifications import MAX_SUBJECT
from ratusz.eservices.notifications import check_template
from ratusz.eservices.notifications import save_state_mail
from ratusz.eservices.notifications import state_mails
from ratusz.eservices.tracking import public_state
from ratusz.i18n import _
from ratusz.validators import InputError

LANGUAGE_NAMES = {"pl": _("Polish"), "en": _("English"), "uk": _("Ukrainian")}


class EServiceMailsView(StepForm):
    form_id = "ratusz-eservice-mails"
    view_name = "eservice-mails"
    done_message = _("The mails are saved.")

    @property
    def heading(self):
        return self.tr(_("Mails to applicants"))

    @property
    def intro(self):
        return self.tr(
            _(
                "A mail goes to the applicant when a case filed online enters one of these "
                "states. Placeholders: ${sign}, ${service}, ${state}, ${deadline}, "
                "${status_url}, ${office}."
            )
        )

    @property
    def button(self):
        return self.tr(_("Save"))

    def defaults(self):
        values = {}
        for state_id, template in state_mails().items():
            for language in LANGUAGES:
                for part in ("subject", "body"):
                    values[f"{state_id}.{part}_{language}"] = (
                        getattr(template, f"{part}_{language}", None) or ""
                    )
        return values

    def field_specs(self):
        specs = []
        for state_id in sorted(state_mails()):
            state = self.tr(public_state(state_id)[1])
            for language in LANGUAGES:
                name = self.tr(LANGUAGE_NAMES[language])
                specs.append(
                    {
                        "name": f"{state_id}.subject_{language}",
                        "label": _(
                            "${state} — subject (${language})",
                            mapping={"state": state, "language": name},
                        ),
                        "kind": "text",
                        "maxlength": MAX_SUBJECT,
                    }
                )
                specs.append(
                    {
                        "name": f"{state_id}.body_{language}",
                        "label": _(
                            "${state} — text (${language})",
                            mapping={"state": state, "language": name},
                        ),
                        "kind": "textarea",
                        "maxlength": MAX_BODY,
                        "rows": "8",
                    }
                )
        return specs

    def submit(self, values):
        # Checked whole before anything is saved: a wrong placeholder in the last
        # field leaves every template as it was.
        by_state = {}
        for key, value in values.items():
            state_id, _dot, field = key.partition(".")
            by_state.setdefault(state_id, {})[field] = value
        for state_id, fields in by_state.items():
            self._check(state_id, fields)
        for state_id, fields in by_state.items():
            save_state_mail(state_id, fields)
        return self.context

    def _check(self, state_id, fields):
        for field, value in fields.items():
            if "<" in (value or "") or ">" in (value or ""):
                raise InputError(
                    f"{state_id}.{field}", _("The characters < and > are not allowed.")
                )
            try:
                check_template(value)
            except ValueError:
                raise InputError(
                    f"{state_id}.{field}",
                    _(
                        "Unknown placeholder. Use ${sign}, ${service}, ${state}, ${deadline}, "
                        "${status_url} or ${office}; write $$ for a dollar sign."
                    ),
                )
            limit = MAX_SUBJECT if field.startswith("subject") else MAX_BODY
            if len(value or "") > limit:
                raise InputError(
                    f"{state_id}.{field}",
                    _("The text is longer than ${limit} characters.", mapping={"limit": limit}),
                )
