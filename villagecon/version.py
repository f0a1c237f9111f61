"""villagecon's version, read once from the installed package's metadata (its one source: pyproject.toml).

Apart from the package root so that any layer can stamp it on what it writes without importing the root.
"""

from importlib import metadata

__all__ = ["__version__"]

try:
    __version__ = metadata.version("villagecon")
except metadata.PackageNotFoundError:
    __version__ = "unknown"
