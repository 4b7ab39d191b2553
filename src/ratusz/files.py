"""Files kept inside content (attachments, scans), listed from the catalog."""

from plone import api

FILE_TYPES = ("File", "Image")


def child_files(container):
    """The files and images right inside ``container`` in their order: title, url, size, type.

    Read from the catalog: the files are not woken; most containers have none,
    and then there is no query at all.

    >>> child_files(item)[0]["url"]
    'http://localhost:8080/Plone/intranet/kancelaria/rpw-1-2026/skan.pdf/@@download/file'
    """
    if not container.objectCount():
        return []
    brains = api.content.find(
        path={"query": "/".join(container.getPhysicalPath()), "depth": 1},
        portal_type=FILE_TYPES,
        sort_on="getObjPositionInParent",
    )
    return [
        {
            "title": brain.Title or brain.getId,
            "url": f"{brain.getURL()}/@@download/"
            + ("image" if brain.portal_type == "Image" else "file"),
            "size": brain.getObjSize,
            "type": (brain.mime_type or "").split("/")[-1].upper(),
        }
        for brain in brains
    ]
