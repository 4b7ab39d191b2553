"""The message factory of the ``ratusz`` translation domain."""

from zope.i18n import translate
from zope.i18nmessageid import MessageFactory

_ = MessageFactory("ratusz")


def translator(request):
    """A function translating messages into ``request``'s language, negotiated once.

    ``zope.i18n.translate(msgid, context=request)`` negotiates the language on
    every call; a page translating dozens of labels asks once instead.

    >>> tr = translator(request)
    >>> tr(_("Date published"))
    'Data publikacji'
    """
    language = request.get("LANGUAGE") if request is not None else None
    if not language:
        return lambda msgid: translate(msgid, context=request)
    return lambda msgid: translate(msgid, context=request, target_language=language)
