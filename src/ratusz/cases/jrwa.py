"""The JRWA (uniform list of files): class symbols, titles and archival categories.

An office imports its own list (the annex of its office instruction) as CSV:
semicolon-separated, UTF-8, header ``symbol;title;category_merytoryczna;
category_inne;remarks`` (the category for the unit that handles the matter and
for the other units). The whole file is checked first and stored only if every
row is right, replacing the previous list in one transaction: nothing is ever
half-imported. Problems name the line and what to fix.

Archival categories (K6): ``A`` (permanent), ``Bn`` (kept n years), ``BEn``
(expert review after n years), ``Bc`` (short-lived). ``B-5`` and ``BE-5``, an
older spelling found in published lists, are read as ``B5`` and ``BE5``.
"""

import csv
import io
import re
from dataclasses import asdict
from dataclasses import dataclass

from BTrees.OOBTree import OOBTree
from persistent import Persistent
from persistent.mapping import PersistentMapping
from zope.annotation.interfaces import IAnnotations
from zope.i18nmessageid import Message

from ratusz.i18n import _

HEADER = ("symbol", "title", "category_merytoryczna", "category_inne", "remarks")
SYMBOL = re.compile(r"^\d{1,5}$")  # four levels, five in some older lists
CATEGORY = re.compile(r"^(A|Bc|B\d{1,2}|BE\d{1,2})$")
MAX_FILE_BYTES = 5 * 1024 * 1024  # a full JRWA is ~100 kB
MAX_TITLE = 500
MAX_REMARKS = 2000
ANNOTATION_KEY = "ratusz.cases.jrwa"


@dataclass(frozen=True)
class JrwaClass:
    """One class of the list.

    >>> JrwaClass("0012", "Protokoły kontroli", "A", "Bc", "").is_final
    True
    """

    symbol: str
    title: str
    category: str
    category_other: str
    remarks: str
    has_children: bool = False

    @property
    def is_final(self):
        """Cases are opened only in classes without subclasses ("klasy końcowe")."""
        return not self.has_children


@dataclass(frozen=True)
class Problem:
    """What is wrong on one line of an imported file (``line`` 0: the whole file)."""

    line: int
    message: object  # a translatable Message


class JrwaImportError(ValueError):
    """The file was refused; ``problems`` lists every reason found, by line."""

    def __init__(self, problems):
        super().__init__(f"{len(problems)} problem(s) in the JRWA file")
        self.problems = problems


def normalise_category(text):
    """The category in its canonical spelling, or the text unchanged if it is none.

    >>> normalise_category(" B-5 ")
    'B5'
    """
    text = text.strip()
    compact = text.replace("-", "").replace(" ", "")
    if compact.upper() == "BC":
        return "Bc"
    if compact[:1].upper() in ("A", "B"):
        compact = compact.upper()
    return compact if CATEGORY.match(compact) else text


def retention_years(category):
    """Years the files are kept before disposal or review; None for permanent (A).

    >>> retention_years("B10"), retention_years("BE5"), retention_years("A")
    (10, 5, None)
    """
    if category == "A":
        return None
    if category == "Bc":
        return 0
    return int(category.lstrip("BE"))


def _problem(line, message, **mapping):
    return Problem(line, Message(message, mapping=mapping))


def _decode(data):
    if isinstance(data, str):
        return data, None
    if len(data) > MAX_FILE_BYTES:
        return None, _problem(
            0, _("The file is larger than ${limit} MB."), limit=MAX_FILE_BYTES // (1024 * 1024)
        )
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return None, _problem(line, _("The file is not UTF-8 text (save it as CSV UTF-8)."))


def parse_jrwa(data):
    """The classes of a JRWA CSV file (bytes or text), checked; raises JrwaImportError.

    >>> [c.symbol for c in parse_jrwa("symbol;title;category_merytoryczna;category_inne;remarks\\n"
    ...                               "0;Zarządzanie;;;\\n00;Organy;A;Bc;\\n")]
    ['0', '00']
    """
    text, problem = _decode(data)
    if problem is not None:
        raise JrwaImportError([problem])
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    if not rows or tuple(cell.strip().lower() for cell in rows[0][: len(HEADER)]) != HEADER:
        raise JrwaImportError(
            [
                _problem(
                    1,
                    _("The first line must be the header ${header} (semicolon-separated)."),
                    header=";".join(HEADER),
                )
            ]
        )
    problems = []
    classes = {}
    first_line = {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        entry = _parse_row(line, row, problems)
        if entry is None:
            continue
        if entry.symbol in first_line:
            problems.append(
                _problem(
                    line,
                    _("The symbol ${symbol} is already on line ${first}."),
                    symbol=entry.symbol,
                    first=first_line[entry.symbol],
                )
            )
            continue
        first_line[entry.symbol] = line
        classes[entry.symbol] = entry
    parents = {symbol[:-1] for symbol in classes if len(symbol) > 1}
    for symbol, entry in classes.items():
        line = first_line[symbol]
        if len(symbol) > 1 and symbol[:-1] not in classes:
            problems.append(
                _problem(
                    line,
                    _("The class ${symbol} has no parent class ${parent} in the file."),
                    symbol=symbol,
                    parent=symbol[:-1],
                )
            )
        if symbol not in parents and not entry.category:
            problems.append(
                _problem(
                    line,
                    _(
                        "The final class ${symbol} needs an archival category "
                        "(A, Bn, BEn or Bc) for the unit handling the matter."
                    ),
                    symbol=symbol,
                )
            )
    if not classes and not problems:
        problems.append(_problem(0, _("The file holds no classes.")))
    if problems:
        raise JrwaImportError(sorted(problems, key=lambda p: p.line))
    return [
        JrwaClass(**{**asdict(entry), "has_children": symbol in parents})
        for symbol, entry in sorted(classes.items())
    ]


def _parse_row(line, row, problems):
    cells = [cell.strip() for cell in row] + [""] * (len(HEADER) - len(row))
    if len(row) > len(HEADER):
        problems.append(
            _problem(
                line,
                _("The line has ${count} fields; a JRWA line has ${expected}."),
                count=len(row),
                expected=len(HEADER),
            )
        )
        return None
    symbol, title, category, category_other, remarks = cells[: len(HEADER)]
    found = []
    if not SYMBOL.match(symbol):
        found.append(
            _problem(line, _("The symbol ${symbol} is not 1 to 5 digits."), symbol=symbol[:20])
        )
    if not title.strip("?").strip():
        found.append(_problem(line, _("The class ${symbol} has no title."), symbol=symbol[:20]))
    elif len(title) > MAX_TITLE:
        found.append(
            _problem(line, _("The title is longer than ${limit} characters."), limit=MAX_TITLE)
        )
    if len(remarks) > MAX_REMARKS:
        found.append(
            _problem(line, _("The remarks are longer than ${limit} characters."), limit=MAX_REMARKS)
        )
    normalised = []
    for value in (category, category_other):
        canonical = normalise_category(value) if value else ""
        if value and not CATEGORY.match(canonical):
            found.append(
                _problem(
                    line,
                    _("${category} is not an archival category (A, Bn, BEn or Bc)."),
                    category=value[:20],
                )
            )
        normalised.append(canonical)
    problems.extend(found)
    if found:
        return None
    return JrwaClass(symbol, title, normalised[0], normalised[1], remarks)


# --- the list kept in the site ----------------------------------------------------


class JrwaList(Persistent):
    """The office's JRWA, stored on the site: ``{symbol: JrwaClass fields}`` plus provenance."""

    def __init__(self):
        self.classes = OOBTree()
        self.source = PersistentMapping()


def stored_list(site, create=False):
    """The site's JrwaList (None before the first import unless ``create``)."""
    annotations = IAnnotations(site)
    jrwa = annotations.get(ANNOTATION_KEY)
    if jrwa is None and create:
        jrwa = annotations[ANNOTATION_KEY] = JrwaList()
    return jrwa


def replace_list(site, classes, source):
    """Make ``classes`` the site's JRWA, dropping the previous one; ``source`` says whence.

    >>> replace_list(portal, parse_jrwa(data), {"filename": "jrwa.csv", "by": "admin"})
    """
    jrwa = stored_list(site, create=True)
    jrwa.classes.clear()
    for entry in classes:
        jrwa.classes[entry.symbol] = asdict(entry)
    jrwa.source.clear()
    jrwa.source.update(source, count=len(classes))


def get_class(site, symbol):
    """The JrwaClass of ``symbol`` in the site's list, or None.

    >>> get_class(portal, "0012").category
    'A'
    """
    jrwa = stored_list(site)
    if jrwa is None:
        return None
    fields = jrwa.classes.get(symbol)
    return JrwaClass(**fields) if fields is not None else None


def list_classes(site, final_only=False):
    """Every class of the site's list in symbol order (only final ones if asked)."""
    jrwa = stored_list(site)
    if jrwa is None:
        return []
    entries = (JrwaClass(**fields) for fields in jrwa.classes.values())
    return [entry for entry in entries if entry.is_final or not final_only]
