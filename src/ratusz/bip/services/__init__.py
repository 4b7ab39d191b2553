"""The BIP in the REST API: ``@bip-history``, ``@bip-changes``, ``@bip-metadata``, and the
change-note rule for ``PATCH`` (see docs/rest-api.md)."""
