"""Reading the settings of Site Setup's Ratusz panels from the registry."""

from plone import api


def registry_setting(schema, prefix, name):
    """The record ``<prefix>.<name>`` of a settings schema, or the schema field's default
    when the record is missing or empty (a site not upgraded yet, a record removed).

    >>> registry_setting(IMapSettings, "ratusz.gis", "zoom")
    13
    """
    value = api.portal.get_registry_record(f"{prefix}.{name}", default=None)
    return schema[name].default if value is None else value
