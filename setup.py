"""Packaging for Ratusz.

``profiles/``, ``theme/`` and ``instance/`` live at the top of the repository
(the layout the city asked for); symlinks in ``src/ratusz`` make them part of
the package, and the wheel carries real copies. See docs/packaging.md.
"""

from pathlib import Path

from setuptools import find_packages
from setuptools import setup

HERE = Path(__file__).parent

# Top-level folders reached through symlinks in src/ratusz (see docs/packaging.md):
# setuptools follows the links and puts real files into the wheel.
DATA_GLOBS = [
    "profiles/**/*",
    "theme/**/*",
    "instance/*.in",
    "distributions/**/*",
    "locales/**/*.po",
    "locales/**/*.mo",  # compiled by scripts/compile_mo.py before a build
    "**/*.zcml",
    "**/*.pt",
    "**/*.json",
    "**/*.csv",
    "**/*.geojson",
    "**/*.js",
    "**/*.css",
    "**/*.svg",
    "**/*.png",
    "**/*.ttf",  # DejaVu fonts for PDF exports (ratusz/cases/fonts/LICENSE.txt)
    "**/LICENSE.txt",
]


setup(
    name="ratusz",
    version="1.0.0.dev0",
    description="Ratusz: a Plone 6.2 platform for Polish city halls (BIP, e-services, "
    "document circulation, GIS)",
    long_description=(HERE / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    license="GPL-2.0-only",
    python_requires=">=3.10",
    package_dir={"": "src"},
    packages=find_packages("src"),
    package_data={"ratusz": DATA_GLOBS},
    exclude_package_data={"ratusz": ["instance/var/**/*"]},
    include_package_data=False,
    zip_safe=False,
    install_requires=[
        "Products.CMFPlone",
        "plone.classicui",
        "plone.app.caching",
        "plone.app.upgrade",
        "plone.app.multilingual",
        "plone.restapi",
        "plone.api",
        "collective.easyform",
        "collective.monkeypatcher",
        "plone.formwidget.geolocation",
        "holidays",
        "fpdf2",
        "defusedxml",
        "shapely",
        "zope.interface",
        "plone.app.theming",
        "plonetheme.barceloneta",
    ],
    extras_require={
        "test": [
            "pytest",
            "pytest-plone",
            "plone.app.testing",
            "plone.testing",
            "playwright",
            "requests",
            "aiosmtpd",
            "pypdf",
        ],
        # Only pinned through the lock: the buildout path (buildout.cfg) installs these.
        "buildout": [
            "zc.buildout",
            "plone.recipe.zope2instance",
        ],
        "dev": [
            "ruff",
            "zpretty",
            "i18ndude",
            "build",
        ],
    },
    entry_points={
        "console_scripts": [
            "ratusz-instance = ratusz.cli:main",
        ],
    },
)
