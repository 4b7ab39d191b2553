"""``@@anonymise`` of a case: an administrator removes its personal data after retention."""

from ratusz.cases.forms import StepForm
from ratusz.eservices.anonymise import anonymise_case
from ratusz.eservices.anonymise import anonymise_refusal
from ratusz.i18n import _


class AnonymiseView(StepForm):
    form_id = "ratusz-anonymise"
    view_name = "anonymise"
    done_message = _("The personal data of the case are removed.")

    @property
    def heading(self):
        return self.tr(_("Anonymise case ${sign}", mapping={"sign": self.context.sign}))

    @property
    def intro(self):
        refusal = anonymise_refusal(self.context)
        if refusal:
            return self.tr(refusal)
        return self.tr(
            _(
                "The parties, the senders of its incoming items, the applicant's e-mail and "
                "the documents of the online submission will be removed for good. The case, "
                "its dates and its record stay."
            )
        )

    @property
    def button(self):
        return self.tr(_("Anonymise"))

    def submit(self, values):
        anonymise_case(self.context)
        return self.context
