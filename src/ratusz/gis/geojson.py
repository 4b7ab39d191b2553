"""GeoJSON (RFC 7946) of the items on the maps, read from catalog metadata only.

``geo_query`` turns the request's filters into a catalog query, ``Markers``
runs it in a context (the site, a folder, a collection) as the current user,
and ``feature_collection`` serialises the catalog's metadata rows: ``[longitude, latitude]``
(RFC 7946 §3.1.1, WGS84), the title, description, link, type, review state,
address, category and the type's public fields (``geo_properties``). Nothing
is woken, so thousands of markers cost a catalog query and a loop.
"""

from urllib.parse import quote

from plone import api
from plone.app.contenttypes.behaviors.collection import ICollection
from zope.component import queryUtility
from zope.i18n import translate
from zope.schema.interfaces import IVocabularyFactory
from ZTUtils.Lazy import LazyMap

from ratusz.bip.listings import catalog_text_query
from ratusz.gis.markers import marker_type
from ratusz.gis.markers import marker_types
from ratusz.i18n import _
from ratusz.validators import InputError

MAX_FEATURES = 50_000
MAX_TEXT = 200
PRECISION = 6  # decimal places: ~0.1 m, RFC 7946 §11.2


class GeoQueryError(InputError):
    """A filter that cannot be understood (the service answers 400 naming it)."""


def parse_bbox(text):
    """``(min_lon, min_lat, max_lon, max_lat)`` from ``"minLon,minLat,maxLon,maxLat"``.

    A box crossing the antimeridian (min_lon > max_lon) is allowed (RFC 7946 §5.2).

    >>> parse_bbox("18.0,51.7,18.2,51.8")
    (18.0, 51.7, 18.2, 51.8)
    """
    parts = (text or "").split(",")
    try:
        if len(parts) != 4:
            raise ValueError
        box = tuple(float(part) for part in parts)
    except ValueError:
        raise GeoQueryError(
            "bbox",
            _("Give bbox as four numbers: minLon,minLat,maxLon,maxLat (WGS84 degrees)."),
        ) from None
    min_lon, min_lat, max_lon, max_lat = box
    lon_ok = all(-180 <= value <= 180 for value in (min_lon, max_lon))
    lat_ok = all(-90 <= value <= 90 for value in (min_lat, max_lat)) and min_lat <= max_lat
    if not (lon_ok and lat_ok):
        raise GeoQueryError(
            "bbox",
            _(
                "The bbox is off the map: longitudes between -180 and 180, latitudes "
                "between -90 and 90, the southern one first."
            ),
        )
    return box


def parse_types(values):
    """The portal_types asked for (comma-separated or repeated); all marker types if none.

    >>> parse_types(["Place,Event"])
    ['Place', 'Event']
    """
    asked = [part.strip() for value in values or () for part in str(value).split(",")]
    asked = [name for name in asked if name]
    if not asked:
        return sorted(marker_types())
    unknown = [name for name in asked if marker_type(name) is None]
    if unknown:
        raise GeoQueryError(
            "portal_type",
            _(
                "These types are not on the maps: ${types}. Known: ${known}.",
                mapping={
                    "types": ", ".join(unknown)[:200],
                    "known": ", ".join(sorted(marker_types())),
                },
            ),
        )
    return list(dict.fromkeys(asked))


def geo_query(params):
    """A catalog query for the items on the maps matching ``params`` (the request's form):
    ``portal_type``, ``bbox``, ``q`` (text), ``category``. Raises GeoQueryError.

    >>> geo_query({"portal_type": "Place", "bbox": "18,51.7,18.2,51.8"})["geo_latitude"]
    {'query': (51.7, 51.8), 'range': 'min:max'}
    """

    def values(name):
        value = params.get(name)
        if value is None:
            return []
        return list(value) if isinstance(value, (list, tuple)) else [value]

    query = {"portal_type": parse_types(values("portal_type"))}
    query["geo_latitude"] = {"query": (-90.0, 90.0), "range": "min:max"}
    bbox = params.get("bbox")
    if bbox:
        min_lon, min_lat, max_lon, max_lat = parse_bbox(str(bbox))
        query["geo_latitude"] = {"query": (min_lat, max_lat), "range": "min:max"}
        if min_lon <= max_lon:
            query["geo_longitude"] = {"query": (min_lon, max_lon), "range": "min:max"}
        else:  # across the antimeridian: two ranges, filtered after the query
            query["geo_longitude"] = {"query": (-180.0, 180.0), "range": "min:max"}
            query["_antimeridian"] = (min_lon, max_lon)
    text = catalog_text_query(str(params.get("q") or "")[:MAX_TEXT])
    if text:
        query["SearchableText"] = text
    categories = [str(value)[:100] for value in values("category") if value]
    if categories:
        query["geo_category"] = categories
    return query


class Markers:
    """What a map shows, found in ``context`` for ``params`` as the current user may see it:
    each item's metadata row (a tuple, positions in ``schema``) and its path.

    The site searches everywhere, a folder under itself. A collection keeps its own
    criteria and the filters narrow them: the types and the text are applied to its
    results (passed to its query they would replace its own criteria of the same name).

    Catalog brains are not made: at 10,000 items making them costs ~130 ms, twelve times
    the search itself; the rows are read from the catalog's own tables by record id.
    """

    def __init__(self, context, params):
        query = geo_query(params)
        self.crossing = query.pop("_antimeridian", None)
        self.catalog = api.portal.get_tool("portal_catalog")
        self.schema = self.catalog._catalog.schema
        collection = ICollection(context, None)  # the behavior: a Collection, or None
        if collection is not None:
            types = set(query.pop("portal_type"))
            text = query.pop("SearchableText", None)
            results = collection.results(batch=False, brains=True, custom_query=query)
            rids = [b.getRID() for b in results if b.portal_type in types]
            if text:
                matching = set(self._rids(self.catalog(SearchableText=text, **_geo_only(query))))
                rids = [rid for rid in rids if rid in matching]
        else:
            if not _is_site(context):
                query["path"] = "/".join(context.getPhysicalPath())
            rids = self._rids(self.catalog(**query))
        self.rids = rids

    @staticmethod
    def _rids(results):
        # A catalog search answers a LazyMap (ZTUtils.Lazy) over record ids — or over
        # (score, id) pairs when a text query ranks them; anything else (a list of
        # brains) gives the ids one by one.
        sequence = getattr(results, "_seq", None)
        if isinstance(results, LazyMap) and sequence is not None:
            return [item[1] if isinstance(item, tuple) else item for item in sequence]
        return [brain.getRID() for brain in results]

    def __iter__(self):
        """``(row, path)`` of each item, in the order found."""
        catalog = self.catalog._catalog
        data, paths = catalog.data, catalog.paths
        longitude = self.schema["geo_longitude"]
        west, east = self.crossing or (None, None)
        for rid in self.rids:
            row = data.get(rid)
            if row is None:
                continue
            if west is not None and not (row[longitude] >= west or row[longitude] <= east):
                continue
            yield row, paths[rid]


def _geo_only(query):
    return {name: value for name, value in query.items() if name.startswith("geo_")}


def _is_site(context):
    return context is api.portal.get() or getattr(context, "portal_type", "") == "Plone Site"


def feature_collection(markers, request, limit=MAX_FEATURES):
    """The markers as an RFC 7946 FeatureCollection (a dict ready for ``json.dumps``).

    >>> feature_collection(Markers(portal, {}), request)["features"][0]["geometry"]
    {'type': 'Point', 'coordinates': [18.090612, 51.762123]}
    """
    titles = _TitleCache(request)
    urls = _UrlCache(request)
    columns = _Columns(markers.schema)
    found = []
    for row, path in markers:
        if len(found) >= limit:
            break
        latitude, longitude = columns.point(row)
        if latitude is None or longitude is None:  # an item indexed before it had a point
            continue
        properties = dict(columns.get(row, "geo_properties") or {})
        category = properties.pop("category", None)
        portal_type = columns.get(row, "portal_type")
        properties.update(
            title=columns.get(row, "Title"),
            description=columns.get(row, "Description"),
            url=urls.of(path),
            type=portal_type,
            type_title=titles.type_title(portal_type),
            review_state=columns.get(row, "review_state"),
            address=columns.get(row, "geo_address"),
            category=category,
            category_title=titles.category_title(portal_type, category),
        )
        found.append(
            {
                "type": "Feature",
                "id": columns.get(row, "UID"),
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(longitude, PRECISION), round(latitude, PRECISION)],
                },
                "properties": properties,
            }
        )
    return {"type": "FeatureCollection", "features": found}


class _Columns:
    """Positions of the metadata columns in a brain's tuple."""

    def __init__(self, schema):
        self.schema = schema
        self.latitude = schema["geo_latitude"]
        self.longitude = schema["geo_longitude"]

    def point(self, row):
        return row[self.latitude], row[self.longitude]

    def get(self, row, name):
        return row[self.schema[name]]


class _UrlCache:
    """Item URLs from their paths: the parent's URL made by Zope once per parent (virtual
    hosting included), then the item's id appended."""

    def __init__(self, request):
        self.request = request
        self.parents = {}

    def of(self, path):
        parent, _, item_id = path.rpartition("/")
        base = self.parents.get(parent)
        if base is None:
            base = self.parents[parent] = self.request.physicalPathToURL(parent)
        return f"{base}/{quote(item_id)}"


class _TitleCache:
    """Translated type and category titles, each looked up once per answer."""

    def __init__(self, request):
        self.request = request
        self.types = {}
        self.categories = {}

    def type_title(self, portal_type):
        if portal_type not in self.types:
            kind = marker_type(portal_type)
            self.types[portal_type] = (
                translate(kind.title, context=self.request) if kind is not None else portal_type
            )
        return self.types[portal_type]

    def category_title(self, portal_type, category):
        if not category:
            return None
        key = (portal_type, category)
        if key not in self.categories:
            kind = marker_type(portal_type)
            name = getattr(kind, "category_vocabulary", None)
            factory = queryUtility(IVocabularyFactory, name=name) if name else None
            title = category
            if factory is not None:
                term = factory(None).by_value.get(category)
                if term is not None:
                    title = translate(term.title, context=self.request)
            self.categories[key] = title
        return self.categories[key]
