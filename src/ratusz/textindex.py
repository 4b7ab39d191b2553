"""The text index's word entries, written only when they change (patched into ZCTextIndex).

Products.ZCTextIndex keeps, per word, the documents containing it: in a plain
dict inside a bucket of ``_wordinfo`` while the word is in fewer than ten
documents, then in an IIBTree of its own. On every indexing it stores the
entry into ``_wordinfo`` again ("not redundant: Persistency!") — needed for a
dict, which is part of the bucket, but not for an IIBTree, which ZODB saves by
itself. The needless store marks the bucket changed, and a bucket holding dicts
cannot be merged by ZODB's conflict resolution (dicts do not compare): two
documents indexed at once that share a common word ("zaświadczenie", a year, a
street number) conflicted, and Zope published the whole request again. It was
57–63 of the ~80 conflict retries of 8 clients filing e-service forms
(docs/benchmarks.md, "E-services"). Here an IIBTree entry is changed in place
and the bucket is left alone; a dict entry is stored as before.

Registered with collective.monkeypatcher (configure.zcml); the replacements keep
the originals' behaviour otherwise (tests/test_textindex.py).
"""

from BTrees.IIBTree import IIBTree


def _in_place(doc2score):
    """True for an entry that is its own persistent object (an IIBTree)."""
    return not isinstance(doc2score, dict)


def _store(self, wid, weight, docid):
    """Give ``docid`` the ``weight`` in word ``wid``'s entry; True if the word is new."""
    doc2score = self._wordinfo.get(wid)
    if doc2score is None:
        doc2score = {}
    elif _in_place(doc2score):
        doc2score[docid] = weight
        return False
    elif len(doc2score) == self.DICT_CUTOFF:
        doc2score = IIBTree(doc2score)
    new = not doc2score
    doc2score[docid] = weight
    self._wordinfo[wid] = doc2score  # a dict is part of the bucket: store it again
    return new


def add_wordinfo(self, wid, f, docid):
    """``BaseIndex._add_wordinfo``: record that ``docid`` has word ``wid`` with score ``f``.

    >>> index._add_wordinfo(wid, 0.5, docid)
    """
    if _store(self, wid, f, docid):
        self.length.change(1)


def mass_add_wordinfo(self, wid2weight, docid):
    """``BaseIndex._mass_add_wordinfo``: ``_add_wordinfo`` for each word of a document.

    >>> index._mass_add_wordinfo({wid: 0.5}, docid)
    """
    new_words = sum(_store(self, wid, weight, docid) for wid, weight in wid2weight.items())
    self.length.change(new_words)


def del_wordinfo(self, wid, docid):
    """``BaseIndex._del_wordinfo``: ``docid`` no longer has word ``wid``.

    >>> index._del_wordinfo(wid, docid)
    """
    doc2score = self._wordinfo[wid]
    del doc2score[docid]
    if not doc2score:
        del self._wordinfo[wid]
        self.length.change(-1)
    elif not _in_place(doc2score):
        self._wordinfo[wid] = doc2score
