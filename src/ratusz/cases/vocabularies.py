"""Vocabularies of document circulation."""

from plone import api
from zope.interface import provider
from zope.schema.interfaces import IVocabularyFactory
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary

from ratusz.cases.jrwa import list_classes


@provider(IVocabularyFactory)
def jrwa_classes(context):
    """The final JRWA classes (cases are opened only in them): ``0012 — Title (A)``.

    >>> jrwa_classes(portal).getTerm("0012").title
    '0012 — Protokoły kontroli (A)'
    """
    return SimpleVocabulary(
        [
            SimpleTerm(
                value=entry.symbol,
                token=entry.symbol,
                title=f"{entry.symbol} — {entry.title} ({entry.category})",
            )
            for entry in list_classes(api.portal.get(), final_only=True)
        ]
    )
