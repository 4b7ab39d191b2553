"""The message factory of the ``ratusz`` translation domain."""

from zope.i18nmessageid import MessageFactory

_ = MessageFactory("ratusz")
