"""Helpers for the vocabularies of every capability."""

from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary


def fixed_vocabulary(*pairs):
    """A vocabulary of (stored value, translatable title) pairs.

    >>> [term.value for term in fixed_vocabulary(("a", _("A")), ("b", _("B")))]
    ['a', 'b']
    """
    return SimpleVocabulary([SimpleTerm(value, value, title) for value, title in pairs])
