"""Online forms of service cards, made with collective.easyform.

``create_online_form`` gives a card a form from a short field list (the demo
cards, tests, an integrator's script): an EasyForm whose only action is
"Register as case", with every setting left to the card.
"""

from xml.sax.saxutils import escape
from xml.sax.saxutils import quoteattr

from plone import api

SUPERMODEL = "http://namespaces.plone.org/supermodel/schema"
FIELD_TYPES = {
    "TextLine": "zope.schema.TextLine",
    "Text": "zope.schema.Text",
    "Email": "plone.schema.email.Email",
    "Date": "zope.schema.Date",
    "Choice": "zope.schema.Choice",
    "Bool": "zope.schema.Bool",
    "Int": "zope.schema.Int",
    "File": "plone.namedfile.field.NamedBlobFile",
}
MAX_LENGTHS = {"TextLine": 300, "Text": 5000}
ACTIONS_MODEL = f"""<model xmlns="{SUPERMODEL}">
  <schema>
    <field name="register_case" type="ratusz.eservices.action.RegisterAsCase">
      <title>Register as case</title>
    </field>
  </schema>
</model>"""


def _field_xml(spec):
    kind = spec["type"]
    lines = [f'    <field name={quoteattr(spec["id"])} type="{FIELD_TYPES[kind]}">']
    lines.append(f"      <title>{escape(spec['title'])}</title>")
    if spec.get("description"):
        lines.append(f"      <description>{escape(spec['description'])}</description>")
    lines.append(f"      <required>{'True' if spec.get('required') else 'False'}</required>")
    if kind in MAX_LENGTHS:
        lines.append(f"      <max_length>{MAX_LENGTHS[kind]}</max_length>")
    if kind == "Choice":
        lines.append("      <values>")
        lines += [f"        <element>{escape(choice)}</element>" for choice in spec["choices"]]
        lines.append("      </values>")
    lines.append("    </field>")
    return "\n".join(lines)


def fields_model(fields):
    """The supermodel XML of a form with ``fields`` (``[{"id", "type", "title", …}]``).

    >>> "NamedBlobFile" in fields_model([{"id": "scan", "type": "File", "title": "Skan"}])
    True
    """
    body = "\n".join(_field_xml(spec) for spec in fields)
    return f'<model xmlns="{SUPERMODEL}">\n  <schema>\n{body}\n  </schema>\n</model>'


def create_online_form(card, fields, title=None, form_id="formularz"):
    """Give ``card`` an online form with ``fields`` that registers each submission as a case.

    >>> create_online_form(card, [{"id": "applicant_name", "type": "TextLine", ...}]).portal_type
    'EasyForm'
    """
    form = api.content.create(
        container=card,
        type="EasyForm",
        id=form_id,
        title=title or card.Title(),
        fields_model=fields_model(fields),
        actions_model=ACTIONS_MODEL,
        # The thank-you page shows the receipt, not the data again: a PESEL
        # on the screen of a shared computer helps nobody.
        showAll=False,
        showFields=[],
        submitLabel=api.portal.translate("Send", domain="ratusz"),
    )
    return form
