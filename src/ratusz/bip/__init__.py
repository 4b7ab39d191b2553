"""The Public Information Bulletin (BIP): sections, items with their metadata
block ("metryczka"), the BIP workflow, the change register and the pages the
BIP regulation asks for (see docs/bip.md)."""
